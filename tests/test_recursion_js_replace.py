"""A Node.js handler that rewrites the triggering key with `.replace`/`.replaceAll` is read the
way a Python `key.replace(old, new)` is: a key rewritten from `.raw` to `.txt` no longer matches a
`.raw` suffix filter, while a rewrite that keeps `.raw` (or cannot be read) is still a loop.
Also: the loop-coverage reason for a CDK entry file that is missing and a SAM function without
`CodeUri` (whose code is the template's folder)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Convert:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: nodejs22.x
      Policies:
        - S3CrudPolicy:
            BucketName: !Ref Uploads
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - Name: suffix
                    Value: .raw
"""

HANDLER = """\
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});
exports.handler = async (event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key);
    await s3.send(new PutObjectCommand({
      Bucket: record.s3.bucket.name,
      Key: KEY,
      Body: "converted",
    }));
  }
};
"""


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def scan(path: Path) -> dict:
    _, out = run("scan", str(path), "--format", "json", "--reference-date", "2026-06-01",
                 "--fail-on", "never", "--osv-url", "http://127.0.0.1:9/v1/query")
    return json.loads(out)


def loop_verdicts(tmp_path: Path, key_expression: str) -> set[tuple[str, str]]:
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "src" / "app.js").write_text(HANDLER.replace("KEY", key_expression))
    return {(f["rule_id"], f["severity"]) for f in scan(tmp_path)["findings"] if f["rule_id"].startswith("LR20")}


@pytest.mark.parametrize("key_expression", [
    'key.replaceAll(".raw", ".txt")',
    "key.replace(/\\.raw$/, '.txt')",
    "key.replace(/\\.raw/g, '.txt')",
    "key.replace(/\\.raw$/u, `.txt`)",
    'key.replace(".raw", ".txt")',   # first occurrence only: each round removes one, so it ends
])
def test_a_key_rewritten_away_from_the_filter_suffix_is_a_notice(tmp_path, key_expression):
    assert loop_verdicts(tmp_path, key_expression) == {("LR203", "notice")}


@pytest.mark.parametrize("key_expression", [
    'key.replaceAll("incoming/", "converted/")',   # the folder changes, the `.raw` end stays
    "key.replace(/^in\\//, 'out/')",              # a regex with an anchor this reading does not follow
    "key.replace(/\\.RAW$/i, '.txt')",             # case-insensitive: not a plain pattern
    "key.replace(/\\.raw$/, '$&.txt')",            # `$` substitutions are not followed
])
def test_a_rewrite_that_keeps_the_suffix_or_cannot_be_read_stays_a_loop(tmp_path, key_expression):
    assert ("LR201", "error") in loop_verdicts(tmp_path, key_expression)


def coverage(path: Path) -> dict[str, dict]:
    return {row["function"]: row for row in scan(path)["summary"]["loop_coverage"]}


def test_a_nodejs_function_whose_entry_file_is_missing_says_so(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as path from 'path';\n"
        "import { Stack } from 'aws-cdk-lib';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "export class Api extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    new NodejsFunction(this, 'Resize', {\n"
        "      entry: path.join(__dirname, '../functions/resize.ts'),\n"
        "      runtime: Runtime.NODEJS_22_X,\n"
        "    });\n"
        "  }\n"
        "}\n")
    row = coverage(tmp_path)["Resize"]
    assert not row["read"]
    assert row["detail"] == "its entry file functions/resize.ts is not in the repository"


def test_a_sam_function_without_code_uri_reads_the_template_folder(tmp_path):
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Hello:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.12\n")
    (tmp_path / "service" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    result = scan(tmp_path)
    assert [fn["code_path"] for fn in result["functions"]] == ["service"]
    row = {row["function"]: row for row in result["summary"]["loop_coverage"]}["Hello"]
    assert row["read"] and row["detail"] == "Python, service/app.py"


PREFIX_TEMPLATE = TEMPLATE.replace("Name: suffix\n                    Value: .raw",
                                   "Name: prefix\n                    Value: uploaded/")


def prefix_verdicts(tmp_path: Path, key_expression: str) -> set[tuple[str, str]]:
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(PREFIX_TEMPLATE)
    (tmp_path / "src" / "app.js").write_text(HANDLER.replace("KEY", key_expression))
    return {(f["rule_id"], f["severity"]) for f in scan(tmp_path)["findings"] if f["rule_id"].startswith("LR20")}


@pytest.mark.parametrize("key_expression", [
    # The shape of an import service that moves `uploaded/x.csv` to `parsed/x.csv` in the same bucket.
    "key.replace('uploaded', 'parsed')",
    "key.replace('loaded', 'x')",      # `uploaded/a` becomes `upx/a`: out of the prefix too
])
def test_a_key_moved_out_of_the_filter_prefix_is_a_notice(tmp_path, key_expression):
    assert prefix_verdicts(tmp_path, key_expression) == {("LR203", "notice")}


@pytest.mark.parametrize("key_expression", [
    "key.replace('uploaded/', 'uploaded/done-')",   # still under the filtered prefix
    "key.replace('.csv', '.json')",                 # the prefix is not what is replaced
])
def test_a_rewrite_that_may_stay_under_the_filter_prefix_stays_a_loop(tmp_path, key_expression):
    assert ("LR201", "error") in prefix_verdicts(tmp_path, key_expression)
