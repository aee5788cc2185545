"""Serverless: a function whose settings are one value rather than a mapping written in place,
`hello: ${file(./functions/hello.yml)}` in YAML or `create: makeFunction('create')` in a
serverless.ts: read from the file it names, or said unknown, never said to declare no handler."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.reader import read_function_code
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


def test_a_function_whose_settings_are_a_file_variable_is_read_from_that_file(tmp_path: Path) -> None:
    _write(tmp_path, {
        "shop/serverless.yml": (
            "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n"
            "functions:\n  checkout: ${file(./functions/checkout.yml)}\n"
            "  refund: ${file(./functions/all.yml):refund}\n"),
        "shop/functions/checkout.yml": "handler: src/checkout.handler\nruntime: python3.13\n",
        "shop/functions/all.yml": "refund:\n  handler: src/refund.handler\n",
        "shop/src/checkout.py": "def handler(event, context):\n    return event\n",
        "shop/src/refund.py": "def handler(event, context):\n    return event\n",
    })
    functions = _functions(tmp_path)
    checkout, refund = functions["checkout"], functions["refund"]
    assert (checkout.handler, checkout.runtime, str(checkout.where("Runtime"))) == \
        ("src/checkout.handler", "python3.13", "shop/functions/checkout.yml:2")
    assert (refund.handler, refund.runtime) == ("src/refund.handler", "python3.12")
    assert str(checkout.location) == "shop/serverless.yml:6"
    assert "Handler" not in checkout.unresolved and "Handler" not in refund.unresolved


def test_a_function_whose_settings_stay_unread_has_an_unknown_handler(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "shop/serverless.yml": (
            "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n"
            "functions:\n  lost: ${file(./functions/missing.yml)}\n"),
        "orders/serverless.ts": (
            "import type { AWS } from '@serverless/typescript';\nimport { makeFunction } from './src/make';\n\n"
            "const config: AWS = {\n  service: 'orders',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: {\n    create: makeFunction('create'),\n  },\n};\nmodule.exports = config;\n"),
        "orders/src/make.ts": (
            "import { fromTemplate } from '@shop/templates';\n"
            "export const makeFunction = (name: string) => fromTemplate(name);\n"),
    })
    scanned = ServerlessFormat().scan(Workspace(root))
    functions = {fn.name: fn for fn in scanned.functions}
    assert "computed when the configuration file runs" in functions["create"].unresolved["Handler"]
    assert "functions/missing.yml" in functions["lost"].unresolved["Handler"]
    assert any(n.rule_id == "LR904" and n.path == "shop/serverless.yml" and n.line == 6 for n in scanned.notices)
    for name in ("create", "lost"):
        skipped = read_function_code(Workspace(root), functions[name]).skipped or ""
        assert "declares no handler" not in skipped and "not known" in skipped
