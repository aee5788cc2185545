"""The fast walk yields exactly what `ast.walk` yields, in the same order, over real code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reviewer.code.syntax_walk import walk

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
