"""A TypeScript CDK construct class that makes its `lambda.Function` under an id of its own and
builds the code folder from a property its callers pass (`path.join(__dirname, '..', '..',
'services', props.entry, 'src')`): each `new` of it in another module is one function, named by
the id the caller gives the class, with the code folder that caller's property names."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

SERVICE_FUNCTION = """\
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'path';

interface ServiceFunctionProps {
  entry: string;
  handler: string;
  timeout?: Duration;
}

export class ServiceFunction extends Construct {
  public readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.fn = new lambda.Function(this, 'service-function', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'services', props.entry, 'src')),
      handler: props.handler,
      runtime: lambda.Runtime.NODEJS_22_X,
      timeout: props.timeout ?? Duration.seconds(5),
    });
  }
}
"""

READER = """\
const { Construct } = require('constructs');
const lambda = require('aws-cdk-lib/aws-lambda');

class Reader extends Construct {
  constructor(scope, id, props) {
    super(scope, id);
    this.reader = new lambda.Function(this, 'Reader', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'read.handler',
      code: lambda.Code.fromAsset(`${__dirname}/../../services/${props.folder}`),
    });
  }
}
module.exports = { Reader };
"""

WRITER = """\
const { Construct } = require('constructs');
const lambda = require('aws-cdk-lib/aws-lambda');

class Writer extends Construct {
  constructor(scope, id, props) {
    super(scope, id);
    this.writer = new lambda.Function(this, 'Writer', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'write.handler',
      code: lambda.Code.fromAsset(__dirname + '/../../services/' + props.folder),
    });
  }
}
module.exports = { Writer };
"""

HELPER = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'path';
const SERVICES = path.join(__dirname, '..', '..', 'services');

export function makeWorker(scope: Construct, id: string, folder: string) {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'worker.handler',
    code: lambda.Code.fromAsset(path.join(SERVICES, folder, 'src')),
  });
}
"""

ORDERS_STACK = """\
import { Stack } from 'aws-cdk-lib';
import { ServiceFunction } from '../../constructs/service-function';
import { Reader } from '../../constructs/reader';
import { Writer } from '../../constructs/writer';
import { makeWorker } from '../../constructs/workers';

export class OrdersStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new ServiceFunction(this, 'orders-api', {
      entry: 'orders',
      handler: 'handler.handler',
    });
    new Reader(this, 'LedgerReader', { folder: 'ledger' });
    new Writer(this, 'LedgerWriter', { folder: 'ledger' });
    makeWorker(this, 'Drain', 'drain');
  }
}
"""

BILLING_STACK = """\
import { Stack } from 'aws-cdk-lib';
import { ServiceFunction } from '../../constructs/service-function';

export class BillingStack extends Stack {
  constructor(scope: Construct, id: string, stage: string) {
    super(scope, id);
    new ServiceFunction(this, 'billing-api', { entry: 'billing', handler: 'index.main' });
    new ServiceFunction(this, 'billing-by-stage', { entry: `billing-${stage}`, handler: 'index.main' });
  }
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_each_instance_is_named_by_its_callers_id_with_the_code_folder_its_props_name(tmp_path):
    write(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/constructs/service-function.ts": SERVICE_FUNCTION,
        "lib/constructs/reader.js": READER,
        "lib/constructs/writer.js": WRITER,
        "lib/constructs/workers.ts": HELPER,
        "lib/stacks/orders/orders-stack.ts": ORDERS_STACK,
        "lib/stacks/billing/billing-stack.ts": BILLING_STACK,
        "services/orders/src/handler.ts": "export const handler = async () => ({});\n",
        "services/billing/src/index.ts": "export const main = async () => ({});\n",
        "services/ledger/read.js": "exports.handler = async () => ({});\n",
        "services/ledger/write.js": "exports.handler = async () => ({});\n",
        "services/drain/src/worker.ts": "export const handler = async () => ({});\n",
    })
    found = {fn.name: (str(fn.location), fn.handler, fn.code_path, sorted(fn.unresolved))
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "orders-api": ("lib/stacks/orders/orders-stack.ts:10", "handler.handler", "services/orders/src", []),
        "billing-api": ("lib/stacks/billing/billing-stack.ts:7", "index.main", "services/billing/src", []),
        # a folder the caller computes: the path stays unread, and says so
        "billing-by-stage": ("lib/stacks/billing/billing-stack.ts:8", "index.main", None, ["Code"]),
        # the path as a template string and as a sum, from the class's own folder
        "LedgerReader": ("lib/stacks/orders/orders-stack.ts:14", "read.handler", "services/ledger", []),
        "LedgerWriter": ("lib/stacks/orders/orders-stack.ts:15", "write.handler", "services/ledger", []),
        # a helper function joining a folder its module names with its parameter
        "Drain": ("lib/stacks/orders/orders-stack.ts:16", "worker.handler", "services/drain/src", []),
    }
