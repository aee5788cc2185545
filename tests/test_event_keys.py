"""Whether a handler provably never reads its event's body (`reviewer.code.*_event_keys`): True only
when every use of the event is a constant key other than `body`; anything else keeps the rule speaking."""

from __future__ import annotations

import ast
import textwrap

import pytest

from reviewer.code import javascript_event_keys, python_event_keys


def python_never_reads_body(source: str, name: str = "handler") -> bool:
    return python_event_keys.never_reads_key(ast.parse(textwrap.dedent(source)), name, "body")


def javascript_never_reads_body(source: str, path: str = "index.js", export: str = "handler") -> bool:
    return javascript_event_keys.never_reads_key(path, textwrap.dedent(source), export, "body")


@pytest.mark.parametrize("source", [
    'def handler(event, context):\n    return event["pathParameters"]["id"]\n',
    'def handler(event, context):\n    q = event.get("queryStringParameters") or {}\n    return q.get("page")\n',
    'def handler(event, context):\n    e = event\n    return e["pathParameters"]\n',
    'def handler(event, context):\n    if "headers" in event:\n        return event["headers"].get("x")\n',
    'async def handler(event, context):\n    return {"statusCode": 204}\n',
])
def test_python_handlers_read_through_other_keys_alone(source):
    assert python_never_reads_body(source)


@pytest.mark.parametrize("source", [
    'import json\ndef handler(event, context):\n    return json.loads(event["body"])\n',
    'def handler(event, context):\n    return event.get("body")\n',
    'import json\ndef handler(event, context):\n    print(json.dumps(event))\n    return event["pathParameters"]\n',
    'from mangum import Mangum\nfrom app import app\nhandler = Mangum(app)\n',
    'def handler(event, context):\n    return route(event, context)\n',
    'def handler(event, context):\n    key = "body"\n    return event[key]\n',
    'def handler(event, context):\n    return {**event}\n',
    'def handler(event, context):\n    for key in event:\n        print(key)\n',
    'def handler(event, context):\n    event = event["pathParameters"]\n    return event\n',
    'def handler(event, context):\n    e = event\n    return e["body"]\n',
    'def handler(event, context):\n    return locals()["event"]["body"]\n',
    'def handler(event, context):\n    return f"{event}"\n',
    'def handler(*args):\n    return args[0]["body"]\n',
    '@logger.inject_lambda_context(log_event=True)\ndef handler(event, context):\n    return event["pathParameters"]\n',
    'def handler(event, context):\n    return event["pathParameters"]\nhandler = wrap(handler)\n',
    'def handler(event, context):\n    def inner(event):\n        return event\n    return inner(1)\n',
])
def test_python_handlers_that_may_read_the_body(source):
    assert not python_never_reads_body(source)


@pytest.mark.parametrize("source", [
    "exports.handler = async function (event, context) {\n  return event.pathParameters.key;\n};\n",
    "exports.handler = async (event) => event['queryStringParameters']?.page;\n",
    "const handler = async (event) => { const e = event; return e.pathParameters; };\nmodule.exports = { handler };\n",
    "export async function handler(event) {\n  const { pathParameters, headers: h } = event;\n  return h;\n}\n",
    "export const handler = async () => ({ statusCode: 204 });\n",
])
def test_javascript_handlers_read_through_other_keys_alone(source):
    assert javascript_never_reads_body(source, "index.mjs")


@pytest.mark.parametrize("source", [
    "exports.handler = async (event) => JSON.parse(event.body);\n",
    "exports.handler = async (event) => event['body'];\n",
    "exports.handler = async ({ body }) => body;\n",
    "exports.handler = async ({ pathParameters, ...rest }) => rest;\n",
    "exports.handler = async (event) => { console.log(event); return event.pathParameters; };\n",
    "exports.handler = async (event) => { console.log(JSON.stringify(event)); return 1; };\n",
    "const serverless = require('serverless-http');\nexports.handler = serverless(app);\n",
    "const base = async (event) => event.pathParameters;\nexports.handler = middy(base).use(jsonBodyParser());\n",
    "async function handler(event) { return event.pathParameters; }\nhandler = wrap(handler);\n"
    "module.exports = { handler };\n",
    "exports.handler = async (event) => { const k = 'body'; return event[k]; };\n",
    "exports.handler = async (event) => ({ ...event });\n",
    "exports.handler = async (event) => route({ event });\n",
    "exports.handler = async function (event) { return arguments[0].body; };\n",
    "exports.handler = async (event) => { const e = event; return e.body; };\n",
    "exports.handler = async (event) => { event = event.pathParameters; return event; };\n",
    "exports.handler = async (event) => event.pathParameters;\nexports.handler = wrap(exports.handler);\n",
    "exports.handler = async (event) => { return event.pathParameters\n",
])
def test_javascript_handlers_that_may_read_the_body(source):
    assert not javascript_never_reads_body(source)


def test_typescript_handler_with_a_typed_event_is_read():
    source = ("import type { APIGatewayProxyEvent } from 'aws-lambda';\n"
              "export const handler = async (event: APIGatewayProxyEvent) => event.pathParameters?.id;\n")
    assert javascript_never_reads_body(source, "tag.ts")
    assert not javascript_never_reads_body(source.replace("pathParameters?.id", "body!"), "tag.ts")
