"""Python stream and queue processors that write back to their own Kinesis stream or SQS queue but
act only on some records: a test of a field of the decoded payload (`json.loads(base64.b64decode(
record["kinesis"]["data"]))["eventType"]`, `json.loads(record["body"]).get("stage")`) around the
write, as an early `continue` or in the comprehension the loop iterates. A write whose own record
fails it stops there (LR203), with the words the Node.js reader gives; one whose record passes
it, or one behind no test, stays a loop. The trigger's filter criteria are judged against the
fields the Python write puts too."""

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


# An order pipeline on one Kinesis stream: each consumer keeps the events of one type and puts an
# event of the next type back; the audit puts its own type for every record.
ORDERS_SERVICE = """service: orders
provider:
  name: aws
  runtime: python3.12
  environment:
    order_events_stream: order-events
functions:
  notify-restaurant:
    handler: functions/notify_restaurant.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
  notify-user:
    handler: functions/notify_user.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
  audit:
    handler: functions/audit.handler
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/order-events
"""
NOTIFY_RESTAURANT = """import base64
import json
import os

import boto3

kinesis = boto3.client("kinesis")
STREAM = os.environ["order_events_stream"]


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(base64.b64decode(record["kinesis"]["data"]))
        if order["eventType"] != "order_placed":
            continue
        data = dict(order)
        data["eventType"] = "restaurant_notified"
        kinesis.put_record(StreamName=STREAM, PartitionKey=order["orderId"], Data=json.dumps(data))
"""
NOTIFY_USER = """import base64
import json
import os

import boto3

kinesis = boto3.client("kinesis")


def handler(event, context):
    for record in event["Records"]:
        payload = base64.b64decode(record["kinesis"]["data"]).decode("utf-8")
        order = json.loads(payload)
        if order.get("eventType") == "order_accepted":
            kinesis.put_record(StreamName=os.environ["order_events_stream"], PartitionKey=order["orderId"],
                               Data=json.dumps({**order, "eventType": "user_notified"}).encode("utf-8"))
"""
AUDIT = """import base64
import json
import os

import boto3

kinesis = boto3.client("kinesis")


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(base64.b64decode(record["kinesis"]["data"]))
        kinesis.put_record(StreamName=os.environ["order_events_stream"], PartitionKey=order["orderId"],
                           Data=json.dumps({"orderId": order["orderId"], "eventType": "order_audited"}))
"""


def test_kinesis_consumers_that_keep_one_event_type_do_not_loop_through_their_own_events(tmp_path):
    found = _scan(tmp_path, {"serverless.yml": ORDERS_SERVICE, "functions/notify_restaurant.py": NOTIFY_RESTAURANT,
                             "functions/notify_user.py": NOTIFY_USER, "functions/audit.py": AUDIT})
    verdicts = {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in found}
    assert verdicts == {
        ("LR203", "notice", "notify-restaurant", "functions/notify_restaurant.py:18"),
        ("LR203", "notice", "notify-user", "functions/notify_user.py:15"),
        ("LR201", "error", "audit", "functions/audit.py:13"),
    }
    restaurant = next(f for f in found if f["function"] == "notify-restaurant")
    # `if order["eventType"] != "order_placed": continue`, and `data["eventType"]` set before the put
    assert ("the records it puts carry `eventType` = `restaurant_notified` in their data, and it writes only for "
            "records whose `eventType` is `order_placed` (the condition at `functions/notify_restaurant.py:14`)") \
        in restaurant["message"]
    user = next(f for f in found if f["function"] == "notify-user")
    assert ("the records it puts carry `eventType` = `user_notified` in their data, and it writes only for "
            "records whose `eventType` is `order_accepted` (the condition at `functions/notify_user.py:14`)") \
        in user["message"]


QUEUE_TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Enrich:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: enrich/
      Handler: app.handler
      Runtime: python3.12
      Environment: {Variables: {QUEUE_URL: !Ref Jobs}}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""
# Keeps the raw jobs (a comprehension over the decoded bodies) and requeues each as enriched.
ENRICH = """import json
import os

import boto3

sqs = boto3.client("sqs")


def handler(event, context):
    raw = [json.loads(record["body"]) for record in event["Records"]
           if json.loads(record["body"]).get("stage") == "raw"]
    for record in [r for r in event["Records"] if json.loads(r["body"]).get("stage") == "raw"]:
        job = json.loads(record["body"])
        message = {"id": job["id"], "stage": "enriched"}
        sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps(message))
    return {"raw": len(raw)}
"""
# The same, but what it sends is still raw: its own message passes its test.
STILL_RAW = ENRICH.replace('"stage": "enriched"', '"stage": "raw"')
# The stage is set only when there is a note: the reader cannot say what every message carries.
SOMETIMES = ENRICH.replace('        sqs.send_message', '        if job.get("note"):\n'
                           '            message["stage"] = "noted"\n        sqs.send_message') \
    .replace('"stage": "enriched"', '"stage": "raw"')


def test_an_sqs_handler_that_requeues_only_raw_jobs_as_enriched_ones_does_not_loop(tmp_path):
    found = _scan(tmp_path / "enriched", {"template.yaml": QUEUE_TEMPLATE, "enrich/app.py": ENRICH})
    assert [(f["rule_id"], f["severity"]) for f in found] == [("LR203", "notice")]
    assert ("the messages it sends carry `stage` = `enriched` in their body, and it writes only for messages "
            "whose `stage` is `raw` (the condition at `enrich/app.py:12`)") in found[0]["message"]
    for name, code in (("raw", STILL_RAW), ("sometimes", SOMETIMES)):
        found = _scan(tmp_path / name, {"template.yaml": QUEUE_TEMPLATE, "enrich/app.py": code})
        assert [(f["rule_id"], f["severity"]) for f in found] == [("LR201", "error")], name


FILTERED_SERVICE = """service: orders
provider:
  name: aws
  runtime: python3.12
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


def test_kinesis_data_filter_criteria_are_evaluated_against_what_the_python_write_puts(tmp_path):
    code = AUDIT.replace('os.environ["order_events_stream"]', '"order-events"')
    found = _scan(tmp_path, {"serverless.yml": FILTERED_SERVICE, "audit.py": code})
    assert [(f["rule_id"], f["severity"]) for f in found] == [("LR203", "notice")]
    assert ("`kinesis.put_record` puts records whose data has `orderId`" not in found[0]["message"])
    assert ("puts records whose data has `eventType` = `order_audited`, and its filter does not match them (it "
            "keeps only records whose `data.eventType` is `order_placed`)") in found[0]["message"]
