#!/usr/bin/env python3
"""Regenerate docs/screenshot/pull-request.png, the README's picture of what a pull request sees.

Run by hand (not in CI), from the repository root, after a change to the comments' templates:

    apt-get install -y chromium fonts-noto-color-emoji pngquant   # browser, the icons' font, PNG size
    .venv/bin/python docs/screenshot/make_screenshot.py [--osv-url URL]

It reviews the bundled example (examples/sam-app) as a pull request that adds it, with
`lambda-review review` (the code path the action posts from), renders the summary comment and one
inline comment with GitHub-flavoured Markdown (cmarkgfm, from the test lock), lays them out like
a pull request's conversation, and captures the page with headless Chromium. GitHub draws the
loop diagram's Mermaid source with its own JavaScript, which no distribution package ships, so
the script draws the same nodes and arrows itself. Nothing is fetched but the advisories the
dependency audit asks OSV (`--osv-url` points it at a mirror).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "sam-app"
OUTPUT = ROOT / "docs" / "screenshot" / "pull-request.png"
REFERENCE_DATE = "2026-11-22"
WIDTH = 860
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--force-device-scale-factor=1"]

_STYLE = """
body { margin: 0; padding: 16px; background: #fff; color: #1f2328; width: %(width)dpx;
       font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, "DejaVu Sans", sans-serif; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; margin-bottom: 16px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; }
.head b { font-weight: 600; } .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; }
.body { padding: 8px 16px; } .file { font: 12px "DejaVu Sans Mono", monospace; padding: 8px 16px;
        border-bottom: 1px solid #d1d9e0; } .line { background: #dafbe1; font: 12px "DejaVu Sans Mono", monospace;
        padding: 2px 16px; white-space: pre; border-bottom: 1px solid #d1d9e0; }
h2 { font-size: 20px; border-bottom: 1px solid #d1d9e0; padding-bottom: 4px; } h3 { font-size: 16px; }
table { border-collapse: collapse; margin: 8px 0; display: block; overflow: hidden; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; font-size: 13px; } th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 4px; padding: 1px 4px; font: 12px "DejaVu Sans Mono", monospace; }
pre { background: #f6f8fa; border-radius: 6px; padding: 12px; overflow: hidden; } pre code { background: none; }
details > summary { cursor: pointer; } a { color: #0969da; text-decoration: none; }
.loop { display: flex; align-items: center; flex-wrap: wrap; gap: 4px; padding: 12px; background: #f6f8fa;
        border-radius: 6px; margin: 8px 0; font-size: 12px; }
.node { border: 1px solid #8c959f; background: #fff; padding: 6px 12px; } .function { border-radius: 20px; }
.resource { border-radius: 4px; border-style: double; border-width: 3px; }
.arrow { text-align: center; color: #59636e; padding: 0 4px; } .arrow span { display: block; font-size: 11px; }
"""
_NODE = re.compile(r'^\s*(n\d+)(\(\["|\[\(")(.*)("\]\)|"\)\])\s*$')
_EDGE = re.compile(r'^\s*(n\d+) -->\|"(.*)"\| (n\d+)\s*$')


def review_example(osv_url: str | None) -> dict:
    """`lambda-review review --format json` of a pull request that adds the example app."""
    from reviewer.cli import main

    work = Path(tempfile.mkdtemp(prefix="lambda-review-screenshot-"))
    repo = work / "photo-sharing"
    repo.mkdir()
    env = ["-c", "user.name=demo", "-c", "user.email=demo@example.com"]

    def git(*args: str) -> str:
        return subprocess.run(["git", *env, *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    git("init", "-q", "-b", "main")
    (repo / "README.md").write_text("# Photo sharing\n")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    base = git("rev-parse", "HEAD").strip()
    for item in EXAMPLE.iterdir():
        if item.name != "README.md":
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, repo / item.name)
    git("add", "-A")
    git("commit", "-q", "-m", "Add the photo-sharing backend")
    args = ["review", str(repo), "--base", base, "--format", "json", "--reference-date", REFERENCE_DATE]
    out = io.StringIO()
    main([*args, *(["--osv-url", osv_url] if osv_url else [])], stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    document["_repo"] = str(repo)
    return document


def to_html(markdown_text: str) -> str:
    """GitHub-flavoured Markdown; our comments hold only HTML we wrote (repository text is escaped)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    rendered = cmarkgfm.github_flavored_markdown_to_html(
        markdown_text, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG)
    return re.sub(r'<pre lang="mermaid"><code>(.*?)</code></pre>', lambda m: draw_loop(html.unescape(m.group(1))),
                  rendered, flags=re.DOTALL)


def _label(text: str) -> str:
    """A Mermaid label back to text: entity codes (`#quot;`, `#35;`) to characters."""
    text = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)
    return html.escape(text.replace("#quot;", '"'))


def draw_loop(source: str) -> str:
    """Our `flowchart LR` (reviewer/review/loops.py) as boxes and labelled arrows, in loop order."""
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str, str]] = []
    for line in source.splitlines():
        if match := _NODE.match(line):
            nodes[match.group(1)] = ("function" if match.group(2) == '(["' else "resource", _label(match.group(3)))
        elif match := _EDGE.match(line):
            edges.append((match.group(1), _label(match.group(2)), match.group(3)))
    if not edges:
        return f"<pre><code>{html.escape(source)}</code></pre>"

    def box(node_id: str) -> str:
        kind, label = nodes.get(node_id, ("resource", node_id))
        return f'<div class="node {kind}">{label}</div>'

    parts = [box(edges[0][0])]
    for _, label, target in edges:
        parts.append(f'<div class="arrow"><span>{label}</span>⟶</div>{box(target)}')
    return f'<div class="loop">{"".join(parts)}</div>'


def page(document: dict) -> str:
    inline = sorted(document["inline"], key=lambda c: (not c["body"].count("LR201"), c["path"], c["line"]))[0]
    lines = (Path(document["_repo"]) / inline["path"]).read_text().splitlines()
    first = inline.get("start_line") or inline["line"]
    commented = "".join(f'<div class="line">+{html.escape(text)}</div>' for text in lines[first - 1:inline["line"]])
    bot = '<b>github-actions</b> <span class="bot">bot</span>'
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{_STYLE % {"width": WIDTH}}</style></head><body>
<div class="comment"><div class="head">{bot} reviewed</div>
<div class="file">{html.escape(inline["path"])}</div>
{commented}
<div class="body">{to_html(inline["body"])}</div></div>
<div class="comment"><div class="head">{bot} commented</div><div class="body">{to_html(document["summary_comment"])}</div></div>
</body></html>"""


def capture(html_text: str, output: Path, chromium: str) -> None:
    with tempfile.TemporaryDirectory(prefix="lambda-review-page-") as directory:
        page_path = Path(directory) / "pull-request.html"
        page_path.write_text(html_text, encoding="utf-8")
        height = _content_height(page_path, chromium)
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={directory}/profile",
                        f"--window-size={WIDTH + 32},{height}", f"--screenshot={output}", page_path.as_uri()],
                       check=True, capture_output=True, timeout=120)
    pngquant = shutil.which("pngquant")
    if pngquant:                        # 256 colours are plenty for text; the file stays small
        subprocess.run([pngquant, "--force", "--skip-if-larger", "--output", str(output), "256", str(output)],
                       check=False, capture_output=True, timeout=120)


def _content_height(page_path: Path, chromium: str) -> int:
    """The page's height, read back from Chromium's DOM dump, so the picture ends where the page does."""
    probe = page_path.with_name("probe.html")
    probe.write_text(page_path.read_text().replace(
        "</body>", "<script>document.title = document.body.scrollHeight</script></body>"), encoding="utf-8")
    dumped = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={page_path.parent}/probe-profile",
                             f"--window-size={WIDTH + 32},800", "--dump-dom", probe.as_uri()],
                            check=True, capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"<title>(\d+)</title>", dumped)
    return int(found.group(1)) + 32 if found else 2400


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--osv-url", help="OSV query endpoint for the dependency audit (default: api.osv.dev)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--html", type=Path, help="also keep the page that was captured")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        parser.error("needs Chromium: apt-get install -y chromium")
    html_text = page(review_example(args.osv_url))
    if args.html:
        args.html.write_text(html_text, encoding="utf-8")
    capture(html_text, args.output, chromium)
    print(f"{args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
