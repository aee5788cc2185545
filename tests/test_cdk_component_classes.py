"""A TypeScript construct class of a component that makes several functions (a reader and a
scanner), each handler taken from a settings object its caller passes (`componentConfig`), the
scanner made only when the caller names its handler: each `new` of the class makes its own
functions, named by their construct paths (`Orders/Read`), at the call."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

COMPONENT = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Runtime, Code } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ComponentSettings {
  readHandler: string;
  scanHandler?: string;
  label: string;
}

export interface ComponentProps {
  settings: ComponentSettings;
  timeoutMinutes: number;
}

export class InventoryComponent extends Construct {
  constructor(scope: Construct, id: string, { settings, timeoutMinutes }: ComponentProps) {
    super(scope, id);
    const { readHandler, scanHandler } = settings;

    new lambda.Function(this, 'Read', {
      runtime: Runtime.PYTHON_3_12,
      code: Code.fromAsset('../functions'),
      handler: readHandler,
    });

    if (scanHandler && scanHandler !== '') {
      new lambda.Function(this, 'Scan', {
        runtime: Runtime.PYTHON_3_12,
        code: Code.fromAsset('../functions'),
        handler: scanHandler,
      });
    }
  }
}
"""

STACK = """\
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InventoryComponent } from './components/inventory';

export class HubStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    new InventoryComponent(this, 'Orders', {
      settings: {
        readHandler: 'orders/read_orders.handler',
        scanHandler: 'orders/scan_orders.handler',
        label: 'orders',
      },
      timeoutMinutes: 2,
    });

    new InventoryComponent(this, 'Billing', {
      settings: { readHandler: 'billing/read_billing.handler', label: 'billing' },
      timeoutMinutes: 2,
    });
  }
}
"""

MEMBER_COMPONENT = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class Reporter extends Construct {
  constructor(scope: Construct, id: string, props: { settings: { handler: string } }) {
    super(scope, id);
    new lambda.Function(this, 'Report', {
      runtime: lambda.Runtime.PYTHON_3_12,
      code: lambda.Code.fromAsset('../functions'),
      handler: props.settings.handler,
    });
  }
}
"""

MEMBER_STACK = """\
import * as cdk from 'aws-cdk-lib';
import { Reporter } from './components/reporter';

export class ReportStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new Reporter(this, 'Weekly', { settings: { handler: 'reports/weekly.handler' } });
  }
}
"""

EITHER_HELPER = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class Worker extends Construct {
  constructor(scope: Construct, id: string, props: { handler: string; arm?: boolean }) {
    super(scope, id);
    if (props.arm) {
      new lambda.Function(this, 'Fn', {
        runtime: lambda.Runtime.PYTHON_3_12,
        architecture: lambda.Architecture.ARM_64,
        code: lambda.Code.fromAsset('../functions'),
        handler: props.handler,
      });
    } else {
      new lambda.Function(this, 'Fn', {
        runtime: lambda.Runtime.PYTHON_3_12,
        code: lambda.Code.fromAsset('../functions'),
        handler: props.handler,
      });
    }
  }
}
"""

EITHER_STACK = """\
import * as cdk from 'aws-cdk-lib';
import { Worker } from './components/worker';

export class WorkStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new Worker(this, 'Jobs', { handler: 'jobs/run.handler' });
  }
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    (root / "infra" / "cdk.json").parent.mkdir(parents=True, exist_ok=True)
    (root / "infra" / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def functions(root: Path) -> dict[str, object]:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_each_instance_of_a_component_makes_its_read_and_scan_functions(tmp_path):
    fns = functions(write(tmp_path, {"infra/lib/components/inventory.ts": COMPONENT,
                                     "infra/lib/hub-stack.ts": STACK}))
    assert sorted(fns) == ["Billing/Read", "Orders/Read", "Orders/Scan"]   # Billing passes no scanHandler
    made = {name: (fn.location.path, fn.location.line, fn.handler) for name, fn in fns.items()}
    assert made["Orders/Read"] == ("infra/lib/hub-stack.ts", 9, "orders/read_orders.handler")
    assert made["Orders/Scan"] == ("infra/lib/hub-stack.ts", 9, "orders/scan_orders.handler")
    assert made["Billing/Read"] == ("infra/lib/hub-stack.ts", 18, "billing/read_billing.handler")


def test_a_handler_read_from_a_member_of_the_props_is_the_callers(tmp_path):
    fns = functions(write(tmp_path, {"infra/lib/components/reporter.ts": MEMBER_COMPONENT,
                                     "infra/lib/report-stack.ts": MEMBER_STACK}))
    assert {name: fn.handler for name, fn in fns.items()} == {"Weekly": "reports/weekly.handler"}


def test_one_construct_id_written_twice_is_still_one_function_per_call(tmp_path):
    fns = functions(write(tmp_path, {"infra/lib/components/worker.ts": EITHER_HELPER,
                                     "infra/lib/work-stack.ts": EITHER_STACK}))
    assert list(fns) == ["Jobs"]


SHARED_CODE_COMPONENT = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AssetCode, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface AuditProps {
  handlerPath: string;
  assetCode: AssetCode;
}

export class AuditComponent extends Construct {
  constructor(scope: Construct, id: string, { handlerPath, assetCode }: AuditProps) {
    super(scope, id);
    new lambda.Function(this, 'Audit', {
      runtime: Runtime.PYTHON_3_12,
      code: assetCode,
      handler: handlerPath,
    });
  }
}
"""

SHARED_CODE_STACK = """\
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AuditComponent } from './components/audit';

export class AuditStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const bundle = Code.fromAsset(`${path.dirname(__dirname)}/../functions`);

    new AuditComponent(this, 'Audit', { handlerPath: 'audit/audit_log.handler', assetCode: bundle });
  }
}
"""


def test_a_component_given_its_code_takes_the_folder_of_the_asset_its_caller_builds(tmp_path):
    root = write(tmp_path, {"infra/lib/components/audit.ts": SHARED_CODE_COMPONENT,
                            "infra/lib/audit-stack.ts": SHARED_CODE_STACK,
                            "functions/audit/audit_log.py": "def handler(event, context):\n    return event\n"})
    audit = functions(root)["Audit"]
    # `${path.dirname(__dirname)}` is `infra`, the folder above the stack's own
    assert (audit.handler, audit.code_path, audit.unresolved.get("Code")) == ("audit/audit_log.handler", "functions", None)


ADMIN_STACK = """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface AdminStackProps extends cdk.StackProps {
  runtimePython: lambda.Runtime;
}

export class AdminStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: AdminStackProps) {
    super(scope, id, props);
    new lambda.Function(this, 'execAutomation', {
      runtime: props.runtimePython,
      handler: 'exec_automation.lambda_handler',
      code: lambda.Code.fromAsset('../functions'),
    });
    new lambda.Function(this, 'sendNotifications', {
      runtime: props.runtimePython,
      handler: 'send_notifications.lambda_handler',
      code: lambda.Code.fromAsset('../functions'),
    });
  }
}
"""

ADMIN_APP = """\
import * as cdk from 'aws-cdk-lib';
import { AdminStack } from '../lib/admin-stack';
import { PYTHON_RUNTIME } from '../lib/settings';

const app = new cdk.App();
new AdminStack(app, 'SolutionDeployStack', { runtimePython: PYTHON_RUNTIME });
"""


def test_the_one_stack_of_an_app_passing_nothing_readable_keeps_its_functions_where_they_are_written(tmp_path):
    fns = functions(write(tmp_path, {"infra/lib/admin-stack.ts": ADMIN_STACK, "infra/bin/app.ts": ADMIN_APP}))
    assert {name: (fn.location.path, fn.location.line) for name, fn in fns.items()} == {
        "execAutomation": ("infra/lib/admin-stack.ts", 12),
        "sendNotifications": ("infra/lib/admin-stack.ts", 17),
    }
