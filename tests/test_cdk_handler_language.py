"""A CDK function whose runtime the review cannot name (`Runtime.NODEJS_LATEST`) is read in the
language of its handler's file, not taken for Python."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

STACK = """import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class GreeterStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new lambda.Function(this, 'Greeter', {
      runtime: lambda.Runtime.%s,
      code: lambda.Code.fromAsset('handlers/greeter'),
      handler: 'main.handler',
    });
  }
}
"""


def _coverage(root: Path) -> str:
    out = io.StringIO()
    main(["scan", str(root), "--format", "markdown", "--audit", "off", "--fail-on", "never"], stdout=out)
    return next(line for line in out.getvalue().splitlines() if line.startswith("- **Greeter**"))


def _app(root: Path, runtime: str, handler_file: str, text: str) -> None:
    (root / "lib").mkdir()
    (root / "cdk.json").write_text(json.dumps({"app": "npx ts-node bin/app.ts"}))
    (root / "lib" / "greeter-stack.ts").write_text(STACK % runtime)
    (root / "handlers" / "greeter").mkdir(parents=True)
    (root / "handlers" / "greeter" / handler_file).write_text(text)


def test_a_latest_node_runtime_reads_the_javascript_handler_the_folder_holds(tmp_path):
    _app(tmp_path, "NODEJS_LATEST", "main.js",
         "exports.handler = async (event) => ({ statusCode: 200, body: 'hello' });\n")
    assert "read (JavaScript/TypeScript, handlers/greeter/main.js)" in _coverage(tmp_path)


def test_a_latest_python_runtime_still_reads_the_python_handler(tmp_path):
    _app(tmp_path, "determineLatestPythonRuntime(this)", "main.py", "def handler(event, context):\n    return 1\n")
    assert "read (Python, handlers/greeter/main.py)" in _coverage(tmp_path)
