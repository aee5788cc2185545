"""The fast walk yields exactly what `ast.walk` yields, in the same order, over real code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reviewer.code.syntax_walk import nodes, walk

ROOT = Path(__file__).parent.parent
SOURCES = sorted([*ROOT.joinpath("reviewer").rglob("*.py"), *ROOT.joinpath("tests", "fixtures").rglob("*.py")])


def test_there_is_code_to_walk():
    assert len(SOURCES) > 100


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_same_nodes_in_the_same_order_as_ast_walk(path):
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        pytest.skip("not Python this interpreter parses")
    assert [id(node) for node in walk(tree)] == [id(node) for node in ast.walk(tree)]


@pytest.mark.parametrize("path", SOURCES[::7], ids=lambda path: str(path.relative_to(ROOT)))
def test_nodes_are_the_walk_without_expression_contexts(path):
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        pytest.skip("not Python this interpreter parses")
    expected = [id(node) for node in ast.walk(tree) if not isinstance(node, ast.expr_context)]
    assert [id(node) for node in nodes(tree)] == expected


def test_nodes_reach_every_kind_of_field():
    """Names, constants and flags are skipped as fields, never the nodes beside them."""
    source = ("from . import a as b\nimport c.d\nglobal g\n@dec(x=1)\nasync def f(p: int = 2, *q, k=3, **r) -> None:\n"
              "    async for i in aiter(): pass\n    async with m() as (n, o): pass\n"
              "    match p:\n        case {'k': [1, *rest], **more} | C(z=None, y=True) if rest: pass\n"
              "        case ('s' | b'b') as whole: pass\n"
              "    try: pass\n    except* E as e: raise X from e\n"
              "    return [f'{v!r:>{w}}' async for v in q if (t := v)], {**r}, lambda s=1: s\n"
              "x: int = 1\ny += 2\ndel y[0], z.a\n")
    tree = ast.parse(source)
    expected = [id(node) for node in ast.walk(tree) if not isinstance(node, ast.expr_context)]
    assert [id(node) for node in nodes(tree)] == expected

