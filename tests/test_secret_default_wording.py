"""LR304 for a secret written as the default of a deploy-time input: the message names the input
as the format writes it (a template's parameter, a Serverless variable's fallback, a Terraform
variable's default), and only a template's parameter is told about `NoEcho` and `describe-stacks`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SECRET = "s3cr3t-Pa55w0rd-9f8e"


def _lr304_message(root: Path) -> str:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    [finding] = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304"]
    return str(finding["message"])


def test_a_template_parameter_default_names_the_parameter_and_no_echo(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  ApiSecret:\n    Type: String\n"
        f"    Default: {SECRET}\nResources:\n  Orders:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: x\n"
        "      Environment:\n        Variables:\n          API_SECRET: !Ref ApiSecret\n")
    message = _lr304_message(tmp_path)
    assert message.startswith("The default value of the parameter that sets `API_SECRET`")
    assert "NoEcho" in message


def test_a_serverless_fallback_names_the_variable_and_no_parameter(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(
        "service: orders\nprovider:\n  name: aws\n  runtime: python3.13\n  environment:\n"
        f"    API_SECRET: ${{env:API_SECRET, '{SECRET}'}}\n"
        "functions:\n  show:\n    handler: app.handler\n")
    message = _lr304_message(tmp_path)
    assert message.startswith("The fallback value of the Serverless variable that sets `API_SECRET`")
    assert "NoEcho" not in message and "describe-stacks" not in message and "parameter that" not in message


def test_a_terraform_variable_default_names_the_variable_and_no_parameter(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        f'variable "api_secret" {{\n  default = "{SECRET}"\n}}\n\n'
        'resource "aws_lambda_function" "show" {\n  function_name = "show"\n'
        '  role          = "arn:aws:iam::123456789012:role/show"\n  handler       = "app.handler"\n'
        '  runtime       = "python3.13"\n  filename      = "show.zip"\n'
        "  environment {\n    variables = {\n      API_SECRET = var.api_secret\n    }\n  }\n}\n")
    message = _lr304_message(tmp_path)
    assert message.startswith("The default value of the Terraform variable that sets `API_SECRET`")
    assert "NoEcho" not in message and "describe-stacks" not in message
