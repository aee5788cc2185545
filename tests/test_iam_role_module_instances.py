"""A role module called once per function (`modules/lambda-role`, each call's role handed to an
endpoint module's function): a statement written once in it is one LR300 finding naming every
function, not one row per module instance at the same line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

ROLE_MODULE = """\
resource "aws_iam_role" "lambda_role" {
  name               = var.role_name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

data "aws_iam_policy_document" "tracing" {
  statement {
    effect    = "Allow"
    actions   = ["xray:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "tracing" {
  name_prefix = "tracing"
  policy      = data.aws_iam_policy_document.tracing.json
}

resource "aws_iam_role_policy_attachment" "tracing" {
  role       = aws_iam_role.lambda_role.name
  policy_arn = aws_iam_policy.tracing.arn
}

data "aws_iam_policy_document" "tables" {
  statement {
    effect    = "Allow"
    actions   = ["dynamodb:*"]
    resources = [var.table_arn]
  }
}

resource "aws_iam_role_policy" "tables" {
  role   = aws_iam_role.lambda_role.id
  policy = data.aws_iam_policy_document.tables.json
}

variable "role_name" { type = string }
variable "table_arn" { type = string }
output "arn" { value = aws_iam_role.lambda_role.arn }
"""

ENDPOINT_MODULE = """\
resource "aws_lambda_function" "endpoint" {
  function_name = var.name
  role          = var.role_arn
  runtime       = "java17"
  handler       = "uk.example.Handler::handleRequest"
  filename      = "../../build/api.zip"
}

variable "name" { type = string }
variable "role_arn" { type = string }
"""

CALLS = """\
module "{name}_role" {{
  source    = "../modules/lambda-role"
  role_name = "{name}-role"
  table_arn = "{table}"
}}

module "{name}" {{
  source   = "../modules/endpoint"
  name     = "{name}"
  role_arn = module.{name}_role.arn
}}
"""


def test_a_statement_of_a_role_module_called_per_function_is_one_finding(tmp_path: Path) -> None:
    (tmp_path / "modules" / "lambda-role").mkdir(parents=True)
    (tmp_path / "modules" / "lambda-role" / "role.tf").write_text(ROLE_MODULE)
    (tmp_path / "modules" / "endpoint").mkdir()
    (tmp_path / "modules" / "endpoint" / "lambda.tf").write_text(ENDPOINT_MODULE)
    (tmp_path / "api").mkdir()
    tables = {"login": "*", "logout": "*", "reset": "arn:aws:dynamodb:eu-west-2:123456789012:table/resets"}
    for name, table in tables.items():
        (tmp_path / "api" / f"{name}.tf").write_text(CALLS.format(name=name, table=table))
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out)
    report = json.loads(out.getvalue())
    assert len(report["functions"]) == 3
    lines = ROLE_MODULE.splitlines()
    tracing = lines.index('data "aws_iam_policy_document" "tracing" {') + 2
    tables_line = lines.index('data "aws_iam_policy_document" "tables" {') + 2
    rows = sorted(f["line"] for f in report["findings"]
                  if f["rule_id"] == "LR300" and f["path"] == "modules/lambda-role/role.tf")
    # `xray:*` on `*` is the same statement in every instance: one row naming the three functions;
    # `dynamodb:*` reaches every table in two instances and one table in the third: two rows.
    assert rows == sorted([tracing, tables_line, tables_line])
    merged = next(f for f in report["findings"] if f["rule_id"] == "LR300" and f["line"] == tracing)
    assert merged["function"] is None
    assert all(f"`module.{name}.aws_lambda_function.endpoint`" in merged["message"] for name in tables)
    assert "(data.aws_iam_policy_document.tracing)" in merged["message"]
    assert "module.login_role" not in merged["message"]
