"""Terraform's `replace` with a `/regex/` pattern that is one character class: a module that makes
a folder name safe (`replace(lower(var.lambda_name), "/[^a-zA-Z0-9]+/", "_")`) names its code
folder through it; any other pattern stays unknown and is never compiled."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.inventory.terraform.regex_classes import class_replace
from reviewer.workspace import Workspace


@pytest.mark.parametrize(("text", "pattern", "replacement", "expected"), [
    ("lambda-alarms-handler", "/[^a-zA-Z0-9]+/", "_", "lambda_alarms_handler"),
    ("Orders  API--v2", "/[^a-z0-9]+/", "-", "-rders-v2"),
    ("a--b", "/[^a-z]/", "_", "a__b"),
    ("My Func.v2", "/[\\s.]+/", "-", "My-Func-v2"),
    ("snake_case-name", "/[_-]/", "", "snakecasename"),
    ("tabs\tand spaces", "/\\s+/", "_", "tabs_and_spaces"),
    ("keep.dots", "/\\W/", "", "keepdots"),
])
def test_a_character_class_is_replaced_as_re2_would(text, pattern, replacement, expected):
    assert class_replace(text, pattern, replacement) == expected


@pytest.mark.parametrize(("pattern", "replacement"), [
    ("/a|b/", "_"), ("/[[:alpha:]]/", "_"), ("/^x/", "_"), ("/(a)/", "_"), ("/[a-z]*/", "_"),
    ("/[z-a]/", "_"), ("/[a-z]/", "$1"), ("/[\\pL]/", "_"), ("/[]/", "_"), ("/" + "[a]" * 100 + "/", "_"),
])
def test_any_other_pattern_is_left_unknown(pattern, replacement):
    assert class_replace("abc", pattern, replacement) is None


def test_a_code_folder_named_through_a_regex_replace_is_found(tmp_path: Path) -> None:
    """LBHackney-IT/Data-Platform's shape: a module zips `lambdas/<name with underscores>` for a
    hyphenated `lambda_name` and uploads it; the function's code is that folder."""
    files = {
        "terraform/core/main.tf": """
            module "alarms_handler" {
              source      = "../modules/alarms-lambda"
              lambda_name = "lambda-alarms-handler"
            }
        """,
        "terraform/modules/alarms-lambda/main.tf": """
            variable "lambda_name" {}

            locals {
              lambda_name_underscore = replace(lower(var.lambda_name), "/[^a-zA-Z0-9]+/", "_")
            }

            data "archive_file" "lambda" {
              type        = "zip"
              source_dir  = "../../lambdas/${local.lambda_name_underscore}"
              output_path = "../../lambdas/${local.lambda_name_underscore}.zip"
            }

            resource "aws_s3_object" "lambda" {
              bucket = "artefacts"
              key    = "${local.lambda_name_underscore}.zip"
              source = data.archive_file.lambda.output_path
            }

            resource "aws_lambda_function" "lambda" {
              function_name = var.lambda_name
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "main.lambda_handler"
              runtime       = "python3.12"
              s3_bucket     = "artefacts"
              s3_key        = aws_s3_object.lambda.key
            }
        """,
        "lambdas/lambda_alarms_handler/main.py": "def lambda_handler(event, context):\n    return 1\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text))
    functions = {fn.name: fn for fn in TerraformFormat().scan(Workspace(tmp_path)).functions}
    function = functions["module.alarms_handler.aws_lambda_function.lambda"]
    assert function.code_path == "lambdas/lambda_alarms_handler"
    assert "Code" not in function.unresolved
