"""A write whose target is an environment variable the function's configuration does not set,
with an empty fallback in the code (`process.env.RETRY_QUEUE_URL ?? ''`,
`os.environ.get("RETRY_QUEUE_URL", "")`), sends nothing: an empty name is no queue's. Shaped on
terraform-aws-github-runner's control plane, whose shared `publishMessage` helper the scale-up
function reaches with the job-retry function's variable unset: the loop check said it could not
resolve "the name '', which holds an unresolved variable" (LR204), a sentence false twice over."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  JobsQueue:
    Type: AWS::SQS::Queue
  ScaleUp:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {handler}
      Runtime: {runtime}
      Environment:
        Variables:
          LOG_LEVEL: info{extra}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt JobsQueue.Arn
"""

NODE = """const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const retryUrl = process.env.RETRY_QUEUE_URL ?? '';
  if (!retryUrl) { return; }
  for (const record of event.Records) {
    await sqs.send(new SendMessageCommand({ QueueUrl: retryUrl, MessageBody: record.body }));
  }
};
"""

PYTHON = """import os
import boto3

sqs = boto3.client("sqs")


def handler(event, context):
    retry_url = os.environ.get("RETRY_QUEUE_URL", "")
    if not retry_url:
        return
    for record in event["Records"]:
        sqs.send_message(QueueUrl=retry_url, MessageBody=record["body"])
"""


def _loop_findings(root: Path, language: str, extra: str = "") -> list[dict]:
    (root / "src").mkdir(parents=True)
    node = language == "node"
    (root / "src" / ("index.js" if node else "app.py")).write_text(NODE if node else PYTHON)
    (root / "template.yaml").write_text(TEMPLATE.format(
        handler="index.handler" if node else "app.handler", runtime="nodejs22.x" if node else "python3.13",
        extra=extra))
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"].startswith("LR2")]


def test_an_unset_variable_with_an_empty_fallback_names_no_queue(tmp_path):
    for language in ("node", "python"):
        assert _loop_findings(tmp_path / language, language) == [], language


def test_the_same_variable_set_to_the_trigger_is_still_a_loop(tmp_path):
    for language in ("node", "python"):
        found = _loop_findings(tmp_path / language, language, "\n          RETRY_QUEUE_URL: !Ref JobsQueue")
        assert [finding["rule_id"] for finding in found] == ["LR201"], (language, found)


def test_a_variable_set_in_a_form_not_read_is_still_unresolved(tmp_path):
    """An environment the review cannot read whole may set the variable: no fallback is assumed."""
    root = tmp_path / "node"
    found = _loop_findings(root, "node")
    assert found == []
    template = (root / "template.yaml").read_text().replace(
        "        Variables:\n          LOG_LEVEL: info", "        Variables: !If [Prod, {LOG_LEVEL: info}, !Ref Vars]")
    (root / "template.yaml").write_text(template.replace("Resources:", "Conditions:\n  Prod: !Equals [a, b]\n"
                                                                      "Parameters:\n  Vars: {Type: String}\nResources:"))
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    rules = [finding["rule_id"] for finding in json.loads(out.getvalue())["findings"]
             if finding["rule_id"].startswith("LR2")]
    assert rules == ["LR204"], rules
