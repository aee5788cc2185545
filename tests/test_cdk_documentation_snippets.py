"""CDK sources in a documentation folder are snippets the pages show, not the app's functions;
an example app with a `cdk.json` of its own there is read (reviewer/inventory/cdk/app_files.py)."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = '''from aws_cdk import Stack, aws_lambda as _lambda
from constructs import Construct


class {name}Stack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        _lambda.Function(self, "{name}", runtime=_lambda.Runtime.PYTHON_3_13,
                         handler="service.handlers.{name}.lambda_handler",
                         code=_lambda.Code.from_asset(".build/lambdas"))
'''


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _functions(root: Path) -> list[tuple[str, str]]:
    return sorted((fn.name, fn.location.path) for fn in build_inventory(Workspace(root)).functions)


def test_a_snippet_the_documentation_includes_is_not_a_function_of_the_app(tmp_path):
    """The shape of a handler cookbook: the app's `cdk.json` at the root, its stack in `cdk/`, and a
    page's example construct under `docs/examples/`, which `app.py` never imports."""
    _write(tmp_path, {
        "cdk.json": '{"app": "python app.py"}\n',
        "app.py": "from cdk.service.orders_stack import OrdersStack\n",
        "cdk/service/orders_stack.py": STACK.format(name="CreateOrder"),
        "docs/examples/best_practices/dynamic_configuration/lambda_cdk.py": STACK.format(name="ServicePost"),
        "Docs/snippets/stack.py": STACK.format(name="Snippet"),
    })
    assert _functions(tmp_path) == [("CreateOrder", "cdk/service/orders_stack.py")]


def test_an_example_app_with_its_own_cdk_json_inside_the_documentation_is_read(tmp_path):
    _write(tmp_path, {
        "docs/tutorial/app/cdk.json": '{"app": "python app.py"}\n',
        "docs/tutorial/app/stacks/tutorial_stack.py": STACK.format(name="Tutorial"),
        "docs/other/stack.py": STACK.format(name="Snippet"),
    })
    assert _functions(tmp_path) == [("Tutorial", "docs/tutorial/app/stacks/tutorial_stack.py")]
