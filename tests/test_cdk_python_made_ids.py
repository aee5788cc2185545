"""Python CDK helpers whose construct id is made from a parameter (`"".join(id.split()) + "Fn"`):
one function per call, named as CDK names it (`cdk/python_ids.py`)."""

from __future__ import annotations

import ast

import pytest

from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.python_ids import evaluate_id, id_parameter
from reviewer.workspace import Workspace


def _functions(root) -> dict[str, tuple[str, str | None, str | None]]:
    return {fn.name: (str(fn.location), fn.runtime, fn.code_path)
            for fn in build_inventory(Workspace(root)).functions}


def test_a_helper_module_whose_construct_id_is_made_from_its_id_parameter(tmp_path):
    """A step-building helper of `stacks/util.py` called from two stacks makes one function per
    call, declared at the call and named by the id the helper builds, not one at the helper."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "functions" / "parse").mkdir(parents=True)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "__init__.py").write_text("")
    (tmp_path / "stacks" / "util.py").write_text(
        "from aws_cdk import aws_lambda as lambda_, aws_lambda_python_alpha as lambda_python\n\n\n"
        "def parser_step(scope, id, schema):\n"
        "    fn = lambda_python.PythonFunction(\n"
        "        scope,\n"
        "        ''.join(id.split()) + 'Function',\n"
        "        runtime=lambda_.Runtime.PYTHON_3_12,\n"
        "        entry='functions/parse',\n"
        "    )\n"
        "    return fn\n")
    (tmp_path / "stacks" / "menu.py").write_text(
        "from aws_cdk import Stack\n"
        "from .util import parser_step\n\n"
        "class Menu(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        parser_step(self, 'Parse Dish Scores', {})\n"
        "        parser_step(self, 'Parse Final Pick', {})\n")
    (tmp_path / "stacks" / "tales.py").write_text(
        "from aws_cdk import Stack\n"
        "from stacks.util import parser_step\n\n"
        "class Tales(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        parser_step(self, 'Parse Heroes', {})\n")
    assert _functions(tmp_path) == {
        "ParseDishScoresFunction": ("stacks/menu.py:7", "python3.12", "functions/parse"),
        "ParseFinalPickFunction": ("stacks/menu.py:8", "python3.12", "functions/parse"),
        "ParseHeroesFunction": ("stacks/tales.py:7", "python3.12", "functions/parse"),
    }


def test_a_helper_of_the_same_file_with_an_f_string_id(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n"
        "class Api(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        self._make('orders')\n"
        "        self._make('refunds')\n\n"
        "    def _make(self, name):\n"
        "        return _lambda.Function(self, f'{name.title()}Handler', runtime=_lambda.Runtime.PYTHON_3_11,\n"
        "                                handler='app.handler', code=_lambda.Code.from_asset('src'))\n")
    assert _functions(tmp_path) == {"OrdersHandler": ("stack.py:6", "python3.11", "src"),
                                    "RefundsHandler": ("stack.py:7", "python3.11", "src")}


@pytest.mark.parametrize(("source", "expected"), [
    ("''.join(id.split()) + 'Fn'", "ABFn"),
    ("f'{id}-x'.replace('-', '_')", "A B_x"),
    ("'-'.join([id, 'y']).lower()", "a b-y"),
    ("id.split('-')", None),                  # a list, not a string
    ("id + other", None),                     # a second name
    ("len(id)", None),
])
def test_what_an_id_expression_evaluates_to(source, expected):
    node = ast.parse(source, mode="eval").body
    assert evaluate_id(node, {"id": "A B"}) == expected
    assert (id_parameter(node, ["id", "other"], []) == "id") == (expected is not None)


def test_a_reassigned_parameter_is_not_bound():
    node = ast.parse("id + 'Fn'", mode="eval").body
    assert id_parameter(node, ["id"], ["id"]) is None
