"""serverless.ts split into modules of helpers: settings a helper returns, and handler paths a
framework's helper builds from the module's folder.

Seen on andrewmcoupe/lazy-mouth (`provider: getProvider()`, `functions: getFunctions()`, each an
arrow function of its own module returning an object literal: no function was listed, only three
LR904 notices) and swarmion/swarmion (`handler: getHandlerPath(__dirname)` from
`@swarmion/serverless-helpers`: every function's handler unknown, its code unread)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.model import Function
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in ServerlessFormat().scan(Workspace(root)).functions}


def _notices(root: Path) -> list[tuple[str, int]]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return [(f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR904"]


SPLIT_SERVICE = {
    "serverless.ts": (
        "import type { Serverless } from 'serverless/aws'\n"
        "import { buildFunctions } from './config/functions'\n"
        "import { buildProvider } from './config/provider'\n"
        "import stackResources from './config/resources'\n\n"
        "const configuration: Serverless = {\n"
        "  service: 'catalog',\n"
        "  provider: buildProvider(),\n"
        "  functions: buildFunctions(),\n"
        "  resources: stackResources(),\n"
        "}\n\n"
        "module.exports = configuration\n"),
    "config/provider.ts": (
        "import type AWS from 'serverless/aws'\n\n"
        "export function buildProvider(): AWS.Provider {\n"
        "  return {\n"
        "    name: 'aws',\n"
        "    runtime: 'nodejs18.x',\n"
        "    iamRoleStatements: [\n"
        "      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:*:*:table/items' },\n"
        "    ],\n"
        "  }\n"
        "}\n"),
    "config/functions.ts": (
        "import type AWS from 'serverless/aws'\n\n"
        "export const buildFunctions = (): AWS.Functions => ({\n"
        "  listItems: {\n"
        "    handler: 'src/handlers/list-items.handler',\n"
        "    events: [{ http: { method: 'get', path: '/items' } }],\n"
        "  },\n"
        "})\n"),
    "config/resources.ts": (
        "const tableName = process.env.TABLE\n\n"
        "export default () => ({ Resources: { Items: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: tableName } } } })\n"),
    "src/handlers/list-items.ts": "export const handler = async () => ({ statusCode: 200, body: '[]' })\n",
}


def test_settings_returned_by_helpers_of_other_modules_are_read_where_they_are_written(tmp_path: Path) -> None:
    _write(tmp_path, SPLIT_SERVICE)
    items = _functions(tmp_path)["listItems"]
    assert (items.runtime, str(items.where("Runtime"))) == ("nodejs18.x", "config/provider.ts:6")
    assert (items.handler, str(items.location)) == ("src/handlers/list-items.handler", "config/functions.ts:4")
    assert [str(statement.location) for statement in items.policy_statements] == ["config/provider.ts:8"]
    assert [(route.method, route.path) for route in items.routes] == [("GET", "/items")]
    # what the helpers read from the environment is still said, at its own line; nothing else is
    assert _notices(tmp_path) == [("config/resources.ts", 1)]


def test_a_helper_taking_arguments_stays_a_value_computed_when_the_file_runs(tmp_path: Path) -> None:
    files = dict(SPLIT_SERVICE)
    files["serverless.ts"] = files["serverless.ts"].replace("buildFunctions()", "buildFunctions('prod')")
    _write(tmp_path, files)
    service, = _functions(tmp_path).values()   # the provider's runtime stands for the unread functions
    assert (service.name, service.properties["functions_unread"]) == ("catalog", True)
    assert ("serverless.ts", 9) in _notices(tmp_path)


SWARMION_SERVICE = {
    "services/core/serverless.ts": (
        "import { AWS } from '@serverless/typescript';\n\n"
        "import { functions } from './functions';\n\n"
        "const serverlessConfiguration: AWS = {\n"
        "  service: 'shop-core',\n"
        "  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
        "  functions,\n"
        "};\n\n"
        "module.exports = serverlessConfiguration;\n"),
    "services/core/functions/index.ts": (
        "import { checkout } from './checkout/config';\n"
        "import { refund } from './refund/config';\n\n"
        "export const functions = { checkout, refund };\n"),
    "services/core/functions/checkout/config.ts": (
        "import { getHandlerPath, LambdaFunction } from '@swarmion/serverless-helpers';\n\n"
        "export const checkout: LambdaFunction = {\n"
        "  handler: getHandlerPath(__dirname),\n"
        "  events: [{ httpApi: { method: 'post', path: '/checkout' } }],\n"
        "};\n"),
    "services/core/functions/checkout/handler.ts": "export const main = async () => ({ statusCode: 201 });\n",
    "services/core/functions/refund/config.ts": (
        "import { getHandlerPath } from '@swarmion/serverless-helpers';\n\n"
        "export const refund = {\n"
        "  handler: getHandlerPath(__dirname, { fileName: 'refundHandler' }),\n"
        "};\n"),
    "services/core/functions/refund/refundHandler.ts": "export const main = async () => ({ statusCode: 200 });\n",
}


def test_swarmions_handler_path_helper_names_the_modules_folder(tmp_path: Path) -> None:
    _write(tmp_path, SWARMION_SERVICE)
    functions = _functions(tmp_path)
    checkout, refund = functions["checkout"], functions["refund"]
    assert (checkout.handler, checkout.code_path) == ("functions/checkout/handler.main", "services/core/functions/checkout")
    assert checkout.properties["handler_file"] == "services/core/functions/checkout/handler.ts"
    assert refund.handler == "functions/refund/refundHandler.main"
    assert _notices(tmp_path) == []


def test_a_handler_path_helper_of_another_package_is_not_taken_for_swarmions(tmp_path: Path) -> None:
    files = dict(SWARMION_SERVICE)
    config = "services/core/functions/checkout/config.ts"
    files[config] = files[config].replace("@swarmion/serverless-helpers", "@acme/lambda-paths")
    _write(tmp_path, files)
    checkout = _functions(tmp_path)["checkout"]
    assert checkout.handler is None and "Handler" in checkout.unresolved
