"""The JavaScript/TypeScript reader: which AWS SDK calls (v2 and v3) write where, read from source
shaped like real handlers, never run."""

from __future__ import annotations

import io
import json

import pytest

from reviewer.cli import main
from reviewer.code.javascript_program import load_program
from reviewer.code.javascript_reader import read_javascript_writes


def writes(source: str, export: str = "handler", path: str = "handler.js") -> set[tuple]:
    program = load_program(None, path, export, inline=(source, 0))
    return {(write.call, write.target.describe(), write.key.describe() if write.key else None)
            for write in read_javascript_writes(program)}


V2 = "const AWS = require('aws-sdk');\n"


@pytest.mark.parametrize(("source", "expected"), [
    (V2 + "const sqs = new AWS.SQS();\nexports.handler = async (e) => "
     "sqs.sendMessage({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x' }).promise();",
     ("sqs.sendMessage", "environment variable QUEUE_URL", None)),
    (V2 + "const sns = new AWS.SNS();\nexports.handler = async (e) => "
     "sns.publish({ TopicArn: process.env.TOPIC || 'arn:aws:sns:eu-west-1:1:t', Message: 'x' }).promise();",
     ("sns.publish", "environment variable TOPIC", None)),
    ("const S3 = require('aws-sdk/clients/s3');\nconst s3 = new S3();\n"
     "exports.handler = (e, c, cb) => s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'b/x' }, cb);",
     ("s3.copyObject", "'b'", "'k'")),
    (V2 + "const db = new AWS.DynamoDB.DocumentClient();\n"
     "exports.handler = async (e) => db.put({ TableName: process.env.TABLE, Item: {} }).promise();",
     ("dynamodb.put", "environment variable TABLE", None)),
    ("import { S3 } from '@aws-sdk/client-s3';\nconst s3 = new S3({});\n"
     "export const handler = async (event) => s3.putObject({ Bucket: 'b', Key: `a/${event.id}` });",
     ("s3.putObject", "'b'", "'a/' + event field id")),
    ("import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';\n"
     "const k = new KinesisClient({});\nexport const handler = async (e) => "
     "k.send(new PutRecordCommand({ StreamName: 'clicks', Data: e.body, PartitionKey: '1' }));",
     ("kinesis.send(PutRecordCommand)", "'clicks'", None)),
    ("const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');\n"
     "const eb = new EventBridgeClient({});\nexports.handler = async () => eb.send(new PutEventsCommand({"
     " Entries: [{ Source: 'acme.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));",
     ("events.send(PutEventsCommand)", "'default'", None)),
    ("const { DynamoDBClient, BatchWriteItemCommand } = require('@aws-sdk/client-dynamodb');\n"
     "const db = new DynamoDBClient({});\nconst TABLE = process.env.TABLE;\nexports.handler = async () => "
     "db.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [] } }));",
     ("dynamodb.send(BatchWriteItemCommand)", "environment variable TABLE", None)),
])
def test_each_sdk_shape_gives_its_write(source, expected):
    assert writes(source) == {expected}


def test_sms_reads_and_unrelated_methods_are_not_writes():
    source = (V2 + "const sns = new AWS.SNS(); const s3 = new AWS.S3(); const cache = new Map();\n"
              "exports.handler = async () => {\n"
              "  await sns.publish({ PhoneNumber: '+15555550100', Message: 'hi' }).promise();\n"
              "  await s3.getObject({ Bucket: 'b', Key: 'k' }).promise();\n"
              "  cache.put('a', 1); db.put({ TableName: 't' });\n"
              "};\n")
    assert writes(source) == set()


def test_typescript_parameters_destructuring_and_callbacks_keep_the_event():
    source = ("import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\n"
              "import type { SQSEvent, SQSRecord } from 'aws-lambda';\n"
              "const client = new SQSClient({});\n"
              "const forward = async ({ body, eventSourceARN }: SQSRecord): Promise<void> => {\n"
              "  await client.send(new SendMessageCommand({ QueueUrl: eventSourceARN, MessageBody: body }));\n"
              "};\n"
              "export const handler = async (event: SQSEvent) => { await Promise.all(event.Records.map(forward)); };\n")
    assert writes(source, path="handler.ts") == {
        ("sqs.send(SendMessageCommand)", "event field Records[].eventSourceARN", None)}


def test_a_parameter_object_built_elsewhere_and_spread():
    source = (V2 + "const s3 = new AWS.S3();\n"
              "const base = { Bucket: process.env.OUT };\n"
              "function params(key) { return { ...base, Key: `thumbs/${key}` }; }\n"
              "exports.handler = async (event) => {\n"
              "  for (const { s3: { object } } of event.Records) {\n"
              "    await s3.putObject(params(object.key)).promise();\n"
              "  }\n"
              "};\n")
    assert writes(source) == {
        ("s3.putObject", "environment variable OUT", "'thumbs/' + event field Records[].s3.object.key")}


def test_an_object_reassigned_to_a_spread_of_itself_is_read_without_endless_recursion():
    # `order = { ...order, status }` spreads, among the values `order` holds, that same object
    source = (V2 + "const db = new AWS.DynamoDB.DocumentClient();\n"
              "exports.handler = async (event) => {\n"
              "  let order = JSON.parse(event.body);\n"
              "  order = { ...order, status: 'accepted' };\n"
              "  await db.put({ TableName: 'orders', Item: order }).promise();\n"
              "  return order.toString();\n"
              "};\n")
    assert writes(source) == {("dynamodb.put", "'orders'", None)}


def test_typescript_import_equals_require():
    source = ("import AWS = require('aws-sdk');\nconst sqs = new AWS.SQS();\n"
              "export const handler = async () => { await sqs.sendMessage({ QueueUrl: 'q', MessageBody: 'x' }).promise(); };\n")
    assert writes(source, path="handler.ts") == {("sqs.sendMessage", "'q'", None)}


@pytest.mark.parametrize("entry", [
    "export { handler } from '../../services/src/sync';\n",
    "export { run as handler } from '../../services/src/sync';\n",
    "export * from '../../services/src/sync';\n",
])
def test_an_entry_file_that_passes_the_handler_on_is_followed_to_its_module(tmp_path, entry):
    """`infra/lib/syncEntry.ts` only re-exports the handler defined in `services/src/sync.ts`: the
    writes are that module's; a write of another export of it is not the handler's."""
    from reviewer.workspace import Workspace

    (tmp_path / "infra" / "lib").mkdir(parents=True)
    (tmp_path / "services" / "src").mkdir(parents=True)
    (tmp_path / "infra" / "lib" / "syncEntry.ts").write_text(entry)
    (tmp_path / "services" / "src" / "sync.ts").write_text(
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\n"
        "import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';\n"
        "const sqs = new SQSClient({}); const sns = new SNSClient({});\n"
        "export const handler = async () => { await sqs.send(new SendMessageCommand({ QueueUrl: 'q1', MessageBody: 'x' })); };\n"
        "export const run = handler;\n"
        "export const other = async () => { await sns.send(new PublishCommand({ TopicArn: 't1', Message: 'x' })); };\n")
    program = load_program(Workspace(tmp_path), "infra/lib/syncEntry.ts", "handler")
    found = {(w.location.path, w.target.describe()) for w in read_javascript_writes(program)}
    assert found == {("services/src/sync.ts", "'q1'")}


def test_a_module_imported_past_the_bound_of_files_is_unknown_not_a_stop(tmp_path):
    """A handler whose imports reach more files than a program reads (a dependency-injection
    service imports dozens): a value from a module left unread is unknown, and the checks that
    look it up go on (a KeyError stopped the recursion and /tmp checks with LR900)."""
    src = tmp_path / "src"
    src.mkdir()
    names = [f"part{index}" for index in range(40)]
    for name in names:
        (src / f"{name}.ts").write_text(f"export const {name} = '{name}';\n")
    (src / "codes.ts").write_text("enum Codes { OK = 200 }\nexport default Codes;\n")
    imports = "".join(f"import {{ {name} }} from './{name}';\n" for name in names)
    (src / "handler.ts").write_text(
        imports + "import Codes from './codes';\nimport * as fs from 'fs';\n\n"
        "export const main = async (event: any) => {\n"
        "  fs.writeFileSync('/tmp/' + Codes.OK, 'x');\n"
        f"  return [{', '.join(names)}];\n}};\n")
    (tmp_path / "serverless.yml").write_text(
        "service: parts\nprovider:\n  name: aws\n  runtime: nodejs22.x\n"
        "functions:\n  main:\n    handler: src/handler.main\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out,
         stderr=io.StringIO())
    findings = json.loads(out.getvalue())["findings"]
    assert [f["message"] for f in findings if f["rule_id"] == "LR900"] == []


def test_a_callback_passed_to_a_shared_timer_does_not_lend_its_helper_s_writes_to_other_callers():
    """Two notifiers in `co.wrap`, each timing its put with `trackTime(name, () => put(...))`: the
    handler that calls one of them writes only that one's record, although the timer's parameter
    `f` is called with both callbacks."""
    source = (V2 + "const co = require('co');\nconst kinesis = new AWS.Kinesis();\n"
              "function trackTime(name, f) {\n  const start = Date.now();\n  return f().then(() => log(name, start));\n}\n"
              "const tellKitchen = co.wrap(function* (order) {\n"
              "  yield trackTime('put', () => kinesis.putRecord({ StreamName: 'kitchen', Data: '{}' }).promise());\n});\n"
              "const tellCustomer = co.wrap(function* (order) {\n"
              "  yield trackTime('put', () => kinesis.putRecord({ StreamName: 'customers', Data: '{}' }).promise());\n});\n"
              "exports.handler = co.wrap(function* (event) {\n  yield tellKitchen(event);\n});\n")
    assert writes(source) == {("kinesis.putRecord", "'kitchen'", None)}
