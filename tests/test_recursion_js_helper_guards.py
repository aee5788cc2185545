"""A Node handler that retries a delivery by sending the message back to its own queue through a
helper module, only while a counter allows (`if (attempt < 3) await requeue(...)`): the condition
around the helper's one call can stop the loop, as one around the write itself can, so the loop
is a warning that names that condition in the handler's file, not an error saying it runs until
someone stops it. A helper also called without the condition keeps the error."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SERVICE = """service: courier
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    RETRY_QUEUE_URL: !Ref Deliveries
functions:
  deliver:
    handler: src/deliver.handler
    events:
      - sqs:
          arn: !GetAtt Deliveries.Arn
resources:
  Resources:
    Deliveries:
      Type: AWS::SQS::Queue
"""

RETRY = """const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.requeue = async (body, attempt) => {
  await sqs.send(new SendMessageCommand({
    QueueUrl: process.env.RETRY_QUEUE_URL,
    MessageBody: body,
    MessageAttributes: { attempt: { DataType: 'Number', StringValue: String(attempt) } },
  }));
};
"""

HANDLER = """const { requeue } = require('./lib/retry');
exports.handler = async (event) => {
  for (const record of event.Records) {
    const attempt = Number(record.messageAttributes.attempt?.stringValue ?? '0');
    const sent = await fetch('https://courier.example/send', { method: 'POST', body: record.body });
    if (!sent.ok && attempt < 3) {
      await requeue(record.body, attempt + 1);
    }%s
  }
};
"""


def loop_findings(root: Path, extra: str = "") -> list[dict]:
    (root / "src" / "lib").mkdir(parents=True)
    (root / "serverless.yml").write_text(SERVICE)
    (root / "src" / "lib" / "retry.js").write_text(RETRY)
    (root / "src" / "deliver.js").write_text(HANDLER % extra)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_counter_around_the_helpers_one_call_makes_the_loop_a_warning(tmp_path):
    [finding] = loop_findings(tmp_path)
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "warning")
    assert finding["path"] == "src/lib/retry.js"
    assert "a condition at `src/deliver.js:6`" in finding["message"]


def test_a_helper_also_called_without_the_counter_stays_an_error(tmp_path):
    [finding] = loop_findings(tmp_path, "\n    await requeue(record.body, 0);")
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")
