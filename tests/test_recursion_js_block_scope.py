"""A `const` or `let` is local to its block: an S3-triggered Node.js handler that, in one branch,
writes `const key = "invalidData/..."` over its own `key` (the triggering object's) writes that
new key there, which a trigger filtered to another prefix never sees (NHSDigital/Galleri-Invitations'
clinic upload handlers). Both bindings were taken as the write's key, so the event's key made it
an LR201 error."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from reviewer.cli import main

_STACK = """
    resource "aws_s3_bucket" "clinic_data" {
      bucket = "clinic-data"
    }

    resource "aws_lambda_function" "upload_clinic_data" {
      function_name = "upload-clinic-data"
      role          = "arn:aws:iam::123456789012:role/upload-clinic-data"
      handler       = "uploadClinicData.handler"
      runtime       = "nodejs20.x"
      filename      = data.archive_file.upload_clinic_data.output_path
    }

    data "archive_file" "upload_clinic_data" {
      type        = "zip"
      source_dir  = "${path.module}/src/uploadClinicData"
      output_path = "${path.module}/build/uploadClinicData.zip"
    }

    resource "aws_s3_bucket_notification" "clinic_data" {
      bucket = aws_s3_bucket.clinic_data.id
      lambda_function {
        lambda_function_arn = aws_lambda_function.upload_clinic_data.arn
        events              = ["s3:ObjectCreated:*"]
        filter_prefix       = "validRecords/clinic_"
      }
    }
    """

_HANDLER = """
    import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

    const s3 = new S3Client();

    export const handler = async (event) => {
      const bucket = event.Records[0].s3.bucket.name;
      const key = decodeURIComponent(event.Records[0].s3.object.key.replace(/\\+/g, " "));
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await response.Body.transformToString();
      if (!saveClinic(JSON.parse(body))) {
        DECLARATION
        await pushToS3(bucket, body, key, s3);
      }
    };

    const saveClinic = (clinic) => Boolean(clinic.ClinicID);

    export const pushToS3 = async (bucketName, body, key, client) => {
      return client.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body }));
    };
    """


def _loop_findings(tmp_path: Path, declaration: str) -> set[tuple[str, str]]:
    (tmp_path / "src" / "uploadClinicData").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(textwrap.dedent(_STACK))
    (tmp_path / "src" / "uploadClinicData" / "uploadClinicData.js").write_text(
        textwrap.dedent(_HANDLER).replace("DECLARATION", declaration))
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return {(f["rule_id"], f["severity"]) for f in json.loads(out.getvalue())["findings"]
            if f["rule_id"].startswith("LR20")}


@pytest.mark.parametrize("declaration", [
    "const key = `invalidData/invalidRecord_${Date.now()}.json`;",
    "let key = `invalidData/invalidRecord_${Date.now()}.json`;",
])
def test_a_key_declared_in_the_branch_is_the_one_written_and_the_prefix_filter_excludes_it(tmp_path, declaration):
    assert ("LR201", "error") not in _loop_findings(tmp_path, declaration)


def test_without_its_own_declaration_the_branch_writes_the_triggering_key_back(tmp_path):
    assert ("LR201", "error") in _loop_findings(tmp_path, "const reason = 'invalid';")
