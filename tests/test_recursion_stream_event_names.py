"""DynamoDB stream processors that write to their own table but act only on `INSERT` records:
the record filter written as an `if` around the write, as an early `continue`, as a list
comprehension the loop iterates, or inside a helper that returns such a comprehension (its event
name passed as an argument, its test in a one-line helper). An update that can only change an
existing item (a `ConditionExpression` that a missing item fails, or the incoming record's own
key) makes a `MODIFY` record, which the filter ignores: LR203, not an LR201 loop. A put (which
can insert) behind the same filter, and an update with no proof the item exists, stay loops."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

HEAD = "import os\nimport boto3\n\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n\n\n"
MARK = ("table.update_item(Key={'pk': record['dynamodb']['Keys']['pk']['S']}, UpdateExpression='SET seen = :t', "
        "ExpressionAttributeValues={':t': True})")
COUNT = ("table.update_item(Key={'pk': 'totals'}, UpdateExpression='ADD n :one', "
         "ConditionExpression='#pk = :pk', ExpressionAttributeNames={'#pk': 'pk'}, "
         "ExpressionAttributeValues={':one': 1, ':pk': 'totals'})")
NEW_KEY = ("table.update_item(Key={'pk': 'totals'}, UpdateExpression='ADD n :one', "
           "ExpressionAttributeValues={':one': 1})")
HANDLERS = {
    "InsideIf": f"def handler(event, context):\n    for record in event['Records']:\n"
                f"        if record['eventName'] == 'INSERT':\n            {MARK}\n",
    "SkipsOthers": f"def handler(event, context):\n    for record in event['Records']:\n"
                   f"        if record.get('eventName') != 'INSERT':\n            continue\n        {COUNT}\n",
    "Comprehension": f"def handler(event, context):\n"
                     f"    inserted = [r for r in event['Records'] if r['eventName'] == 'INSERT']\n"
                     f"    for record in inserted:\n        {MARK}\n",
    "ThroughHelpers": "def is_operation(record, operation):\n    return record.get('eventName') == operation\n\n\n"
                      "def records_of(records, operation):\n"
                      "    return [r for r in records if is_operation(r, operation)]\n\n\n"
                      f"def handler(event, context):\n    for record in records_of(event['Records'], 'INSERT'):\n"
                      f"        {COUNT}\n",
    # a put can insert a new item, whose INSERT record passes the filter
    "Puts": "def handler(event, context):\n    for record in event['Records']:\n"
            "        if record['eventName'] == 'INSERT':\n            table.put_item(Item={'pk': 'copy-' + "
            "record['dynamodb']['Keys']['pk']['S']})\n",
    # an update of a key that may not exist inserts it
    "MayInsert": f"def handler(event, context):\n    for record in event['Records']:\n"
                 f"        if record['eventName'] == 'INSERT':\n            {NEW_KEY}\n",
    # a filter for MODIFY records lets its own updates through
    "Modified": f"def handler(event, context):\n    for record in event['Records']:\n"
                f"        if record['eventName'] == 'MODIFY':\n            {MARK}\n",
}


def _template() -> str:
    parts = ["Transform: AWS::Serverless-2016-10-31\nResources:\n"]
    for name in HANDLERS:
        parts.append(
            f"  {name}Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
            "      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n"
            "      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n      BillingMode: PAY_PER_REQUEST\n"
            "      StreamSpecification: {StreamViewType: NEW_IMAGE}\n"
            f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            f"      CodeUri: {name}/\n      Handler: app.handler\n      Runtime: python3.13\n"
            f"      Environment: {{Variables: {{TABLE: !Ref {name}Table}}}}\n"
            "      Events:\n        Stream:\n          Type: DynamoDB\n          Properties:\n"
            f"            Stream: !GetAtt {name}Table.StreamArn\n            StartingPosition: LATEST\n")
    return "".join(parts)


def _scan(root: Path) -> dict[str, dict]:
    (root / "template.yaml").write_text(_template())
    for name, code in HANDLERS.items():
        (root / name).mkdir()
        (root / name / "app.py").write_text(HEAD + code)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return {f["function"]: f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR20")}


def test_an_insert_only_processor_whose_writes_make_modify_records_is_not_a_loop(tmp_path):
    found = _scan(tmp_path)
    verdicts = {name: (finding["rule_id"], finding["severity"]) for name, finding in found.items()}
    assert verdicts == {
        "InsideIf": ("LR203", "notice"), "SkipsOthers": ("LR203", "notice"),
        "Comprehension": ("LR203", "notice"), "ThroughHelpers": ("LR203", "notice"),
        "Puts": ("LR201", "warning"), "MayInsert": ("LR201", "warning"), "Modified": ("LR201", "warning"),
    }
    message = found["ThroughHelpers"]["message"]
    assert "makes only `MODIFY` records (the update can only change an item that exists)" in message
    # the condition is shown where the handler chooses it: the call of the helper
    assert "records whose `eventName` is `INSERT` (the condition at `ThroughHelpers/app.py:16`)" in message
    assert "(the condition at `Comprehension/app.py:8`)" in found["Comprehension"]["message"]
