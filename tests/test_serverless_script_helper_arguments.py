"""A serverless.ts whose function settings a helper builds from its arguments, the helpers kept in a
shared module: `handler: handlerAt('orders-api.create')` returning a template string of its
parameter, `events: [routeEvent('post', '/orders', bearer())]` an object of its parameters (one left
out and spread), `streamEvent(arn)` with a default. Each call is read with the parameters bound to
its arguments, located at the call.

Seen on tux86/serverless-todo-clean-architecture-boilerplate (`getHandler('user-api-index...')`,
`httpApiEvent(...)`, `dynamodbStreamEvent(...)`): every one of 16 functions had no handler, its
code unread by the loop check, and its routes and stream trigger were LR904 notices."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace

SERVICE = {
    "shared/sls/helpers.ts": (
        "export const handlerAt = (name: string): string => {\n"
        "  return `./src/entry/${name}`\n"
        "}\n"
        "\n"
        "export const routeEvent = (method: 'get' | 'post', path: string, auth?: object) => ({\n"
        "  httpApi: {\n"
        "    method,\n"
        "    path,\n"
        "    ...auth,\n"
        "  },\n"
        "})\n"
        "\n"
        "export function streamEvent(arn: unknown, batchSize = 10) {\n"
        "  return { stream: { type: 'dynamodb', arn, batchSize } }\n"
        "}\n"
    ),
    "api/deploy/functions/orders.ts": (
        "import { handlerAt, routeEvent, streamEvent } from '../../../shared/sls/helpers'\n"
        "\n"
        "const bearer = () => ({ authorizer: { name: 'bearer' } })\n"
        "\n"
        "export const orderFunctions = {\n"
        "  createOrder: {\n"
        "    handler: handlerAt('orders-api.create'),\n"
        "    events: [routeEvent('post', '/orders', bearer())],\n"
        "  },\n"
        "  listOrders: {\n"
        "    handler: handlerAt('orders-api.list'),\n"
        "    events: [routeEvent('get', '/orders')],\n"
        "  },\n"
        "  orderTotals: {\n"
        "    handler: handlerAt('orders-stream.totals'),\n"
        "    environment: { ORDERS_TABLE: { Ref: 'OrdersTable' } },\n"
        "    events: [streamEvent({ 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] })],\n"
        "  },\n"
        "}\n"
    ),
    "api/serverless.ts": (
        "import type { AWS } from '@serverless/typescript'\n"
        "import { orderFunctions } from './deploy/functions/orders'\n"
        "\n"
        "const configuration: AWS = {\n"
        "  service: 'orders',\n"
        "  frameworkVersion: '3',\n"
        "  plugins: ['serverless-esbuild'],\n"
        "  provider: {\n"
        "    name: 'aws',\n"
        "    runtime: 'nodejs20.x',\n"
        "    httpApi: { authorizers: { bearer: { type: 'jwt', identitySource: '$request.header.Authorization', issuerUrl: 'https://issuer.example', audience: ['orders'] } } },\n"
        "  },\n"
        "  functions: { ...orderFunctions },\n"
        "  resources: {\n"
        "    Resources: {\n"
        "      OrdersTable: {\n"
        "        Type: 'AWS::DynamoDB::Table',\n"
        "        Properties: {\n"
        "          BillingMode: 'PAY_PER_REQUEST',\n"
        "          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],\n"
        "          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],\n"
        "          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },\n"
        "        },\n"
        "      },\n"
        "    },\n"
        "  },\n"
        "}\n"
        "\n"
        "module.exports = configuration\n"
    ),
    "api/src/entry/orders-api.ts": (
        "export const create = async () => ({ statusCode: 201, body: '{}' })\n"
        "export const list = async () => ({ statusCode: 200, body: '[]' })\n"
    ),
    "api/src/entry/orders-stream.ts": (
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'\n"
        "import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'\n"
        "import type { DynamoDBStreamEvent } from 'aws-lambda'\n"
        "\n"
        "const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}))\n"
        "\n"
        "export const totals = async (event: DynamoDBStreamEvent) => {\n"
        "  for (const record of event.Records) {\n"
        "    const pk = record.dynamodb?.Keys?.pk?.S\n"
        "    await documents.send(new UpdateCommand({\n"
        "      TableName: process.env.ORDERS_TABLE,\n"
        "      Key: { pk: `total#${pk}` },\n"
        "      UpdateExpression: 'ADD orders :one',\n"
        "      ExpressionAttributeValues: { ':one': 1 },\n"
        "    }))\n"
        "  }\n"
        "}\n"
    ),
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-06-01"], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())["findings"]


def test_a_handler_a_helper_builds_from_its_argument_is_read_at_the_call(tmp_path):
    functions = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(_write(tmp_path, SERVICE))).functions}
    assert functions["createOrder"].handler == "./src/entry/orders-api.create"
    assert functions["orderTotals"].handler == "./src/entry/orders-stream.totals"
    assert functions["orderTotals"].code_path == "api/src/entry"
    handler = functions["listOrders"].locations["Handler"]
    assert (handler.path, handler.line) == ("api/deploy/functions/orders.ts", 11)
    assert not functions["createOrder"].unresolved


def test_events_a_helper_builds_give_routes_and_a_stream_the_loop_check_follows(tmp_path):
    findings = _findings(_write(tmp_path, SERVICE))
    assert not [f for f in findings if f["rule_id"] == "LR904"]
    routes = [(f["function"], f["path"], f["line"]) for f in findings if f["rule_id"] == "LR305"]
    assert routes == [("listOrders", "api/deploy/functions/orders.ts", 12)]     # createOrder has `bearer`
    [loop] = [f for f in findings if f["rule_id"] == "LR201"]
    assert loop["function"] == "orderTotals"
    assert "`OrdersTable`" in loop["message"]


def test_a_helper_given_a_value_computed_at_run_time_stays_a_notice(tmp_path):
    files = dict(SERVICE)
    files["api/deploy/functions/orders.ts"] = files["api/deploy/functions/orders.ts"].replace(
        "handlerAt('orders-api.list')", "handlerAt(process.env.LIST_HANDLER)")
    findings = _findings(_write(tmp_path, files))
    notices = [f for f in findings if f["rule_id"] == "LR904"]
    assert [(f["path"], f["line"]) for f in notices] == [("api/deploy/functions/orders.ts", 11)]
    assert "handlerAt(process.env.LIST_HANDLER)" in notices[0]["message"]


def test_a_helper_that_calls_itself_is_read_once(tmp_path):
    """Hostile: `grow(x)` returning two calls of itself doubled at every level until the reader's
    budget ran out, and with it every setting after it (the functions, silently)."""
    _write(tmp_path, {"serverless.ts": (
        "const grow = (x: string) => ({ a: grow(x), b: grow(x), c: `${x}${x}` })\n"
        "module.exports = {\n  service: 'h',\n  provider: { name: 'aws', runtime: 'nodejs22.x' },\n"
        "  custom: { tree: grow('seed') },\n  functions: { one: { handler: 'src/one.main' } },\n}\n")})
    [function] = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert (function.name, function.handler) == ("one", "src/one.main")


def test_more_values_than_the_reader_reads_is_a_notice_never_a_silent_pass(tmp_path):
    """Hostile: helpers each returning two calls of the one before make 2^17 values; the reader
    stops at its budget and says so, and the service's runtime is still reviewed."""
    helpers = ["const f0 = () => ({ a: 'x' })"] + [
        f"const f{k} = () => ({{ a: f{k - 1}(), b: f{k - 1}() }})" for k in range(1, 18)]
    _write(tmp_path, {"serverless.ts": "\n".join(helpers) + (
        "\nmodule.exports = {\n  service: 'h',\n  provider: { name: 'aws', runtime: 'nodejs16.x' },\n"
        "  custom: { tree: f17() },\n  functions: { one: { handler: 'src/one.main' } },\n}\n")})
    findings = _findings(tmp_path)
    [notice] = [f for f in findings if f["rule_id"] == "LR904"]
    assert "more than 50,000 values" in notice["message"]
    assert any(f["rule_id"] in ("LR100", "LR101") for f in findings)
