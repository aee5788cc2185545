"""A CDK v1 app's `NodejsFunction` without a runtime: the note names v1's defaults, not aws-cdk-lib's."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_cdk_construct_classes import write


def test_a_cdk_v1_nodejs_function_without_runtime_names_v1s_defaults(tmp_path):
    """CDK v1's `NodejsFunction` (`@aws-cdk/aws-lambda-nodejs`) has no aws-cdk-lib version or
    `useLatestRuntimeVersion` flag: its default was Node.js 14.x or older, all deprecated."""
    write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/todo/create.ts": (
            'import { Construct } from "@aws-cdk/core";\n'
            'import { NodejsFunction } from "@aws-cdk/aws-lambda-nodejs";\n'
            "export class CreateTodo extends NodejsFunction {\n"
            "  constructor(scope: Construct, id: string) {\n"
            '    super(scope, id, { entry: "lib/todo/create.handler.ts" });\n'
            "  }\n"
            "}\n"),
        "lib/todo/create.handler.ts": "export const handler = async () => ({});\n",
    })
    [function] = build_inventory(Workspace(tmp_path)).functions
    note = function.unresolved["Runtime"]
    assert "CDK v1" in note and "NODEJS_14_X" in note
    assert "aws-cdk-lib" not in note and "useLatestRuntimeVersion" not in note
