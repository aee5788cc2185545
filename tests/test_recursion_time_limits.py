"""A poller that sends its check message back to its own queue until a time limit runs out
(`if elapsed < TIMEOUT_SECONDS`, `if (elapsed < deadlineSeconds)`, widdix/aws-cf-templates' ECS
drain function's `actionDuration < drainingTimeout`): the limit can stop the loop, so it is a
warning naming that condition, in Python as in Node.js, not an error saying the loop runs until
someone stops it. The same send with no condition stays an error."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ChecksQueue:
    Type: AWS::SQS::Queue
  Poller:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: %s
      Environment:
        Variables:
          QUEUE_URL: !Ref ChecksQueue
      Events:
        Checks:
          Type: SQS
          Properties:
            Queue: !GetAtt ChecksQueue.Arn
"""

PYTHON = """import json
import os
import time

import boto3

sqs = boto3.client("sqs")
TIMEOUT_SECONDS = 900


def handler(event, context):
    for record in event["Records"]:
        check = json.loads(record["body"])
        elapsed = time.time() - check["started"]
        %s
            sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=record["body"], DelaySeconds=60)
"""

NODE = """const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
const deadlineSeconds = 900;

exports.handler = async (event) => {
  for (const record of event.Records) {
    const check = JSON.parse(record.body);
    const elapsed = (Date.now() - check.started) / 1000;
    %s {
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: record.body }));
    }
  }
};
"""

CASES = {
    "python": ("python3.13", "app.py", PYTHON, "if elapsed < TIMEOUT_SECONDS:", "if True:", 15),
    "node": ("nodejs22.x", "app.js", NODE, "if (elapsed < deadlineSeconds)", "if (check.started)", 9),
}


def loop_finding(root: Path, language: str, bounded: bool) -> dict:
    runtime, name, code, limit, other, _ = CASES[language]
    (root / "src").mkdir()
    (root / "template.yaml").write_text(TEMPLATE % runtime)
    (root / "src" / name).write_text(code % (limit if bounded else other))
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    [finding] = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]
    return finding


@pytest.mark.parametrize("language", sorted(CASES))
def test_a_poll_bounded_by_a_time_limit_is_a_warning_naming_the_limit(tmp_path, language):
    finding = loop_finding(tmp_path, language, bounded=True)
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "warning")
    assert f"a condition at `src/{CASES[language][1]}:{CASES[language][5]}`" in finding["message"]


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_same_send_with_no_limit_stays_an_error(tmp_path, language):
    finding = loop_finding(tmp_path, language, bounded=False)
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")
