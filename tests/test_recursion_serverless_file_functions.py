"""A Serverless function declared in another file (`functions: ${file(./config/functions.yml)}`)
whose trigger names a queue of the service's `resources:` (`!GetAtt Outbox.Arn`) and whose code
sends to that queue by its name or URL. The trigger's reference was looked up in the functions
file, which declares no resource, so the queue's name was never known and the write to it was
taken for a write elsewhere: no finding at all for a loop."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SERVICE = """service: mailer
frameworkVersion: '4'
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    OUTBOX_URL: https://sqs.eu-west-1.amazonaws.com/123456789012/mailer-outbox
functions: ${file(./config/functions.yml)}
resources:
  Resources:
    Outbox:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: %s
"""

FUNCTIONS = """deliver:
  handler: src/deliver.handler
  events:
    - sqs:
        arn: !GetAtt Outbox.Arn
"""

HANDLER = """const AWS = require('aws-sdk');
const sqs = new AWS.SQS();
exports.handler = async (event) => {
  for (const record of event.Records) {
    const sent = await fetch('https://mail.example/send', { method: 'POST', body: record.body });
    if (!sent.ok) {
      await sqs.sendMessage({ QueueUrl: process.env.OUTBOX_URL, MessageBody: record.body, DelaySeconds: 60 }).promise();
    }
  }
};
"""


def loop_findings(root: Path, queue_name: str) -> list[dict]:
    (root / "config").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "serverless.yml").write_text(SERVICE % queue_name)
    (root / "config" / "functions.yml").write_text(FUNCTIONS)
    (root / "src" / "deliver.js").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_write_to_the_queue_of_the_services_resources_is_a_loop(tmp_path):
    [finding] = loop_findings(tmp_path, "mailer-outbox")
    assert finding["rule_id"] == "LR201"
    assert "the SQS queue `Outbox`" in finding["message"]
    assert finding["path"] == "src/deliver.js"


def test_a_write_to_another_queue_is_none(tmp_path):
    assert loop_findings(tmp_path, "mailer-inbox") == []
