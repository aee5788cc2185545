"""A Node handler that looks its queue's URL up by name before sending to it, in a helper module:
`const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.OUTBOX_QUEUE }))`
(SDK v3) or `(await sqs.getQueueUrl({ QueueName }).promise()).QueueUrl` (v2). The answer's URL is
the URL of the queue so named, as for Python's `get_queue_url`: the write to the queue that
triggers the function is a loop, where it was an LR204 ("a value read at run time")."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SERVICE = """service: mailer
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    OUTBOX_QUEUE: %s
functions:
  deliver:
    handler: src/deliver.handler
    events:
      - sqs:
          arn: !GetAtt Outbox.Arn
resources:
  Resources:
    Outbox:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: mailer-outbox
"""

V3_OUTBOX = """import { SQSClient, GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
const sqs = new SQSClient({})
export async function enqueue(body: string): Promise<void> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.OUTBOX_QUEUE }))
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, DelaySeconds: 60 }))
}
"""

V2_OUTBOX = """import { SQS } from 'aws-sdk'
const sqs = new SQS()
export async function enqueue(body: string): Promise<void> {
  const answer = await sqs.getQueueUrl({ QueueName: process.env.OUTBOX_QUEUE as string }).promise()
  await sqs.sendMessage({ QueueUrl: answer.QueueUrl as string, MessageBody: body }).promise()
}
"""

HANDLER = """import type { SQSEvent } from 'aws-lambda'
import { enqueue } from './lib/outbox'
export const handler = async (event: SQSEvent) => {
  for (const record of event.Records) {
    const sent = await fetch('https://mail.example/send', { method: 'POST', body: record.body })
    if (!sent.ok) {
      await enqueue(record.body)
    }
  }
}
"""


def loop_findings(root: Path, outbox: str, queue: str) -> list[dict]:
    (root / "src" / "lib").mkdir(parents=True)
    (root / "serverless.yml").write_text(SERVICE % queue)
    (root / "src" / "lib" / "outbox.ts").write_text(outbox)
    (root / "src" / "deliver.ts").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_v3_lookup_of_the_triggering_queue_is_a_loop(tmp_path):
    [finding] = loop_findings(tmp_path, V3_OUTBOX, "mailer-outbox")
    assert finding["rule_id"] == "LR201"
    assert "named by environment variable `OUTBOX_QUEUE`" in finding["message"]


def test_a_v2_lookup_of_the_triggering_queue_is_a_loop(tmp_path):
    [finding] = loop_findings(tmp_path, V2_OUTBOX, "mailer-outbox")
    assert finding["rule_id"] == "LR201"


def test_a_lookup_of_another_queue_is_none(tmp_path):
    assert loop_findings(tmp_path, V3_OUTBOX, "mailer-archive") == []
