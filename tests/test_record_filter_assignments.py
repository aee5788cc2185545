"""The one assignment a loop's name was given before the loop (record_filters._single_assignment),
read from an index of each function body built once, as the walk over the body found it."""

from __future__ import annotations

import ast

from reviewer.code.record_filters import _single_assignment


def _body(source: str) -> list[ast.stmt]:
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return function.body


def test_the_single_plain_assignment_before_the_loop():
    body = _body("def h(event):\n    kept = [r for r in event['Records'] if r['eventName'] == 'INSERT']\n"
                 "    other = 1\n    for record in kept:\n        pass\n")
    value = _single_assignment(body, "kept", before=4)
    assert isinstance(value, ast.ListComp)
    assert _single_assignment(body, "kept", before=2) is None          # made after the loop's line
    assert _single_assignment(body, "missing", before=9) is None


def test_a_name_assigned_twice_or_rebound_otherwise_has_no_single_value():
    cases = {
        "twice": "def h(e):\n    x = [1]\n    x = [2]\n    for r in x:\n        pass\n",
        "augmented": "def h(e):\n    x = [1]\n    x += [2]\n    for r in x:\n        pass\n",
        "annotated only": "def h(e):\n    x: list\n    x = [1]\n    for r in x:\n        pass\n",
        "loop target": "def h(e):\n    x = [1]\n    for x in e:\n        pass\n    for r in x:\n        pass\n",
        "with target": "def h(e):\n    x = [1]\n    with open(e) as x:\n        pass\n    for r in x:\n        pass\n",
        "walrus": "def h(e):\n    x = [1]\n    if (x := e):\n        pass\n    for r in x:\n        pass\n",
    }
    for case, source in cases.items():
        assert _single_assignment(_body(source), "x", before=9) is None, case


def test_one_statement_naming_it_twice_is_one_assignment():
    value = _single_assignment(_body("def h(e):\n    x = y = [1]\n    for r in x:\n        pass\n"), "x", before=3)
    assert isinstance(value, ast.List)


def test_each_body_is_read_for_itself():
    """The index of a body read before is never served for another (the index is kept by identity)."""
    first = _body("def h(e):\n    x = [1]\n    for r in x:\n        pass\n")
    second = _body("def h(e):\n    x = [1]\n    x = [2]\n    for r in x:\n        pass\n")
    for _ in range(2):
        assert isinstance(_single_assignment(first, "x", before=3), ast.List)
        assert _single_assignment(second, "x", before=4) is None
