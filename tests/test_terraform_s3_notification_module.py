"""The `lambda_notifications` of terraform-aws-modules' s3-bucket `notification` submodule are S3
triggers of the function they name.

A thumbnail service built with the serverless.tf modules subscribes its function to its upload
bucket through the notification submodule and writes the thumbnails back into that bucket. The
trigger was not read, so the loop check never saw it; with a prefix filter the writes stay out of,
there is no loop, only the notice that a filter keeps one out.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

_ROOT = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "photo-uploads-example"
}

module "thumbnailer" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "thumbnailer"
  handler       = "app.handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src/thumbnailer"

  environment_variables = {
    BUCKET = aws_s3_bucket.uploads.id
  }
}

module "uploads_notifications" {
  source  = "terraform-aws-modules/s3-bucket/aws//modules/notification"
  version = "~> 4.0"

  bucket = aws_s3_bucket.uploads.id

  lambda_notifications = {
    thumbnailer = {
      function_arn  = module.thumbnailer.lambda_function_arn
      function_name = module.thumbnailer.lambda_function_name
      events        = ["s3:ObjectCreated:*"]%s
    }
  }
}
"""

_HANDLER = """\
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        body = s3.get_object(Bucket=os.environ["BUCKET"], Key=key)["Body"].read()
        s3.put_object(Bucket=os.environ["BUCKET"], Key=f"thumbnails/{key}", Body=body[:1024])
"""


def _scan(root: Path, filters: str) -> dict:
    (root / "main.tf").write_text(_ROOT % filters)
    (root / "src" / "thumbnailer").mkdir(parents=True)
    (root / "src" / "thumbnailer" / "app.py").write_text(_HANDLER)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())


def test_a_function_writing_back_to_the_bucket_the_notification_module_subscribes_it_to_loops(tmp_path):
    report = _scan(tmp_path, "")
    loops = [finding for finding in report["findings"] if finding["rule_id"] == "LR201"]
    assert [(finding["path"], finding["line"]) for finding in loops] == [("src/thumbnailer/app.py", 12)]
    assert "`module.uploads_notifications lambda_notifications.thumbnailer` at `main.tf:30`" in loops[0]["message"]


def test_a_prefix_filter_the_writes_stay_out_of_is_no_loop(tmp_path):
    report = _scan(tmp_path, '\n      filter_prefix = "incoming/"')
    assert [(finding["rule_id"], finding["severity"]) for finding in report["findings"]
            if finding["rule_id"].startswith("LR20")] == [("LR203", "notice")]
    assert any(finding["rule_id"] == "LR401" and "S3 notification" in finding["message"]
               for finding in report["findings"])
