"""A JavaScript array keeps what each position holds: a helper taking `...params` and reading them
with `const [id, table, attribute] = params` gets the event's value in `id` only, not in the
constant `attribute` it builds a DynamoDB `KeyConditionExpression` from (NHSDigital/Galleri-Invitations'
`lookUp(dbClient, Appointment.ParticipantID, "Population", "PersonId", "S", false)`, five false
LR306 errors). A rest parameter also gathered only its first argument, so event data passed
after it was not followed at all."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.cli import main

_STACK = """
    resource "aws_s3_bucket" "appointments" {
      bucket = "appointments"
    }

    resource "aws_lambda_function" "validate_appointment" {
      function_name = "validate-appointment"
      role          = "arn:aws:iam::123456789012:role/validate-appointment"
      handler       = "validateAppointment.handler"
      runtime       = "nodejs20.x"
      filename      = data.archive_file.validate_appointment.output_path
    }

    data "archive_file" "validate_appointment" {
      type        = "zip"
      source_dir  = "${path.module}/src/validateAppointment"
      output_path = "${path.module}/build/validateAppointment.zip"
    }

    resource "aws_s3_bucket_notification" "appointments" {
      bucket = aws_s3_bucket.appointments.id
      lambda_function {
        lambda_function_arn = aws_lambda_function.validate_appointment.arn
        events              = ["s3:ObjectCreated:*"]
      }
    }
    """

_HANDLER = """
    import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
    import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";

    const s3 = new S3Client();
    const dbClient = new DynamoDBClient({ region: "eu-west-2" });

    export const handler = async (event) => {
      const bucket = event.Records[0].s3.bucket.name;
      const key = decodeURIComponent(event.Records[0].s3.object.key);
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const { Appointment } = JSON.parse(await response.Body.transformToString());
      const found = await lookUp(dbClient, ARGUMENTS);
      return found.Items.length > 0;
    };

    export const lookUp = async (client, ...params) => {
      const [id, table, attribute, attributeType] = params;
      const values = {};
      values[`:${attribute}`] = { [attributeType]: id };
      return client.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: `${attribute} = :${attribute}`,
        ExpressionAttributeValues: values,
      }));
    };
    """


def _lr306(tmp_path: Path, arguments: str) -> list[dict]:
    (tmp_path / "src" / "validateAppointment").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(textwrap.dedent(_STACK))
    (tmp_path / "src" / "validateAppointment" / "validateAppointment.js").write_text(
        textwrap.dedent(_HANDLER).replace("ARGUMENTS", arguments))
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR306"]


def test_a_constant_attribute_gathered_by_a_rest_parameter_is_no_event_data(tmp_path):
    assert _lr306(tmp_path, 'Appointment.ParticipantID, "Population", "PersonId", "S"') == []


def test_an_attribute_the_event_names_still_reaches_the_key_condition(tmp_path):
    (finding,) = _lr306(tmp_path, 'Appointment.ParticipantID, "Population", Appointment.Field, "S"')
    assert "KeyConditionExpression" in finding["message"]
