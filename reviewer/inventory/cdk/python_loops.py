"""A Python CDK construct made in a loop over a list written in the file:

    for name, runtime in [("Orders", _lambda.Runtime.PYTHON_3_12), ("Billing", _lambda.Runtime.PYTHON_3_9)]:
        _lambda.Function(self, name, runtime=runtime, ...)

is one function per element (`cdk/python.py`); these say what a loop variable stands for in one
element, so each function's id and runtime are the element's, as written.
"""

from __future__ import annotations

import ast
from typing import Callable


def bind_target(target: ast.expr, element: ast.expr) -> dict[str, ast.expr]:
    """The loop's target names bound to what one element holds (`for name, runtime in ...`)."""
    if isinstance(target, ast.Name):
        return {target.id: element}
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(element, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(element.elts):
        bound: dict[str, ast.expr] = {}
        for part, value in zip(target.elts, element.elts, strict=False):
            bound.update(bind_target(part, value))
        return bound
    return {}


def substitute(value: ast.expr, bindings: dict[str, ast.expr],
               dict_entries: Callable[[ast.expr], dict[str, tuple[int, ast.expr]] | None]) -> ast.expr | None:
    """A loop variable (or `item["runtime"]` of a dict element) replaced by what the element holds."""
    if isinstance(value, ast.Name) and value.id in bindings:
        return bindings[value.id]
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id in bindings \
            and isinstance(value.slice, ast.Constant):
        element = bindings[value.value.id]
        entries = dict_entries(element) if isinstance(element, (ast.Dict, ast.Call)) else None
        return entries[value.slice.value][1] if entries and value.slice.value in entries else None
    if isinstance(value, (ast.Name, ast.Subscript)):
        return None if names(value) & bindings.keys() else value
    return value


def names(value: ast.expr) -> set[str]:
    """Every name `value` reads."""
    return {node.id for node in ast.walk(value) if isinstance(node, ast.Name)}


__all__ = ["bind_target", "names", "substitute"]
