"""A focused review's note names the engines that analysed the touched functions: bandit reads
Python only, so a change to Node.js functions does not say bandit analysed them (it says so when
a touched function runs Python)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from scenario import first_commit, git

from reviewer.cli import main

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      CodeUri: orders/
      Handler: app.handler
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: {reports_runtime}
      CodeUri: reports/
      Handler: app.handler
  BillingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      CodeUri: billing/
      Handler: app.handler
"""

NODE_HANDLER = "export const handler = async () => ({ statusCode: 200 });\n"


def _note(tmp_path: Path, reports_runtime: str, reports_file: str) -> str:
    root = tmp_path / "shop"
    root.mkdir()
    (root / "template.yaml").write_text(TEMPLATE.format(reports_runtime=reports_runtime))
    for folder in ("orders", "billing"):
        (root / folder).mkdir()
        (root / folder / "app.mjs").write_text(NODE_HANDLER)
    (root / "reports").mkdir()
    (root / "reports" / reports_file).write_text("# reports\n")
    base = first_commit(root)
    (root / "orders" / "app.mjs").write_text(NODE_HANDLER.replace("200", "201"))
    (root / "reports" / reports_file).write_text("# reports, daily\n")
    git(root, "commit", "-q", "-am", "head")
    head = git(root, "rev-parse", "HEAD").strip()
    out = io.StringIO()
    main(["review", str(root), "--base", base, "--head", head, "--audit", "off", "--format", "json",
          "--fail-on", "never", "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    comment = json.loads(out.getvalue())["summary_comment"]
    return next(line for line in comment.splitlines() if "Only the code and dependencies" in line)


def test_a_node_only_change_does_not_say_bandit_analysed_it(tmp_path: Path) -> None:
    note = _note(tmp_path, "nodejs22.x", "app.mjs")
    assert "were analysed \\(the /tmp storage check and the dependency audit\\)" in note
    assert "bandit" not in note


def test_a_change_touching_a_python_function_names_bandit(tmp_path: Path) -> None:
    note = _note(tmp_path, "python3.13", "app.py")
    assert "were analysed \\(bandit, the /tmp storage check and the dependency audit\\)" in note
