"""A finding several functions share by their declaration says what invokes each of them.

A host module calls an API connector module and a bulk connector module, both making their Java
function through one `proxy-lambda` module: the root's two functions share the host call's line
(LR401) and the proxy module's code line (LR206). The shared sentence named the first function's
triggers only: the bulk connector's bucket was said to be a queue.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

_FILES = {
    "infra/modules/proxy-lambda/main.tf": """\
variable "instance_id" {
  type = string
}

variable "handler_class" {
  type = string
}

resource "aws_lambda_function" "instance" {
  function_name = "proxy-${var.instance_id}"
  role          = "arn:aws:iam::123456789012:role/proxy"
  runtime       = "java21"
  handler       = var.handler_class
  s3_bucket     = "example-artifacts"
  s3_key        = "proxy.jar"
}

output "function_arn" {
  value = aws_lambda_function.instance.arn
}
""",
    "infra/modules/api-connector/main.tf": """\
module "psoxy_lambda" {
  source        = "../proxy-lambda"
  instance_id   = "api"
  handler_class = "co.example.proxy.ApiHandler"
}

resource "aws_sqs_queue" "async_requests" {
  name = "async-requests"
}

resource "aws_lambda_event_source_mapping" "async_requests" {
  event_source_arn = aws_sqs_queue.async_requests.arn
  function_name    = module.psoxy_lambda.function_arn
}
""",
    "infra/modules/bulk-connector/main.tf": """\
module "psoxy_lambda" {
  source        = "../proxy-lambda"
  instance_id   = "bulk"
  handler_class = "co.example.proxy.S3Handler"
}

resource "aws_s3_bucket" "input" {
  bucket = "bulk-input-example"
}

resource "aws_s3_bucket_notification" "input" {
  bucket = aws_s3_bucket.input.id

  lambda_function {
    lambda_function_arn = module.psoxy_lambda.function_arn
    events              = ["s3:ObjectCreated:*"]
  }
}
""",
    "infra/modules/host/main.tf": """\
module "api_connector" {
  source = "../api-connector"
}

module "bulk_connector" {
  source = "../bulk-connector"
}
""",
    "infra/examples/aws/main.tf": """\
provider "aws" {
  region = "us-east-1"
}

module "psoxy" {
  source = "../../modules/host"
}
""",
}


def test_the_shared_findings_name_every_function_s_triggers(tmp_path: Path):
    for rel, text in _FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    latest = [finding["message"] for finding in findings if finding["rule_id"] == "LR401"]
    assert len(latest) == 1
    assert "the SQS queue (infra/modules/api-connector/main.tf:11)" in latest[0]
    assert "the S3 notification (infra/modules/bulk-connector/main.tf:14)" in latest[0]
    not_read = [finding["message"] for finding in findings if finding["rule_id"] == "LR206"]
    assert len(not_read) == 1
    assert "are triggered by an S3 bucket or an SQS queue, but" in not_read[0]
