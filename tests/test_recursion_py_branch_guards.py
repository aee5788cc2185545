"""The Python counterpart of `test_recursion_js_branch_guards.py`: a poller sends itself a delayed
check message through a helper it calls twice, for the message another system sends (a condition
on its `source` that the poller's own messages fail) and, for its own check, only while a time
limit allows. Each call is bounded, so the loop is a warning naming the limit; one more call with
no condition, or a first call whose condition the poller's own messages pass, keeps the error."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ExportQueue:
    Type: AWS::SQS::Queue
  Poller:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: python3.13
      Environment:
        Variables:
          QUEUE_URL: !Ref ExportQueue
      Events:
        Checks:
          Type: SQS
          Properties:
            Queue: !GetAtt ExportQueue.Arn
"""

HANDLER = """import json
import os
import time

import boto3

sqs = boto3.client("sqs")
MAX_WAIT_SECONDS = 3600


def check_later(job_id, requested_at):
    sqs.send_message(
        QueueUrl=os.environ["QUEUE_URL"],
        DelaySeconds=60,
        MessageBody=json.dumps({"source": "poller", "kind": "check", "job": job_id, "requested_at": requested_at}),
    )


def handler(event, context):
    message = json.loads(event["Records"][0]["body"])
    if %s:
        check_later(message["job"], message["time"])
    elif message["source"] == "poller" and message["kind"] == "check":
        waited = time.time() - message["requested_at"]
        if waited < MAX_WAIT_SECONDS:
            check_later(message["job"], message["requested_at"])%s
"""

PARTNER = 'message["source"] == "partner" and message["kind"] == "export_requested"'


def loop_findings(root: Path, partner: str = PARTNER, extra: str = "") -> list[dict]:
    (root / "src").mkdir()
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "app.py").write_text(HANDLER % (partner, extra))
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_helper_called_for_others_messages_and_behind_a_time_limit_is_a_warning(tmp_path):
    [finding] = loop_findings(tmp_path)
    assert (finding["rule_id"], finding["severity"], finding["line"]) == ("LR201", "warning", 12)
    assert "a condition at `src/app.py:25`" in finding["message"]


def test_one_more_call_with_no_condition_stays_an_error(tmp_path):
    [finding] = loop_findings(tmp_path, extra='\n    check_later(message["job"], message["time"])')
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")


def test_a_call_whose_condition_the_own_messages_pass_stays_an_error(tmp_path):
    [finding] = loop_findings(tmp_path, partner='message["source"] == "poller" and not message.get("job")')
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")
