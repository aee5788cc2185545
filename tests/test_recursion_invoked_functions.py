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


CDK_STACK = """import * as cdk from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";

export class JobsStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const jobs = new sqs.Queue(this, "Jobs");
    const enqueuer = new nodejs.NodejsFunction(this, "Enqueuer", {
      runtime: lambda.Runtime.NODEJS_22_X,
      entry: "lambda/enqueue.ts",
      environment: { JOBS_URL: jobs.queueUrl },
    });
    jobs.grantSendMessages(enqueuer);
    const dispatcher = new nodejs.NodejsFunction(this, "Dispatcher", {
      runtime: lambda.Runtime.NODEJS_22_X,
      entry: "lambda/dispatch.ts",
    });
    dispatcher.addEnvironment("TARGET_FUNCTION", %(target)s.functionName);
    %(target)s.grantInvoke(dispatcher);
    dispatcher.addEventSource(new SqsEventSource(%(source)s));
  }
}
"""


def _cdk_app(root: Path, target: str, source: str) -> Path:
    return _write(root, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "lib/jobs-stack.ts": CDK_STACK % {"target": target, "source": source},
        "lambda/dispatch.ts": DISPATCH,
        "lambda/enqueue.ts": ENQUEUE,
    })


def test_a_cdk_function_named_by_its_variable_closes_the_cycle(tmp_path):
    findings = _findings(_cdk_app(tmp_path, "enqueuer", "jobs"))
    assert [(f["rule_id"], f["severity"], f["function"]) for f in findings] == [("LR205", "error", "Dispatcher")]
    assert "which triggers `Dispatcher` (`lib/jobs-stack.ts:23`)" in findings[0]["message"]
    assert "`Dispatcher` invokes `Enqueuer`" in findings[0]["message"]


def test_a_cdk_function_that_invokes_itself_through_its_variable(tmp_path):
    findings = _findings(_cdk_app(tmp_path, "dispatcher", "jobs"))
    assert [(f["rule_id"], f["function"]) for f in findings] == [("LR200", "Dispatcher")]


def test_no_cycle_when_the_invoked_function_writes_elsewhere(tmp_path):
    root = _cdk_app(tmp_path, "enqueuer", "new sqs.Queue(this, \"Other\")")
    assert _findings(root) == []
