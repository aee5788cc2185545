"""Serverless: a function without a runtime the review knows (none declared, or one from a variable
it does not resolve) is read in the language of the handler file it names, never looked for as a
Python module beside a JavaScript one."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_without_a_runtime_a_javascript_handler_file_is_read_as_javascript(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "serverless.yml": ("service: svc\nprovider:\n  name: aws\n  runtime: ${opt:runtime}\n"
                           "functions:\n  hello:\n    handler: src/index.handler\n"),
        "src/index.js": "exports.handler = async () => ({});\n",
    })
    hello, = ServerlessFormat().scan(Workspace(root)).functions
    assert hello.runtime is None
    reading = read_function_code(Workspace(root), hello)
    assert not reading.skipped
    assert reading.handler_path == "src/index.js"


def test_without_a_runtime_a_python_handler_file_is_still_read_as_python(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "serverless.yml": "service: svc\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: app.handler\n",
        "app.py": "def handler(event, context):\n    return event\n",
    })
    hello, = ServerlessFormat().scan(Workspace(root)).functions
    reading = read_function_code(Workspace(root), hello)
    assert not reading.skipped
    assert reading.handler_path == "app.py"
