"""Loops through a direct Lambda invoke of another function: the invoking function is named by the
other's environment (`!Ref Worker` in a template, `worker.functionName` in a CDK app), and a cycle
one of whose steps is such an invoke is reported like any other (LR205), not a stopped check."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

RULES = ("LR200", "LR201", "LR205", "LR900")

# Invokes the function its environment names, asynchronously, for every message of its queue.
DISPATCH = """import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";

const target = process.env.TARGET_FUNCTION;
const lambda = new LambdaClient({});

export const handler = async (event: any) => {
  const request = { FunctionName: target, InvocationType: "Event" };
  await lambda.send(new InvokeCommand(request));
  return { ok: true };
};
"""

# Sends a message to the queue its environment names.
ENQUEUE = """import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const handler = async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_URL, MessageBody: "next" }));
};
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in RULES]


def test_a_cycle_through_an_invoke_is_reported_not_a_stopped_check(tmp_path):
    root = _write(tmp_path, {
        "template.yaml": (
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  Jobs:\n"
            "    Type: AWS::SQS::Queue\n"
            "  Dispatcher:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: nodejs22.x\n"
            "      CodeUri: src/\n"
            "      Handler: dispatch.handler\n"
            "      Environment:\n"
            "        Variables:\n"
            "          TARGET_FUNCTION: !Ref Enqueuer\n"
            "      Events:\n"
            "        Queue:\n"
            "          Type: SQS\n"
            "          Properties:\n"
            "            Queue: !GetAtt Jobs.Arn\n"
            "  Enqueuer:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: nodejs22.x\n"
            "      CodeUri: src/\n"
            "      Handler: enqueue.handler\n"
            "      Environment:\n"
            "        Variables:\n"
            "          JOBS_URL: !Ref Jobs\n"),
        "src/dispatch.ts": DISPATCH,
        "src/enqueue.ts": ENQUEUE,
    })
    findings = _findings(root)
    assert [(f["rule_id"], f["severity"], f["function"]) for f in findings] == [("LR205", "error", "Dispatcher")]
    assert "`Dispatcher` invokes `Enqueuer` (`lambda.send(InvokeCommand)` at `src/dispatch.ts:8`)" \
        in findings[0]["message"]
