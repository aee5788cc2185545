"""Loops in CDK apps: event sources (`addEventSource`, the construct's `events`, bucket
notifications, topic subscriptions) and the constructs an environment names (`bucket.bucketName`),
read from TypeScript and Python source and judged like every other format's triggers."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

RECURSION_RULES = ("LR201", "LR203", "LR205", "LR206", "LR401")

HANDLER = """import os
import boto3
s3 = boto3.client("s3")
sqs = boto3.client("sqs")


def handler(event, context):
    for record in event["Records"]:
        s3.put_object(Bucket=os.environ["BUCKET"], Key="thumbs/" + record["s3"]["object"]["key"], Body=b"")
"""

QUEUE_HANDLER = """import os
import boto3
sqs = boto3.client("sqs")


def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="again")
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def verdicts(root: Path) -> set[tuple[str, str, str | None, str]]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    return {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}")
            for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in RECURSION_RULES}


def test_typescript_notifications_sources_and_subscriptions_are_triggers(tmp_path):
    root = _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "lib/stack.ts": (
            "import * as s3 from 'aws-cdk-lib/aws-s3';\n"
            "import * as s3n from 'aws-cdk-lib/aws-s3-notifications';\n"
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\n"
            "const images = new s3.Bucket(this, 'Images');\n"
            "const resize = new lambda.Function(this, 'Resize', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "  handler: 'app.handler', code: lambda.Code.fromAsset('resize'),\n"
            "  environment: { BUCKET: images.bucketName } });\n"
            "images.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(resize));\n"
            "const uploads = new s3.Bucket(this, 'Uploads');\n"
            "const filtered = new lambda.Function(this, 'Filtered', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "  handler: 'app.handler', code: lambda.Code.fromAsset('resize'),\n"
            "  environment: { BUCKET: uploads.bucketName } });\n"
            "uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(filtered),\n"
            "  { prefix: 'incoming/' });\n"
            "const jobs = new sqs.Queue(this, 'Jobs');\n"
            "new lambda.Function(this, 'Worker', { runtime: lambda.Runtime.PYTHON_3_13, handler: 'app.handler',\n"
            "  code: lambda.Code.fromAsset('worker'), environment: { QUEUE_URL: jobs.queueUrl },\n"
            "  events: [new SqsEventSource(jobs)] });\n"),
        "resize/app.py": HANDLER,
        "worker/app.py": QUEUE_HANDLER,
    })
    assert verdicts(root) == {
        ("LR201", "error", "Resize", "resize/app.py:9"),       # writes thumbs/... to the bucket that notifies it
        ("LR203", "notice", "Filtered", "resize/app.py:9"),    # thumbs/... is outside the incoming/ filter
        ("LR201", "error", "Worker", "worker/app.py:7"),       # sends to the queue it consumes
    }


def test_python_event_sources_and_subscriptions_are_triggers(tmp_path):
    root = _write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}',
        "stack.py": (
            "from aws_cdk import aws_lambda as lambda_, aws_s3 as s3, aws_sns as sns, aws_sns_subscriptions as subs\n"
            "from aws_cdk.aws_lambda_event_sources import S3EventSource\n"
            "class S:\n"
            "    def __init__(self):\n"
            "        self.photos = s3.Bucket(self, 'Photos')\n"
            "        self.fn = lambda_.Function(self, 'Thumbs', runtime=lambda_.Runtime.PYTHON_3_13,\n"
            "                                   handler='app.handler', code=lambda_.Code.from_asset('resize'),\n"
            "                                   environment={'BUCKET': self.photos.bucket_name})\n"
            "        self.fn.add_event_source(S3EventSource(self.photos, events=[s3.EventType.OBJECT_CREATED],\n"
            "                                               filters=[s3.NotificationKeyFilter(suffix='.jpg')]))\n"
            "        topic = sns.Topic(self, 'Alerts')\n"
            "        other = lambda_.Function(self, 'Alerter', runtime=lambda_.Runtime.PYTHON_3_13,\n"
            "                                 handler='app.handler', code=lambda_.Code.from_asset('alert'),\n"
            "                                 environment={'TOPIC': topic.topic_arn})\n"
            "        topic.add_subscription(subs.LambdaSubscription(other))\n"),
        "resize/app.py": HANDLER,
        "alert/app.py": ("import os\nimport boto3\nsns = boto3.client('sns')\n\n\ndef handler(event, context):\n"
                         "    sns.publish(TopicArn=os.environ['TOPIC'], Message='again')\n"),
    })
    assert verdicts(root) == {
        ("LR201", "error", "Thumbs", "resize/app.py:9"),   # thumbs/<key>.jpg ends with .jpg: the filter matches
        ("LR201", "error", "Alerter", "alert/app.py:7"),
    }


def test_an_environment_added_after_the_construct_names_what_the_handler_writes_to(tmp_path):
    """`fn.addEnvironment(...)` / `fn.add_environment(...)`: the bucket the handler writes to is
    known, so writing to the triggering bucket loops and writing to another one does not."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}',
        "stack.py": (
            "from aws_cdk import aws_lambda as lambda_, aws_s3 as s3\n"
            "from aws_cdk.aws_lambda_event_sources import S3EventSource\n"
            "class S:\n"
            "    def __init__(self):\n"
            "        source = s3.Bucket(self, 'Source')\n"
            "        target = s3.Bucket(self, 'Target')\n"
            "        same = lambda_.Function(self, 'Same', runtime=lambda_.Runtime.PYTHON_3_13,\n"
            "                                handler='app.handler', code=lambda_.Code.from_asset('resize'))\n"
            "        same.add_event_source(S3EventSource(source, events=[s3.EventType.OBJECT_CREATED]))\n"
            "        same.add_environment('BUCKET', source.bucket_name)\n"
            "        other = lambda_.Function(self, 'Other', runtime=lambda_.Runtime.PYTHON_3_13,\n"
            "                                 handler='app.handler', code=lambda_.Code.from_asset('resize'))\n"
            "        other.add_event_source(S3EventSource(source, events=[s3.EventType.OBJECT_CREATED]))\n"
            "        other.add_environment('BUCKET', target.bucket_name)\n"),
        "resize/app.py": HANDLER,
    })
    assert verdicts(root) == {("LR201", "error", "Same", "resize/app.py:9")}


def test_a_nodejs_function_s_default_entry_is_read_and_a_stream_event_name_check_is_a_guard(tmp_path):
    """`new NodejsFunction(this, 'stream')` in `word-count.ts` bundles `word-count.stream.ts`; its
    handler updates the table whose stream triggers it, but only for INSERT records, and the update
    of the record's own key can only make a MODIFY record, so it stops at that check: LR203, as
    the same handler in Python is."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "src/word-count.ts": (
            "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
            "import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\n"
            "const notes = new dynamodb.Table(this, 'Notes', { stream: dynamodb.StreamViewType.NEW_IMAGE });\n"
            "const fn = new NodejsFunction(this, 'stream', { environment: { TABLE_NAME: notes.tableName } });\n"
            "fn.addEventSource(new DynamoEventSource(notes, { startingPosition: lambda.StartingPosition.LATEST }));\n"),
        "src/word-count.stream.ts": (
            "import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';\n"
            "const db = new DynamoDBClient({});\n"
            "export const handler = async (event: any) => {\n"
            "  for (const record of event.Records) {\n"
            "    if (record.eventName !== 'INSERT') continue;\n"
            "    await db.send(new UpdateItemCommand({ TableName: process.env.TABLE_NAME, Key: record.dynamodb.Keys,\n"
            "      UpdateExpression: 'SET words = :w', ExpressionAttributeValues: { ':w': { N: '1' } } }));\n"
            "  }\n"
            "};\n"),
    })
    assert verdicts(root) == {("LR203", "notice", "stream", "src/word-count.stream.ts:6")}


def test_filters_the_review_does_not_evaluate_make_a_loop_possible_not_certain(tmp_path):
    """An SNS subscription's filter policy and a stream's filter criteria may keep the function's
    own output out: a warning that says which filter is unknown, not an error stating a loop."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "lib/stack.ts": (
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';\n"
            "import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\n"
            "const topic = new sns.Topic(this, 'Events');\n"
            "const router = new lambda.Function(this, 'Router', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "  handler: 'app.handler', code: lambda.Code.fromAsset('router'),\n"
            "  environment: { TOPIC: topic.topicArn } });\n"
            "topic.addSubscription(new subs.LambdaSubscription(router, {\n"
            "  filterPolicy: { stage: sns.SubscriptionFilter.stringFilter({ allowlist: ['raw'] }) } }));\n"
            "const notes = new dynamodb.Table(this, 'Notes', {});\n"
            "const counter = new lambda.Function(this, 'Counter', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "  handler: 'app.handler', code: lambda.Code.fromAsset('counter'),\n"
            "  environment: { TABLE: notes.tableName } });\n"
            "counter.addEventSource(new DynamoEventSource(notes, { startingPosition: lambda.StartingPosition.LATEST,\n"
            "  filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })] }));\n"),
        "router/app.py": ("import os\nimport boto3\nsns = boto3.client('sns')\n\n\ndef handler(event, context):\n"
                          "    sns.publish(TopicArn=os.environ['TOPIC'], Message='routed')\n"),
        "counter/app.py": ("import os\nimport boto3\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n\n\n"
                           "def handler(event, context):\n"
                           "    table.update_item(Key={'pk': 'count'}, UpdateExpression='ADD n :one',\n"
                           "                      ExpressionAttributeValues={':one': 1})\n"),
    })
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    loops = {f["function"]: f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR201"}
    assert {name: finding["severity"] for name, finding in loops.items()} == {"Router": "warning", "Counter": "warning"}
    assert "The subscription has a filter policy, which static reading does not evaluate" in loops["Router"]["message"]
    # an update of a fixed key inserts it the first time: the INSERT filter passes some of its records
    assert "the trigger's filter criteria (`lib/stack.ts:" in loops["Counter"]["message"]
    assert "keep `INSERT` ones, so whether its writes invoke it again depends on which items it writes" \
        in loops["Counter"]["message"]
    assert "Unless that filter keeps them out, every item it writes" in loops["Counter"]["message"]


def test_a_name_two_stacks_give_their_functions_attaches_nothing_to_either(tmp_path):
    """`const handler = ...` in two stacks of one file: `handler.addToRolePolicy(...)` could be
    either function's, so no statement is attached to the wrong one."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "lib/stacks.ts": (
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import * as iam from 'aws-cdk-lib/aws-iam';\n"
            "class Reader extends Stack { constructor(s, id) { super(s, id);\n"
            "  const handler = new lambda.Function(this, 'ReaderFn', { runtime: lambda.Runtime.NODEJS_22_X,\n"
            "    handler: 'index.handler', code: lambda.Code.fromAsset('src') });\n"
            "  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })); } }\n"
            "class Cleaner extends Stack { constructor(s, id) { super(s, id);\n"
            "  const handler = new lambda.Function(this, 'CleanerFn', { runtime: lambda.Runtime.NODEJS_22_X,\n"
            "    handler: 'index.handler', code: lambda.Code.fromAsset('src') });\n"
            "  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['*'] })); } }\n"),
        "src/index.js": "exports.handler = async () => 1;\n",
    })
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    assert not [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR301" and f["function"] == "ReaderFn"]


def test_typescript_constructs_kept_in_fields_of_the_stack_are_matched(tmp_path):
    """`this.uploads` as an event source and `this.uploads.bucketName` in the environment name the same
    construct: a member of `this` was read as a computed value, so neither side had a name."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "lib/stack.ts": (
            "import * as s3 from 'aws-cdk-lib/aws-s3';\n"
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\n"
            "export class Media extends cdk.Stack {\n"
            "  public readonly uploads: s3.Bucket;\n"
            "  constructor(scope: Construct, id: string) {\n"
            "    super(scope, id);\n"
            "    this.uploads = new s3.Bucket(this, 'Uploads');\n"
            "    const resize = new lambda.Function(this, 'Resize', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "      handler: 'app.handler', code: lambda.Code.fromAsset('resize'),\n"
            "      environment: { BUCKET: this.uploads.bucketName } });\n"
            "    resize.addEventSource(new S3EventSource(this.uploads, { events: [s3.EventType.OBJECT_CREATED] }));\n"
            "  }\n"
            "}\n"),
        "resize/app.py": HANDLER,
    })
    assert verdicts(root) == {("LR201", "error", "Resize", "resize/app.py:9")}


def _lr204_messages(root: Path) -> list[str]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--audit", "off"], stdout=out,
         stderr=io.StringIO())
    return [" ".join(f["message"].split()) for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR204"]


def test_an_environment_the_review_cannot_read_whole_is_not_said_to_leave_a_variable_unset(tmp_path):
    """`environment: {...baseEnv, STAGE: props.stage}`: BUCKET may come from the spread, STAGE is
    computed; neither is a variable "the configuration does not set"."""
    _write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/stack.ts": (
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import * as s3 from 'aws-cdk-lib/aws-s3';\n"
            "import * as s3n from 'aws-cdk-lib/aws-s3-notifications';\n"
            "import { baseEnv } from './config';\n"
            "const uploads = new s3.Bucket(this, 'Uploads');\n"
            "const fn = new lambda.Function(this, 'Resize', {\n"
            "  runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: lambda.Code.fromAsset('src'),\n"
            "  environment: { ...baseEnv, QUEUE_URL: props.queueUrl },\n"
            "});\n"
            "uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn));\n"),
        "src/app.py": HANDLER + "    sqs.send_message(QueueUrl=os.environ['QUEUE_URL'], MessageBody='x')\n",
    })
    messages = _lr204_messages(tmp_path)
    assert any("environment variable `BUCKET`, which the function's environment may set in a form the review "
               "does not read" in message for message in messages), messages
    assert not any("does not set" in message for message in messages)


def test_a_python_environment_held_elsewhere_and_a_computed_value(tmp_path):
    _write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}\n',
        "stack.py": (
            "from aws_cdk import Stack, aws_lambda as _lambda, aws_s3 as s3, aws_s3_notifications as s3n\n"
            "class Images(Stack):\n"
            "    def __init__(self, scope, construct_id, settings, **kwargs):\n"
            "        super().__init__(scope, construct_id, **kwargs)\n"
            "        uploads = s3.Bucket(self, 'Uploads')\n"
            "        fn = _lambda.Function(self, 'Resize', runtime=_lambda.Runtime.PYTHON_3_12,\n"
            "                              handler='app.handler', code=_lambda.Code.from_asset('src'),\n"
            "                              environment={'BUCKET': settings.output_bucket()})\n"
            "        uploads.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(fn))\n"
            "        other = _lambda.Function(self, 'Other', runtime=_lambda.Runtime.PYTHON_3_12,\n"
            "                                 handler='app.handler', code=_lambda.Code.from_asset('src'),\n"
            "                                 environment=settings.environment)\n"
            "        archive = s3.Bucket(self, 'Archive')\n"
            "        archive.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(other))\n"),
        "src/app.py": HANDLER,
    })
    messages = sorted(_lr204_messages(tmp_path))
    assert len(messages) == 2, messages
    assert "environment variable `BUCKET`, whose value is computed by the app (`settings.output_bucket()`)" in messages[1]
    assert "environment variable `BUCKET`, which the function's environment may set in a form the review does not " \
           "read" in messages[0]
