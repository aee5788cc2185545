"""The SAM function of CDK (`@aws-cdk/aws-sam`'s `CfnFunction`, `aws_cdk.aws_sam.CfnFunction`).

Seen on a real repository: a CDK v1 stack of five `sam.CfnFunction`s with `runtime: "nodejs12.x"`,
`handler: "index.handler"` and `codeUri: "src/check/"`. The construct was not known, so the five
functions, and the runtime Lambda no longer deploys, went unreported. Its code folder is written
as `codeUri` (`code_uri`), a folder of the app, and its signing as `codeSigningConfigArn`.
"""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_cdk_construct_classes import write

TYPESCRIPT_STACK = """\
import * as cdk from '@aws-cdk/core';
import * as sam from '@aws-cdk/aws-sam';

const FUNCTION_RUNTIME = "nodejs12.x";

export class PaymentStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    new sam.CfnFunction(this, "CheckFunction", {
      codeUri: "src/check/",
      handler: "index.handler",
      runtime: FUNCTION_RUNTIME,
    });
    new sam.CfnFunction(this, "RefundFunction", {
      codeUri: "src/refund/",
      handler: "index.handler",
      runtime: FUNCTION_RUNTIME,
      codeSigningConfigArn: "arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-1",
    });
  }
}
"""

PYTHON_STACK = """\
from aws_cdk import Stack, aws_sam as sam


class PaymentStack(Stack):
    def __init__(self, scope, construct_id):
        super().__init__(scope, construct_id)
        sam.CfnFunction(self, "CheckFunction", code_uri="src/check/", handler="app.handler",
                        runtime="python3.8")
"""


def test_a_typescript_sam_function_is_a_function_with_its_runtime_handler_and_code(tmp_path):
    write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/payment-stack.ts": TYPESCRIPT_STACK,
        "src/check/index.ts": "export const handler = async () => ({});\n",
        "src/refund/index.ts": "export const handler = async () => ({});\n",
    })
    functions = {function.name: function for function in build_inventory(Workspace(tmp_path)).functions}

    assert sorted(functions) == ["CheckFunction", "RefundFunction"]
    check = functions["CheckFunction"]
    assert (check.runtime, check.handler, check.code_path) == ("nodejs12.x", "index.handler", "src/check")
    assert check.code_signing is None
    assert functions["RefundFunction"].code_signing is not None


def test_a_python_sam_function_is_a_function_with_its_code_folder(tmp_path):
    write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}\n',
        "stacks/payment_stack.py": PYTHON_STACK,
        "src/check/app.py": "def handler(event, context):\n    return {}\n",
    })
    [function] = build_inventory(Workspace(tmp_path)).functions

    assert (function.runtime, function.handler, function.code_path) == ("python3.8", "app.handler", "src/check")
