"""A parent template nests its pipelines by the template `sam build` writes for each
(`Location: ../../pipelines/replay/.aws-sam/build/template.yaml`, as aws-serverless-event-fork-
pipelines' example app does); the build folder is not committed, so the nested application is the
project's own `template.yml`. Its functions then carry the parent's path, and what the parent
passes them is known: the replay function sends to the queue a sibling pipeline's output names,
not to its own trigger (an LR204 notice said that queue could not be resolved)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

PARENT = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTopic:
    Type: AWS::SNS::Topic
  CheckoutPipeline:
    Type: AWS::Serverless::Application
    Properties:
      Location: ../checkout-pipeline/.aws-sam/build/template.yaml
      Parameters:
        TopicArn: !Ref OrdersTopic
  ReplayPipeline:
    Type: AWS::Serverless::Application
    Properties:
      Location: ../../../pipelines/replay/.aws-sam/build/template.yaml
      Parameters:
        TopicArn: !Ref OrdersTopic
        DestinationQueueName: !GetAtt CheckoutPipeline.Outputs.CheckoutQueueName
"""

CHECKOUT = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  TopicArn:
    Type: String
Resources:
  CheckoutQueue:
    Type: AWS::SQS::Queue
Outputs:
  CheckoutQueueName:
    Value: !GetAtt CheckoutQueue.QueueName
"""

REPLAY = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  TopicArn:
    Type: String
  DestinationQueueName:
    Type: String
Resources:
  ReplayQueue:
    Type: AWS::SQS::Queue
  ReplayFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: replay.handler
      Runtime: python3.13
      Environment:
        Variables:
          DESTINATION_QUEUE_NAME: !Ref DestinationQueueName
      Events:
        Replay:
          Type: SQS
          Properties:
            Queue: !GetAtt ReplayQueue.Arn
"""

HANDLER = """import os

import boto3

queue = boto3.resource("sqs").get_queue_by_name(QueueName=os.environ["DESTINATION_QUEUE_NAME"])


def handler(event, context):
    queue.send_messages(Entries=[{"Id": r["messageId"], "MessageBody": r["body"]} for r in event["Records"]])
"""


def _repository(root: Path) -> Path:
    files = {
        "examples/shop/checkout-api/template.yml": PARENT,
        "examples/shop/checkout-pipeline/template.yml": CHECKOUT,
        "pipelines/replay/template.yml": REPLAY,
        "pipelines/replay/src/replay.py": HANDLER,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_nested_build_output_is_the_project_s_own_template(tmp_path: Path) -> None:
    inventory = build_inventory(Workspace(_repository(tmp_path)))
    [replay] = inventory.functions
    assert replay.properties["NestedApplicationPath"] == "ReplayPipeline/ReplayFunction"
    assert inventory.nested_stacks["pipelines/replay/template.yml"] == [
        ("examples/shop/checkout-api/template.yml", "ReplayPipeline")]


def test_what_the_parent_passes_through_it_settles_the_write(tmp_path: Path) -> None:
    out = io.StringIO()
    main(["scan", str(_repository(tmp_path)), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    assert not [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]
