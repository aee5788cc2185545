"""An S3 trigger module that declares both the invoke permission and the bucket's notification for
a bucket another module makes (NHSDigital/Galleri-Invitations' `modules/lambda_trigger`, called with
`bucket_arn = module.clinic_data_bucket.bucket_arn`): the permission's `source_arn` names the same
bucket the notification does, module path and all. It was read without the path, as a bucket of
its own whose notification was "configured elsewhere", so a write the notification's prefix
filter keeps out was still an LR201 warning."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.cli import main

_FILES = {
    "terraform/modules/bucket/main.tf": """
        resource "aws_s3_bucket" "bucket" {
          bucket = var.bucket_name
        }
        variable "bucket_name" {}
        output "bucket_id" {
          value = aws_s3_bucket.bucket.id
        }
        output "bucket_arn" {
          value = aws_s3_bucket.bucket.arn
        }
        """,
    "terraform/modules/lambda_trigger/main.tf": """
        resource "aws_lambda_permission" "allow_bucket" {
          action        = "lambda:InvokeFunction"
          function_name = var.lambda_arn
          principal     = "s3.amazonaws.com"
          source_arn    = var.bucket_arn
        }

        resource "aws_s3_bucket_notification" "bucket_notification" {
          bucket = var.bucket_id
          lambda_function {
            lambda_function_arn = var.lambda_arn
            events              = ["s3:ObjectCreated:*"]
            filter_prefix       = var.filter_prefix
          }
          depends_on = [aws_lambda_permission.allow_bucket]
        }

        variable "lambda_arn" {}
        variable "bucket_id" {}
        variable "bucket_arn" {}
        variable "filter_prefix" {}
        """,
    "terraform/main.tf": """
        module "clinic_data_bucket" {
          source      = "./modules/bucket"
          bucket_name = "inbound-clinic-data"
        }

        data "archive_file" "validate_clinic" {
          type        = "zip"
          source_dir  = "${path.module}/src/validateClinic"
          output_path = "${path.module}/build/validateClinic.zip"
        }

        resource "aws_lambda_function" "validate_clinic" {
          function_name = "validate-clinic"
          role          = "arn:aws:iam::123456789012:role/validate-clinic"
          handler       = "validateClinic.handler"
          runtime       = "nodejs20.x"
          filename      = data.archive_file.validate_clinic.output_path
        }

        module "validate_clinic_trigger" {
          source        = "./modules/lambda_trigger"
          lambda_arn    = aws_lambda_function.validate_clinic.arn
          bucket_id     = module.clinic_data_bucket.bucket_id
          bucket_arn    = module.clinic_data_bucket.bucket_arn
          filter_prefix = "clinic_create_or_update_"
        }
        """,
    "terraform/src/validateClinic/validateClinic.js": """
        import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

        const s3 = new S3Client();

        export const handler = async (event) => {
          const bucket = event.Records[0].s3.bucket.name;
          const key = event.Records[0].s3.object.key;
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `validRecords/${key}`, Body: "{}" }));
        };
        """,
}


def test_a_trigger_modules_permission_is_the_notification_it_declares_beside_it(tmp_path: Path):
    for rel, text in _FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    loops = [(f["rule_id"], f["severity"]) for f in json.loads(out.getvalue())["findings"]
             if f["rule_id"] in ("LR201", "LR204")]
    assert loops == []
