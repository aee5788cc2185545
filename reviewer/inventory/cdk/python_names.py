"""How a Python CDK file writes a name it calls or passes: `aws_lambda.Function` → its parts.

The Python readers of the CDK (constructs, helpers called from other modules, construct libraries)
compare the names they meet with what they look for part by part; one reading of a dotted name
serves them all.
"""

from __future__ import annotations

import ast


def dotted_parts(node: ast.expr) -> list[str]:
    """`a.b.c` as `["a", "b", "c"]`; an empty list for anything but a plain name or an attribute
    chain ending in one (a call's result, a subscript)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else []


__all__ = ["dotted_parts"]
