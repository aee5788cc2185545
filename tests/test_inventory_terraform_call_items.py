"""Terraform: an item of what a function returns (`split(".", basename(var.file))[0]`), and a
failure inside a call that `try()` falls back from, as a module computes a handler's name from
the file it is given (or from its default when none is)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.hcl import parse_hcl
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function
from reviewer.workspace import Workspace

NOTIFIER = """
variable "source_file" {
  default = null
}

locals {
  module_name = try(split(".", basename(var.source_file))[0], "notifier")
}

resource "aws_lambda_function" "this" {
  function_name = "notifier"
  role          = "arn:aws:iam::123456789012:role/notifier"
  handler       = "${local.module_name}.handler"
  runtime       = "python3.12"
  filename      = "build/notifier.zip"
}
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


def test_handler_named_after_the_file_a_caller_passes(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            module "custom" {
              source      = "./modules/notifier"
              source_file = "../../handlers/alerts.py"
            }
        """,
        "modules/notifier/main.tf": NOTIFIER,
    })
    assert _functions(root)["module.custom.aws_lambda_function.this"].handler == "alerts.handler"


def test_handler_falls_back_when_no_file_is_passed(tmp_path: Path) -> None:
    """`basename(null)` fails in Terraform, and the failure of an argument fails `split` and the
    index too, so `try()` takes its fallback."""
    root = _write(tmp_path, {
        "main.tf": """
            module "default" {
              source = "./modules/notifier"
            }
        """,
        "modules/notifier/main.tf": NOTIFIER,
    })
    function = _functions(root)["module.default.aws_lambda_function.this"]
    assert function.handler == "notifier.handler"
    assert "Handler" not in function.unresolved


def test_a_missing_attribute_inside_a_call_is_a_failure_try_falls_back_from(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            variable "settings" {
              default = { memory = 128 }
            }

            resource "aws_lambda_function" "this" {
              function_name = "settings"
              role          = "arn:aws:iam::123456789012:role/settings"
              handler       = "app.handler"
              runtime       = try(lower(var.settings.runtime), "python3.12")
              filename      = "build/app.zip"
            }
        """,
    })
    assert _functions(root)["aws_lambda_function.this"].runtime == "python3.12"


def test_an_item_indexed_by_an_unknown_key_stays_unknown(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            variable "which" {}

            resource "aws_lambda_function" "this" {
              function_name = "pick"
              role          = "arn:aws:iam::123456789012:role/pick"
              handler       = "app.handler"
              runtime       = split(",", "python3.12,nodejs22.x")[var.which]
              filename      = "build/app.zip"
            }
        """,
    })
    function = _functions(root)["aws_lambda_function.this"]
    assert function.runtime is None
    assert "indexed dynamically" in function.unresolved["Runtime"]


def test_the_parser_keeps_the_call_and_its_keys() -> None:
    _, blocks = parse_hcl('locals {\n  first = split("-", "a-b")[1]\n}\n', "main.tf")
    value = blocks[0].attributes["first"]
    assert value.kind == "index"
    assert value.args[0].kind == "call" and value.args[0].name == "split"
    assert value.args[1] == 1


def test_basename_of_a_folder_path(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            resource "aws_lambda_function" "this" {
              function_name = "folder"
              role          = "arn:aws:iam::123456789012:role/folder"
              handler       = "${basename("src/handlers/")}.main"
              runtime       = "python3.12"
              filename      = "build/app.zip"
            }
        """,
    })
    assert _functions(root)["aws_lambda_function.this"].handler == "handlers.main"
