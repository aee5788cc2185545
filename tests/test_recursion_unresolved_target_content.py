"""A write whose target static reading cannot follow (a bucket or bus name a config helper reads
from the environment at run time) to the service that triggers its function: what it writes can
still settle the question. An event whose source the rule's pattern refuses, or an object outside
the trigger's key filter, invokes the trigger on no resource, so there is nothing to report; what
the trigger would accept keeps LR204."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

BUS_SERVICE = """service: ledger
provider:
  name: aws
  runtime: nodejs22.x
functions:
  assignBadge:
    handler: src/assign.main
    events:
      - eventBridge:
          eventBus: ${ssm:/ledger/bus/arn}
          pattern:
            source:
              - accounts
            detail-type:
              - ACCOUNT_OPENED
"""

PUBLISHER = """import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { readSettings } from './settings'

const { BUS_NAME } = readSettings()
const BADGE_SOURCE = '%s'

export const main = async (event: { detail: { id: string } }) => {
  const client = new EventBridgeClient({})
  const entry = {
    EventBusName: BUS_NAME,
    Source: BADGE_SOURCE,
    DetailType: 'ACCOUNT_OPENED',
    Detail: JSON.stringify({ id: event.detail.id }),
  }
  await client.send(new PutEventsCommand({ Entries: [entry] }))
}
"""

BUCKET_SERVICE = """service: gallery
provider:
  name: aws
  runtime: nodejs22.x
functions:
  thumbnail:
    handler: src/thumbnail.main
    events:
      - s3:
          bucket: ${ssm:/gallery/bucket}
          event: s3:ObjectCreated:*
          existing: true
          rules:
            - prefix: %s
"""

THUMBNAILER = """import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3'
import { loadConfig } from './config'

const s3 = new S3Client({})
const { OUTPUT_BUCKET } = loadConfig()

export const main = async (event: { Records: { s3: { object: { key: string } } }[] }) => {
  for (const record of event.Records) {
    const name = record.s3.object.key.split('/').pop()
    await s3.send(new PutObjectCommand({ Bucket: OUTPUT_BUCKET, Key: `thumbnails/${name}`, Body: 'x' }))
  }
}
"""


def loop_findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def bus_service(root: Path, source: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "serverless.yml").write_text(BUS_SERVICE)
    (root / "src" / "settings.ts").write_text(
        "export const readSettings = () => ({ BUS_NAME: process.env.BUS_NAME })\n")
    (root / "src" / "assign.ts").write_text(PUBLISHER % source)
    return root


def bucket_service(root: Path, prefix: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "serverless.yml").write_text(BUCKET_SERVICE % prefix)
    (root / "src" / "config.ts").write_text(
        "export const loadConfig = () => ({ OUTPUT_BUCKET: process.env.OUTPUT_BUCKET })\n")
    (root / "src" / "thumbnail.ts").write_text(THUMBNAILER)
    return root


def test_an_event_source_the_rule_refuses_clears_a_write_to_an_unknown_bus(tmp_path):
    assert loop_findings(bus_service(tmp_path, "ledger.badges")) == []


def test_an_event_the_rule_accepts_on_an_unknown_bus_stays_unresolved(tmp_path):
    [finding] = loop_findings(bus_service(tmp_path, "accounts"))
    assert finding["rule_id"] == "LR204"
    assert "the EventBridge bus the write targets" in finding["message"]


def test_a_key_outside_the_prefix_clears_a_write_to_an_unknown_bucket(tmp_path):
    assert loop_findings(bucket_service(tmp_path, "uploads/")) == []


def test_a_key_inside_the_prefix_on_an_unknown_bucket_stays_unresolved(tmp_path):
    [finding] = loop_findings(bucket_service(tmp_path, "thumbnails/"))
    assert finding["rule_id"] == "LR204"
    assert "the S3 bucket the write targets" in finding["message"]
