"""Two versions of the code on the same trees: are their reports byte for byte the same?

    .venv/bin/python bench/compare_reports.py BASE_REV [HEAD_REV] [--seed S] [--keep DIR]

A refactoring that moves code (issue 16) must not change a single byte of what the scanner
reports. This runs `lambda-review scan` with the JSON, SARIF and Markdown formats over examples/,
over the bench's generated 120-function monorepo (bench/generate_monorepo.py) and over its mixed-format
monorepo (bench/generate_mixed_monorepo.py: SAM, CDK in four languages, Terraform, Serverless), once with the
code of BASE_REV and once with HEAD_REV (default: this checkout's working tree, uncommitted edits
included), and prints, for every tree and format, whether the two outputs are identical. Each
revision is exported with `git archive` (reviewer/ and templates/, which is where the package looks
for its templates) and chosen by PYTHONPATH, as bench/compare_versions.py does.

Nothing touches the network: the OSV address is a closed loopback port, so pip-audit's look-ups
fail the same way for both versions. The exit status is 0 when every output is identical, 1 when
one differs (the first differing lines are printed; --keep DIR writes both outputs to DIR).
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench")]

from generate_mixed_monorepo import generate as generate_mixed  # noqa: E402
from generate_monorepo import generate  # noqa: E402

REFERENCE_DATE = "2026-11-22"
CLOSED_OSV = "http://127.0.0.1:9/v1/query"
FORMATS = ("json", "sarif", "markdown")
EXPORTED = ("reviewer", "templates")


def export(revision: str, destination: Path) -> Path:
    """The package and templates of `revision`, written under `destination`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", revision, *EXPORTED],
                             capture_output=True, check=True).stdout
    destination.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def scan(code: Path, tree: Path, output_format: str) -> bytes:
    """The report of `code`'s version over `tree`, stdout as bytes (the exit status is checked)."""
    # No deadline (unless one is given): on a busy machine the larger trees can pass the default
    # one, and a report cut short by time says nothing about the code's behaviour.
    environment = dict(os.environ, PYTHONPATH=str(code))
    environment.setdefault("LAMBDA_REVIEW_TIME_LIMIT", "0")
    # From a neutral directory: `python -m` puts the working directory first on sys.path.
    completed = subprocess.run(
        [sys.executable, "-m", "reviewer", "scan", str(tree), "--reference-date", REFERENCE_DATE,
         "--format", output_format, "--fail-on", "never", "--osv-url", CLOSED_OSV],
        cwd=tempfile.gettempdir(), env=environment, capture_output=True, check=False)
    if completed.returncode not in (0, 1):
        sys.exit(f"scan of {tree} ({output_format}) with {code} failed with status {completed.returncode}:\n"
                 f"{completed.stderr.decode(errors='replace')[-2000:]}")
    return completed.stdout


def imported_from(code: Path) -> str:
    """Where `import reviewer` resolves under this PYTHONPATH: proves the right version runs."""
    return subprocess.run([sys.executable, "-c", "import reviewer; print(reviewer.__file__)"],
                          cwd=tempfile.gettempdir(), env=dict(os.environ, PYTHONPATH=str(code)),
                          capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the revision to compare against (e.g. the branch's starting commit)")
    parser.add_argument("head", nargs="?", help="a second revision (default: this checkout's working tree)")
    parser.add_argument("--seed", type=int, default=8, help="the generated monorepo's seed")
    parser.add_argument("--keep", type=Path, help="write every output to this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lr-compare-") as directory:
        work = Path(directory)
        versions = {args.base: export(args.base, work / "base")}
        head_name = args.head or "working tree"
        versions[head_name] = export(args.head, work / "head") if args.head else REPO
        for name, code in versions.items():
            location = imported_from(code)
            if not location.startswith(str(code)):
                sys.exit(f"{name}: `import reviewer` resolves to {location}, not under {code}")
        monorepo = work / "monorepo"
        generate(monorepo, args.seed)
        mixed = work / "mixed"
        generate_mixed(mixed, args.seed)
        trees = {"examples": REPO / "examples", f"generated monorepo (seed {args.seed})": monorepo,
                 f"mixed-format monorepo (seed {args.seed})": mixed}
        differing = 0
        for tree_name, tree in trees.items():
            for output_format in FORMATS:
                outputs = {name: scan(code, tree, output_format) for name, code in versions.items()}
                before, after = outputs.values()
                same = before == after
                differing += not same
                print(f"{tree_name:40} {output_format:9} {'identical' if same else 'DIFFERENT'} "
                      f"({len(before)} / {len(after)} bytes)")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    stem = tree_name.split()[0]
                    (args.keep / f"{stem}.base.{output_format}").write_bytes(before)
                    (args.keep / f"{stem}.head.{output_format}").write_bytes(after)
                if not same:
                    diff = difflib.unified_diff(before.decode(errors="replace").splitlines(),
                                                after.decode(errors="replace").splitlines(),
                                                args.base, head_name, lineterm="", n=1)
                    print("\n".join(list(diff)[:40]))
        print("all outputs identical" if not differing else f"{differing} outputs differ")
        return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
