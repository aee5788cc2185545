"""The loop check follows a nested template's parameters to what its parents pass.

A multi-stack SAM app declares its tables and queues in one nested stack and hands them to the
stack of the functions that use them (`JobTableName: !GetAtt DDBStack.Outputs.JobTable`), or passes
a resource of the root itself (`QueueUrl: !Ref Jobs`). Read alone, the child's parameters have no
value, so a write to the table whose stream triggers the function was an LR204 "cannot tell"
notice; followed into the sibling stack's `Outputs` (each branch of an `Fn::If` there), the trigger
and the write name the same resource (LR201) or different ones (no finding)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

ROOT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  KeepTables: {Type: String, Default: "true"}
  SharedEvents: {Type: String, Default: ""}
Resources:
  TablesStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./tables.yaml
      Parameters:
        KeepTables: !Ref KeepTables
  WorkersStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./workers.yaml
      Parameters:
        OrdersTableName: !GetAtt TablesStack.Outputs.OrdersTable
        OrdersStreamArn: !GetAtt TablesStack.Outputs.OrdersStreamArn
        AuditTableName: !GetAtt TablesStack.Outputs.AuditTable
        ImportedTableName: !ImportValue shared-events-table
  Jobs:
    Type: AWS::SQS::Queue
  Results:
    Type: AWS::SQS::Queue
  QueueApp:
    Type: AWS::Serverless::Application
    Properties:
      Location: apps/queue_workers.yaml
      Parameters:
        JobsQueueArn: !GetAtt Jobs.Arn
        JobsQueueUrl: !Ref Jobs
        ResultsQueueUrl: !Ref Results
"""

TABLES = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  KeepTables: {Type: String}
Conditions:
  Keep: !Equals [!Ref KeepTables, "true"]
Resources:
  OrdersTableRetained:
    Type: AWS::DynamoDB::Table
    Condition: Keep
    DeletionPolicy: Retain
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  OrdersTableDisposable:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  AuditTable:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
Outputs:
  OrdersTable:
    Value: !If [Keep, !Ref OrdersTableRetained, !Ref OrdersTableDisposable]
  OrdersStreamArn:
    Value: !If [Keep, !GetAtt OrdersTableRetained.StreamArn, !GetAtt OrdersTableDisposable.StreamArn]
  AuditTable:
    Value: !Ref AuditTable
"""

WORKERS = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.13
    Environment:
      Variables:
        ORDERS_TABLE: !Ref OrdersTableName
        AUDIT_TABLE: !Ref AuditTableName
        IMPORTED_TABLE: !Ref ImportedTableName
Parameters:
  OrdersTableName: {Type: String}
  OrdersStreamArn: {Type: String}
  AuditTableName: {Type: String}
  ImportedTableName: {Type: String}
Resources:
  Totals:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../src/totals/
      Handler: app.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !Ref OrdersStreamArn, StartingPosition: LATEST}
  Auditor:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../src/auditor/
      Handler: app.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !Ref OrdersStreamArn, StartingPosition: LATEST}
  Mirror:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../src/mirror/
      Handler: app.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !Ref OrdersStreamArn, StartingPosition: LATEST}
"""

QUEUE_WORKERS = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  JobsQueueArn: {Type: String}
  JobsQueueUrl: {Type: String}
  ResultsQueueUrl: {Type: String}
Resources:
  Retrier:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../../src/retrier/
      Handler: app.handler
      Runtime: python3.13
      Environment: {Variables: {QUEUE_URL: !Ref JobsQueueUrl}}
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !Ref JobsQueueArn}}
  Finisher:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../../src/finisher/
      Handler: app.handler
      Runtime: python3.13
      Environment: {Variables: {QUEUE_URL: !Ref ResultsQueueUrl}}
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !Ref JobsQueueArn}}
"""

TABLE_CODE = ("import os\nimport boto3\n\ntable = boto3.resource('dynamodb').Table(os.environ['{variable}'])\n\n\n"
              "def handler(event, context):\n    for record in event['Records']:\n"
              "        table.put_item(Item={{'pk': 'copy-' + record['dynamodb']['Keys']['pk']['S']}})\n")
QUEUE_CODE = ("import os\nimport boto3\n\nsqs = boto3.client('sqs')\n\n\n"
              "def handler(event, context):\n    for record in event['Records']:\n"
              "        sqs.send_message(QueueUrl=os.environ['QUEUE_URL'], MessageBody=record['body'])\n")


def _scan(root: Path) -> dict[str, dict]:
    files = {
        "templates/template.yaml": ROOT, "templates/tables.yaml": TABLES, "templates/workers.yaml": WORKERS,
        "templates/apps/queue_workers.yaml": QUEUE_WORKERS,
        "src/totals/app.py": TABLE_CODE.format(variable="ORDERS_TABLE"),
        "src/auditor/app.py": TABLE_CODE.format(variable="AUDIT_TABLE"),
        "src/mirror/app.py": TABLE_CODE.format(variable="IMPORTED_TABLE"),
        "src/retrier/app.py": QUEUE_CODE, "src/finisher/app.py": QUEUE_CODE,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return {f["function"]: f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR20")}


def test_a_trigger_and_a_write_named_through_parameters_follow_the_parents_values(tmp_path):
    found = _scan(tmp_path)
    assert {name: finding["rule_id"] for name, finding in found.items()} == {
        "Totals": "LR201", "Retrier": "LR201", "Mirror": "LR204"}
    # the sibling stack's output, both branches of its Fn::If, and the parent's line that passes it
    totals = found["Totals"]["message"]
    assert "`OrdersTableRetained or OrdersTableDisposable`" in totals
    assert "the value the parent stack passes for parameter OrdersTableName at `templates/template.yaml:18`" in totals
    # a resource of the root itself, passed to an AWS::Serverless::Application by its local Location
    assert "parameter JobsQueueUrl at `templates/template.yaml:32`" in found["Retrier"]["message"]
    # a value the parent imports stays unresolved, and the message says where it is passed
    mirror = found["Mirror"]["message"]
    assert ("the template parameter ImportedTableName, which `templates/template.yaml:21` sets to a value "
            "imported from another stack (Fn::ImportValue)") in mirror


def test_parameters_passed_round_a_cycle_of_templates_stay_unresolved():
    from reviewer.inventory.cloudformation.nested_parameters import NestedParameters

    def template(child: str) -> dict:
        return {"Parameters": {"Name": {"Type": "String"}},
                "Resources": {"Inner": {"Type": "AWS::CloudFormation::Stack",
                                        "Properties": {"TemplateURL": child, "Parameters": {"Name": {"Ref": "Name"}}}}},
                "Outputs": {"Name": {"Value": {"Fn::GetAtt": ["Inner", "Outputs.Name"]}}}}

    documents = {"a.yaml": template("b.yaml"), "b.yaml": template("a.yaml")}
    nested = NestedParameters(documents, {"a.yaml": [("b.yaml", "Inner")], "b.yaml": [("a.yaml", "Inner")]})
    assert nested.passed("a.yaml", "Name") is None
    assert nested.passed("b.yaml", "Name") is None
