"""A path a CDK TypeScript or JavaScript file builds from its own folder: `` `${__dirname}/lambda` ``
and `__dirname + '/lambda'`, the pieces after the folder read as strings by the caller's reader
(`cdk/values.py`, which follows names and imports). Kept apart so the value reader stays one
concern, the properties and strings an expression holds."""

from __future__ import annotations

from typing import Callable

import tree_sitter

from reviewer import source_trees as st

Node = tree_sitter.Node
MAX_PIECES = 200
# How a module names its own folder: CommonJS, and ES modules since Node.js 20.11.
FILE_DIRECTORY = frozenset({"__dirname", "import.meta.dirname"})


def beside_file(node: Node, string: Callable[[Node], str | None]) -> str | None:
    """`` `${__dirname}/lambda` `` and `__dirname + '/lambda'`: the rest of the path, relative to
    the file's folder (None for any other form); `string` reads a piece that is no literal."""
    if node.type == "template_string":
        parts = list(node.named_children)
    elif node.type == "binary_expression" and _operator(node) == "+":
        parts = []
        pending = [node]
        while pending and len(parts) < MAX_PIECES:
            popped = pending.pop()
            current = st.unwrap(popped) or popped
            if current.type == "binary_expression" and _operator(current) == "+":
                left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
                if left is None or right is None:
                    return None
                pending.extend((right, left))
            else:
                parts.append(current)
    else:
        return None
    if not parts or _substituted(parts[0]) not in FILE_DIRECTORY:
        return None
    pieces: list[str] = []
    for part in parts[1:]:
        if part.type == "string_fragment":
            pieces.append(st.text(part))
            continue
        inner = next(iter(part.named_children), None) if part.type == "template_substitution" else part
        piece = string(inner) if inner is not None else None
        if piece is None:
            return None
        pieces.append(piece)
    rest = "".join(pieces)
    return rest.lstrip("/") if rest.startswith("/") else None


def _operator(node: Node) -> str | None:
    operator = node.child_by_field_name("operator")
    return st.text(operator) if operator is not None else None


def _substituted(node: Node) -> str:
    """`${__dirname}` → `__dirname`; any other node → its text."""
    if node.type == "template_substitution" and len(node.named_children) == 1:
        return st.text(node.named_children[0])
    return st.text(node)


__all__ = ["FILE_DIRECTORY", "beside_file"]
