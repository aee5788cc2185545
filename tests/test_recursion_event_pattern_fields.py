"""An event a handler puts on the bus its rule listens to: one pattern field that rules the event
out (a detail-type outside the rule's prefix) settles the question even when another field (a
source read from an environment variable set from a template parameter) cannot be evaluated."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Parameters:
  AppSource:
    Type: String
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: cafe
  Tracker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs22.x
      Environment:
        Variables:
          BUS: !Ref Bus
          APP_SOURCE: !Ref AppSource
      Events:
        Waiting:
          Type: EventBridgeRule
          Properties:
            EventBusName: cafe
            Pattern:
              source:
                - !Ref AppSource
              detail-type:
                - prefix: 'Kitchen.Waiting'
"""


def loop_findings(root: Path, detail_type: str) -> list[dict]:
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "index.js").write_text(
        "const AWS = require('aws-sdk');\nconst bridge = new AWS.EventBridge();\n"
        "exports.handler = async (event) => {\n"
        "  await bridge.putEvents({ Entries: [{ EventBusName: process.env.BUS, Source: process.env.APP_SOURCE,\n"
        f"    DetailType: '{detail_type}', Detail: JSON.stringify(event.detail) }}] }}).promise();\n}};\n")
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_detail_type_outside_the_prefix_rules_out_the_loop_whatever_the_source(tmp_path):
    assert loop_findings(tmp_path, "Counter.Waiting") == []


def test_a_detail_type_inside_the_prefix_leaves_the_unknown_source_said(tmp_path):
    [finding] = loop_findings(tmp_path, "Kitchen.Waiting.Started")
    assert finding["rule_id"] == "LR204"
    assert "the source of the emitted event" in finding["message"]


def test_a_known_detail_type_against_a_pattern_that_cannot_be_read_blames_the_pattern(tmp_path):
    """The handler's value is a constant: what cannot be evaluated is the rule's pattern, and the
    finding says so instead of calling the constant unresolved."""
    root = tmp_path / "pattern"
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE.replace("- prefix: 'Kitchen.Waiting'", "- !Ref AppSource"))
    (root / "src" / "index.js").write_text(
        "const AWS = require('aws-sdk');\nconst bridge = new AWS.EventBridge();\n"
        "exports.handler = async (event) => {\n"
        "  await bridge.putEvents({ Entries: [{ EventBusName: process.env.BUS, Source: 'kitchen',\n"
        "    DetailType: 'Counter.Waiting', Detail: '{}' }] }).promise();\n};\n")
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    [finding] = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]
    message = " ".join(finding["message"].split())
    assert "the source the rule's pattern matches (the emitted event's is `'kitchen'`)" in message, message


def _entry_handler(root: Path, mutation: str) -> list[dict]:
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE.replace("- prefix: 'Kitchen.Waiting'", "- Kitchen.Waiting.Late")
                                        .replace("- !Ref AppSource", "- kitchen"))
    (root / "src" / "index.js").write_text(
        "const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');\n"
        "const client = new EventBridgeClient({});\n"
        "exports.handler = async (event) => {\n"
        "  let entry = { EventBusName: process.env.BUS, Source: 'kitchen', DetailType: 'Kitchen.Waiting.Done',\n"
        "    Detail: '{}' };\n"
        f"  {mutation}\n"
        "  await client.send(new PutEventsCommand({ Entries: [entry] }));\n};\n")
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_an_entry_named_in_the_entries_list_is_read(tmp_path):
    """`Entries: [entry]`: the object the name holds is the event, not "entries built at run time"."""
    assert _entry_handler(tmp_path / "plain", "") == []


def test_a_field_the_handler_sets_on_the_entry_later_is_an_event_it_can_put(tmp_path):
    mutation = "if (event.detail.late) { entry.DetailType = 'Kitchen.Waiting.Late'; }"
    [finding] = _entry_handler(tmp_path / "late", mutation)
    assert finding["rule_id"] == "LR201", finding["message"]
