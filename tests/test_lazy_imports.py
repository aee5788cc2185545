"""Heavy modules load only when a scan needs them (issue 8: start-up is paid on every push).

Each case runs in a new interpreter, as a user runs the command, and reads `sys.modules` after
it: the test process itself has imported everything long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

HEAVY = ("bandit", "pip_audit", "github", "botocore", "boto3")


def modules_after(*argv: str, full: bool = False) -> set[str]:
    """Top-level packages (every module when `full`) imported by one `lambda-review` command, run
    in a fresh interpreter."""
    program = textwrap.dedent(f"""
        import io, json, sys
        from reviewer.cli import main
        try:
            main({list(argv)!r}, stdout=io.StringIO(), stderr=io.StringIO())
        except SystemExit:
            pass
        print(json.dumps(sorted({{name if {full!r} else name.split('.')[0] for name in sys.modules}})))
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                               cwd=Path(__file__).parent)
    return set(json.loads(completed.stdout.splitlines()[-1]))


def template(root: Path, runtime: str, code: str = "def handler(event, context): return None") -> Path:
    root.mkdir()
    (root / "template.yaml").write_text(textwrap.dedent(f"""
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: {runtime}
              Handler: index.handler
              InlineCode: "{code}"
    """))
    return root


def test_version_imports_nothing_heavy():
    loaded = modules_after("--version")
    assert not loaded & {*HEAVY, "jinja2", "yaml", "hcl2"}


def test_scan_of_an_empty_directory_imports_no_engine(tmp_path):
    loaded = modules_after("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-01-01")
    assert not loaded & set(HEAVY)


def test_botocore_is_read_only_for_runtimes_the_lifecycle_table_does_not_list(tmp_path):
    args = ("--format", "json", "--reference-date", "2026-01-01")
    listed = modules_after("scan", str(template(tmp_path / "listed", "python3.9")), *args)
    unlisted = modules_after("scan", str(template(tmp_path / "unlisted", "python9.99")), *args)
    assert "botocore" not in listed
    assert "botocore" in unlisted            # the unknown identifier is looked up in botocore's model


def test_the_javascript_reader_is_loaded_only_for_a_javascript_handler(tmp_path):
    args = ("--format", "json", "--reference-date", "2026-01-01", "--audit", "off")
    readers = {"reviewer.code.javascript_program", "reviewer.code.javascript_reader"}
    python = modules_after("scan", str(template(tmp_path / "python", "python3.12")), *args, full=True)
    node = modules_after("scan", str(template(tmp_path / "node", "nodejs22.x", "exports.handler = async () => 1;")),
                         *args, full=True)
    assert not python & readers
    assert readers <= node


EARLY_AUDIT = """
import json, sys
from reviewer.analyzers import pip_audit_engine
seen = []
pip_audit_engine.warm_up = lambda: seen.append(sorted(name for name in sys.modules if name.startswith("reviewer.")))
from reviewer.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(seen))
"""


def test_a_review_starts_the_audit_before_it_reads_its_settings(tmp_path):
    """The audit's process is the slowest to get ready: it starts before the review imports its
    settings and analyzers (reviewer.review.early_engines), so that the review need not wait."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("requests==2.31.0\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A"],
                   check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm",
                    "base"], check=True)
    completed = subprocess.run([sys.executable, "-c", EARLY_AUDIT, "review", str(root), "--base", "HEAD", "--head",
                                "HEAD", "--format", "json", "--fail-on", "never"],
                               capture_output=True, text=True, check=True, cwd=Path(__file__).parent)
    seen = json.loads(completed.stdout.splitlines()[-1])
    assert len(seen) == 1
    assert not {"reviewer.config", "reviewer.analyzers.run", "reviewer.inventory"} & set(seen[0])
