"""Serverless: parts of a service written in another file with `${file(...)}`.

`provider: ${file(config/provider.yml):provider}` keeps the runtime and the role's statements in
that file: they are read there and located there, never said "not declared". A function included
from another file keeps its environment's lines in that file."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory.serverless.read import DEFAULT_RUNTIME_REASON, ServerlessFormat
from reviewer.model import Function
from reviewer.workspace import Workspace

PROVIDER = (
    "provider:\n  name: aws\n  runtime: nodejs18.x\n  iam:\n    role:\n      statements:\n"
    "        - Effect: Allow\n          Action: dynamodb:GetItem\n          Resource: '*'\n")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in ServerlessFormat().scan(Workspace(root)).functions}


def test_a_provider_included_from_a_file_gives_its_runtime_and_statements_with_their_lines(tmp_path: Path) -> None:
    _write(tmp_path, {
        "svc/serverless.yml": ("service: svc\nprovider: ${file(config/provider.yml):provider}\n"
                               "functions:\n  hello:\n    handler: index.handler\n"),
        "svc/config/provider.yml": PROVIDER,
        "svc/index.js": "exports.handler = async () => ({});\n",
    })
    hello = _functions(tmp_path)["hello"]
    assert hello.runtime == "nodejs18.x"
    assert "Runtime" not in hello.unresolved
    assert str(hello.where("Runtime")) == "svc/config/provider.yml:3"
    statement, = hello.policy_statements
    assert statement.location.path == "svc/config/provider.yml"
    assert statement.location.line == 7


def test_a_whole_file_provider_is_read_too(tmp_path: Path) -> None:
    """`provider: ${file(config/provider.yml)}`: the file is the provider mapping itself."""
    body = "".join(line[2:] + "\n" for line in PROVIDER.splitlines()[1:])
    _write(tmp_path, {
        "serverless.yml": "service: svc\nprovider: ${file(./config/provider.yml)}\n"
                          "functions:\n  hello:\n    handler: index.handler\n",
        "config/provider.yml": body,
    })
    hello = _functions(tmp_path)["hello"]
    assert (hello.runtime, str(hello.where("Runtime"))) == ("nodejs18.x", "config/provider.yml:2")


def test_a_provider_the_review_does_not_follow_is_not_said_to_declare_no_runtime(tmp_path: Path) -> None:
    _write(tmp_path, {
        "serverless.yml": "service: svc\nprovider: ${file(./config/provider.js)}\n"
                          "functions:\n  hello:\n    handler: index.handler\n",
        "config/provider.js": "module.exports = () => ({ name: 'aws' });\n",
    })
    hello = _functions(tmp_path)["hello"]
    assert hello.runtime is None
    assert hello.unresolved["Runtime"] != DEFAULT_RUNTIME_REASON
    assert "not known" in hello.unresolved["Runtime"]


def test_an_included_function_keeps_its_environment_lines_in_its_own_file(tmp_path: Path) -> None:
    _write(tmp_path, {
        "serverless.yml": ("service: svc\nprovider:\n  name: aws\n  runtime: python3.12\n"
                           "functions:\n  - ${file(fns/orders.yml)}\n"),
        "fns/orders.yml": "list:\n  handler: app.handler\n  environment:\n    TABLE: t-${sls:stage}\n    MODE: fast\n",
    })
    orders = _functions(tmp_path)["list"]
    assert str(orders.where("Environment.MODE")) == "fns/orders.yml:5"
    assert str(orders.where("Environment.TABLE")) == "fns/orders.yml:4"
