"""TypeScript/JavaScript CDK constructs whose properties, runtime or code path another module of the
repository holds (`import { baseProps } from './config'`, `import * as config`, `export default`,
`require`, `export * from`): followed statically through relative imports only, and reported at
the constructing file's lines, with the other module's line as the runtime's default location."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

DAY = "2026-11-22"
CDK_JSON = '{"app": "npx ts-node bin/app.ts"}'


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never", "--audit", "off"],
         stdout=out)
    return json.loads(out.getvalue())


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


SHARED_PROPS = """\
import { Duration } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';

export const appPrefix = 'ledger';

export const sharedFunctionProps: NodejsFunctionProps = {
  memorySize: 256,
  timeout: Duration.seconds(10),
  runtime: Runtime.NODEJS_16_X,
  environment: { LOG_LEVEL: 'info' },
};
"""

LEDGER_STACK = """\
import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { sharedFunctionProps, appPrefix } from './shared';

export class LedgerStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new NodejsFunction(this, 'PostEntry', {
      entry: 'src/post-entry.ts',
      ...sharedFunctionProps,
    });
    new NodejsFunction(this, 'ListEntries', {
      ...sharedFunctionProps,
      entry: 'src/list-entries.ts',
    });
  }
}
"""


def test_properties_spread_from_an_imported_module_give_the_runtime(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON, "lib/shared.ts": SHARED_PROPS, "lib/ledger-stack.ts": LEDGER_STACK,
        "src/post-entry.ts": "export const handler = async () => ({});\n",
        "src/list-entries.ts": "export const handler = async () => ({});\n",
    })
    functions = inventory(root)
    post, listing = functions["PostEntry"], functions["ListEntries"]
    assert post.runtime == listing.runtime == "nodejs16.x"
    assert "Runtime" not in post.unresolved
    # the construct's own lines: where the properties come in (the spread)
    assert post.where("Runtime").path == "lib/ledger-stack.ts"
    assert post.where("Runtime").line == line_of(root, "lib/ledger-stack.ts", "...sharedFunctionProps") == 11
    assert listing.where("Runtime").line == 14
    # the line that writes the runtime, in the module that holds it
    default = post.locations["Runtime.Default"]
    assert (default.path, default.line) == ("lib/shared.ts", line_of(root, "lib/shared.ts", "Runtime.NODEJS_16_X"))
    assert post.code_path == "src/post-entry.ts"
    assert post.environment["LOG_LEVEL"] == "info"
    assert post.where("Environment.LOG_LEVEL") == post.where("Runtime")


def test_a_runtime_in_another_module_is_reported_there_once_with_a_suggestion_for_that_line(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON, "lib/shared.ts": SHARED_PROPS, "lib/ledger-stack.ts": LEDGER_STACK,
        "src/post-entry.ts": "export const handler = async () => ({});\n",
        "src/list-entries.ts": "export const handler = async () => ({});\n",
    })
    report = scan(root)
    lifecycle = [f for f in report["findings"] if f["rule_id"] in ("LR100", "LR101", "LR102")]
    assert len(lifecycle) == 1
    finding = lifecycle[0]
    assert (finding["path"], finding["line"]) == ("lib/shared.ts", 10)
    assert "PostEntry" in finding["message"] and "ListEntries" in finding["message"]
    assert finding["suggestion"] == "  runtime: Runtime.NODEJS_24_X,"
    assert not [f for f in report["findings"] if f["rule_id"] == "LR904"]


def test_a_runtime_constant_re_exported_by_an_index_module(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON,
        "lib/constants/lambda.ts": ("import * as lambda from 'aws-cdk-lib/aws-lambda';\n\n"
                                    "export const LAMBDA_RUNTIME = lambda.Runtime.PYTHON_3_8;\n"
                                    "export const HANDLER = 'app.handler';\n"),
        "lib/constants/index.ts": "export * from './lambda';\nexport { LAMBDA_RUNTIME as RUNTIME } from './lambda';\n",
        "lib/stacks/jobs-stack.ts": """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RUNTIME, HANDLER } from '../constants';

export class JobsStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new lambda.Function(this, 'Nightly', {
      runtime: RUNTIME,
      handler: HANDLER,
      code: lambda.Code.fromAsset('jobs'),
    });
  }
}
""",
        "jobs/app.py": "def handler(event, context):\n    return None\n",
    })
    nightly = inventory(root)["Nightly"]
    assert nightly.runtime == "python3.8"
    assert nightly.handler == "app.handler" and nightly.code_path == "jobs"
    assert (nightly.where("Runtime").path, nightly.where("Runtime").line) == ("lib/stacks/jobs-stack.ts", 9)
    default = nightly.locations["Runtime.Default"]
    assert (default.path, default.line) == ("lib/constants/lambda.ts", 3)


def test_a_module_imported_whole_and_a_default_export(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON,
        "lib/settings.ts": ("import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
                            "export const runtime = Runtime.NODEJS_18_X;\n"
                            "export const functions = { reports: { handler: 'reports.main' } };\n"),
        "lib/defaults.ts": ("import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
                            "const defaults = { runtime: Runtime.PYTHON_3_9, handler: 'index.handler' };\n"
                            "export default defaults;\n"),
        "lib/stack.ts": """\
import { Stack } from 'aws-cdk-lib';
import { Code, Function } from 'aws-cdk-lib/aws-lambda';
import * as settings from './settings';
import defaults from './defaults';

export class ReportsStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new Function(this, 'Reports', {
      runtime: settings.runtime,
      handler: settings.functions.reports.handler,
      code: Code.fromAsset('reports'),
    });
    new Function(this, 'Digest', { ...defaults, code: Code.fromAsset('digest') });
  }
}
""",
    })
    functions = inventory(root)
    assert functions["Reports"].runtime == "nodejs18.x"
    assert functions["Reports"].handler == "reports.main"
    assert functions["Reports"].locations["Runtime.Default"].path == "lib/settings.ts"
    assert functions["Digest"].runtime == "python3.9"
    assert functions["Digest"].handler == "index.handler"
    assert functions["Digest"].where("Runtime").line == 14


def test_commonjs_require_and_module_exports(tmp_path):
    root = write(tmp_path, {
        "cdk.json": '{"app": "node bin/app.js"}',
        "lib/defaults.js": ("const lambda = require('aws-cdk-lib/aws-lambda');\n"
                            "const baseProps = { runtime: lambda.Runtime.NODEJS_14_X, handler: 'index.handler' };\n"
                            "module.exports = { baseProps };\n"),
        "lib/stack.js": """\
const { Stack } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const { baseProps } = require('./defaults');

class ApiStack extends Stack {
  constructor(scope, id) {
    super(scope, id);
    new lambda.Function(this, 'Api', { ...baseProps, code: lambda.Code.fromAsset('api') });
  }
}
module.exports = { ApiStack };
""",
    })
    api = inventory(root)["Api"]
    assert api.runtime == "nodejs14.x" and api.handler == "index.handler"
    assert api.locations["Runtime.Default"].path == "lib/defaults.js"


def test_an_esm_specifier_names_the_typescript_source_and_dirname_is_the_modules_folder(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON,
        "infra/shared/paths.ts": ("import * as path from 'path';\n"
                                  "export const WORKER_CODE = path.join(__dirname, '..', '..', 'services', 'worker');\n"),
        "infra/stacks/worker.ts": """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { WORKER_CODE } from '../shared/paths.js';

export class WorkerStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(WORKER_CODE),
    });
  }
}
""",
        "services/worker/index.js": "exports.handler = async () => ({});\n",
    })
    worker = inventory(root)["Worker"]
    assert worker.code_path == "services/worker"


def test_an_array_of_settings_imported_from_a_module_names_one_function_per_element(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON,
        "lib/queues.ts": "export const QUEUES = [{ name: 'Orders' }, { name: 'Refunds' }];\n",
        "lib/stack.ts": """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { QUEUES } from './queues';

export class QueueStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    QUEUES.forEach((queue) => {
      new lambda.Function(this, `${queue.name}-Consumer`, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromAsset('consumer'),
      });
    });
  }
}
""",
    })
    assert {"Orders-Consumer", "Refunds-Consumer"} <= set(inventory(root))


def test_packages_and_files_outside_the_repository_are_never_read(tmp_path):
    outside = tmp_path / "outside.ts"
    outside.write_text("import { Runtime } from 'aws-cdk-lib/aws-lambda';\nexport const props = "
                       "{ runtime: Runtime.NODEJS_16_X };\n")
    vendored = ("import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
                "export const props = { runtime: Runtime.NODEJS_16_X };\n")
    root = write(tmp_path / "repo", {
        "cdk.json": CDK_JSON,
        "node_modules/shared-props/index.ts": vendored,
        "lib/stack.ts": """\
import { Stack } from 'aws-cdk-lib';
import { Code, Function } from 'aws-cdk-lib/aws-lambda';
import { props as packaged } from 'shared-props';
import { props as vendored } from './../node_modules/shared-props';
import { props as escaped } from '../../outside';

export class Stack1 extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new Function(this, 'FromPackage', { ...packaged, handler: 'a.handler', code: Code.fromAsset('a') });
    new Function(this, 'FromVendored', { ...vendored, handler: 'a.handler', code: Code.fromAsset('a') });
    new Function(this, 'FromOutside', { ...escaped, handler: 'a.handler', code: Code.fromAsset('a') });
  }
}
""",
    })
    functions = inventory(root)
    for name in ("FromPackage", "FromVendored", "FromOutside"):
        assert functions[name].runtime is None
        assert "spread from" in functions[name].unresolved["Runtime"]


def test_a_module_that_imports_itself_in_a_cycle_ends(tmp_path):
    root = write(tmp_path, {
        "cdk.json": CDK_JSON,
        "lib/a.ts": "export * from './b';\nexport { props } from './b';\n",
        "lib/b.ts": "export * from './a';\nexport { props } from './a';\n",
        "lib/stack.ts": """\
import { Stack } from 'aws-cdk-lib';
import { Code, Function } from 'aws-cdk-lib/aws-lambda';
import { props } from './a';

export class Loop extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new Function(this, 'Looped', { ...props, handler: 'a.handler', code: Code.fromAsset('a') });
  }
}
""",
    })
    assert inventory(root)["Looped"].runtime is None
