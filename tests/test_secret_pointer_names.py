"""LR304 and the values a Terraform configuration writes that only point at a secret or stand in for one.

An infrastructure repository whose functions read their signing keys from SSM names the parameters
in the environment (`SSM_PARAM_JWT_TOKEN_PRIVATE_KEY = "jwt_token_private_key"`): the first words say
the value is a parameter's name, so no plain secret is there. The public half of a key pair is no
secret either. A module's test root that passes `"{{ secrets.TESTING_PRIVATE_KEY }}"`, a CI
template's expression its workflow fills in, holds a placeholder: a notice, not an error.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers.secrets import is_secret_name, judge_secret
from reviewer.cli import main
from reviewer.findings import Severity


@pytest.mark.parametrize("name", [
    "SSM_PARAM_JWT_TOKEN_PRIVATE_KEY", "SSM_PARAM_JWT_TOKEN_PUBLIC_KEY", "SSM_DB_PASSWORD",
    "PARAMETER_SLACK_TOKEN", "JWT_TOKEN_PUBLIC_KEY",
])
def test_a_name_that_points_at_a_secret_or_names_a_public_key_marks_no_secret(name):
    assert not is_secret_name(name)


@pytest.mark.parametrize("name", ["JWT_TOKEN_PRIVATE_KEY", "DB_PASSWORD", "PRIVATE_KEY_SSM_BACKUP_TOKEN"])
def test_names_of_secrets_still_mark_one(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("value", ["{{ secrets.TESTING_PRIVATE_KEY }}", "${{ secrets.API_KEY }}", "{{api_key}}"])
def test_a_ci_template_expression_is_a_placeholder(value):
    judged = judge_secret("private_key", value, literal=True)
    assert judged is not None and judged[1] is Severity.NOTICE


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


_LAMBDA_MODULE = """\
variable "name" {}
variable "handler" {}
variable "environment_variables" {
  type    = map(string)
  default = {}
}

data "archive_file" "placeholder" {
  type        = "zip"
  source_file = "${path.module}/placeholder.py"
  output_path = "${path.module}/placeholder.zip"
}

resource "aws_lambda_function" "lambda" {
  function_name    = "${terraform.workspace}_${var.name}"
  role             = "arn:aws:iam::123456789012:role/records-lambda"
  handler          = var.handler
  runtime          = "python3.12"
  filename         = data.archive_file.placeholder.output_path
  source_code_hash = data.archive_file.placeholder.output_base64sha256

  environment {
    variables = var.environment_variables
  }
}
"""


def _lr304(root: Path) -> list[tuple[str, str]]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return sorted((finding["message"].split("`")[1], finding["severity"])
                  for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR304")


def test_ssm_parameter_names_of_signing_keys_are_not_plain_secrets(tmp_path):
    _write(tmp_path, {
        "infrastructure/modules/lambda/main.tf": _LAMBDA_MODULE,
        "infrastructure/modules/lambda/placeholder.py": "def lambda_handler(event, context):\n    return None\n",
        "infrastructure/lambda-token.tf": """\
module "create-token-lambda" {
  source  = "./modules/lambda"
  name    = "TokenRequestHandler"
  handler = "handlers.token_handler.lambda_handler"
  environment_variables = {
    WORKSPACE                       = terraform.workspace
    SSM_PARAM_JWT_TOKEN_PRIVATE_KEY = "jwt_token_private_key"
    NOTIFY_API_TOKEN                = "f81d4fae7dec11d0a76500a0c91e6bf6"
  }
}
""",
        "infrastructure/lambda-authoriser.tf": """\
module "authoriser-lambda" {
  source  = "./modules/lambda"
  name    = "AuthoriserLambda"
  handler = "handlers.authoriser_handler.lambda_handler"
  environment_variables = {
    SSM_PARAM_JWT_TOKEN_PUBLIC_KEY = "jwt_token_public_key"
    JWT_TOKEN_PUBLIC_KEY           = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
  }
}
""",
    })
    assert _lr304(tmp_path) == [("NOTIFY_API_TOKEN", "error")]


def test_a_test_root_passing_a_ci_secret_expression_gets_a_notice(tmp_path):
    _write(tmp_path, {
        "modules/resource-metadata/main.tf": """\
variable "private_key" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "collector" {
  function_name = "resource-metadata"
  role          = "arn:aws:iam::123456789012:role/resource-metadata"
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  s3_bucket     = "vendor-lambda-artifacts"
  s3_key        = "resource-metadata.zip"

  environment {
    variables = {
      private_key = var.private_key
    }
  }
}
""",
        "tests/resource-metadata/main.tf": """\
provider "aws" {
  region = "us-east-1"
}

module "resource-metadata" {
  source      = "../../modules/resource-metadata"
  private_key = "{{ secrets.TESTING_PRIVATE_KEY }}"
}
""",
    })
    assert _lr304(tmp_path) == [("private_key", "notice")]
