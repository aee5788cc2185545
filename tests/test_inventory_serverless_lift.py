"""serverless-lift: a `queue` construct's worker is a function of the service, subscribed to the
construct's queue, and `${construct:<id>.<variable>}` names the construct's resource.

Seen on serverless/examples (aws-node-sqs-worker, aws-python-sqs-worker, aws-ruby-sqs-with-dynamodb):
the worker was not listed at all; on aws-node-s3-file-replicator, a copy from one Lift storage
bucket to another was "could not resolve the S3 bucket the write targets" (LR204)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.model import Function, ResourceRef
from reviewer.workspace import Workspace

SERVICE = """\
service: thumbnails
frameworkVersion: '3'

provider:
  name: aws
  runtime: nodejs20.x

constructs:
  renders:
    type: queue
    batchSize: 5
    worker:
      handler: src/render.handler
      environment:
        RENDER_QUEUE_URL: ${construct:renders.queueUrl}
  originals:
    type: storage
  thumbnails:
    type: storage
  notifications:
    type: queue
    worker: notify

functions:
  resize:
    handler: src/resize.handler
    environment:
      THUMBNAILS_BUCKET: ${construct:thumbnails.bucketName}
      ORIGINALS_URL: ${construct:originals.publicUrl}
    events:
      - s3:
          bucket: ${construct:originals.bucketName}
          existing: true
  notify:
    handler: src/notify.handler

PLUGINS"""

RENDER = """\
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");

const sqs = new SQSClient({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    const job = JSON.parse(record.body);
    await sqs.send(new SendMessageCommand({
      QueueUrl: process.env.RENDER_QUEUE_URL,
      MessageBody: JSON.stringify({ page: job.page + 1 }),
    }));
  }
};
"""

RESIZE = """\
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    await s3.send(new PutObjectCommand({
      Bucket: process.env.THUMBNAILS_BUCKET,
      Key: record.s3.object.key,
      Body: "thumbnail",
    }));
  }
};
"""


def _service(root: Path, plugins: str = "plugins:\n  - serverless-lift\n") -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "serverless.yml").write_text(SERVICE.replace("PLUGINS", plugins))
    (root / "src" / "render.js").write_text(RENDER)
    (root / "src" / "resize.js").write_text(RESIZE)
    (root / "src" / "notify.js").write_text("exports.handler = async (event) => event.Records.length;\n")
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in ServerlessFormat().scan(Workspace(root)).functions}


def test_a_queue_construct_deploys_its_worker_subscribed_to_the_queue(tmp_path: Path) -> None:
    worker = _functions(_service(tmp_path))["rendersWorker"]
    assert (worker.runtime, worker.handler, str(worker.location)) == ("nodejs20.x", "src/render.handler",
                                                                      "serverless.yml:12")
    assert worker.physical_name == "thumbnails-dev-rendersWorker"
    trigger, = worker.triggers
    assert (trigger.kind, trigger.target, trigger.attributes["batchSize"]) == (
        "sqs", ResourceRef("cdk", "serverless.yml#renders"), 5)
    assert worker.environment["RENDER_QUEUE_URL"] == ResourceRef("cdk", "serverless.yml#renders")


def test_a_worker_naming_a_function_subscribes_that_function(tmp_path: Path) -> None:
    functions = _functions(_service(tmp_path))
    assert "notificationsWorker" not in functions
    trigger, = functions["notify"].triggers
    assert (trigger.kind, trigger.target) == ("sqs", ResourceRef("cdk", "serverless.yml#notifications"))


def test_construct_variables_name_each_constructs_own_resource(tmp_path: Path) -> None:
    resize = _functions(_service(tmp_path))["resize"]
    assert resize.triggers[0].target == ResourceRef("cdk", "serverless.yml#originals")
    assert resize.environment["THUMBNAILS_BUCKET"] == ResourceRef("cdk", "serverless.yml#thumbnails")
    # a URL is no resource name: it stays what the review cannot resolve
    assert resize.environment["ORIGINALS_URL"].kind == "unresolved"


def test_without_the_plugin_constructs_are_not_read(tmp_path: Path) -> None:
    functions = _functions(_service(tmp_path, plugins=""))
    assert set(functions) == {"resize", "notify"}
    assert functions["resize"].environment["THUMBNAILS_BUCKET"].kind == "unresolved"


def _loop_findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR20")]


def test_a_worker_sending_to_its_own_queue_loops_and_a_copy_between_two_buckets_does_not(tmp_path: Path) -> None:
    finding, = _loop_findings(_service(tmp_path))
    assert (finding["rule_id"], finding["function"], finding["path"]) == ("LR201", "rendersWorker", "src/render.js")
    assert "`constructs.renders` at `serverless.yml:12`" in finding["message"]
