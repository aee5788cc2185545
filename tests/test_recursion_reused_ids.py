"""The loop check's answer about a trigger belongs to that trigger, whatever address it has.

The loop check resolves each trigger's resource once and remembers it under the trigger's `id`.
For every invoke permission it builds a trigger, resolves it, and drops it when one of the
function's own triggers already names that resource. CPython gives a freed object's address to a
later one: keyed by number alone, the next permission's trigger, made at the dropped one's address,
was read as the dropped one's bucket, found covered and dropped as well, and the loop through the
bucket only that permission names went unreported (in some runs).

`id` is replaced, in the loop check's module only, by numbers handed out the way the allocator
hands out addresses (`ReusedNumbers`), so the reuse happens on every run.
"""

from __future__ import annotations

import gc
import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers import recursion
from reviewer.cli import main
from tests.test_evaluator_reused_ids import ReusedNumbers

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Inbox: {Type: AWS::S3::Bucket}
  Archive: {Type: AWS::S3::Bucket}
  Sorter:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: sorter/
      Handler: app.handler
      Runtime: python3.13
      Environment: {Variables: {ARCHIVE: !Ref Archive}}
      Events:
        Arrived:
          Type: S3
          Properties: {Bucket: !Ref Inbox, Events: s3:ObjectCreated:*}
  InboxInvokesSorter:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Sorter
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Inbox.Arn
  ArchiveInvokesSorter:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Sorter
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Archive.Arn
"""

HANDLER = """\
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        s3.copy_object(Bucket=os.environ["ARCHIVE"], Key=record["s3"]["object"]["key"],
                       CopySource={"Bucket": record["s3"]["bucket"]["name"], "Key": record["s3"]["object"]["key"]})
"""


def _loops(root: Path) -> set[tuple[str, str, str]]:
    out = io.StringIO()
    main(["scan", str(root), "--audit", "off", "--format", "json", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return {(f["rule_id"], f["function"], f"{f['path']}:{f['line']}") for f in json.loads(out.getvalue())["findings"]
            if f["rule_id"] in ("LR200", "LR201", "LR203", "LR204", "LR205")}


@pytest.mark.parametrize("seed", [None, *range(1, 5)])
def test_a_permission_trigger_dropped_as_covered_lends_its_bucket_to_no_later_one(tmp_path, monkeypatch, seed):
    """The Inbox permission is covered by the S3 event and dropped; the Archive permission, the
    only declaration of the bucket the handler copies into, is still a loop."""
    (tmp_path / "sorter").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "sorter" / "app.py").write_text(HANDLER)
    expected = {("LR201", "Sorter", "sorter/app.py:10")}
    assert _loops(tmp_path) == expected
    monkeypatch.setattr(recursion, "id", ReusedNumbers(seed), raising=False)
    gc.collect()
    gc.disable()      # objects are freed as their last reference goes, never when a collection runs
    try:
        assert _loops(tmp_path) == expected
    finally:
        gc.enable()
