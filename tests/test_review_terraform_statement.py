"""A Terraform `statement` block is one finding's span: an edit inside it is the change's finding."""

from __future__ import annotations

from pathlib import Path

from reviewer.config import Settings
from reviewer.findings import Finding, Severity
from reviewer.review.diff import DiffMap, FileDiff
from reviewer.review.plan import plan_review
from tests.test_recursion_real_code import scan_all

MAIN = """\
resource "aws_lambda_function" "warmer" {
  function_name = "warmer"
  role          = aws_iam_role.warmer.arn
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  filename      = "warmer.zip"
}

resource "aws_iam_role" "warmer" {
  name               = "warmer"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "warmer" {
  statement {
    sid = "InvokeTarget"
    actions = [
      "lambda:*"
    ]
    resources = [
      "*"
    ]
  }
}

resource "aws_iam_role_policy" "warmer" {
  role   = aws_iam_role.warmer.id
  policy = data.aws_iam_policy_document.warmer.json
}
"""


def _wildcard(tmp_path: Path) -> Finding:
    (tmp_path / "main.tf").write_text(MAIN)
    [found] = [f for f in scan_all(tmp_path) if f["rule_id"] == "LR300"]
    assert (found["line"], found.get("end_line")) == (15, 23)     # `statement {` to its `}`
    return Finding(rule_id="LR300", severity=Severity.ERROR, title="t", message=found["message"],
                   path="main.tf", line=found["line"], end_line=found["end_line"], function="warmer",
                   evidence="lambda:*")


def test_a_wildcard_edited_into_a_statement_is_new_and_commented_across_the_statement(tmp_path):
    finding = _wildcard(tmp_path)
    diff = DiffMap({"main.tf": FileDiff("main.tf", hunks=[(12, 26)], added={18, 21})})
    # Without a base to compare with, "new" means on a line the change adds: the action line is one.
    plan = plan_review([finding], Settings(), diff, base_fingerprints=None)
    assert plan.new == [finding]
    assert [(c.start_line, c.line) for c in plan.inline] == [(15, 23)]


def test_an_edit_outside_the_statement_leaves_it_pre_existing(tmp_path):
    finding = _wildcard(tmp_path)
    diff = DiffMap({"main.tf": FileDiff("main.tf", hunks=[(1, 8)], added={5})})
    plan = plan_review([finding], Settings(), diff, base_fingerprints=None)
    assert plan.new == [] and plan.inline == []
