"""A function deployed from a TypeScript build's output that is not committed (`dist/`, built in
CI): its package's `tsconfig.json` (`outDir`, and `rootDir` or the common folder of the inputs)
says which source folder the output mirrors, and the handler is read there, saying so. Shaped like
a CDK app whose construct helper deploys `runtime/<entry>/dist/<entry>/src` (the package's `paths`
pull in a shared layer's sources, so `tsc` mirrors the folder above the package), a SAM template
with `CodeUri: dist/`, a Terraform `archive_file` of `app/dist` and a Serverless handler
`build/handlers/create.main`."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

QUEUE_FUNCTION = """\
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'path';

interface QueueFunctionProps {
  entry: string;
  handler: string;
}

export class QueueFunction extends Construct {
  public readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: QueueFunctionProps) {
    super(scope, id);
    this.fn = new lambda.Function(this, 'queue-function', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'runtime', props.entry, 'dist', props.entry, 'src')),
      handler: props.handler,
      runtime: lambda.Runtime.NODEJS_22_X,
    });
  }
}
"""

DISPATCH_STACK = """\
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { QueueFunction } from '../constructs/queue-function';

export class DispatchStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new QueueFunction(this, 'Dispatcher', { entry: 'dispatcher', handler: 'main.handler' });
  }
}
"""

# `tsc` accepts comments and trailing commas; the `paths` entry reaches outside the package
DISPATCHER_TSCONFIG = """\
{
  // compiled by `npm run build` in CI
  "compilerOptions": {
    "module": "commonjs",
    "outDir": "./dist",
    "paths": { "/opt/nodejs/shared": ["../layers/shared/src"], },
  },
}
"""

DISPATCHER = """\
import { SQS } from 'aws-sdk';

const sqs = new SQS();

export const handler = async (event: { Records: { body: string }[] }): Promise<void> => {
  for (const record of event.Records) {
    await sqs.sendMessage({ QueueUrl: process.env.OUTBOX_URL!, MessageBody: record.body }).promise();
  }
};
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def cdk_app(root: Path, tsconfig: str | None = DISPATCHER_TSCONFIG) -> Path:
    files = {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "lib/constructs/queue-function.ts": QUEUE_FUNCTION,
        "lib/stacks/dispatch-stack.ts": DISPATCH_STACK,
        "runtime/dispatcher/src/main.ts": DISPATCHER,
        "runtime/layers/shared/src/index.ts": "export const shared = 1;\n",
    }
    if tsconfig is not None:
        files["runtime/dispatcher/tsconfig.json"] = tsconfig
    return write(root, files)


def only_function(root: Path):
    workspace = Workspace(root)
    functions = build_inventory(workspace).functions
    assert len(functions) == 1
    return workspace, functions[0]


def test_cdk_asset_in_an_uncommitted_tsc_output_is_read_from_the_source_it_mirrors(tmp_path):
    workspace, function = only_function(cdk_app(tmp_path))
    assert function.code_path == "runtime/dispatcher/dist/dispatcher/src"
    reading = read_function_code(workspace, function)
    assert reading.skipped is None
    assert reading.handler_path == "runtime/dispatcher/src/main.ts"
    assert [write.operation for write in reading.writes] == ["sendMessage"]
    assert reading.source_note is not None
    assert "runtime/dispatcher/dist/dispatcher/src is a TypeScript build's output" in reading.source_note
    assert "runtime/dispatcher/tsconfig.json compiles into it" in reading.source_note


def test_a_missing_build_folder_no_tsconfig_explains_is_still_dropped(tmp_path):
    _, function = only_function(cdk_app(tmp_path, tsconfig=None))
    assert function.code_path is None


def test_a_tsconfig_whose_output_is_elsewhere_explains_nothing(tmp_path):
    _, function = only_function(cdk_app(tmp_path, tsconfig='{"compilerOptions": {"outDir": "./lib"}}'))
    assert function.code_path is None


def test_sam_code_uri_dist_is_read_from_root_dir(tmp_path):
    write(tmp_path, {
        "template.yaml": (
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  DispatchFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: dist/\n"
            "      Handler: main.handler\n"
            "      Runtime: nodejs22.x\n"),
        "tsconfig.json": '{"compilerOptions": {"outDir": "dist", "rootDir": "lambda"}}',
        "lambda/main.ts": DISPATCHER,
        # another folder holding the same module: only the tsconfig says which one `dist` mirrors
        "scripts/main.ts": DISPATCHER,
    })
    workspace, function = only_function(tmp_path)
    reading = read_function_code(workspace, function)
    assert reading.handler_path == "lambda/main.ts"
    assert reading.source_note is not None and "its source in lambda, which tsconfig.json compiles" in reading.source_note


def test_terraform_archive_of_a_build_folder_is_read_from_its_source(tmp_path):
    write(tmp_path, {
        "main.tf": (
            'data "archive_file" "dispatch" {\n'
            '  type        = "zip"\n'
            '  source_dir  = "${path.module}/dispatch/dist"\n'
            '  output_path = "${path.module}/dispatch.zip"\n'
            '}\n'
            'resource "aws_lambda_function" "dispatch" {\n'
            '  function_name = "dispatch"\n'
            '  filename      = data.archive_file.dispatch.output_path\n'
            '  handler       = "main.handler"\n'
            '  runtime       = "nodejs22.x"\n'
            '  role          = "arn:aws:iam::123456789012:role/dispatch"\n'
            '}\n'),
        "dispatch/tsconfig.json": '{"compilerOptions": {"outDir": "./dist"}, "include": ["src/**/*.ts"]}',
        "dispatch/src/main.ts": DISPATCHER,
        "other/src/main.ts": DISPATCHER,
    })
    workspace, function = only_function(tmp_path)
    reading = read_function_code(workspace, function)
    assert reading.handler_path == "dispatch/src/main.ts"
    assert reading.source_note is not None and "dispatch/tsconfig.json compiles into it" in reading.source_note


def test_serverless_handler_in_a_build_folder_is_read_from_its_source(tmp_path):
    write(tmp_path, {
        "serverless.yml": (
            "service: dispatch\n"
            "provider:\n  name: aws\n  runtime: nodejs22.x\n"
            "functions:\n  dispatch:\n    handler: .out/handlers/main.handler\n"),
        "tsconfig.json": '{"compilerOptions": {"outDir": ".out", "rootDir": "functions"}}',
        "functions/handlers/main.ts": DISPATCHER,
    })
    workspace, function = only_function(tmp_path)
    reading = read_function_code(workspace, function)
    assert reading.handler_path == "functions/handlers/main.ts"
    assert reading.source_note is not None and "the handler's module .out/handlers/main" in reading.source_note
