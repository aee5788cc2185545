"""CDK topics and buckets that pass their events on to a queue or topic (`SqsSubscription`,
`SqsDestination`, `SnsDestination`): a function that writes to the topic or bucket and consumes
the queue is in a loop through the second service, as in a template's or Terraform's."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

RULES = ("LR201", "LR203", "LR204", "LR205", "LR900")

# Publishes to the topic its environment names, for every message of its queue.
PUBLISH = """import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";

const sns = new SNSClient({});

export const handler = async (event: any) => {
  for (const record of event.Records) {
    await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: record.body }));
  }
};
"""

# Writes a report under reports/ to the bucket its environment names.
REPORT = """import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const s3 = new S3Client({});

export const handler = async (event: any) => {
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: "reports/latest.json", Body: "{}" }));
};
"""

STACK = """import * as cdk from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";

export class FanOutStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const inbox = new sqs.Queue(this, "Inbox");
    const updates = new sns.Topic(this, "Updates");
    updates.addSubscription(new subscriptions.SqsSubscription(inbox%(policy)s));
    const relay = new lambda.Function(this, "Relay", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "publish.handler",
      code: lambda.Code.fromAsset("functions"),
      environment: { TOPIC_ARN: updates.topicArn },
    });
    relay.addEventSource(new SqsEventSource(inbox));

    const uploads = new s3.Bucket(this, "Uploads");
    const reports = new sqs.Queue(this, "Reports");
    uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(reports)%(filter)s);
    const reporter = new lambda.Function(this, "Reporter", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "report.handler",
      code: lambda.Code.fromAsset("functions"),
      environment: { BUCKET: uploads.bucketName },
    });
    reporter.addEventSource(new SqsEventSource(reports));
  }
}
"""


def _verdicts(root: Path, files: dict[str, str]) -> set[tuple[str, str, str | None]]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    return {(f["rule_id"], f["severity"], f["function"])
            for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in RULES}


def _app(policy: str = "", key_filter: str = "") -> dict[str, str]:
    return {"cdk.json": '{"app": "npx ts-node bin/app.ts"}',
            "lib/fan-out-stack.ts": STACK % {"policy": policy, "filter": key_filter},
            "functions/publish.ts": PUBLISH, "functions/report.ts": REPORT}


def test_typescript_topic_to_queue_and_bucket_to_queue_are_loops(tmp_path):
    assert _verdicts(tmp_path, _app()) == {("LR201", "error", "Relay"), ("LR201", "error", "Reporter")}


def test_typescript_filters_on_the_way_are_judged(tmp_path):
    found = _verdicts(tmp_path, _app(
        policy=", { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['new'] }) } }",
        key_filter=", { prefix: 'incoming/' }"))
    # a filter policy static reading does not evaluate: the loop may be stopped by it
    assert found == {("LR201", "warning", "Relay"), ("LR203", "notice", "Reporter")}


def test_python_subscriptions_and_destinations(tmp_path):
    stack = (
        "from aws_cdk import Stack, aws_lambda as _lambda, aws_s3 as s3, aws_s3_notifications as s3n\n"
        "from aws_cdk import aws_sns as sns, aws_sns_subscriptions as subs, aws_sqs as sqs\n"
        "from aws_cdk.aws_lambda_event_sources import SqsEventSource\n\n\n"
        "class FanOutStack(Stack):\n"
        "    def __init__(self, scope, construct_id):\n"
        "        super().__init__(scope, construct_id)\n"
        "        inbox = sqs.Queue(self, 'Inbox')\n"
        "        updates = sns.Topic(self, 'Updates')\n"
        "        updates.add_subscription(subs.SqsSubscription(inbox))\n"
        "        relay = _lambda.Function(self, 'Relay', runtime=_lambda.Runtime.NODEJS_22_X,\n"
        "            handler='publish.handler', code=_lambda.Code.from_asset('functions'),\n"
        "            environment={'TOPIC_ARN': updates.topic_arn})\n"
        "        relay.add_event_source(SqsEventSource(inbox))\n"
        "        uploads = s3.Bucket(self, 'Uploads')\n"
        "        reports = sqs.Queue(self, 'Reports')\n"
        "        uploads.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.SqsDestination(reports),\n"
        "            s3.NotificationKeyFilter(prefix='reports/'))\n"
        "        reporter = _lambda.Function(self, 'Reporter', runtime=_lambda.Runtime.NODEJS_22_X,\n"
        "            handler='report.handler', code=_lambda.Code.from_asset('functions'),\n"
        "            environment={'BUCKET': uploads.bucket_name})\n"
        "        reporter.add_event_source(SqsEventSource(reports))\n")
    assert _verdicts(tmp_path, {"cdk.json": '{"app": "python3 app.py"}', "fan_out/stack.py": stack,
                                "functions/publish.ts": PUBLISH, "functions/report.ts": REPORT}) == {
        ("LR201", "error", "Relay"), ("LR201", "error", "Reporter")}
