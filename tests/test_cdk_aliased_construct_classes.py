"""A TypeScript CDK app whose modules import each other by the names their `tsconfig.json` maps
(`"@acme/infra/*": ["lib/*"]`) rather than by relative paths, and make every function with a
construct class of their own (`new OrgLambdaFunction(this, 'Orders', { entry: path.join(__dirname,
..., 'orders-handler.ts') })`), or a subclass of it: one function per call, at the call, with the
entry file the call builds from its own folder."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

TSCONFIG = """{
  "compilerOptions": {
    "target": "es2022",
    "module": "esnext",
    "baseUrl": ".",
    "paths": {
      "@acme/infra/*": ["lib/*"],
      "@acme/shared/*": ["../shared/*"]
    }
  }
}
"""

BASE_CLASS = """\
import { Duration } from "aws-cdk-lib";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, type NodejsFunctionProps } from "aws-cdk-lib/aws-lambda-nodejs";
import { Construct } from "constructs";

export interface OrgLambdaFunctionProps extends Omit<NodejsFunctionProps, "runtime"> {
  namespace: string;
}

export class OrgLambdaFunction extends Construct {
  readonly fn: NodejsFunction;
  constructor(scope: Construct, id: string, props: OrgLambdaFunctionProps) {
    super(scope, id);
    this.fn = new NodejsFunction(this, "Function", {
      functionName: `org-${id}-${props.namespace}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.minutes(1),
      ...props,
    });
  }
}
"""

SUBCLASS = """\
import { CustomResource } from "aws-cdk-lib";
import { Construct } from "constructs";
import { OrgLambdaFunction, type OrgLambdaFunctionProps } from "@acme/infra/components/org-lambda-function";

export class OrgCustomResourceFunction extends OrgLambdaFunction {
  constructor(scope: Construct, id: string, props: OrgLambdaFunctionProps) {
    super(scope, id, props);
    new CustomResource(this, "Resource", { serviceToken: this.fn.functionArn });
  }
}
"""

ORDERS_API = """\
import path from "path";
import { Duration } from "aws-cdk-lib";
import { Construct } from "constructs";
import { OrgLambdaFunction } from "@acme/infra/components/org-lambda-function";

export class OrdersApi {
  constructor(scope: Construct, namespace: string) {
    const orders = new OrgLambdaFunction(scope, "OrdersFunction", {
      entry: path.join(__dirname, "..", "..", "..", "..", "functions", "orders", "src", "orders-handler.ts"),
      namespace,
      timeout: Duration.seconds(30),
    });
  }
}
"""

SETUP = """\
import * as path from "path";
import { Stack } from "aws-cdk-lib";
import { Construct } from "constructs";
import { OrgCustomResourceFunction } from "@acme/infra/components/org-custom-resource";

export class Setup extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new OrgCustomResourceFunction(this, "TagActivator", {
      entry: path.join(__dirname, "../../../../functions/tag-activator/src/tag-activator-handler.ts"),
      namespace: Stack.of(this).stackName,
    });
  }
}
"""


def write(root: Path) -> Path:
    files = {
        "infrastructure/cdk.json": '{"app": "npx tsx bin/app.ts"}',
        "infrastructure/tsconfig.json": TSCONFIG,
        "infrastructure/lib/components/org-lambda-function.ts": BASE_CLASS,
        "infrastructure/lib/components/org-custom-resource.ts": SUBCLASS,
        "infrastructure/lib/components/api/orders-api.ts": ORDERS_API,
        "infrastructure/lib/components/setup/setup.ts": SETUP,
        "functions/orders/src/orders-handler.ts": "export const handler = async () => ({ statusCode: 200 });\n",
        "functions/tag-activator/src/tag-activator-handler.ts": "export const handler = async () => ({});\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_construct_class_imported_through_the_tsconfig_paths_makes_a_function_per_call(tmp_path):
    fns = {fn.name: fn for fn in build_inventory(Workspace(write(tmp_path))).functions}
    assert sorted(fns) == ["OrdersFunction", "TagActivator"]   # not the class's own `Function`
    orders = fns["OrdersFunction"]
    assert (orders.location.path, orders.location.line) == ("infrastructure/lib/components/api/orders-api.ts", 8)
    assert (orders.runtime, orders.handler, orders.code_path) == (
        "nodejs22.x", "orders-handler.handler", "functions/orders/src")


def test_a_subclass_imported_through_the_tsconfig_paths_takes_the_entry_its_caller_builds(tmp_path):
    fns = {fn.name: fn for fn in build_inventory(Workspace(write(tmp_path))).functions}
    activator = fns["TagActivator"]
    assert activator.location.path == "infrastructure/lib/components/setup/setup.ts"
    assert (activator.handler, activator.code_path) == ("tag-activator-handler.handler", "functions/tag-activator/src")
