"""The JavaScript reader sees through X-Ray's instrumented SDK clients, `co.wrap` helpers and
middleware chains, as real Node.js handlers write them, and no further."""

from __future__ import annotations

import io
import json

import pytest

from reviewer.cli import main

from reviewer.code.javascript_program import load_program
from reviewer.code.javascript_reader import read_javascript_writes


def writes(source: str, export: str = "handler", path: str = "handler.js") -> set[tuple]:
    program = load_program(None, path, export, inline=(source, 0))
    return {(write.call, write.target.describe()) for write in read_javascript_writes(program)}


@pytest.mark.parametrize("source", [
    "const XRay = require('aws-xray-sdk-core');\nconst AWS = XRay.captureAWS(require('aws-sdk'));\n"
    "const s3 = new AWS.S3();\n"
    "exports.handler = async (e) => s3.putObject({ Bucket: process.env.BUCKET, Key: 'k', Body: 'x' }).promise();",
    "const XRay = require('aws-xray-sdk');\nconst AWS = require('aws-sdk');\n"
    "const s3 = XRay.captureAWSClient(new AWS.S3());\n"
    "exports.handler = async (e) => s3.putObject({ Bucket: process.env.BUCKET, Key: 'k', Body: 'x' }).promise();",
    "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\n"
    "import { captureAWSv3Client } from 'aws-xray-sdk-core';\nconst s3 = captureAWSv3Client(new S3Client({}));\n"
    "export const handler = async () => s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'k' }));",
    "import { Tracer } from '@aws-lambda-powertools/tracer';\n"
    "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nconst tracer = new Tracer();\n"
    "const s3 = tracer.captureAWSv3Client(new S3Client({}));\n"
    "export const handler = async () => s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'k' }));",
])
def test_an_instrumented_client_writes_like_the_client(source):
    assert {target for _, target in writes(source, path="handler.mjs")} == {"environment variable BUCKET"}


def test_a_co_wrap_helper_the_handler_calls_is_read():
    source = ("const AWS = require('aws-sdk');\nconst co = require('co');\nconst lambda = new AWS.Lambda();\n"
              "const again = co.wrap(function* (payload) {\n"
              "  yield lambda.invoke({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME,"
              " InvocationType: 'Event', Payload: JSON.stringify(payload) }).promise();\n"
              "});\n"
              "exports.handler = async (event) => { await again(event); };\n")
    assert writes(source) == {("lambda.invoke", "the function's own name")}


def test_a_handler_built_by_a_middleware_chain_is_the_wrapped_generator():
    """`wrapper(handler).use(metrics)` over `const handler = co.wrap(function* ...)`: the handler is
    that generator, so the other export's write is not lent to it."""
    source = ("const AWS = require('aws-sdk');\nconst co = require('co');\n"
              "const wrapper = require('./middleware/wrapper');\nconst metrics = require('./middleware/metrics');\n"
              "const kinesis = new AWS.Kinesis();\nconst sqs = new AWS.SQS();\n"
              "const handler = co.wrap(function* (event, context, cb) {\n"
              "  yield kinesis.putRecord({ StreamName: 'orders', Data: '{}', PartitionKey: '1' }).promise();\n"
              "  cb(null, 'done');\n"
              "});\n"
              "module.exports.handler = wrapper(handler).use(metrics);\n"
              "module.exports.drain = async () => sqs.sendMessage({ QueueUrl: 'q', MessageBody: 'x' }).promise();\n")
    assert writes(source) == {("kinesis.putRecord", "'orders'")}


def test_a_package_method_named_like_a_helper_passes_it_nothing():
    """`co.wrap(function* ...)` is not a call of the file's own `wrap`: the generator it wraps, never
    called, does not become what the handler's wrapper runs."""
    source = ("const AWS = require('aws-sdk');\nconst co = require('co');\nconst sqs = new AWS.SQS();\n"
              "const wrap = (fn) => async (event) => fn(event);\n"
              "const unused = co.wrap(function* () {\n"
              "  yield sqs.sendMessage({ QueueUrl: 'other', MessageBody: 'x' }).promise();\n"
              "});\n"
              "exports.handler = wrap(async (event) => sqs.sendMessage({ QueueUrl: 'mine', MessageBody: 'x' }).promise());\n")
    assert writes(source) == {("sqs.sendMessage", "'mine'")}



def test_lr306_reads_a_handler_built_by_a_middleware_chain(tmp_path):
    """The untrusted-input reader finds the same handler: a request body reaching a shell in the
    wrapped generator is reported."""
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n"
        "  run:\n    handler: handler.handler\n    events:\n      - httpApi: POST /run\n")
    (tmp_path / "handler.js").write_text(
        "const co = require('co');\nconst { exec } = require('child_process');\n"
        "const wrapper = require('./wrapper');\nconst metrics = require('./metrics');\n"
        "const handler = co.wrap(function* (event, context, cb) {\n"
        "  exec(`convert ${event.body} out.png`);\n  cb(null, 'ok');\n});\n"
        "module.exports.handler = wrapper(handler).use(metrics);\n")
    (tmp_path / "wrapper.js").write_text("module.exports = (f) => f;\n")
    (tmp_path / "metrics.js").write_text("module.exports = {};\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    found = {(f["rule_id"], f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"]}
    assert ("LR306", "handler.js", 6) in found


def test_an_error_caught_and_handed_on_in_an_object_ends_the_evaluation():
    """The shape of a real LLM client (gaiin-platform/amplify-genai-backend): a helper destructures
    `{ error, params }` and writes with them; its caller passes `{ error, params }` from a
    `catch (error)`. The caught `error` was taken for the helper's own parameter of that name, and
    the evaluator went round the two until Python's recursion limit (an LR900 crash)."""
    source = ("const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\n"
              "async function recover({ error, params }) {\n"
              "  await s3.putObject({ Bucket: params.bucket, Key: error.key, Body: 'x' }).promise();\n"
              "}\n"
              "async function callWithRecovery(params) {\n"
              "  try { return await params.call(); }\n"
              "  catch (error) { return recover({ error, params }); }\n"
              "}\n"
              "exports.handler = async (event) => callWithRecovery({ bucket: process.env.BUCKET, call: event.run });\n")
    assert writes(source) == {("s3.putObject", "environment variable BUCKET")}
