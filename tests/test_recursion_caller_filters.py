"""A stream handler's record filter guards a write made two helpers and a module away.

The handler keeps only the `INSERT` records of one item type through helpers that take the event
name as an argument (`get_records(records, "JobEvent", "INSERT")`, whose test is
`is_type(r, t) and is_operation(r, op)`), sorts and groups them (`groupby(sorted(events, ...))`),
and for each group calls `update_totals` of another module, which calls the helper that updates
the job item only if it exists. Those updates make `MODIFY` records the filter drops: LR203, not
an LR201 loop; the message names the filter in the handler's file. A put of a new event item
behind the same filter is still a loop."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: Id, KeyType: HASH}, {AttributeName: Sk, KeyType: RANGE}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Processor:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: jobs/
      Handler: processor.handler
      Runtime: python3.13
      Environment: {Variables: {JOBS_TABLE: !Ref Jobs}}
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Jobs.StreamArn, StartingPosition: TRIM_HORIZON}
"""

PROCESSOR = """\
from itertools import groupby
from operator import itemgetter

from totals import update_totals


def handler(event, context):
    records = event["Records"]
    events = get_records(records, "JobEvent", "INSERT")
    grouped = groupby(sorted(events, key=itemgetter("Id")), key=itemgetter("Id"))
    for job_id, group in grouped:
        update_totals(job_id, list(group))


def is_operation(record, operation):
    return record.get("eventName") == operation


def is_type(record, record_type):
    return record["dynamodb"]["NewImage"]["Type"]["S"] == record_type


def get_records(records, record_type, operation):
    return [r["dynamodb"]["NewImage"] for r in records if is_type(r, record_type) and is_operation(r, operation)]
"""

TOTALS = """\
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])


def update_totals(job_id, events):
    return _add(job_id, len(events))


def _add(job_id, count):
    return table.update_item(
        Key={"Id": job_id, "Sk": job_id},
        ConditionExpression="#Id = :Id AND #Sk = :Sk",
        UpdateExpression="ADD #n :n",
        ExpressionAttributeNames={"#Id": "Id", "#Sk": "Sk", "#n": "EventCount"},
        ExpressionAttributeValues={":Id": job_id, ":Sk": job_id, ":n": count},
    )
"""

PUTS = TOTALS.replace('''    return table.update_item(
        Key={"Id": job_id, "Sk": job_id},
        ConditionExpression="#Id = :Id AND #Sk = :Sk",
        UpdateExpression="ADD #n :n",
        ExpressionAttributeNames={"#Id": "Id", "#Sk": "Sk", "#n": "EventCount"},
        ExpressionAttributeValues={":Id": job_id, ":Sk": job_id, ":n": count},
    )''', '''    return table.put_item(Item={"Id": job_id, "Sk": f"event#{count}", "Type": "JobEvent"})''')


def _verdicts(root: Path, totals: str) -> list[tuple[str, str, str]]:
    for name, text in {"template.yaml": TEMPLATE, "jobs/processor.py": PROCESSOR, "jobs/totals.py": totals}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return [(f["rule_id"], f["severity"], f["message"]) for f in json.loads(out.getvalue())["findings"]
            if f["rule_id"].startswith(("LR20", "LR90"))]


def test_an_insert_filter_of_a_grouped_loop_guards_an_update_in_another_module(tmp_path):
    [(rule, severity, message)] = _verdicts(tmp_path / "updates", TOTALS)
    assert (rule, severity) == ("LR203", "notice")
    assert "records whose `eventName` is `INSERT` (the condition at `jobs/processor.py:9`)" in message
    [(rule, severity, _)] = _verdicts(tmp_path / "puts", PUTS)
    assert rule == "LR201"   # a warning, as for the same filter in one module: the filter is a condition
