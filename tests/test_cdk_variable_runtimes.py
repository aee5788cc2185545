"""`Runtime.NODEJS_LATEST` (and `Runtime.determineLatestPythonRuntime(scope)`) named from the
aws-cdk-lib release the app locks or pins, and said once for every function it names.

The apps are shaped like a real npm-workspaces monorepo (a root `package-lock.json` that hoists
aws-cdk-lib, the CDK app in `packages/cdk` asking for a caret range), a yarn app, a Python app
pinning in `requirements.txt`, and an app whose manifest allows a range with no lock file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.inventory import build_inventory
from reviewer.inventory.release_runtimes import load_variable_runtimes, release_key, runtime_in_release
from reviewer.data.lifecycle import load_lifecycle
from reviewer.workspace import Workspace
from tests.inventory_helpers import line_containing, scan_report
from tests.test_cdk_construct_classes import write

DAY = "2026-12-07"

CONSTRUCT = """\
import * as path from 'path';
import { Construct } from 'constructs';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

export class Api extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const predict = new NodejsFunction(this, 'Predict', {
      runtime: Runtime.NODEJS_LATEST,
      entry: './lambda/predict.ts',
    });
    const listChats = new NodejsFunction(this, 'ListChats', {
      runtime: Runtime.NODEJS_LATEST,
      entry: './lambda/listChats.ts',
    });
  }
}
"""


def lock(version: str, nested: bool = False) -> str:
    """npm's lockfile 3 of a workspace root: aws-cdk-lib hoisted, or kept in the workspace's folder."""
    key = "packages/cdk/node_modules/aws-cdk-lib" if nested else "node_modules/aws-cdk-lib"
    return json.dumps({
        "name": "chat-app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
        "packages": {
            "": {"name": "chat-app", "workspaces": ["packages/*"]},
            "node_modules/@aws-cdk/asset-awscli-v1": {"version": "2.2.229"},
            key: {"version": version, "resolved": f"https://example.invalid/aws-cdk-lib-{version}.tgz",
                  "dependencies": {"constructs": "^10.0.0"}},
            "node_modules/constructs": {"version": "10.4.2"},
            "packages/cdk": {"name": "chat-cdk", "version": "1.0.0"},
        },
    }, indent=2) + "\n"


def monorepo(root: Path, range_written: str = "^2.154.1", locked: str | None = "2.187.0") -> Path:
    files = {
        "package.json": json.dumps({"name": "chat-app", "private": True, "workspaces": ["packages/*"]}),
        "packages/cdk/package.json": json.dumps({
            "name": "chat-cdk", "version": "1.0.0",
            "devDependencies": {"aws-cdk": "^2.154.1", "typescript": "~5.4.0"},
            "dependencies": {"aws-cdk-lib": range_written, "constructs": "^10.3.0"}}, indent=2),
        "packages/cdk/cdk.json": '{"app": "npx ts-node --prefer-ts-exts bin/chat.ts"}\n',
        "packages/cdk/lib/construct/api.ts": CONSTRUCT,
        "packages/cdk/lambda/predict.ts": "export const handler = async () => ({ statusCode: 200 });\n",
        "packages/cdk/lambda/listChats.ts": "export const handler = async () => ({ statusCode: 200 });\n",
    }
    if locked is not None:
        files["package-lock.json"] = lock(locked)
    return write(root, files)


def functions(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


@pytest.mark.parametrize(("version", "identifier"), [
    ("2.92.0", None), ("2.93.0", "nodejs18.x"), ("2.210.0", "nodejs18.x"), ("2.211.0", "nodejs22.x"),
    ("2.258.1", "nodejs22.x"), ("2.259.0", "nodejs24.x"), ("2.278.0", "nodejs24.x"), ("2.279.0", None),
    ("2.200.0-rc.1", None),
])
def test_nodejs_latest_is_the_runtime_each_checked_release_fixes(version, identifier):
    assert runtime_in_release("NODEJS_LATEST", version) == identifier


def test_the_release_data_is_sourced_ordered_and_names_runtimes_the_lifecycle_table_knows():
    raw = json.loads((Path(__file__).parents[1] / "reviewer/data/cdk_variable_runtimes.json").read_text())
    assert raw["source"] and raw["as_of"] and "npm" in raw["source"]
    data = load_variable_runtimes()
    table = load_lifecycle()
    for steps in data.steps.values():
        keys = [release_key(step.first) for step in steps]
        assert None not in keys and keys == sorted(keys)
        assert all(table.get(step.identifier) is not None for step in steps)
    assert runtime_in_release("determineLatestPythonRuntime", "2.214.0") is None
    assert runtime_in_release("determineLatestPythonRuntime", "2.230.0") == "python3.13"


def test_a_workspace_root_lock_names_nodejs_latest_for_the_cdk_package(tmp_path):
    """generative-ai-use-cases-jp's shape: `packages/cdk` asks for `^2.154.1`, the root lock installs 2.187.0."""
    monorepo(tmp_path)
    found = functions(tmp_path)
    lock_line = line_containing(tmp_path, "package-lock.json", '"node_modules/aws-cdk-lib"')
    for name in ("Predict", "ListChats"):
        assert found[name].runtime == "nodejs18.x"
        assert "Runtime" not in found[name].unresolved
        assert (found[name].locations["Runtime.Release"].path, found[name].locations["Runtime.Release"].line) == (
            "package-lock.json", lock_line)


def test_the_release_is_one_finding_on_the_lock_line_naming_every_function(tmp_path):
    monorepo(tmp_path)
    report = scan_report(tmp_path, DAY)
    runtime = [f for f in report["findings"] if f["rule_id"].startswith("LR1")]
    assert len(runtime) == 1
    [finding] = runtime
    assert (finding["rule_id"], finding["path"]) == ("LR100", "package-lock.json")
    assert "`Runtime.NODEJS_LATEST`" in finding["message"] and "`2.187.0`" in finding["message"]
    assert "`2.211.0`" in finding["message"] and "`nodejs22.x`" in finding["message"]
    assert "`Predict`" in finding["message"] and "`ListChats`" in finding["message"]
    assert not finding.get("suggestion")


def test_a_lock_that_keeps_aws_cdk_lib_in_the_workspace_folder_wins_over_a_hoisted_one(tmp_path):
    monorepo(tmp_path)
    document = json.loads(lock("2.215.0", nested=True))
    document["packages"]["node_modules/aws-cdk-lib"] = {"version": "2.100.0"}
    (tmp_path / "package-lock.json").write_text(json.dumps(document, indent=2))
    assert functions(tmp_path)["Predict"].runtime == "nodejs22.x"


def test_an_exact_pin_without_a_lock_names_the_runtime(tmp_path):
    monorepo(tmp_path, range_written="2.260.0", locked=None)
    fn = functions(tmp_path)["Predict"]
    assert fn.runtime == "nodejs24.x" and fn.locations["Runtime.Release"].path == "packages/cdk/package.json"


def test_a_range_without_a_lock_says_what_the_runtime_depends_on(tmp_path):
    monorepo(tmp_path, locked=None)
    reason = functions(tmp_path)["Predict"].unresolved["Runtime"]
    assert "^2.154.1" in reason and "packages/cdk/package.json" in reason and "nodejs22.x" in reason


def test_a_release_newer_than_the_data_or_older_than_the_constant_is_not_guessed(tmp_path):
    monorepo(tmp_path, locked="2.400.0")
    assert functions(tmp_path)["Predict"].runtime is None
    assert "newer than 2.278.0" in functions(tmp_path)["Predict"].unresolved["Runtime"]
    (tmp_path / "package-lock.json").write_text(lock("2.80.0"))
    assert "has no `Runtime.NODEJS_LATEST` yet" in functions(tmp_path)["Predict"].unresolved["Runtime"]


def test_a_yarn_lock_and_the_nodejs_function_default_with_the_latest_flag(tmp_path):
    write(tmp_path, {
        "cdk.json": json.dumps({"app": "npx ts-node bin/app.ts",
                                "context": {"@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion": True}}),
        "package.json": json.dumps({"name": "orders", "dependencies": {"aws-cdk-lib": "^2.200.0"}}),
        "yarn.lock": (
            "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"
            '"@aws-cdk/asset-awscli-v1@^2.2.229":\n  version "2.2.229"\n\n'
            "aws-cdk-lib@^2.200.0:\n  version \"2.230.0\"\n  resolved \"https://example.invalid/a.tgz\"\n\n"
            "constructs@^10.0.0:\n  version \"10.4.2\"\n"),
        "lib/orders-stack.ts": (
            "import { Stack } from 'aws-cdk-lib';\n"
            "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
            "export class OrdersStack extends Stack {\n"
            "  constructor(scope: any, id: string) {\n"
            "    super(scope, id);\n"
            "    new NodejsFunction(this, 'Checkout', { entry: 'lambda/checkout.ts' });\n"
            "  }\n"
            "}\n"),
        "lambda/checkout.ts": "export const handler = async () => ({});\n",
    })
    fn = functions(tmp_path)["Checkout"]
    assert fn.runtime == "nodejs22.x" and fn.locations["Runtime.Release"].path == "yarn.lock"
    assert fn.locations["Runtime.Release"].line == line_containing(tmp_path, "yarn.lock", 'version "2.230.0"')


def test_a_python_app_pinning_aws_cdk_lib_names_determine_latest_python_runtime(tmp_path):
    write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}\n',
        "requirements.txt": "aws-cdk-lib==2.230.0\nconstructs>=10.0.0,<11.0.0\n",
        "reports/reports_stack.py": (
            "from aws_cdk import Stack, aws_lambda as _lambda\n"
            "from constructs import Construct\n\n\n"
            "class ReportsStack(Stack):\n"
            "    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:\n"
            "        super().__init__(scope, construct_id, **kwargs)\n"
            "        _lambda.Function(self, 'Nightly', runtime=_lambda.Runtime.determine_latest_python_runtime(self),\n"
            "                         handler='nightly.handler', code=_lambda.Code.from_asset('lambda'))\n"
            "        _lambda.Function(self, 'Notify', runtime=_lambda.Runtime.NODEJS_LATEST,\n"
            "                         handler='index.handler', code=_lambda.Code.from_asset('notify'))\n"),
        "lambda/nightly.py": "def handler(event, context):\n    return {}\n",
        "notify/index.js": "exports.handler = async () => ({});\n",
    })
    found = functions(tmp_path)
    assert (found["Nightly"].runtime, found["Notify"].runtime) == ("python3.13", "nodejs22.x")
    assert found["Nightly"].locations["Runtime.Release"].path == "requirements.txt"
