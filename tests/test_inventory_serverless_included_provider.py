"""Serverless: parts of a service written in another file with `${file(...)}`.

`provider: ${file(config/provider.yml):provider}` keeps the runtime and the role's statements in
that file: they are read there and located there, never said "not declared". A function included
from another file keeps its environment's lines in that file."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory.serverless.read import DEFAULT_RUNTIME_REASON, ServerlessFormat
from reviewer.inventory.serverless.value_sources import mark_source
from reviewer.located import load_yaml
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


# A monorepo's services share one file of settings and pick its keys one by one.
SHARED = ("provider:\n  stage: ${opt:stage, 'dev'}\n  runtime: nodejs20.x\n  region: us-west-2\n"
          "custom:\n  domains:\n    dev: api-dev.example.org\n    prod: api.example.org\n"
          "  domain: ${self:custom.domains.${self:provider.stage}}\n")
SERVICE_PICKING_KEYS = (
    "service: shop-orders\n"
    "provider:\n  name: aws\n"
    "  stage: ${file(../../shared.yml):provider.stage}\n"
    "  runtime: ${file(../../shared.yml):provider.runtime}\n"
    "  environment:\n    MODE: ${file(../../settings.${self:provider.stage}.json):MODE}\n"
    "    DOMAIN: ${self:custom.domain}\n"
    "custom: ${file(../../shared.yml):custom}\n"
    "functions:\n  listOrders:\n    handler: handler.list\n")


def test_a_key_of_a_shared_file_gives_the_runtime_located_where_it_is_written(tmp_path: Path) -> None:
    """`runtime: ${file(../../shared.yml):provider.runtime}`: the runtime is the shared file's, and
    its lifecycle finding belongs on the shared line (one edit moves every service)."""
    _write(tmp_path, {
        "shared.yml": SHARED,
        "settings.dev.json": '{\n  "MODE": "sandbox"\n}\n',
        "services/orders/serverless.yml": SERVICE_PICKING_KEYS,
        "services/orders/handler.js": "exports.list = async () => ({});\n",
    })
    orders = _functions(tmp_path)["listOrders"]
    assert orders.runtime == "nodejs20.x"
    assert "Runtime" not in orders.unresolved
    assert str(orders.where("Runtime")) == "services/orders/serverless.yml:5"
    assert str(orders.locations["Runtime.Default"]) == "shared.yml:3"
    # the included file's own variables resolve against the service, as the Framework does
    assert orders.environment == {"MODE": "sandbox", "DOMAIN": "api-dev.example.org"}
    assert orders.physical_name == "shop-orders-dev-listOrders"


def test_a_shared_file_that_is_not_there_leaves_the_runtime_unresolved_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, {"services/orders/serverless.yml": SERVICE_PICKING_KEYS})
    orders = _functions(tmp_path)["listOrders"]
    assert orders.runtime is None
    assert "${file(../../shared.yml):provider.runtime}" in orders.unresolved["Runtime"]


def test_marking_an_included_file_leaves_the_strings_of_other_files_on_the_same_lines_alone() -> None:
    """Loaded strings share their line attributes (`located._with_lines`): the file an included
    document is marked with must not reach the service's own strings written on the same lines."""
    service = load_yaml("service: orders\nprovider:\n  runtime: python3.12\n")
    shared = load_yaml("provider:\n  stage: dev\n  runtime: nodejs20.x\n")
    mark_source(shared, "shared.yml")
    assert shared["provider"]["runtime"].source_path == "shared.yml"
    assert getattr(service["provider"]["runtime"], "source_path", None) is None
    assert service["provider"]["runtime"].line == 3
