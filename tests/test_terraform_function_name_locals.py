"""Terraform resources that name a function by the same unknown expression its `function_name` is.

A webhook collector module makes its function through a `gate` module whose name is
`local.function_name`, built from inputs the review cannot know, and whose `function_name` output
is that local rather than the resource's attribute. The collector's SQS event source mapping and
API permission name `module.gate.function_name`: they were linked to no function, so the queue
the function both consumes and writes to went unseen. Within one module, a permission written
`function_name = local.function_name` names the function whose name is that local.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_GATE = """\
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
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  s3_bucket     = "example-artifacts"
  s3_key        = "gate.zip"
}

resource "aws_lambda_permission" "scheduler" {
  statement_id  = "AllowScheduler"
  action        = "lambda:InvokeFunction"
  function_name = local.function_name
  principal     = "scheduler.amazonaws.com"
}

output "function_name" {
  value = local.function_name
}
"""

_COLLECTOR = """\
variable "api_execution_arn" {
  type = string
}

variable "environment_name" {
  type = string
}

module "gate" {
  source           = "../gate"
  instance_id      = "webhooks"
  environment_name = var.environment_name
}

resource "aws_sqs_queue" "to_batch" {
  name = "webhooks-to-batch"
}

resource "aws_lambda_event_source_mapping" "batch" {
  event_source_arn = aws_sqs_queue.to_batch.arn
  function_name    = module.gate.function_name
  batch_size       = 100
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.gate.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${var.api_execution_arn}/*/*"
}
"""


def _inventory(root: Path):
    for rel, text in {"modules/gate/main.tf": _GATE, "modules/webhook-collector/main.tf": _COLLECTOR}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return build_inventory(Workspace(root))


def test_resources_naming_the_function_through_the_local_of_its_name_reach_it(tmp_path):
    functions = _inventory(tmp_path).functions
    assert [function.name for function in functions] == ["module.gate.aws_lambda_function.instance"]
    function = functions[0]
    assert [(trigger.kind, trigger.attributes["name"]) for trigger in function.triggers] == [
        ("sqs", "aws_lambda_event_source_mapping.batch")]
    assert sorted(permission.principal for permission in function.permissions) == [
        "apigateway.amazonaws.com", "scheduler.amazonaws.com"]


def test_a_local_two_functions_share_names_neither(tmp_path):
    """Two functions of one module written with the same expression (one per `count` switch, say)
    leave a permission so written to neither."""
    _inventory(tmp_path)
    gate = tmp_path / "modules" / "gate" / "main.tf"
    gate.write_text(gate.read_text().replace(
        'resource "aws_lambda_permission" "scheduler" {',
        'resource "aws_lambda_function" "canary" {\n  function_name = local.function_name\n'
        '  role          = "arn:aws:iam::123456789012:role/gate"\n  handler       = "index.handler"\n'
        '  runtime       = "nodejs22.x"\n  s3_bucket     = "example-artifacts"\n  s3_key        = "canary.zip"\n}\n\n'
        'resource "aws_lambda_permission" "scheduler" {'))
    functions = build_inventory(Workspace(tmp_path)).functions
    assert len(functions) == 2
    assert all(not function.permissions and not function.triggers for function in functions)
