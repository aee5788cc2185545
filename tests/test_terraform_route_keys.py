"""LR305 names a Terraform HTTP API route by the key its configuration writes, also when part of
the key is a value the review cannot know.

A webhook collector module serves its signing keys from `GET /${module.gate.function_name}/.well-known/{proxy+}`
without an authorizer and takes webhooks on JWT-authorised routes. The open route was called
`$DEFAULT $default`, a route the configuration never declares.
"""

from __future__ import annotations

import io
import json

from reviewer.cli import main

_COLLECTOR = """\
variable "api_id" {
  type = string
}

variable "instance_id" {
  type = string
}

variable "issuer" {
  type = string
}

module "env_id" {
  source = "../env-id"
}

locals {
  function_name = "${module.env_id.id}-${var.instance_id}"
}

resource "aws_lambda_function" "gate" {
  function_name = local.function_name
  role          = "arn:aws:iam::123456789012:role/webhook-collector"
  handler       = "co.example.webhooks.CollectorHandler"
  runtime       = "java21"
  s3_bucket     = "example-artifacts"
  s3_key        = "webhook-collector.zip"
}

resource "aws_apigatewayv2_integration" "map" {
  api_id                 = var.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.gate.arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = var.api_id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.issuer
    audience = [var.issuer]
  }
}

resource "aws_apigatewayv2_route" "well_known" {
  api_id             = var.api_id
  route_key          = "GET /${aws_lambda_function.gate.function_name}/.well-known/{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.map.id}"
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_route" "collect" {
  api_id             = var.api_id
  route_key          = "POST /${aws_lambda_function.gate.function_name}/collect"
  target             = "integrations/${aws_apigatewayv2_integration.map.id}"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
  authorization_type = "JWT"
}
"""


def test_an_open_route_whose_key_holds_an_unknown_value_is_named_as_written(tmp_path):
    (tmp_path / "modules" / "webhook-collector").mkdir(parents=True)
    (tmp_path / "modules" / "env-id").mkdir(parents=True)
    (tmp_path / "modules" / "webhook-collector" / "main.tf").write_text(_COLLECTOR)
    (tmp_path / "modules" / "env-id" / "main.tf").write_text('output "id" {\n  value = "dev"\n}\n')
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    open_routes = [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR305"]
    assert len(open_routes) == 1
    assert open_routes[0]["line"] == _COLLECTOR.splitlines().index(
        'resource "aws_apigatewayv2_route" "well_known" {') + 1
    message = open_routes[0]["message"]
    assert "`GET /${aws_lambda_function.gate.function_name}/.well-known/{proxy+}`" in message
    assert "$default" not in message.lower()


def test_unknown_parts_of_a_key_keep_the_words_written_in_the_route(tmp_path):
    """Through a module output the review cannot evaluate, the key keeps `${module.gate.function_name}`
    as written rather than the expression deep in the module it stands for; a verb taken from a
    `for_each` over methods nobody lists is left as written, not upper-cased."""
    collector = tmp_path / "modules" / "webhook-collector"
    gate = tmp_path / "modules" / "gate"
    collector.mkdir(parents=True)
    gate.mkdir(parents=True)
    (gate / "main.tf").write_text("""\
variable "instance_id" {
  type = string
}

variable "environment_name" {
  type = string
}

locals {
  function_name = "${replace(var.environment_name, " ", "-")}-${var.instance_id}"
}

resource "aws_lambda_function" "instance" {
  function_name = local.function_name
  role          = "arn:aws:iam::123456789012:role/gate"
  handler       = "co.example.webhooks.CollectorHandler"
  runtime       = "java21"
  s3_bucket     = "example-artifacts"
  s3_key        = "gate.zip"
}

output "function_arn" {
  value = aws_lambda_function.instance.arn
}

output "function_name" {
  value = local.function_name
}
""")
    (collector / "main.tf").write_text("""\
variable "api_id" {
  type = string
}

variable "http_methods" {
  type = list(string)
}

module "gate" {
  source           = "../gate"
  instance_id      = "webhooks"
  environment_name = terraform.workspace
}

resource "aws_apigatewayv2_integration" "map" {
  api_id           = var.api_id
  integration_type = "AWS_PROXY"
  integration_uri  = module.gate.function_arn
}

resource "aws_apigatewayv2_route" "well_known" {
  api_id             = var.api_id
  route_key          = "GET /${module.gate.function_name}/.well-known/{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.map.id}"
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_route" "collect" {
  for_each = toset(var.http_methods)

  api_id             = var.api_id
  route_key          = "${each.key} /${module.gate.function_name}/collect"
  target             = "integrations/${aws_apigatewayv2_integration.map.id}"
  authorization_type = "NONE"
}
""")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    messages = [finding["message"] for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR305"]
    assert len(messages) == 2
    assert any("`GET /${module.gate.function_name}/.well-known/{proxy+}`" in message for message in messages)
    assert any("`${each.key} /${module.gate.function_name}/collect`" in message for message in messages)


def test_a_well_known_route_without_an_authorizer_is_a_notice(tmp_path):
    """The collector's signing keys are served under `/.well-known/` for the JWT authorizer of its
    other routes to fetch: public by design, so a notice that its input is anyone's, not a warning."""
    (tmp_path / "modules" / "webhook-collector").mkdir(parents=True)
    (tmp_path / "modules" / "env-id").mkdir(parents=True)
    (tmp_path / "modules" / "webhook-collector" / "main.tf").write_text(_COLLECTOR)
    (tmp_path / "modules" / "env-id" / "main.tf").write_text('output "id" {\n  value = "dev"\n}\n')
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    routes = [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR305"]
    assert [finding["severity"] for finding in routes] == ["notice"]
    assert "public by design" in routes[0]["message"]
