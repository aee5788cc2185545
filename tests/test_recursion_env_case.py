"""A bucket name read from the environment through `.lower()` or `.strip()` (`RAW_BUCKET =
get_env("RAW_BUCKET").lower()`, a config module's habit) is still the bucket the variable names:
an S3 bucket's name is lowercase and no name has surrounding spaces. So a write to another bucket
is proven elsewhere and a write back to the trigger's is a loop, where both were notices that
"the result of `.lower()` on text" could not be resolved (LR204). A queue's name may have capitals:
`.lower()` of it stays unresolved, and says so."""

from __future__ import annotations

import textwrap
from pathlib import Path

from test_recursion import scan, verdicts

_TEMPLATE = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Runtime: python3.12
        Environment:
          Variables:
            RAW_BUCKET: !Sub '${AWS::AccountId}-surveillance-raw'
            CLEAN_BUCKET: !Sub '${AWS::AccountId}-surveillance-clean'
    Resources:
      RawBucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub '${AWS::AccountId}-surveillance-raw'
      CleanBucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub '${AWS::AccountId}-surveillance-clean'
      JobsQueue:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: Surveillance-Jobs
      NormalizeFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: src/normalize
          Handler: app.handler
          Events:
            Raw:
              Type: S3
              Properties:
                Bucket: !Ref RawBucket
                Events: s3:ObjectCreated:*
      TagFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: src/tag
          Handler: app.handler
          Events:
            Raw:
              Type: S3
              Properties:
                Bucket: !Ref RawBucket
                Events: s3:ObjectCreated:*
      RequeueFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: src/requeue
          Handler: app.handler
          Environment:
            Variables:
              JOBS_QUEUE: !GetAtt JobsQueue.QueueName
          Events:
            Jobs:
              Type: SQS
              Properties:
                Queue: !GetAtt JobsQueue.Arn
    """

_CONFIG = """\
    import os

    def get_env(name, default=None):
        value = os.environ.get(name, default)
        if value is None:
            raise RuntimeError(name)
        return value

    RAW_BUCKET = get_env("RAW_BUCKET").lower()
    CLEAN_BUCKET = get_env("CLEAN_BUCKET").lower()
    """

_NORMALIZE = """\
    import boto3
    from config import CLEAN_BUCKET

    s3 = boto3.client("s3")

    def handler(event, context):
        s3.put_object(Bucket=CLEAN_BUCKET, Key="clean/data.parquet", Body=b"")
    """

_TAG = """\
    import os
    import boto3

    s3 = boto3.client("s3")

    def handler(event, context):
        s3.put_object(Bucket=os.environ["RAW_BUCKET"].strip(), Key="tags/latest.json", Body=b"{}")
    """

_REQUEUE = """\
    import os
    import boto3

    sqs = boto3.resource("sqs")

    def handler(event, context):
        queue = sqs.get_queue_by_name(QueueName=os.environ["JOBS_QUEUE"].lower())
        queue.send_message(MessageBody="retry")
    """


def _repository(tmp_path: Path) -> Path:
    files = {"template.yaml": _TEMPLATE, "src/normalize/config.py": _CONFIG, "src/normalize/app.py": _NORMALIZE,
             "src/tag/app.py": _TAG, "src/requeue/app.py": _REQUEUE}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_a_bucket_name_lowercased_or_stripped_is_the_bucket_the_variable_names(tmp_path):
    assert verdicts(_repository(tmp_path)) == {
        ("LR201", "error", "TagFunction", "src/tag/app.py:7"),
        ("LR204", "notice", "RequeueFunction", "src/requeue/app.py:8"),
    }   # NormalizeFunction writes to the clean bucket, not the raw one that triggers it


def test_a_queue_name_lowercased_is_said_to_be_changed(tmp_path):
    requeue = next(f for f in scan(_repository(tmp_path)) if f["function"] == "RequeueFunction")
    assert "environment variable `JOBS_QUEUE` changed by `.lower()`" in requeue["message"]
