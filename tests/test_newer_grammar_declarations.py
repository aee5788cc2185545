"""Declarations and inline handlers written in Python 3.12 grammar are read on an older
interpreter too, as handler modules already were (`reviewer.python_downgrade`): a CDK stack with
a PEP 701 f-string (`f"rule_{name.replace(".", "_")}"`) declares its functions instead of being
reported as a syntax error (LR901), and a template's inline handler with one is read by the loop
check instead of being called "not valid Python"."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = '''from aws_cdk import Stack, aws_lambda as _lambda
from aws_cdk.aws_events_targets import SqsQueue


class ActivityApi(Stack):
    def __init__(self, scope, construct_id, shared, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        for event in ["order.created.v1", "order.completed.v1"]:
            rule = shared.add_subscription_rule(self, f"activity_{event.replace(".", "_")}", event)
            rule.add_target(SqsQueue(shared.queue))
        self.handler = _lambda.Function(
            self,
            "HandleEvents",
            runtime=_lambda.Runtime.PYTHON_3_13,
            handler="activity.handlers.create_activity.lambda_handler",
            code=_lambda.Code.from_asset(".build/lambdas"),
        )
'''


def test_a_cdk_stack_with_a_pep701_f_string_declares_its_function(tmp_path: Path) -> None:
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "api_construct.py").write_text(STACK)
    inventory = build_inventory(Workspace(tmp_path))
    assert [(fn.name, fn.runtime, fn.handler) for fn in inventory.functions] == [
        ("HandleEvents", "python3.13", "activity.handlers.create_activity.lambda_handler")]
    assert not [notice for notice in inventory.notices if notice.rule_id in ("LR901", "LR903")]


TEMPLATE = '''AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  UploadsBucket:
    Type: AWS::S3::Bucket
  RenameFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Environment:
        Variables:
          BUCKET: !Ref UploadsBucket
      Policies:
        - S3CrudPolicy:
            BucketName: !Ref UploadsBucket
      InlineCode: |
        import os
        import boto3

        s3 = boto3.client("s3")

        def handler(event, context):
            for record in event["Records"]:
                key = record["s3"]["object"]["key"]
                s3.put_object(Bucket=os.environ["BUCKET"], Key=f"renamed/{key.replace(" ", "_")}", Body=b"")
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref UploadsBucket
            Events: s3:ObjectCreated:*
'''


def test_an_inline_handler_with_a_pep701_f_string_is_read_by_the_loop_check(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    report = json.loads(out.getvalue())
    assert [(f["function"], f["path"]) for f in report["findings"] if f["rule_id"] == "LR201"] == [
        ("RenameFunction", "template.yaml")]
    assert [entry["read"] for entry in report["summary"]["loop_coverage"]] == [True]
