"""LR305 and Terraform APIs whose callers the API itself keeps out.

A document store serves its partners through a REST API whose `execute-api` endpoint is disabled
and whose only custom domain requires mutual TLS: a method with `authorization = "NONE"` there is
reached only with a client certificate the truststore accepts, so no warning. The same method on a
twin API that keeps its default endpoint is open, and a private API is reached from a VPC endpoint
only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

_FUNCTION = """\
data "archive_file" "fhir" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/fhir.zip"
}

resource "aws_lambda_function" "get_document" {
  function_name    = "get-document-reference"
  role             = "arn:aws:iam::123456789012:role/fhir"
  handler          = "get_document.lambda_handler"
  runtime          = "python3.12"
  filename         = data.archive_file.fhir.output_path
  source_code_hash = data.archive_file.fhir.output_base64sha256
}
"""

_API = """\
resource "aws_api_gateway_rest_api" "doc_store_{name}" {{
  name                         = "doc-store-{name}"
  disable_execute_api_endpoint = {disabled}
{endpoint}}}

resource "aws_api_gateway_domain_name" "doc_store_{name}" {{
  domain_name              = "{name}.docs.example.org"
  regional_certificate_arn = "arn:aws:acm:eu-west-2:123456789012:certificate/{name}"
{mtls}}}

resource "aws_api_gateway_base_path_mapping" "doc_store_{name}" {{
  api_id      = aws_api_gateway_rest_api.doc_store_{name}.id
  stage_name  = "prod"
  domain_name = aws_api_gateway_domain_name.doc_store_{name}.domain_name
}}

resource "aws_api_gateway_resource" "by_id_{name}" {{
  rest_api_id = aws_api_gateway_rest_api.doc_store_{name}.id
  parent_id   = aws_api_gateway_rest_api.doc_store_{name}.root_resource_id
  path_part   = "{{id}}"
}}

resource "aws_api_gateway_method" "get_{name}" {{
  rest_api_id   = aws_api_gateway_rest_api.doc_store_{name}.id
  resource_id   = aws_api_gateway_resource.by_id_{name}.id
  http_method   = "GET"
  authorization = "NONE"
}}

resource "aws_api_gateway_integration" "get_{name}" {{
  rest_api_id             = aws_api_gateway_rest_api.doc_store_{name}.id
  resource_id             = aws_api_gateway_resource.by_id_{name}.id
  http_method             = aws_api_gateway_method.get_{name}.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.get_document.invoke_arn
}}
"""

_MTLS = """\
  mutual_tls_authentication {
    truststore_uri = "s3://doc-store-truststore/truststore.pem"
  }
"""


def _routes_flagged(tmp_path: Path, **apis: dict[str, str]) -> list[str]:
    text = _FUNCTION + "".join(_API.format(name=name, **settings) for name, settings in apis.items())
    (tmp_path / "main.tf").write_text(text)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "get_document.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    lines = text.splitlines()
    return sorted(lines[finding["line"] - 1] for finding in json.loads(out.getvalue())["findings"]
                  if finding["rule_id"] == "LR305")


def test_a_route_reached_only_through_a_mutual_tls_domain_is_not_open(tmp_path):
    flagged = _routes_flagged(
        tmp_path,
        mtls={"disabled": "true", "endpoint": "", "mtls": _MTLS},
        partner={"disabled": "false", "endpoint": "", "mtls": _MTLS},
        plain={"disabled": "true", "endpoint": "", "mtls": ""},
    )
    assert flagged == ['resource "aws_api_gateway_method" "get_partner" {',
                       'resource "aws_api_gateway_method" "get_plain" {']


def test_a_route_of_a_private_rest_api_is_not_open(tmp_path):
    private = '\n  endpoint_configuration {\n    types = ["PRIVATE"]\n  }\n'
    flagged = _routes_flagged(
        tmp_path,
        internal={"disabled": "false", "endpoint": private, "mtls": ""},
        public={"disabled": "false", "endpoint": '\n  endpoint_configuration {\n    types = ["REGIONAL"]\n  }\n',
                "mtls": ""},
    )
    assert flagged == ['resource "aws_api_gateway_method" "get_public" {']


def test_an_authorization_a_condition_chooses_is_open_only_in_the_case_that_chooses_none(tmp_path):
    """NHSDigital/hometest-mgmt-terraform's APIs: one per prefix of a `for_each`, each method
    `authorization = contains(var.authorized_api_prefixes, each.key) ? "COGNITO_USER_POOLS" : "NONE"`.
    With the list set at plan time the review said every route "has no authorizer"; it is open
    only where the condition is false, and the finding says so."""
    text = _FUNCTION + _API.format(name="orders", disabled="false", endpoint="", mtls="").replace(
        'authorization = "NONE"',
        'authorization = contains(var.authorized_api_prefixes, "orders") ? "COGNITO_USER_POOLS" : "NONE"'
    ) + 'variable "authorized_api_prefixes" {\n  type = list(string)\n}\n'
    (tmp_path / "main.tf").write_text(text)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "get_document.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    (finding,) = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR305"]
    assert "has no authorizer when the condition `contains(var.authorized_api_prefixes, \"orders\")` is false" \
        in finding["message"]
