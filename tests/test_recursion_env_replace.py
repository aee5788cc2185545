"""An import pipeline that moves each uploaded object to another folder of the same bucket,
`key.replace(process.env.UPLOAD_DIR, process.env.DONE_DIR)` (Python: `os.environ[...]`), is
read with the folders the function's environment declares: the written key starts with the
done folder, outside the trigger's `incoming/` prefix filter, so it is LR203, not a loop. A
folder the environment does not declare, or a replacement the reader cannot follow, leaves the
written key unknown: never "the incoming key", which would claim the write matches the filter."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main

CONFIG = """\
service: importer
provider:
  name: aws
  runtime: RUNTIME
  environment:
    BUCKET: import-bucket
    UPLOAD_DIR: incoming
ENVIRONMENT
functions:
  parse:
    handler: src/parse.main
    events:
      - s3:
          bucket: import-bucket
          existing: true
          event: s3:ObjectCreated:*
          rules:
            - prefix: incoming/
"""

NODE = """\
const { S3Client, CopyObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});
exports.main = async (event) => {
  for (const record of event.Records) {
    const key = record.s3.object.key;
    await s3.send(new CopyObjectCommand({
      Bucket: process.env.BUCKET,
      CopySource: `${process.env.BUCKET}/${key}`,
      Key: key.replace(OLD, NEW),
    }));
  }
};
"""

PYTHON = """\
import os
import boto3

s3 = boto3.client("s3")


def main(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        s3.copy_object(Bucket=os.environ["BUCKET"], CopySource={"Bucket": "import-bucket", "Key": key},
                       Key=key.replace(OLD, NEW))
"""

LANGUAGES = {
    "node": ("nodejs22.x", "parse.js", NODE, "process.env.{}"),
    "python": ("python3.12", "parse.py", PYTHON, 'os.environ["{}"]'),
}


def scan(path: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR20")]


def loop_findings(tmp_path: Path, language: str, declared: bool, old: str = "") -> list[dict]:
    runtime, name, handler, env = LANGUAGES[language]
    environment = "    DONE_DIR: done" if declared else ""
    (tmp_path / "serverless.yml").write_text(CONFIG.replace("RUNTIME", runtime).replace("ENVIRONMENT\n",
                                                                                         environment + "\n"))
    (tmp_path / "src").mkdir()
    code = handler.replace("OLD", old or env.format("UPLOAD_DIR")).replace("NEW", env.format("DONE_DIR"))
    (tmp_path / "src" / name).write_text(code)
    return scan(tmp_path)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_folders_from_the_environment_move_the_key_out_of_the_filter(tmp_path: Path, language: str) -> None:
    findings = loop_findings(tmp_path, language, declared=True)
    assert [f["rule_id"] for f in findings] == ["LR203"]
    assert "starts with `done`" in findings[0]["message"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_an_undeclared_folder_leaves_the_written_key_unknown(tmp_path: Path, language: str) -> None:
    findings = loop_findings(tmp_path, language, declared=False)
    assert [f["rule_id"] for f in findings] == ["LR201"]
    message = findings[0]["message"]
    assert "cannot be shown to exclude it" in message
    assert "match that filter too" not in message


def test_a_replacement_that_cannot_be_read_is_not_the_incoming_key(tmp_path: Path) -> None:
    findings = loop_findings(tmp_path, "node", declared=True, old="folderOf(record)")
    assert [f["rule_id"] for f in findings] == ["LR201"]
    message = findings[0]["message"]
    assert "match that filter too" not in message
    assert "cannot be shown to exclude it" in message
