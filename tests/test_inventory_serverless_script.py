"""serverless.ts and serverless.js: the exported configuration read as data (never run), through the
same reader as serverless.yml, with notices for what is only known when the file runs."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "serverless"
DAY = "2026-11-22"


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())


def findings(report: dict, *rules: str) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in report["findings"]
                  if f["rule_id"] in rules)


def test_typescript_service_runtimes_events_iam_and_environment_at_their_lines():
    root = FIXTURES / "typescript-service"
    result = ServerlessFormat().scan(Workspace(root))
    fns = {fn.name: fn for fn in result.functions}
    assert set(fns) == {"hello", "importer"}
    importer = fns["importer"]
    assert (importer.runtime, str(importer.where("Runtime"))) == ("python3.8", "serverless.ts:34")
    assert importer.handler == "src/importer.handler" and importer.code_path == "src"
    assert [(t.kind, t.target.value, t.location.line) for t in importer.triggers] == [("s3", "catalog-imports", 35)]
    # ${self:custom.tableName} is followed inside the file; ${sls:stage} depends on the deployment.
    assert importer.environment["TABLE_NAME"].value == "catalog-${sls:stage}"
    hello = fns["hello"]   # imported from another module: listed with the provider's runtime
    assert (hello.runtime, hello.where("Runtime").line, hello.location.line) == ("nodejs14.x", 16, 30)
    assert [(s.actions, s.location.line) for s in hello.policy_statements] == [(("dynamodb:*",), 24)]


def test_typescript_service_findings_and_notices():
    report = scan(FIXTURES / "typescript-service")
    assert findings(report, "LR100", "LR101", "LR300", "LR904") == [
        ("LR100", "serverless.ts", 34, "importer"),
        ("LR101", "serverless.ts", 16, "hello"),
        ("LR300", "serverless.ts", 24, None),
        ("LR904", "serverless.ts", 19, None),
        ("LR904", "serverless.ts", 30, None),
    ]
    messages = " ".join(f["message"] for f in report["findings"] if f["rule_id"] == "LR904")
    plain = messages.replace("\\", "").replace("\u200b", "")   # as Markdown renders it
    assert "process.env.API_KEY" in plain and "@functions/hello" in plain


def test_javascript_service_with_module_exports_literal():
    report = scan(FIXTURES / "javascript-service")
    assert findings(report, "LR100", "LR101", "LR904") == [
        ("LR100", "serverless.js", 7, "bounce"),
        ("LR101", "serverless.js", 12, "send"),
    ]


def test_export_default_export_assignment_and_a_compiled_copy_are_read_once(tmp_path):
    (tmp_path / "serverless.ts").write_text(
        "const provider = { name: 'aws', runtime: 'nodejs16.x' } as const;\n"
        "export default {\n"
        "  service: 'svc',\n"
        "  provider,\n"
        "  functions: { ping: { handler: 'ping.handler', timeout: 0x1e } },\n"
        "} satisfies Record<string, unknown>;\n")
    (tmp_path / "serverless.js").write_text("module.exports = require('./build/serverless').default;\n")
    fns = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert [(fn.name, fn.runtime, fn.where("Runtime").line) for fn in fns] == [("ping", "nodejs16.x", 1)]
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "serverless.ts").write_text(
        "const config = {\n  service: 'old',\n  provider: { name: 'aws', runtime: 'nodejs12.x' },\n"
        "  functions: { f: { handler: 'h.f' } },\n};\nexport = config;\n")
    legacy = ServerlessFormat().scan(Workspace(tmp_path / "legacy")).functions
    assert [(fn.name, fn.runtime, fn.where("Runtime").line) for fn in legacy] == [("f", "nodejs12.x", 3)]


def test_a_configuration_built_at_run_time_is_a_notice_not_silence(tmp_path):
    (tmp_path / "serverless.js").write_text("const build = require('./config');\nmodule.exports = build(process.env);\n")
    result = ServerlessFormat().scan(Workspace(tmp_path))
    assert result.functions == []
    assert [(n.rule_id, n.path, n.line) for n in result.notices] == [("LR904", "serverless.js", 2)]


def test_a_service_for_another_cloud_is_skipped_without_notices(tmp_path):
    """`provider.name: 'google'` declares Cloud Functions: nothing of Lambda is missing, as in YAML."""
    (tmp_path / "serverless.ts").write_text(
        "import { functions } from './functions';\n\n"
        "const config = {\n  service: 'gcf-demo',\n"
        "  provider: { name: 'google', runtime: 'nodejs18', region: process.env.REGION },\n"
        "  functions,\n};\nmodule.exports = config;\n")
    result = ServerlessFormat().scan(Workspace(tmp_path))
    assert (result.functions, result.notices) == ([], [])


def test_an_unread_value_is_named_and_a_known_runtime_is_not_called_missing(tmp_path):
    (tmp_path / "serverless.ts").write_text(
        "import type { AWS } from '@serverless/typescript';\nimport hello from '@functions/hello';\n\n"
        "const serverlessConfiguration: AWS = {\n  service: 'starter',\n"
        "  provider: { name: 'aws', runtime: 'nodejs14.x' },\n"
        "  functions: { hello },\n};\nmodule.exports = serverlessConfiguration;\n")
    report = scan(tmp_path)
    assert findings(report, "LR101", "LR904") == [("LR101", "serverless.ts", 6, "hello"),
                                                  ("LR904", "serverless.ts", 7, None)]
    [notice] = [f["message"] for f in report["findings"] if f["rule_id"] == "LR904"]
    assert "the value of `functions.hello` is missing" in notice and "runtime" not in notice


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_functions_spread_from_a_local_module_are_read_with_that_files_lines(tmp_path):
    _write(tmp_path, {
        "serverless.ts": (
            "import type { AWS } from '@serverless/typescript';\nimport { userFunctions } from './src/functions';\n\n"
            "const config: AWS = {\n  service: 'users',\n  provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
            "  functions: { ...userFunctions },\n};\nmodule.exports = config;\n"),
        "src/functions/index.ts": (
            "export const userFunctions = {\n  createUser: {\n    handler: 'src/create.main',\n"
            "    runtime: 'python3.8',\n  },\n  listUsers: { handler: 'src/list.main' },\n};\n"),
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert set(fns) == {"createUser", "listUsers"}
    assert str(fns["createUser"].location) == "src/functions/index.ts:2"
    assert (fns["createUser"].runtime, str(fns["createUser"].where("Runtime"))) == \
        ("python3.8", "src/functions/index.ts:4")
    assert (fns["listUsers"].runtime, str(fns["listUsers"].where("Runtime"))) == ("nodejs16.x", "serverless.ts:6")
    report = scan(tmp_path)
    assert findings(report, "LR100", "LR904") == [("LR100", "serverless.ts", 6, "listUsers"),
                                                  ("LR100", "src/functions/index.ts", 4, "createUser")]


def test_a_tsconfig_alias_and_a_default_export_are_followed(tmp_path):
    _write(tmp_path, {
        "tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": {"@functions/*": ["src/functions/*"]}}}),
        "serverless.ts": (
            "import hello from '@functions/hello';\n\n"
            "const serverlessConfiguration = {\n  service: 'starter',\n"
            "  provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
            "  functions: { hello },\n};\nmodule.exports = serverlessConfiguration;\n"),
        "src/functions/hello/index.ts": (
            "export default {\n  handler: 'src/functions/hello/handler.main',\n"
            "  events: [{ http: { method: 'post', path: 'hello' } }],\n};\n"),
    })
    [hello] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert (hello.name, hello.runtime, hello.handler) == ("hello", "nodejs16.x", "src/functions/hello/handler.main")
    assert [str(t.location) for t in hello.triggers] == ["src/functions/hello/index.ts:3"]


def test_a_configuration_returned_by_a_helper_of_the_file_is_read(tmp_path):
    _write(tmp_path, {"serverless.js": (
        "function createConfiguration() {\n  return {\n    service: 'built',\n"
        "    provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
        "    functions: { api: { handler: 'api.handler' } },\n  };\n}\n"
        "module.exports = createConfiguration();\n")})
    fns = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert [(fn.name, fn.runtime, str(fn.where("Runtime"))) for fn in fns] == [("api", "nodejs16.x", "serverless.js:4")]


def test_unreadable_functions_still_report_the_provider_runtime_once(tmp_path):
    _write(tmp_path, {"serverless.ts": (
        "import { functions } from '@acme/shared-functions';\n\n"
        "export default {\n  service: 'shared',\n  provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
        "  functions: { ...functions },\n};\n")})
    report = scan(tmp_path)
    assert findings(report, "LR100", "LR904") == [("LR100", "serverless.ts", 5, "shared"),
                                                  ("LR904", "serverless.ts", 6, None)]


def test_unreadable_values_outside_functions_are_one_notice_per_file(tmp_path):
    _write(tmp_path, {"serverless.ts": (
        "import { UsersTable, OrdersTable, Bucket } from '@acme/infra';\nimport { tags } from '@acme/tags';\n\n"
        "export default {\n  service: 'infra',\n  provider: { name: 'aws', stackTags: tags },\n"
        "  custom: { bucket: Bucket },\n"
        "  resources: { Resources: { UsersTable, OrdersTable } },\n};\n")})
    notices = ServerlessFormat().scan(Workspace(tmp_path)).notices
    assert [(n.rule_id, n.path, n.line) for n in notices] == [("LR904", "serverless.ts", 6)]


def test_functions_imported_whole_from_a_package_are_one_notice_and_the_runtime_is_reviewed(tmp_path):
    _write(tmp_path, {"serverless.ts": (
        "import { functions } from '@acme/shared-functions';\n\n"
        "export default {\n  service: 'shared',\n  provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
        "  functions,\n};\n")})
    report = scan(tmp_path)
    assert findings(report, "LR100", "LR901", "LR904") == [("LR100", "serverless.ts", 5, "shared"),
                                                           ("LR904", "serverless.ts", 6, None)]


def test_a_tsconfig_alias_written_in_the_file_it_extends_is_followed(tmp_path):
    """The starter layout keeps `paths` in `tsconfig.paths.json`, which `tsconfig.json` extends; the
    functions it imports through `@functions/...` are then read, handler and events included."""
    _write(tmp_path, {
        "orders/tsconfig.json": (   # tsc accepts comments and trailing commas
            '{\n  "extends": "./tsconfig.paths.json",\n  // compiled by esbuild\n'
            '  "compilerOptions": {"target": "ES2020", "sourceMap": true,},\n}\n'),
        "orders/tsconfig.paths.json": json.dumps({"compilerOptions": {
            "baseUrl": ".", "paths": {"@functions/*": ["src/functions/*"], "@libs/*": ["src/libs/*"]}}}),
        "orders/serverless.ts": (
            "import listOrders from '@functions/listOrders';\n\n"
            "const serverlessConfiguration = {\n  service: 'orders',\n"
            "  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { listOrders },\n};\nmodule.exports = serverlessConfiguration;\n"),
        "orders/src/functions/listOrders/index.ts": (
            "export default {\n  handler: 'src/functions/listOrders/handler.main',\n"
            "  events: [{ http: { method: 'get', path: 'orders' } }],\n};\n"),
        "orders/src/functions/listOrders/handler.ts": "export const main = async () => ({ statusCode: 200 });\n",
    })
    [orders] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert (orders.name, orders.handler) == ("listOrders", "src/functions/listOrders/handler.main")
    assert [str(t.location) for t in orders.triggers] == ["orders/src/functions/listOrders/index.ts:3"]


def test_the_starter_handler_path_helper_names_the_folder_of_the_module(tmp_path):
    """`${handlerPath(__dirname)}/handler.main` (the starter template's helper) is the module's folder,
    relative to the service where `serverless` runs; other computed parts stay unread with a notice."""
    _write(tmp_path, {
        "billing/serverless.ts": (
            "import invoice from './src/functions/invoice';\nimport refund from './src/functions/refund';\n\n"
            "export default {\n  service: 'billing',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { invoice, refund },\n};\n"),
        "billing/src/functions/invoice/index.ts": (
            "import { handlerPath } from '../../libs/handler-resolver';\n\n"
            "export default {\n  handler: `${handlerPath(__dirname)}/handler.main`,\n};\n"),
        "billing/src/functions/refund/index.ts": (
            "export default {\n  handler: `${process.env.PREFIX}/handler.main`,\n};\n"),
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert fns["invoice"].handler == "src/functions/invoice/handler.main"
    report = scan(tmp_path)
    assert findings(report, "LR904") == [("LR904", "billing/src/functions/refund/index.ts", 2, None)]


def test_functions_re_exported_by_an_index_file_are_followed(tmp_path):
    """`import { login, status } from './src/functions'` where the index re-exports each
    function's module: `export { default as login } from './login'` and `export * from './status'`."""
    _write(tmp_path, {
        "serverless.ts": (
            "import { login, status } from './src/functions';\n\n"
            "const config = {\n  service: 'auth',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { login, status },\n};\nmodule.exports = config;\n"),
        "src/functions/index.ts": "export { default as login } from './login';\nexport * from './status';\n",
        "src/functions/login/index.ts": (
            "export default {\n  handler: 'src/functions/login/handler.main',\n"
            "  events: [{ http: { method: 'post', path: 'login' } }],\n};\n"),
        "src/functions/status.ts": "export const status = { handler: 'src/functions/status.main' };\n",
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert {name: fn.handler for name, fn in fns.items()} == {
        "login": "src/functions/login/handler.main", "status": "src/functions/status.main"}
    report = scan(tmp_path)
    assert findings(report, "LR305", "LR904") == [("LR305", "src/functions/login/index.ts", 3, "login")]


def test_functions_from_a_namespace_import_of_an_index_are_each_listed(tmp_path):
    """`import * as functions from '@functions/index'` handed whole to `functions:`: the namespace
    object has one key per named export of the index (each re-exported function's module, and those
    of an `export * from`), so each is listed at the line of the index that names it, not one
    placeholder named after the service."""
    _write(tmp_path, {
        "tsconfig.paths.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": {
            "@functions/*": ["src/functions/*"]}}}),
        "tsconfig.json": json.dumps({"extends": "./tsconfig.paths.json"}),
        "serverless.ts": (
            "import type { AWS } from '@serverless/typescript';\nimport * as functions from '@functions/index';\n\n"
            "const serverlessConfiguration: AWS = {\n  service: 'ledger',\n"
            "  provider: { name: 'aws', runtime: 'nodejs20.x' },\n  functions,\n};\n\n"
            "module.exports = serverlessConfiguration;\n"),
        "src/functions/index.ts": (
            "export { default as deposit } from './deposit';\nexport { default as withdraw } from './withdraw';\n"
            "export * from './audit';\n"),
        "src/functions/deposit/index.ts": (
            "export default {\n  handler: 'src/functions/deposit/handler.main',\n"
            "  events: [{ http: { method: 'post', path: 'deposit' } }],\n};\n"),
        "src/functions/withdraw/index.ts": "export default { handler: 'src/functions/withdraw/handler.main' };\n",
        "src/functions/audit.ts": "export const audit = { handler: 'src/functions/audit.main' };\n",
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert {name: (fn.handler, str(fn.location)) for name, fn in fns.items()} == {
        "deposit": ("src/functions/deposit/handler.main", "src/functions/index.ts:1"),
        "withdraw": ("src/functions/withdraw/handler.main", "src/functions/index.ts:2"),
        "audit": ("src/functions/audit.main", "src/functions/audit.ts:1"),
    }
    assert fns["deposit"].runtime == "nodejs20.x"
    report = scan(tmp_path)
    assert findings(report, "LR305", "LR904") == [("LR305", "src/functions/deposit/index.ts", 3, "deposit")]


def test_a_dev_tools_module_named_serverless_ts_is_not_a_service(tmp_path):
    """`tools/cli/src/serverless.ts` exports the helpers a local dev tool calls (`export function
    stageExists`, `export const`): a module of the project, not a service with no readable export.
    A file that exports `service` by name, or re-exports a module whole, still gets the notice."""
    _write(tmp_path, {
        "tools/cli/src/serverless.ts": (
            "import { execFileSync } from 'child_process'\n\n"
            "export type StageState = 'READY' | 'MISSING'\n\n"
            "export function stageExists(stage: string): StageState {\n"
            "    const out = execFileSync('aws', ['cloudformation', 'describe-stacks', '--stack-name', `api-${stage}`])\n"
            "    return out.length > 0 ? 'READY' : 'MISSING'\n}\n\n"
            "export const DEFAULT_STAGE = 'dev', REGION = 'us-east-1'\n"
            "function helper() { return 1 }\nexport { helper as stageHelper }\n"),
        "named/serverless.ts": "export const service = 'named'\nexport const provider = { name: 'aws' }\n",
        "reexport/serverless.ts": "export * from './config'\n",
    })
    report = scan(tmp_path)
    assert findings(report, "LR904") == [("LR904", "named/serverless.ts", 1, None),
                                         ("LR904", "reexport/serverless.ts", 1, None)]
    assert report["functions"] == []


def test_a_serverless_ts_of_types_only_is_not_a_service_and_an_unread_provider_is_said(tmp_path):
    """`src/types/serverless.ts` exports types: no notice. A service whose `provider` is imported
    from a package the review does not follow has no known runtime; the table does not claim that
    none is declared."""
    _write(tmp_path, {
        "src/types/serverless.ts": (
            "import type { AWS } from '@serverless/typescript';\n"
            "export type ProviderConfig = AWS['provider'];\nexport interface Fn { handler: string }\n"),
        "svc/serverless.ts": (
            "import { sharedProvider } from '@acme/config';\n\n"
            "module.exports = {\n  service: 'svc',\n  provider: sharedProvider,\n"
            "  functions: { hello: { handler: 'handler.main' } },\n};\n"),
    })
    [hello] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert hello.runtime is None
    assert hello.unresolved["Runtime"] == ("the provider settings are not read statically, so the runtime they may "
                                           "set is not known")
    report = scan(tmp_path)
    assert findings(report, "LR904") == [("LR904", "svc/serverless.ts", 5, None)]   # the `provider` line


def test_values_of_one_block_read_from_one_module_are_one_notice_that_names_them(tmp_path):
    """`environment: { A: config.A, B: config.B, ... }` from a module that reads `process.env` when
    the file runs: one notice for the block, naming its keys and `config`, not one per value in
    the words of an unread function; the functions are read and listed, and a function that is
    itself unread keeps its own notice."""
    _write(tmp_path, {
        "tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": {"@functions": ["src/functions"]}}}),
        "src/config/index.ts": "export default readEnvironment(process.env);\n",
        "serverless.ts": (
            "import type { AWS } from '@serverless/typescript';\nimport config from 'src/config';\n"
            "import { sync, report } from '@functions';\nimport { legacy } from '@acme/legacy';\n\n"
            "const serverlessConfiguration: AWS = {\n  service: 'search',\n"
            "  provider: {\n    name: 'aws',\n    runtime: 'nodejs20.x',\n"
            "    region: config.REGION as AWS['provider']['region'],\n"
            "    environment: {\n      NODE_OPTIONS: '--enable-source-maps',\n"
            "      SEARCH_URL: config.SEARCH_URL,\n      SEARCH_USER: config.SEARCH_USER,\n"
            "      SEARCH_KEY: config.SEARCH_KEY,\n      SYNC_DAYS: config.SYNC_DAYS.toString(),\n    },\n  },\n"
            "  functions: { sync, report, legacy },\n};\n\nmodule.exports = serverlessConfiguration;\n"),
        "src/functions/index.ts": "export { default as sync } from './sync';\nexport { default as report } from './report';\n",
        "src/functions/sync/index.ts": (
            "const every = process.env.SYNC_DAYS;\n\n"
            "export default {\n  handler: 'src/functions/sync/handler.main',\n"
            "  events: [{ schedule: { rate: [`rate(${every} days)`] } }],\n};\n"),
        "src/functions/report/index.ts": "export default { handler: 'src/functions/report/handler.main' };\n",
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert set(fns) == {"sync", "report", "legacy"}
    assert fns["sync"].runtime == "nodejs20.x" and fns["sync"].handler == "src/functions/sync/handler.main"
    report = scan(tmp_path)
    notices = {(f["path"], f["line"]): f["message"] for f in report["findings"] if f["rule_id"] == "LR904"}
    # The schedule's computed rate is not said: when the job runs is no fact the review reads.
    assert sorted(notices) == [("serverless.ts", 11), ("serverless.ts", 14), ("serverless.ts", 20)]
    environment = notices[("serverless.ts", 14)]
    assert environment.startswith("The values of `provider.environment` in `serverless.ts` (4: `SEARCH_URL`, "
                                  "`SEARCH_USER`, `SEARCH_KEY` and 1 more) come from `config` (imported from "
                                  "`src/config`)")
    assert "declares a Lambda function" not in environment
    assert notices[("serverless.ts", 11)].startswith("`serverless.ts` sets `provider.region` to `config.REGION")
    legacy = notices[("serverless.ts", 20)]   # a function itself unread: said as one
    assert "declares a Lambda function" in legacy and "`functions.legacy`" in legacy


def test_a_serverless_components_class_named_serverless_js_is_not_a_service(tmp_path):
    """A Serverless Component's `serverless.js` exports a class the Components runtime runs; it
    declares no Lambda function and is not an unread service configuration."""
    _write(tmp_path, {
        "component/serverless.js": (
            "const { Component } = require('@serverless/core');\n\n"
            "class BucketComponent extends Component {\n  async deploy(inputs) {\n    return {};\n  }\n}\n\n"
            "module.exports = BucketComponent;\n"),
        "other/serverless.js": "module.exports = class extends Component {};\n",
    })
    result = ServerlessFormat().scan(Workspace(tmp_path))
    assert (result.functions, result.notices) == ([], [])


def test_the_inline_body_of_the_handler_path_helper_names_the_module_folder(tmp_path):
    """Older starter templates write the helper's body inline:
    `${__dirname.split(process.cwd())[1].substring(1)}/handler.main` is the module's folder too."""
    _write(tmp_path, {
        "orders/serverless.ts": (
            "import { create } from './src/functions';\n\n"
            "const config = {\n  service: 'orders',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { createOrder: create },\n};\nmodule.exports = config;\n"),
        "orders/src/functions/index.ts": "export { default as create } from './create';\n",
        "orders/src/functions/create/index.ts": (
            "export default {\n  handler: `${__dirname.split(process.cwd())[1].substring(1)}/handler.main`,\n};\n"),
    })
    [create] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert (create.name, create.handler) == ("createOrder", "src/functions/create/handler.main")
    assert findings(scan(tmp_path), "LR904") == []


def test_object_assign_over_literals_is_read_and_a_global_is_not_named_as_a_source(tmp_path):
    """`Object.assign({}, base, {...})` over object literals of the file is their merge; a value
    computed from a global (`JSON.parse(...)`) is said without naming `JSON` as where it comes from."""
    _write(tmp_path, {"serverless.ts": (
        "const base = { LOG_LEVEL: 'info', TABLE: 'orders' };\n\n"
        "export default {\n  service: 'orders',\n"
        "  provider: {\n    name: 'aws',\n    runtime: 'nodejs20.x',\n"
        "    environment: Object.assign({}, base, { TABLE: 'orders-v2' }),\n  },\n"
        "  resources: { Conditions: Object.assign({}), Outputs: JSON.parse('{}'), Resources: JSON.parse('{}') },\n"
        "  functions: { api: { handler: 'api.main' } },\n};\n")})
    [api] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert dict(api.environment) == {"LOG_LEVEL": "info", "TABLE": "orders-v2"}
    [notice] = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR904"]
    assert notice["message"].startswith("`serverless.ts` sets 2 settings (`resources.Outputs`, `resources.Resources`) "
                                        "from values computed when the file runs")


def test_an_unread_custom_block_is_noticed_only_when_a_variable_uses_it(tmp_path):
    """`custom: getCustomConfig(name)` holding plugin settings: the review reads `custom` only
    through `${self:custom...}` variables, so it is said only where one of them refers to it."""
    service = (
        "import { getCustomConfig } from '../common';\n\n"
        "export default {\n  service: '{name}',\n  custom: getCustomConfig('{name}'),\n"
        "  provider: { name: 'aws', runtime: 'nodejs20.x', environment: { TABLE: '{table}' } },\n"
        "  functions: { api: { handler: 'api.main' } },\n};\n")
    _write(tmp_path, {
        "common.ts": ("export const getCustomConfig = (name: string) =>\n"
                      "  Object.fromEntries([['esbuild', { bundle: true }], ['table', name]]);\n"),
        "jobs/serverless.ts": service.replace("{name}", "jobs").replace("{table}", "jobs"),
        "orders/serverless.ts": service.replace("{name}", "orders").replace("{table}", "${self:custom.table}"),
    })
    assert findings(scan(tmp_path), "LR904") == [("LR904", "orders/serverless.ts", 5, None)]


def test_a_member_of_an_object_literal_of_the_file_or_an_imported_module_is_read(tmp_path):
    """`QueueName: names.queueName` in a resources module that imports `names` from a sibling
    module, and `runtime: settings.runtime` of a `const` of the file: literals written in the
    repository, read with the lines where they are written, not notices of values computed when
    the file runs. A key a later spread may replace, and a module that computes its export, stay
    notices."""
    _write(tmp_path, {
        "serverless.ts": (
            "import resources from './deploy/resources/queues';\nimport names from './deploy/names';\n"
            "import env from './deploy/env';\n\n"
            "const settings = { runtime: 'nodejs16.x', handler: 'src/api.main' } as const;\n\n"
            "export default {\n  service: 'orders',\n"
            "  provider: {\n    name: 'aws',\n    runtime: settings.runtime,\n"
            "    environment: { TABLE: names['tables'].orders, REGION: env.region },\n  },\n"
            "  resources: { Resources: { ...resources } },\n"
            "  functions: { api: { handler: settings.handler } },\n};\n"),
        "deploy/names.ts": (
            "const names = {\n  queueName: 'orders-queue',\n  tables: { orders: 'orders-table' },\n};\n\n"
            "export default names;\n"),
        "deploy/env.ts": "const base = { region: 'eu-west-1' };\n\nexport default { region: 'us-east-1', ...base };\n",
        "deploy/resources/queues.ts": (
            "import names from '../names';\n\n"
            "export default {\n  OrdersQueue: {\n    Type: 'AWS::SQS::Queue',\n"
            "    Properties: { QueueName: names.queueName },\n  },\n};\n"),
    })
    fns = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions}
    assert (fns["api"].runtime, str(fns["api"].where("Runtime"))) == ("nodejs16.x", "serverless.ts:11")
    assert (fns["api"].environment["TABLE"], fns["api"].handler) == ("orders-table", "src/api.main")
    notices = [(f["path"], f["line"]) for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR904"]
    assert notices == [("serverless.ts", 12)]      # only `env.region`, which the spread may replace


def test_a_bare_import_under_the_tsconfig_base_url_is_followed(tmp_path):
    """`import functions from 'functions'` with `"baseUrl": "."` names `functions.ts` beside the
    service, as TypeScript resolves it: its functions are read, and no function is made up for the
    service from the provider's runtime."""
    _write(tmp_path, {
        "tsconfig.json": json.dumps({"extends": "./tsconfig.paths.json", "compilerOptions": {"target": "ES2020"}}),
        "tsconfig.paths.json": json.dumps({"compilerOptions": {
            "baseUrl": ".", "paths": {"@functions/*": ["src/functions/*"]}}}),
        "serverless.ts": (
            "import functions from 'functions';\n\n"
            "const config = {\n  service: 'photos',\n"
            "  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions,\n};\nmodule.exports = config;\n"),
        "functions.ts": "import listPhotos from '@functions/listPhotos';\n\nexport default {\n  listPhotos,\n};\n",
        "src/functions/listPhotos/index.ts": (
            "export default {\n  handler: 'src/functions/listPhotos/handler.main',\n"
            "  events: [{ http: { method: 'get', path: 'photos' } }],\n};\n"),
        "src/functions/listPhotos/handler.ts": "export const main = async () => ({ statusCode: 200 });\n",
    })
    [photos] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert (photos.name, photos.handler) == ("listPhotos", "src/functions/listPhotos/handler.main")
    assert [str(t.location) for t in photos.triggers] == ["src/functions/listPhotos/index.ts:3"]


def test_a_computed_template_literal_is_quoted_without_its_own_backticks(tmp_path):
    """slack-channel-membership-manager's role statement: a `Resource` written as a template literal
    of a value the file computes was quoted with its backticks, which closed the notice's code span."""
    _write(tmp_path, {"serverless.ts": (
        "import { settings } from './config/settings';\n\n"
        "const { TABLE_PREFIX } = settings();\n\n"
        "export default {\n  service: 'channels',\n"
        "  provider: { name: 'aws', runtime: 'nodejs20.x', iam: { role: { statements: [{\n"
        "    Effect: 'Allow', Action: ['dynamodb:Query'],\n"
        "    Resource: [`arn:aws:dynamodb:*:*:table/${TABLE_PREFIX}-*`],\n"
        "  }] } } },\n"
        "  functions: { sync: { handler: 'src/sync.handler' } },\n};\n"),
        "config/settings.ts": "export const settings = () => ({ TABLE_PREFIX: process.env.PREFIX });\n"})
    notice, = [n for n in ServerlessFormat().scan(Workspace(tmp_path)).notices if n.line == 9]
    assert "to `arn:aws:dynamodb:*:*:table/${TABLE_PREFIX}-*`, a value computed when the file runs" in notice.message
