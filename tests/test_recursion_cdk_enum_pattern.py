"""A TypeScript CDK rule whose pattern names its source and detail-type through an `enum` (declared
in the stack's file, or exported by another module of the repository): the members' strings are the
pattern, so the loop check compares them with what the handler puts on the bus instead of saying
it could not tell."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

EVENTS = """export enum AuditEvents {
  SOURCE = "audit.service",
  CHECKED = "Audit.Checked",
}
"""

STACK = """import { Stack } from "aws-cdk-lib";
import { Function, Runtime, Code } from "aws-cdk-lib/aws-lambda";
import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
IMPORT

export class Audit extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const bus = new EventBus(this, "Bus");
    const checker = new Function(this, "Checker", {
      runtime: Runtime.NODEJS_22_X,
      handler: "check.handler",
      code: Code.fromAsset("handlers"),
      environment: { BUS_NAME: bus.eventBusName },
    });
    new Rule(this, "CheckRule", {
      eventBus: bus,
      eventPattern: { source: [AuditEvents.SOURCE], detailType: [AuditEvents.CHECKED] },
      targets: [new LambdaFunction(checker)],
    });
  }
}
"""


def loop_findings(root: Path, local: bool, source: str) -> list[dict]:
    (root / "lib").mkdir(parents=True)
    (root / "handlers").mkdir()
    stack = STACK.replace("IMPORT", EVENTS.replace("export ", "") if local else
                          'import { AuditEvents } from "./audit-events";')
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (root / "lib" / "audit-stack.ts").write_text(stack)
    if not local:
        (root / "lib" / "audit-events.ts").write_text(EVENTS)
    (root / "handlers" / "check.js").write_text(
        "const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');\n"
        "const client = new EventBridgeClient({});\nexports.handler = async (event) => {\n"
        "  await client.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.BUS_NAME,\n"
        f"    Source: '{source}', DetailType: 'Audit.Checked', Detail: '{{}}' }}] }}));\n}};\n")
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_an_imported_enum_source_that_differs_rules_out_the_loop(tmp_path):
    assert loop_findings(tmp_path, local=False, source="report.service") == []


def test_an_imported_enum_source_that_matches_is_a_loop(tmp_path):
    [finding] = loop_findings(tmp_path, local=False, source="audit.service")
    assert finding["rule_id"] == "LR201", finding["message"]


def test_an_enum_declared_in_the_stack_file_is_read_too(tmp_path):
    assert loop_findings(tmp_path / "other", local=True, source="report.service") == []
    [finding] = loop_findings(tmp_path / "same", local=True, source="audit.service")
    assert finding["rule_id"] == "LR201", finding["message"]
