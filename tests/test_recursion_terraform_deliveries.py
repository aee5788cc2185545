"""Loops through a second service in Terraform: a bucket whose `aws_s3_bucket_notification` sends
to a queue the function consumes (resource `queue` blocks, for `count` instances too, and the
terraform-aws-modules s3-bucket `notification` submodule), and a topic whose
`aws_sns_topic_subscription` (protocol `sqs`, one per `for_each` key) feeds that queue. Each root
module of the fixture is a service of its own; `services/reports` declares the same addresses as
`services/ingest` without a notification, so nothing there loops."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from inventory_helpers import line_containing

from reviewer.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "recursion" / "terraform-second-service"
RECURSION_RULES = ("LR200", "LR201", "LR202", "LR203", "LR204", "LR205")


def _run(*args: str) -> str:
    out = io.StringIO()
    main(list(args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _findings() -> list[dict]:
    report = json.loads(_run("scan", str(FIXTURE), "--format", "json", "--reference-date", "2026-06-01"))
    return [finding for finding in report["findings"] if finding["rule_id"] in RECURSION_RULES]


def _at(rel: str, snippet: str) -> str:
    return f"{rel}:{line_containing(FIXTURE, rel, snippet)}"


def _steps(finding: dict) -> list[tuple[str, str, str]]:
    return [(step["from"], step["action"], f"{step['path']}:{step['line']}") for step in finding["loop"]]


def _one(findings: list[dict], function: str, path: str) -> dict:
    found = [f for f in findings if f["function"] == function and f["path"] == path]
    assert len(found) == 1, found
    return found[0]


INGEST, FANOUT, MEDIA = "services/ingest/main.tf", "services/fanout/main.tf", "services/media/main.tf"


def test_each_loop_through_a_queue_is_found_and_nothing_else():
    thumbnailer = "services/ingest/src/thumbnailer/app.py"
    enricher = "services/fanout/src/enricher/handler.py"
    transcoder = "services/media/src/transcoder/app.py"
    indexer = "services/ingest/src/indexer/app.py"
    assert {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in _findings()} == {
        # bucket -> queue -> function, no filter on the notification
        ("LR201", "error", "services/ingest:aws_lambda_function.thumbnailer", _at(thumbnailer, "s3.put_object")),
        # topic -> queue (one subscription per for_each key) -> function
        ("LR201", "error", "services/fanout:aws_lambda_function.enricher", _at(enricher, "sns.publish")),
        # bucket (count = 2) -> queue, suffix .json, and the written key ends with .json
        ("LR201", "error", "services/fanout:aws_lambda_function.enricher", _at(enricher, "s3.put_object")),
        # the notification submodule: suffix .mov, and the rendition ends with .mov
        ("LR201", "error", "services/media:module.transcoder", _at(transcoder, "s3.upload_file")),
        # prefix raw/, and the index is written under index/
        ("LR203", "notice", "services/ingest:aws_lambda_function.indexer", _at(indexer, "s3.put_object")),
    }   # the archiver copies into another bucket; services/reports has its own bucket and queue, not notified


def test_the_loop_is_drawn_through_the_notification_and_the_mapping():
    findings = _findings()
    thumbnailer = _one(findings, "services/ingest:aws_lambda_function.thumbnailer",
                       "services/ingest/src/thumbnailer/app.py")
    notification_line = line_containing(FIXTURE, INGEST, "queue_arn = aws_sqs_queue.uploads.arn") - 1
    assert _steps(thumbnailer) == [
        ("S3 bucket aws_s3_bucket.uploads", "notifies", f"{INGEST}:{notification_line}"),
        ("SQS queue aws_sqs_queue.uploads", "invokes", _at(INGEST, 'resource "aws_lambda_event_source_mapping" "thumbnailer"')),
        ("services/ingest:aws_lambda_function.thumbnailer", "put_object",
         _at("services/ingest/src/thumbnailer/app.py", "s3.put_object")),
    ]
    assert "`BUCKET`" in thumbnailer["message"]
    assert f"{INGEST}:{line_containing(FIXTURE, INGEST, 'BUCKET = aws_s3_bucket.uploads.id')}" in \
        {f"{p['path']}:{p['line']}" for p in thumbnailer["related"]}

    enricher = [f for f in findings if f["function"] == "services/fanout:aws_lambda_function.enricher"]
    topic_loop = next(f for f in enricher if f["loop"][0]["from"] == "SNS topic aws_sns_topic.events")
    assert _steps(topic_loop)[:2] == [
        ("SNS topic aws_sns_topic.events", "notifies", _at(FANOUT, 'resource "aws_sns_topic_subscription" "enrich"')),
        ("SQS queue aws_sqs_queue.enrich", "invokes", _at(FANOUT, 'resource "aws_lambda_event_source_mapping"')),
    ]

    transcoder = _one(findings, "services/media:module.transcoder", "services/media/src/transcoder/app.py")
    assert _steps(transcoder)[:2] == [
        ("S3 bucket module.media_bucket", "notifies", _at(MEDIA, "originals = {")),
        ("SQS queue aws_sqs_queue.transcode", "invokes", _at(MEDIA, "transcode = {")),
    ]

    out = _run("scan", str(FIXTURE), "--format", "markdown", "--reference-date", "2026-06-01")
    block = next(b for b in re.findall(r"```mermaid\n(.*?)\n```", out, flags=re.S) if "aws_sqs_queue.uploads" in b)
    assert f'-->|"notifies, {INGEST}:{notification_line}"|' in block


def test_a_prefix_filter_is_judged_at_its_own_line():
    indexer = _one(_findings(), "services/ingest:aws_lambda_function.indexer", "services/ingest/src/indexer/app.py")
    assert "`raw/`" in indexer["message"] and "`index/latest.json`" in indexer["message"]
    assert _at(INGEST, 'filter_prefix = "raw/"') in {f"{p['path']}:{p['line']}" for p in indexer["related"]}
