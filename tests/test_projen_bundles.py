"""A projen construct library's functions: each a `src/<path>.lambda.ts` entry that `projen bundle`
writes to `assets/<path>.lambda/index.js` (built in CI, never committed), deployed by the construct
projen generates beside it (`Code.fromAsset(path.join(__dirname, '../assets/<path>.lambda'))`,
`index.handler`, the newest Node.js runtime of the region). Shaped like a construct library whose
stack makes an ingest function fed by a queue and a cleanup job one folder down."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.projen_bundles import bundled_entry, bundled_handler_file
from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

from tests.inventory_helpers import scan_report

INGEST_FUNCTION = """\
// Written by the project generator: edit the project file, not this one.
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { determineLatestNodeRuntime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface IngestFunctionProps extends lambda.FunctionOptions {
  readonly runtime?: lambda.Runtime;
}

export class IngestFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props?: IngestFunctionProps) {
    super(scope, id, {
      description: 'src/ingest.lambda.ts',
      ...props,
      runtime: props?.runtime ?? determineLatestNodeRuntime(scope),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../assets/ingest.lambda')),
    });
  }
}
"""

CLEANUP_FUNCTION = INGEST_FUNCTION.replace("IngestFunction", "CleanupFunction").replace(
    "src/ingest.lambda.ts", "src/jobs/cleanup.lambda.ts").replace(
    "'../assets/ingest.lambda'", "'../../assets/jobs/cleanup.lambda'")

PIPELINE = """\
import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { IngestFunction } from './ingest-function';
import { CleanupFunction } from './jobs/cleanup-function';

export class Pipeline extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const inbox = new sqs.Queue(this, 'Inbox');
    const archive = new sqs.Queue(this, 'Archive');
    const ingest = new IngestFunction(this, 'Ingest', {
      environment: { ARCHIVE_URL: archive.queueUrl },
      timeout: cdk.Duration.seconds(30),
    });
    ingest.addEventSource(new sources.SqsEventSource(inbox));
    archive.grantSendMessages(ingest);
    new CleanupFunction(this, 'Cleanup');
  }
}
"""

INGEST = """\
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';

const client = new SQSClient({});

export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    await client.send(new SendMessageCommand({ QueueUrl: process.env.ARCHIVE_URL, MessageBody: record.body }));
  }
}
"""

CLEANUP = """\
export const handler = async (): Promise<{ removed: number }> => ({ removed: 0 });
"""


def library(root: Path) -> Path:
    files = {
        "cdk.json": '{"app": "npx ts-node --prefer-ts-exts src/integ.default.ts"}',
        "package.json": '{"name": "pipeline-constructs", "devDependencies": {"aws-cdk-lib": "2.180.0"}}',
        "src/ingest-function.ts": INGEST_FUNCTION,
        "src/jobs/cleanup-function.ts": CLEANUP_FUNCTION,
        "src/pipeline.ts": PIPELINE,
        "src/ingest.lambda.ts": INGEST,
        "src/jobs/cleanup.lambda.ts": CLEANUP,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def by_name(root: Path) -> tuple[Workspace, dict]:
    workspace = Workspace(root)
    return workspace, {function.name: function for function in build_inventory(workspace).functions}


def test_the_bundle_folder_is_kept_as_the_functions_code_and_named_javascript(tmp_path):
    _, functions = by_name(library(tmp_path))
    assert functions["Ingest"].code_path == "assets/ingest.lambda"
    assert functions["Cleanup"].code_path == "assets/jobs/cleanup.lambda"
    assert functions["Ingest"].handler == "index.handler"
    assert functions["Ingest"].properties.get("HandlerLanguage") == "javascript"


def test_the_entry_file_is_read_for_the_bundles_index_saying_so(tmp_path):
    workspace, functions = by_name(library(tmp_path))
    reading = read_function_code(workspace, functions["Ingest"])
    assert reading.skipped is None
    assert reading.handler_path == "src/ingest.lambda.ts"
    assert [(write.service, write.operation) for write in reading.writes] == [("sqs", "send(SendMessageCommand)")]
    assert reading.source_note is not None
    assert reading.source_note == "projen bundles it into the code location assets/ingest.lambda, which is not in the repository"
    nested = read_function_code(workspace, functions["Cleanup"])
    assert nested.handler_path == "src/jobs/cleanup.lambda.ts"


def test_the_loop_check_reads_the_entry_and_leaves_no_unread_code_notice(tmp_path):
    report = scan_report(library(tmp_path), "2026-12-08")
    rules = {finding["rule_id"] for finding in report["findings"]}
    assert "LR206" not in rules          # "could not read its code": it now reads src/ingest.lambda.ts
    coverage = {entry["function"]: entry for entry in report["summary"]["loop_coverage"]}
    assert coverage["Ingest"]["read"] is True


def test_only_a_missing_bundle_mirroring_an_entry_file_is_mapped(tmp_path):
    library(tmp_path)
    workspace = Workspace(tmp_path)
    assert bundled_entry(workspace, "assets/ingest.lambda") == "src/ingest.lambda.ts"
    assert bundled_entry(workspace, "assets/jobs/cleanup.lambda") == "src/jobs/cleanup.lambda.ts"
    assert bundled_entry(workspace, "assets/missing.lambda") is None
    assert bundled_entry(workspace, "dist/ingest.lambda") is None       # not projen's bundle folder
    assert bundled_handler_file(workspace, "assets/ingest.lambda", "main") is None   # esbuild writes `index`
    (tmp_path / "assets" / "ingest.lambda").mkdir(parents=True)
    assert bundled_entry(Workspace(tmp_path), "assets/ingest.lambda") is None      # committed: read as it is
