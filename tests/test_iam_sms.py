"""LR301 on `sns:Publish` with `Resource: "*"` when the code only texts phone numbers.

An SMS publish names no resource, so "name the ARN" cannot be followed; `NotResource` on the
topics' ARNs can. Shapes of real repositories (a Serverless service whose job texts an
administrator through a wrapped SDK; a SAM function that sends a one-time code)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
STAR_PUBLISH = ("      Policies:\n        - Statement:\n            - Effect: Allow\n"
                "              Action: sns:Publish\n              Resource: '*'\n")


def _lr301(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-11-22",
          "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    return [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR301"]


def _sam_python(root: Path, code: str) -> Path:
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text(code)
    (root / "template.yaml").write_text(
        SAM_HEADER + "  Texter:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.13\n      Handler: app.handler\n      CodeUri: src/\n" + STAR_PUBLISH)
    return root


def _serverless_service(root: Path, functions: dict[str, str]) -> Path:
    (root / "libs").mkdir()
    (root / "libs" / "sdk.js").write_text('import aws from "aws-sdk";\nexport default aws;\n')
    service = root / "services" / "jobs"
    service.mkdir(parents=True)
    lines = ["service: jobs", "provider:", "  name: aws", "  runtime: nodejs20.x", "  iamRoleStatements:",
             "    - Effect: Allow", "      Action:", "        - sns:Publish", "      Resource: '*'", "functions:"]
    for name, code in functions.items():
        (service / f"{name}.js").write_text(code)
        lines += [f"  {name}:", f"    handler: {name}.main"]
    (service / "serverless.yml").write_text("\n".join(lines) + "\n")
    return root


TEXT_ADMIN = """import AWS from "../../libs/sdk";
const ADMIN = "+15550100";

export async function main(event) {
  const sns = new AWS.SNS();
  await sns
    .publish({ Message: "charged", PhoneNumber: ADMIN })
    .promise();
  return { ok: true };
}
"""

TO_TOPIC = """import AWS from "../../libs/sdk";

export async function main(event) {
  await new AWS.SNS().publish({ Message: "done", TopicArn: process.env.TOPIC_ARN }).promise();
}
"""


def test_serverless_job_that_only_texts_a_phone_number_is_told_how_to_leave_topics_out(tmp_path):
    root = _serverless_service(tmp_path, {"notify": TEXT_ADMIN})
    [finding] = _lr301(root)
    message = finding["message"]
    assert finding["severity"] == "notice"
    assert "phone number has no ARN" in message and "`services/jobs/notify.js:6`" in message
    assert '`NotResource: "arn:aws:sns:*:*:*"` in place of `Resource: "*"`' in message
    assert "Naming the resource" not in message and "!GetAtt" not in message
    assert finding["related"] == [{"path": "services/jobs/notify.js", "line": 6}]


def test_a_shared_statement_keeps_its_advice_when_another_function_publishes_to_a_topic(tmp_path):
    root = _serverless_service(tmp_path, {"notify": TEXT_ADMIN, "report": TO_TOPIC})
    [finding] = _lr301(root)
    assert finding["severity"] == "warning"
    assert "Naming the resource" in finding["message"] and "phone number" not in finding["message"]


def test_python_sms_one_time_code_is_told_how_to_leave_topics_out(tmp_path):
    root = _sam_python(tmp_path, "import boto3\n\nsns = boto3.client('sns')\n\n\ndef handler(event, context):\n"
                                 "    sns.publish(PhoneNumber=event['phone'], Message='Your code is 1234')\n")
    [finding] = _lr301(root)
    assert finding["severity"] == "notice" and "`src/app.py:7`" in finding["message"]
    assert "`NotResource" in finding["message"]


def test_python_publish_to_a_topic_is_told_to_name_it_and_nothing_about_roles(tmp_path):
    root = _sam_python(tmp_path, "import os\nimport boto3\n\n\ndef handler(event, context):\n"
                                 "    boto3.client('sns').publish(TopicArn=os.environ['TOPIC'], Message='x')\n")
    [finding] = _lr301(root)
    assert finding["severity"] == "warning" and "phone number" not in finding["message"]
    assert "Naming the resource (`!GetAtt Queue.Arn`" in finding["message"]
    # No `iam:PassRole` here: the advice does not talk about passing a role.
    assert "role that may be passed" not in finding["message"]


def test_code_that_is_not_read_keeps_the_ordinary_advice(tmp_path):
    root = _sam_python(tmp_path, "def handler(event, context):\n    return None\n")
    (root / "src" / "app.py").unlink()
    [finding] = _lr301(root)
    assert finding["severity"] == "warning" and "phone number" not in finding["message"]
