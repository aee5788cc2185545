"""A handler that takes the bucket and key from a helper returning both (`bucket, key =
bucket_and_key(event)`) writes to the bucket the event names: each name of a tuple assignment is
the item of the assigned value at its place, so the loop check follows it (LR201, or LR203 when
the trigger's filter keeps the writes out) instead of leaving the bucket unresolved (LR204)."""

from __future__ import annotations

from pathlib import Path

from test_code_reader import read, writes
from test_recursion import verdicts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "recursion" / "sam-unpacked-event-fields"


def test_a_bucket_unpacked_from_a_helper_is_the_bucket_the_event_names():
    assert verdicts(FIXTURE) == {
        ("LR201", "error", "QualityCheckFunction", "src/qc/storage.py:9"),
        ("LR203", "notice", "IngestFunction", "src/qc/storage.py:9"),
    }


def test_a_starred_name_shifts_the_items_after_it_so_they_are_not_split(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.client("s3")

        def parts(event):
            return event["Records"][0]["s3"]["bucket"]["name"], "a", "b"

        def handler(event, context):
            *_, bucket = parts(event)
            s3.put_object(Bucket=bucket, Key="out.json", Body=b"")
    """})
    assert writes(reading) == {("s3.put_object", "one part of an unpacked tuple")}


def test_nested_names_take_the_item_of_the_item(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3
        s3 = boto3.client("s3")

        def handler(event, context):
            (bucket, _), name = (os.environ["OUTPUT_BUCKET"], "x"), "report.json"
            s3.put_object(Bucket=bucket, Key=name, Body=b"")
    """})
    assert writes(reading) == {("s3.put_object", "environment variable OUTPUT_BUCKET")}
