"""A TypeScript CDK app that wraps `NodejsFunction` in a construct class of its own
(`lib/constructs/lambda.ts`) and makes each function with `new Lambda(this, "Id", {entry,
handler})` in its stacks: one function per `new`, at the call, with the caller's entry and handler."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


WRAPPER = """\
import { Construct } from "constructs";
import { NodejsFunction, type NodejsFunctionProps } from "aws-cdk-lib/aws-lambda-nodejs";
import { Runtime } from "aws-cdk-lib/aws-lambda";

interface LambdaProps extends Partial<NodejsFunctionProps> {
  stackName: string;
  path?: string;
}

export class Lambda extends Construct {
  public readonly lambda: NodejsFunction;

  constructor(scope: Construct, id: string, props: LambdaProps) {
    super(scope, id);
    const { stackName, path, ...restProps } = props;
    this.lambda = new NodejsFunction(this, id, {
      functionName: `${stackName}-${id}`,
      runtime: Runtime.NODEJS_20_X,
      ...restProps,
    });
  }
}
"""

QUEUE_WORKER = """\
const { Construct } = require("constructs");
const lambda = require("aws-cdk-lib/aws-lambda");

class Worker extends Construct {
  constructor(scope, id, props) {
    super(scope, id);
    this.fn = new lambda.Function(this, id, {
      runtime: lambda.Runtime.NODEJS_18_X,
      code: lambda.Code.fromAsset("workers"),
      ...props,
      handler: "index.main",
    });
  }
}
module.exports = { Worker };
"""

STACK = """\
import { Stack } from "aws-cdk-lib";
import { Runtime } from "aws-cdk-lib/aws-lambda";
import { Lambda } from "../constructs/lambda.ts";
import { Worker } from "../constructs/worker";

export class ApiStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const common = { stackName: "api" };
    new Lambda(this, "createOrder", {
      entry: "services/orders/create.ts",
      handler: "createOrder",
      path: "orders",
      ...common,
    });
    new Lambda(this, "listOrders", {
      entry: "services/orders/list.ts",
      runtime: Runtime.NODEJS_22_X,
      ...common,
    });
    new Worker(this, "Drain", { handler: "ignored.handler", runtime: Runtime.NODEJS_22_X });
  }
}
"""


def test_each_new_of_a_construct_class_is_one_function_at_its_call(tmp_path):
    write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node infra/app.ts"}\n',
        "infra/constructs/lambda.ts": WRAPPER,
        "infra/constructs/worker.js": QUEUE_WORKER,
        "infra/stacks/api.ts": STACK,
        "services/orders/create.ts": "export const createOrder = async () => ({});\n",
        "services/orders/list.ts": "export const handler = async () => ({});\n",
        "workers/index.js": "exports.main = async () => {};\n",
    })
    found = {fn.name: (str(fn.location), fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "createOrder": ("infra/stacks/api.ts:10", "nodejs20.x", "infra/constructs/lambda.ts:18",
                        "create.createOrder", "services/orders"),
        "listOrders": ("infra/stacks/api.ts:16", "nodejs22.x", "infra/stacks/api.ts:18",
                       "list.handler", "services/orders"),
        # the class writes its handler after the spread: the caller's is not the one deployed
        "Drain": ("infra/stacks/api.ts:21", "nodejs22.x", "infra/stacks/api.ts:21", "index.main", "workers"),
    }


def test_a_helper_module_imported_by_its_compiled_name_is_followed(tmp_path):
    """An ESM TypeScript app imports `./utils.js`, the compiled name of `utils.ts`."""
    write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/utils.ts": (
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "export function createFunction(scope: Construct, id: string, handler: string) {\n"
            "  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_20_X, handler,\n"
            "    code: lambda.Code.fromAsset('src') });\n"
            "}\n"),
        "lib/api.ts": (
            "import { Stack } from 'aws-cdk-lib';\n"
            "import { createFunction } from './utils.js';\n"
            "export class Api extends Stack {\n"
            "  constructor(scope: Construct, id: string) {\n"
            "    super(scope, id);\n"
            "    createFunction(this, 'Orders', 'orders.handler');\n"
            "  }\n"
            "}\n"),
        "src/orders.js": "exports.handler = async () => {};\n",
    })
    found = {fn.name: (str(fn.location), fn.handler) for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {"Orders": ("lib/api.ts:6", "orders.handler")}

