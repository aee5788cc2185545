"""The loop check on an S3-triggered Terraform function that writes its output under a key whose
Terraform template is only partly known (`"exports-${var.tenant}.csv"` in a module made for each
tenant file that `fileset()` lists): every key it writes still starts with `exports-`, which the
trigger's `incoming/` prefix never matches. Shaped like a tenant export module run once per tenant."""

from __future__ import annotations


from tests.inventory_helpers import scan_report

ROOT = """\
module "exports" {
  source   = "./modules/export"
  for_each = { for f in fileset(path.module, "tenants/*.yaml") : trimsuffix(basename(f), ".yaml") => f }
  tenant   = each.key
}
"""

MODULE = """\
variable "tenant" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "exports-${var.tenant}"
}

resource "aws_iam_role" "export" {
  name               = "export-${var.tenant}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "export" {
  function_name = "export-${var.tenant}"
  filename      = "${path.module}/export.zip"
  handler       = "export.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.export.arn
  environment {
    variables = {
      BUCKET     = aws_s3_bucket.data.id
      EXPORT_KEY = "exports-${var.tenant}.csv"
    }
  }
}

resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.export.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.data.arn
}

resource "aws_s3_bucket_notification" "incoming" {
  bucket = aws_s3_bucket.data.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.export.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "incoming/"
  }
}
"""

HANDLER = """\
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    rows = [record["s3"]["object"]["key"] for record in event["Records"]]
    s3.put_object(Bucket=os.environ["BUCKET"], Key=os.environ["EXPORT_KEY"], Body="\\n".join(rows))
"""


def test_a_partly_known_key_outside_the_triggers_prefix_is_no_loop(tmp_path):
    files = {"main.tf": ROOT, "tenants/acme.yaml": "plan: gold\n", "modules/export/main.tf": MODULE,
             "modules/export/export.py": HANDLER}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    report = scan_report(tmp_path, "2026-12-08")
    loops = {(finding["rule_id"], finding["severity"]) for finding in report["findings"]
             if finding["rule_id"].startswith("LR20")}
    assert loops == {("LR203", "notice")}
    safe = next(finding for finding in report["findings"] if finding["rule_id"] == "LR203")
    assert "every key it writes starts with `exports-`" in safe["message"]
