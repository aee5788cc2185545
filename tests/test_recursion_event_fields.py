"""A Node.js handler that re-emits its EventBridge event after setting its `source`: the value it
set is what goes on the bus, so a rule that listens for the old source is not invoked again
(`reviewer.code.javascript_callers.overwritten_event_field`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Enricher:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Placed:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [shop.orders]
              detail-type: [OrderPlaced]
"""

BUS = """const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const client = new EventBridgeClient({});
const publish = async (appEvent) => {
  await client.send(new PutEventsCommand({ Entries: [{
    Source: appEvent.source, DetailType: appEvent['detail-type'], Detail: JSON.stringify(appEvent.detail) }] }));
};
module.exports = { publish };
"""


def loop_findings(root: Path, handler: str) -> list[dict]:
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "bus.js").write_text(BUS)
    (root / "src" / "index.js").write_text("const { publish } = require('./bus');\n" + handler)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_source_set_before_the_helper_call_is_the_source_put_on_the_bus(tmp_path):
    handler = ("exports.handler = async (event) => {\n  event.detail.total = 1;\n"
               "  try {\n    event.source = 'shop.enriched';\n    await publish(event);\n  } catch (err) {}\n};\n")
    assert loop_findings(tmp_path, handler) == []


def test_a_source_set_that_still_matches_names_the_set_value(tmp_path):
    handler = "exports.handler = async (event) => {\n  event.source = 'shop.orders';\n  await publish(event);\n};\n"
    [finding] = loop_findings(tmp_path, handler)
    assert finding["rule_id"] == "LR201"
    assert "source `'shop.orders'`" in finding["message"]


def test_a_source_set_after_the_call_or_under_a_condition_leaves_the_loop(tmp_path):
    after = "exports.handler = async (event) => {\n  await publish(event);\n  event.source = 'shop.enriched';\n};\n"
    assert [f["rule_id"] for f in loop_findings(tmp_path / "after", after)] == ["LR201"]
    maybe = ("exports.handler = async (event) => {\n  if (event.detail.total) { event.source = 'shop.enriched'; }\n"
             "  await publish(event);\n};\n")
    assert [f["rule_id"] for f in loop_findings(tmp_path / "maybe", maybe)] == ["LR201"]


def test_a_re_emitted_source_is_said_to_come_from_the_received_event(tmp_path):
    """Not "source `event field source`": the handler passes on what it received."""
    after = "exports.handler = async (event) => {\n  await publish(event);\n};\n"
    [finding] = loop_findings(tmp_path, after)
    message = " ".join(finding["message"].split())
    assert "source taken from the received event's `source`" in message, message
    assert "detail-type taken from the received event's `detail-type`" in message, message
    assert "event field" not in message
