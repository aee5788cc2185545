"""Node.js stream processors that write back to their own stream, table or queue but act only on
some records: the filter written as an `if` around the write, an early `continue`, a
`.filter(...)` the loop iterates, or a test of a field of the decoded Kinesis payload or SQS
body. A write whose own record fails the filter stops at it (LR203), as the Python reader says;
a write whose record passes it, or one behind no filter, stays a loop."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def _scan(root: Path, files: dict[str, str]) -> list[dict]:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR20")]


# An order pipeline on one Kinesis stream: each consumer keeps the events of one type, and the
# helper it calls (kept in `co.wrap`, in a shared module) puts an event of another type back.
ORDERS_SERVICE = """service: orders
provider:
  name: aws
  runtime: nodejs18.x
functions:
  notify-kitchen:
    handler: functions/notify-kitchen.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
    environment:
      events_stream: order-events
      retry_topic: arn:aws:sns:us-east-1:123456789012:kitchen-retry
  notify-customer:
    handler: functions/notify-customer.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
    environment:
      events_stream: order-events
  retry-kitchen:
    handler: functions/retry-kitchen.handler
    events:
      - sns: kitchen-retry
    environment:
      events_stream: order-events
  notify-courier:
    handler: functions/notify-courier.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
    environment:
      events_stream: order-events
  audit-everything:
    handler: functions/audit-everything.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
    environment:
      events_stream: order-events
"""
STREAM_HELPERS = """'use strict';
function decode(record) {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  return JSON.parse(text);
}
function eventsOf(event) {
  return event.Records.map(decode);
}
module.exports = { eventsOf };
"""
NOTIFY = """'use strict';
const co = require('co');
const _ = require('lodash');
const AWS = require('aws-sdk');
const kinesis = new AWS.Kinesis();
const sns = new AWS.SNS();
const stream = process.env.events_stream;

const tellKitchen = co.wrap(function* (order) {
  const next = _.clone(order);
  next.kind = 'kitchen_told';
  yield kinesis.putRecord({ StreamName: stream, PartitionKey: order.id, Data: JSON.stringify(next) }).promise();
});

const tellCustomer = co.wrap(function* (order) {
  const next = { id: order.id, kind: 'customer_told' };
  yield kinesis.putRecord({ StreamName: stream, PartitionKey: order.id, Data: JSON.stringify(next) }).promise();
});

const queueRetry = co.wrap(function* (order) {
  yield sns.publish({ TopicArn: process.env.retry_topic, Message: JSON.stringify(order) }).promise();
});

module.exports = { kitchen: tellKitchen, customer: tellCustomer, retry: queueRetry };
"""
NOTIFY_KITCHEN = """'use strict';
const co = require('co');
const { eventsOf } = require('../lib/stream');
const notify = require('../lib/notify');

module.exports.handler = co.wrap(function* (event, context) {
  const placed = eventsOf(event).filter(e => e.kind === 'order_placed');
  for (const order of placed) {
    try {
      yield notify.kitchen(order);
    } catch (err) {
      yield notify.retry(order);
    }
  }
});
"""
NOTIFY_CUSTOMER = """'use strict';
const { eventsOf } = require('../lib/stream');
const notify = require('../lib/notify');

module.exports.handler = async (event) => {
  for (const order of eventsOf(event)) {
    if (order.kind !== 'order_cooked') {
      continue;
    }
    await notify.customer(order);
  }
};
"""
RETRY_KITCHEN = """'use strict';
const notify = require('../lib/notify');

module.exports.handler = async (event) => {
  const order = JSON.parse(event.Records[0].Sns.Message);
  await notify.kitchen(order);
};
"""
# The put written in the loop itself, of a copy of the order whose kind it sets first.
NOTIFY_COURIER = """'use strict';
const AWS = require('aws-sdk');
const kinesis = new AWS.Kinesis();
const { eventsOf } = require('../lib/stream');

module.exports.handler = async (event) => {
  const ready = eventsOf(event).filter((e) => e.kind === 'order_ready');
  for (const order of ready) {
    const next = { ...order };
    next.kind = 'courier_told';
    await kinesis.putRecord({ StreamName: process.env.events_stream, PartitionKey: order.id,
                              Data: JSON.stringify(next) }).promise();
  }
};
"""
# Keeps every record, and its own put has the kind it keeps anyway: a loop.
AUDIT_EVERYTHING = """'use strict';
const AWS = require('aws-sdk');
const kinesis = new AWS.Kinesis();
const { eventsOf } = require('../lib/stream');

module.exports.handler = async (event) => {
  for (const order of eventsOf(event)) {
    await kinesis.putRecord({ StreamName: process.env.events_stream, PartitionKey: order.id,
                              Data: JSON.stringify({ id: order.id, kind: 'audited' }) }).promise();
  }
};
"""


def test_kinesis_consumers_that_keep_one_event_type_do_not_loop_through_their_own_events(tmp_path):
    found = _scan(tmp_path, {
        "serverless.yml": ORDERS_SERVICE, "lib/stream.js": STREAM_HELPERS, "lib/notify.js": NOTIFY,
        "functions/notify-kitchen.js": NOTIFY_KITCHEN, "functions/notify-customer.js": NOTIFY_CUSTOMER,
        "functions/retry-kitchen.js": RETRY_KITCHEN, "functions/audit-everything.js": AUDIT_EVERYTHING,
        "functions/notify-courier.js": NOTIFY_COURIER,
    })
    verdicts = {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in found}
    assert verdicts == {
        ("LR203", "notice", "notify-kitchen", "lib/notify.js:12"),
        ("LR203", "notice", "notify-customer", "lib/notify.js:17"),
        ("LR203", "notice", "notify-courier", "functions/notify-courier.js:11"),
        ("LR201", "error", "audit-everything", "functions/audit-everything.js:8"),
    }
    kitchen = next(f for f in found if f["function"] == "notify-kitchen")
    assert ("the records it puts carry `kind` = `kitchen_told` in their data, and it writes only for records "
            "whose `kind` is `order_placed` (the condition at `functions/notify-kitchen.js:7`)") in kitchen["message"]
    customer = next(f for f in found if f["function"] == "notify-customer")
    # `if (order.kind !== 'order_cooked') continue;`: only `order_cooked` records go on to the write
    assert ("the records it puts carry `kind` = `customer_told` in their data, and it writes only for records "
            "whose `kind` is `order_cooked` (the condition at `functions/notify-customer.js:7`)") in customer["message"]


TABLE_TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
{resources}"""
TABLE = """  {name}Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {{StreamViewType: NEW_IMAGE}}
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {name}/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment: {{Variables: {{TABLE: !Ref {name}Table}}}}
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt {name}Table.StreamArn
            StartingPosition: LATEST
"""
DYNAMO_HEAD = ("const { DynamoDBClient, UpdateItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');\n"
               "const { unmarshall } = require('@aws-sdk/util-dynamodb');\n"
               "const db = new DynamoDBClient({});\n")
MARK = ("await db.send(new UpdateItemCommand({ TableName: process.env.TABLE, Key: record.dynamodb.Keys, "
        "UpdateExpression: 'SET seen = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }));")
COUNT = ("await db.send(new UpdateItemCommand({ TableName: process.env.TABLE, Key: { pk: { S: 'totals' } }, "
         "UpdateExpression: 'ADD n :one', ConditionExpression: 'attribute_exists(pk)', "
         "ExpressionAttributeValues: { ':one': { N: '1' } } }));")
HANDLERS = {
    "InsideIf": ("exports.handler = async (event) => {\n  for (const record of event.Records) {\n"
                 f"    if (record.eventName === 'INSERT') {{\n      {MARK}\n    }}\n  }}\n}};\n"),
    "Filtered": ("exports.handler = async (event) => {\n"
                 "  const inserted = event.Records.filter((r) => r.eventName === 'INSERT');\n"
                 f"  for (const record of inserted) {{\n    {COUNT}\n  }}\n}};\n"),
    "EachAfterFilter": ("exports.handler = async (event) => {\n"
                        "  await Promise.all(event.Records.filter(r => ['INSERT'].includes(r.eventName))\n"
                        f"    .map(async (record) => {{\n      {MARK}\n    }}));\n}};\n"),
    "OtherType": ("exports.handler = async (event) => {\n  for (const record of event.Records) {\n"
                  "    const item = unmarshall(record.dynamodb.NewImage);\n"
                  "    if (item.type !== 'order') continue;\n"
                  "    await db.send(new PutItemCommand({ TableName: process.env.TABLE,\n"
                  "      Item: { pk: { S: 'total#' + item.pk }, type: { S: 'total' } } }));\n  }\n};\n"),
    # a put can insert a new item, whose INSERT record passes the filter
    "Puts": ("exports.handler = async (event) => {\n  for (const record of event.Records) {\n"
             "    if (record.eventName !== 'INSERT') continue;\n"
             "    await db.send(new PutItemCommand({ TableName: process.env.TABLE,\n"
             "      Item: { pk: { S: 'copy-' + record.dynamodb.Keys.pk.S } } }));\n  }\n};\n"),
}


def test_dynamodb_stream_filters_in_javascript_read_as_the_python_ones(tmp_path):
    files = {f"{name}/app.js": DYNAMO_HEAD + code for name, code in HANDLERS.items()}
    files["template.yaml"] = TABLE_TEMPLATE.format(resources="".join(TABLE.format(name=name) for name in HANDLERS))
    found = {f["function"]: f for f in _scan(tmp_path, files)}
    assert {name: f["rule_id"] for name, f in found.items()} == {
        "InsideIf": "LR203", "Filtered": "LR203", "EachAfterFilter": "LR203", "OtherType": "LR203", "Puts": "LR201",
    }
    assert ("makes only `MODIFY` records (the update can only change an item that exists), and it writes only "
            "for records whose `eventName` is `INSERT` (the condition at `Filtered/app.js:5`)") \
        in found["Filtered"]["message"]
    assert ("the item it writes has `type` = `total`, and it writes only for records whose `type` is `order` "
            "(the condition at `OtherType/app.js:7`)") in found["OtherType"]["message"]


QUEUE_TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Enrich:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: enrich/
      Handler: index.handler
      Runtime: nodejs20.x
      Environment: {Variables: {QUEUE_URL: !Ref Jobs}}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""
ENRICH = """import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});

export const handler = async (event) => {
  for (const record of event.Records) {
    const job = JSON.parse(record.body);
    if (job.stage === 'raw') {
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL,
        MessageBody: JSON.stringify({ ...job, stage: 'enriched' }) }));
    }
  }
};
"""


def test_an_sqs_handler_that_requeues_only_raw_jobs_as_enriched_ones_does_not_loop(tmp_path):
    found = _scan(tmp_path, {"template.yaml": QUEUE_TEMPLATE, "enrich/index.mjs": ENRICH})
    assert [(f["rule_id"], f["severity"]) for f in found] == [("LR203", "notice")]
    assert ("the messages it sends carry `stage` = `enriched` in their body, and it writes only for messages "
            "whose `stage` is `raw` (the condition at `enrich/index.mjs:7`)") in found[0]["message"]


FILTERED_QUEUES = """Transform: AWS::Serverless-2016-10-31
Resources:
{resources}"""
FILTERED_QUEUE = """  {name}Queue:
    Type: AWS::SQS::Queue
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: requeue/
      Handler: index.handler
      Runtime: nodejs20.x
      Environment: {{Variables: {{QUEUE_URL: !Ref {name}Queue}}}}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt {name}Queue.Arn
            FilterCriteria:
              Filters:
                - Pattern: '{pattern}'
"""
# Requeues every message it receives, as the next stage: only the queue's filter can stop it.
REQUEUE = """const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    const job = JSON.parse(record.body);
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL,
      MessageBody: JSON.stringify({ id: job.id, stage: 'enriched' }) }));
  }
};
"""
SERVICE_WITH_KINESIS_FILTER = """service: orders
provider:
  name: aws
  runtime: nodejs18.x
functions:
  audit:
    handler: audit.handler
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
          filterPatterns:
            - data:
                eventType: [order_placed]
"""
AUDIT = """const AWS = require('aws-sdk');
const kinesis = new AWS.Kinesis();

module.exports.handler = async (event) => {
  for (const record of event.Records) {
    const order = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString());
    await kinesis.putRecord({ StreamName: 'order-events', PartitionKey: order.id,
      Data: JSON.stringify({ id: order.id, eventType: 'order_audited' }) }).promise();
  }
};
"""


def test_sqs_body_and_kinesis_data_filter_criteria_are_evaluated_against_what_the_write_puts(tmp_path):
    patterns = {"RawOnly": '{"body": {"stage": ["raw"]}}', "EnrichedToo": '{"body": {"stage": ["raw", "enriched"]}}',
                "ByPriority": '{"body": {"priority": ["high"]}}'}
    queues = _scan(tmp_path / "queues", {
        "template.yaml": FILTERED_QUEUES.format(resources="".join(
            FILTERED_QUEUE.format(name=name, pattern=pattern) for name, pattern in patterns.items())),
        "requeue/index.js": REQUEUE})
    verdicts = {f["function"]: (f["rule_id"], f["severity"]) for f in queues}
    assert verdicts == {"RawOnly": ("LR203", "notice"), "EnrichedToo": ("LR201", "error"),
                        # the message it sends has no priority the review knows: the filter stays unevaluated
                        "ByPriority": ("LR201", "warning")}
    raw_only = next(f for f in queues if f["function"] == "RawOnly")
    assert ("`sqs.send(SendMessageCommand)` sends messages whose body has `stage` = `enriched`, and its filter "
            "does not match them (it keeps only records whose `body.stage` is `raw`)") in raw_only["message"]
    kinesis = _scan(tmp_path / "stream", {"serverless.yml": SERVICE_WITH_KINESIS_FILTER, "audit.js": AUDIT})
    assert [(f["rule_id"], f["severity"]) for f in kinesis] == [("LR203", "notice")]
    assert ("puts records whose data has `eventType` = `order_audited`, and its filter does not match them (it "
            "keeps only records whose `data.eventType` is `order_placed`)") in kinesis[0]["message"]


def _guards(body: str) -> list[tuple]:
    from reviewer.code.javascript_program import load_program
    from reviewer.code.javascript_reader import read_javascript_writes

    source = ("const AWS = require('aws-sdk');\nconst kinesis = new AWS.Kinesis();\n"
              f"exports.handler = async (event) => {{\n{body}\n}};\n")
    program = load_program(None, "handler.js", "handler", inline=(source, 0))
    return [tuple((guard.attribute, guard.text, guard.required) for guard in write.key_guards)
            for write in read_javascript_writes(program)]


PUT = "await kinesis.putRecord({ StreamName: 'clicks', PartitionKey: '1', Data: '{}' }).promise();"


def test_a_filtered_list_the_code_adds_to_guards_nothing():
    """A list kept by `.filter(...)` guards the loop over it, unless the code adds other elements
    to it (`push`) or iterates it joined to another list (`concat`)."""
    kept = "  const kept = event.Records.filter((r) => r.eventName === 'INSERT');\n"
    assert _guards(kept + f"  for (const r of kept) {PUT}") == [(("eventName", "INSERT", True),)]
    assert _guards(kept + f"  kept.push(event.extra);\n  for (const r of kept) {PUT}") == [()]
    assert _guards(f"  for (const r of event.Records.filter((r) => r.eventName === 'INSERT').concat(event.more)) {PUT}") \
        == [()]
