"""A module imported inside a function body (`from rag.handlers.visual import describe` in the
function that needs it, to avoid a circular import) is read as a module import: its writes count
for the loop check and event data reaching its sinks for LR306. Pinned here with a service in the
shape of amplify-genai-backend's `rag/core.py`, whose only import of its visuals module is so written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

FILES = {
    "serverless.yml": """\
service: rag
provider:
  name: aws
  runtime: python3.12
  environment:
    VISUALS_BUCKET: !Ref RagInputBucket
functions:
  process_document_for_rag:
    handler: rag/core.process_document_for_rag
    events:
      - s3:
          bucket: !Ref RagInputBucket
          existing: true
          event: s3:ObjectCreated:*
resources:
  Resources:
    RagInputBucket:
      Type: AWS::S3::Bucket
""",
    "rag/__init__.py": "",
    "rag/handlers/__init__.py": "",
    "rag/core.py": """\
import asyncio
import logging

logger = logging.getLogger(__name__)


async def extract_text(key, owner=None):
    if owner:
        try:
            # imported here: the visuals module imports this one
            from rag.handlers.visual import describe

            await describe(key, owner)
        except ImportError as error:
            logger.warning("visuals unavailable: %s", error)
    return key


def process_document_for_rag(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        asyncio.run(extract_text(key, "owner"))
""",
    "rag/handlers/visual.py": """\
import os
import subprocess

import boto3

from rag.core import logger

s3 = boto3.client("s3")


async def describe(key, owner):
    subprocess.run(f"convert {key} page.png", shell=True)
    s3.put_object(Bucket=os.environ["VISUALS_BUCKET"], Key=f"visuals/{owner}/{key}", Body=b"")
    logger.info("described %s", key)
""",
}


def test_a_module_imported_inside_a_function_is_read_for_the_loop_check_and_lr306(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    found = {(f["rule_id"], f["path"]) for f in json.loads(out.getvalue())["findings"]}
    assert ("LR306", "rag/handlers/visual.py") in found
    assert ("LR201", "rag/handlers/visual.py") in found
