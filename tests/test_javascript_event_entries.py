"""A Node.js `PutEvents` whose entries are built before the call: mapped from a list
(`chunks.map(c => ({...}))`), pushed in a loop, sent ten at a time (`splice`, `slice`) or handed to a
helper. The entries' `Source` and `DetailType` are judged against the rule that invokes the
function (`reviewer.code.javascript_event_entries`), instead of an unresolved write (LR204)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Converter:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Stored:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [library.uploads]
              detail-type: [FileStored]
"""

# A helper module named after the SDK operation it wraps, as converters often are: the
# `putEvents` of the client is no call of the helper.
BUS = """const AWS = require('aws-sdk');
const bridge = new AWS.EventBridge();
const PER_CALL = 10;
const putEvents = async (message) => {
  let part = 0;
  const pending = message.parts.map((text) => {
    part++;
    return { Detail: JSON.stringify({ text, part }), DetailType: message.DetailType,
             EventBusName: 'default', Source: message.source };
  });
  while (pending.length > 0) {
    await bridge.putEvents({ Entries: pending.splice(0, PER_CALL) }).promise();
  }
};
module.exports = { putEvents };
"""


def loop_findings(root: Path, handler: str, bus: str = BUS) -> list[dict]:
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "bus.js").write_text(bus)
    (root / "src" / "index.js").write_text(handler)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def rules(findings: list[dict]) -> list[str]:
    return sorted(f["rule_id"] for f in findings)


HANDLER = """const { putEvents } = require('./bus');
exports.handler = async (event) => {
  try {
    event.parts = ['a', 'b'];
    event.source = '%s';
    event.DetailType = '%s';
    await (putEvents(event));
  } catch (err) {
    console.error(err);
  }
};
"""


def test_mapped_entries_sent_in_batches_with_a_new_source_are_no_loop(tmp_path):
    assert loop_findings(tmp_path, HANDLER % ("library.converters", "TextReady")) == []


def test_mapped_entries_that_match_the_rule_are_a_loop(tmp_path):
    [finding] = loop_findings(tmp_path, HANDLER % ("library.uploads", "FileStored"))
    assert finding["rule_id"] == "LR201"
    assert "source `'library.uploads'`" in finding["message"]


BRIDGE = "const AWS = require('aws-sdk');\nconst bridge = new AWS.EventBridge();\n"


def test_entries_pushed_in_a_loop_are_judged(tmp_path):
    handler = BRIDGE + """exports.handler = async (event) => {
  const toPut = [];
  for (const item of event.detail.items) {
    toPut.push({ Source: '%s', DetailType: 'ItemSplit', Detail: JSON.stringify(item) });
  }
  await bridge.putEvents({ Entries: toPut }).promise();
};
"""
    assert loop_findings(tmp_path / "other", handler % "library.items") == []
    assert rules(loop_findings(tmp_path / "same", handler.replace("'ItemSplit'", "'FileStored'")
                               % "library.uploads")) == ["LR201"]


def test_entries_mapped_from_records_and_sliced_are_judged(tmp_path):
    handler = BRIDGE + """exports.handler = async (event) => {
  const entries = event.detail.items.map((item) => ({ Source: 'library.uploads', DetailType: 'FileStored',
                                                      Detail: JSON.stringify(item) }));
  for (let i = 0; i < entries.length; i += 10) {
    await bridge.putEvents({ Entries: entries.slice(i, i + 10) }).promise();
  }
};
"""
    assert rules(loop_findings(tmp_path, handler)) == ["LR201"]


def test_a_list_only_partly_followed_still_says_what_it_could_not_resolve(tmp_path):
    handler = BRIDGE + """const { extraEntries } = require('./bus');
exports.handler = async (event) => {
  const toPut = [{ Source: 'library.items', DetailType: 'ItemSplit', Detail: '{}' }];
  toPut.push(...extraEntries(event));
  await bridge.putEvents({ Entries: toPut }).promise();
};
"""
    bus = "module.exports = { extraEntries: (event) => JSON.parse(event.detail.more) };\n"
    assert rules(loop_findings(tmp_path, handler, bus)) == ["LR204"]
