"""TypeScript/JavaScript CDK helper functions of one module that spread their callers' properties over
defaults of their own (`{ runtime: ..., ...props }`): each call of another module takes what its
properties hold (`cdk/class_factories.py`, `cdk/factories.py`)."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def test_a_helper_function_spreading_its_props_takes_each_calls_runtime_handler_and_code(tmp_path: Path) -> None:
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    for folder in ("lib", "handlers", "workers"):
        (tmp_path / folder).mkdir()
    (tmp_path / "lib" / "make.ts").write_text(
        "import { Construct } from 'constructs';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "\n"
        "export function makeFunction(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}) {\n"
        "  return new lambda.Function(scope, id, {\n"
        "    runtime: lambda.Runtime.NODEJS_22_X,\n"
        "    code: lambda.Code.fromAsset('handlers'),\n"
        "    handler: 'main.handler',\n"
        "    ...props,\n"
        "    memorySize: 512,\n"
        "  });\n"
        "}\n")
    (tmp_path / "lib" / "stack.ts").write_text(
        "import { Stack } from 'aws-cdk-lib';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { makeFunction } from './make';\n"
        "\n"
        "export class Shop extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    makeFunction(this, 'Cart', { handler: 'cart.handler' });\n"
        "    makeFunction(this, 'Mailer', {\n"
        "      runtime: lambda.Runtime.NODEJS_18_X,\n"
        "      code: lambda.Code.fromAsset('workers'),\n"
        "    });\n"
        "  }\n"
        "}\n")
    found = {fn.name: (str(fn.location), fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "Cart": ("lib/stack.ts:8", "nodejs22.x", "lib/make.ts:6", "cart.handler", "handlers"),
        "Mailer": ("lib/stack.ts:9", "nodejs18.x", "lib/stack.ts:10", "main.handler", "workers"),
    }
