"""A module that two root folders call: each of its declarations keeps its own finding.

Grouped findings (one runtime line, several functions) carry no function name, so two lines of one
module that say the same thing share a fingerprint; the scan must still report both lines.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

MODULE = """\
resource "aws_lambda_function" "a" {
  function_name = "a-${var.env}"
  role          = "arn:aws:iam::123456789012:role/x"
  handler       = "a.handler"
  runtime       = "nodejs12.x"
  filename      = "a.zip"
}

resource "aws_lambda_function" "b" {
  function_name = "b-${var.env}"
  role          = "arn:aws:iam::123456789012:role/x"
  handler       = "b.handler"
  runtime       = "nodejs12.x"
  filename      = "b.zip"
}

variable "env" {}
"""


def test_each_line_of_a_module_called_by_two_roots_keeps_its_error(tmp_path: Path) -> None:
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(MODULE)
    for env in ("dev", "prod"):
        (tmp_path / "env" / env).mkdir(parents=True)
        (tmp_path / "env" / env / "main.tf").write_text(
            f'module "fns" {{\n  source = "../../modules/fn"\n  env    = "{env}"\n}}\n')
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out, stderr=io.StringIO())
    blocked = [(f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR101"]
    assert blocked == [("modules/fn/main.tf", 5), ("modules/fn/main.tf", 13)]


def test_a_finding_shared_by_two_functions_speaks_of_them_in_the_plural(tmp_path: Path) -> None:
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(MODULE)
    for env in ("dev", "prod"):
        (tmp_path / "env" / env).mkdir(parents=True)
        (tmp_path / "env" / env / "main.tf").write_text(
            f'module "fns" {{\n  source = "../../modules/fn"\n  env    = "{env}"\n}}\n')
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out, stderr=io.StringIO())
    unsigned = [f["message"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR400"]
    assert unsigned and all(" have no code signing configuration" in message for message in unsigned)
