"""A suppression counts only inside a real comment of the file's language.

`lambda-review: ignore[...]` inside a YAML `Description:` string once suppressed an LR101 and the
check passed. Each language's own tokenizer now says what is a comment (reviewer.comments).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.comments import comments_of

MARKER = "lambda-review: ignore[LR101] accepted by the platform team"


def _template(description: str, comment: str = "") -> str:
    return f"""\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: "{description}"
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Description: >-
        {description}
      Runtime: python3.7{comment}
      Handler: app.handler
      CodeUri: src/
"""


def _scan(root: Path) -> dict:
    stdout = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"],
         stdout=stdout, stderr=io.StringIO())
    return json.loads(stdout.getvalue())


def _rules(report: dict) -> set[str]:
    return {finding["rule_id"] for finding in report["findings"]}


def test_a_marker_inside_a_yaml_string_does_not_suppress(tmp_path):
    (tmp_path / "template.yaml").write_text(
        _template(MARKER).replace("      Runtime: python3.7", f'      Runtime: python3.7\n      Handler2: "{MARKER}"'))
    report = _scan(tmp_path)
    assert "LR101" in _rules(report) and report["summary"]["suppressed"] == []


def test_a_marker_in_a_real_yaml_comment_still_suppresses(tmp_path):
    (tmp_path / "template.yaml").write_text(_template("Orders API", comment=f"   # {MARKER}"))
    report = _scan(tmp_path)
    assert "LR101" not in _rules(report)
    assert [item["reason"] for item in report["summary"]["suppressed"]] == ["accepted by the platform team"]


@pytest.mark.parametrize("path, source, commented", [
    ("app.py", f'x = "# {MARKER}"\ny = 1  # {MARKER}\n', [2]),
    ("main.tf", f'description = "# {MARKER}"\nruntime = "python3.7" # {MARKER}\n'
                f'a = "${{var.x}} // {MARKER}"\n/* {MARKER} */\nb = <<EOT\n# {MARKER}\nEOT\n// {MARKER}\n',
     [2, 4, 8]),
    ("serverless.yml", f'a: "# {MARKER}"\nb: |\n  # {MARKER}\nc: d # {MARKER}\n', [4]),
    ("template.json", f'{{"Description": "// {MARKER}"}}\n', []),
    ("lib/stack.ts", f'const a = "// {MARKER}";\n// {MARKER}\nconst b = `/* {MARKER} */`;\n', [2]),
    ("Dockerfile", f'FROM python:3.12\nRUN echo "# {MARKER}"\n# {MARKER}\n', [3]),
    ("requirements.txt", f"requests==2.0  # {MARKER}\n# {MARKER}\n", [1, 2]),
    ("pyproject.toml", f'a = "# {MARKER}"\nb = \'\'\'\n# {MARKER}\n\'\'\'\nc = 1 # {MARKER}\n', [5]),
])
def test_each_language_reads_markers_only_from_its_comments(path, source, commented):
    found = [line for line, text in comments_of(path, source).items() if "lambda-review" in text]
    assert found == commented


def _git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout.strip()


def test_suppressions_a_pull_request_adds_are_listed_openly_with_their_reasons(tmp_path):
    from rendered_markdown import render

    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(_template("Orders API"))
    (root / "src" / "app.py").write_text("import subprocess\n\n\ndef handler(event, context):\n    return {}\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    reason = r"approved, see https://phish.example $$\Huge APPROVED$$"
    (root / "template.yaml").write_text(_template("Orders API", comment=f"   # lambda-review: ignore[LR101] {reason}"))
    (root / "src" / "app.py").write_text(
        "import subprocess\n\n\ndef handler(event, context):\n"
        "    subprocess.call(event['cmd'], shell=True)  # nosec B602 trusted input\n    return {}\n")
    _git(root, "commit", "-qam", "head")

    stdout = io.StringIO()
    main(["review", str(root), "--base", base, "--format", "markdown", "--reference-date", "2026-11-22",
          "--fail-on", "never"], stdout=stdout, stderr=io.StringIO())
    summary = stdout.getvalue()

    opened = summary.split("<details>")[0]
    assert "Accepted in this pull request (2)" in opened
    assert "template.yaml:10" in opened and "nosec B602 trusted input" in opened
    rendered = render(summary)
    assert rendered.shows_in_code(reason)
    assert rendered.foreign_links == [] and rendered.math_delimiters == []
