"""TypeScript/JavaScript CDK constructs whose properties a helper of another module builds
(`...functionSpecs(stack, 'Orders', './src/orders.ts')`, the helper `export function` or an arrow
function exported by name, or called through a module imported whole): the helper's returned
object is read in its module with its parameters bound to the call's arguments, and its lines
stand for the spread's line in the constructing file."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

CDK_JSON = '{"app": "npx ts-node bin/app.ts"}'
HANDLER = "export const main = async () => ({ statusCode: 200 });\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


SPECS = """\
import { Duration, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';

const functionSpecs = (stack: Stack, name: string, entry: string, environment: Record<string, string>) => ({
  functionName: `${stack.stackName}${name}`,
  entry,
  handler: 'main',
  runtime: Runtime.NODEJS_18_X,
  timeout: Duration.seconds(30),
  environment,
});

export function workerSpecs(entry: string) {
  return { entry, handler: 'main', runtime: Runtime.NODEJS_22_X };
}

export { functionSpecs };
"""

ORDERS = """\
import { Stack } from 'aws-cdk-lib';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { functionSpecs, workerSpecs } from '../common/specs';
import * as specs from '../common/specs';

const createOrderFunctions = (stack: Stack, environment: Record<string, string>) => {
  const listOrders = new NodejsFunction(stack, 'ListOrders', {
    tracing: Tracing.ACTIVE,
    ...functionSpecs(stack, 'ListOrders', './lib/orders/list.src.ts', environment),
  });
  const shipOrder = new NodejsFunction(stack, 'ShipOrder', {
    ...specs.functionSpecs(stack, 'ShipOrder', './lib/orders/ship.src.ts', environment),
  });
  const worker = new NodejsFunction(stack, 'OrderWorker', workerSpecs('./lib/orders/worker.src.ts'));
  return { listOrders, shipOrder, worker };
};

export { createOrderFunctions };
"""


def test_properties_a_helper_of_another_module_returns_give_runtime_handler_and_entry(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON, "lib/common/specs.ts": SPECS, "lib/orders/index.ts": ORDERS,
        "lib/orders/list.src.ts": HANDLER, "lib/orders/ship.src.ts": HANDLER, "lib/orders/worker.src.ts": HANDLER,
    })
    functions = inventory(root)
    listing, ship, worker = functions["ListOrders"], functions["ShipOrder"], functions["OrderWorker"]
    assert listing.runtime == ship.runtime == "nodejs18.x"
    assert worker.runtime == "nodejs22.x"
    for function in (listing, ship, worker):
        assert "Runtime" not in function.unresolved
        assert function.code_path == "lib/orders"
    assert (listing.handler, ship.handler, worker.handler) == ("list.src.main", "ship.src.main", "worker.src.main")
    # reported at the spread, in the constructing file; the runtime written in the helper's module
    assert listing.where("Runtime").path == "lib/orders/index.ts"
    assert listing.where("Runtime").line == line_of(root, "lib/orders/index.ts", "...functionSpecs(")
    default = listing.locations["Runtime.Default"]
    assert (default.path, default.line) == ("lib/common/specs.ts", line_of(root, "lib/common/specs.ts", "NODEJS_18_X"))
