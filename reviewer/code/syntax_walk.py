"""`ast.walk`, in the same order, without its two generators per node.

The recursion and /tmp checks walk every module of every function; `ast.walk` spends most of
its time in `iter_child_nodes` and `iter_fields`, which this loop inlines. Same nodes, same
breadth-first order (tests/test_syntax_walk.py), so no reading changes.

`nodes` is the same walk as a list, leaving out the `Load`/`Store`/`Del` markers every name,
attribute and subscript carries (about a third of the nodes of ordinary code, and nothing a
reader looks for) and never looking into the fields that hold names, numbers and flags.
"""

from __future__ import annotations

import ast
from collections import deque
from typing import Any, Iterator

# Fields that hold an identifier, a number or a flag in every node class that has them.
_SCALAR_FIELDS = frozenset({"id", "attr", "arg", "name", "asname", "module", "level", "simple", "is_async",
                            "conversion", "kind", "type_comment", "tag", "ctx"})
# `value` holds a node everywhere but in these (a constant: str, bytes, a number, a tuple of them...).
_CONSTANT_VALUES = (ast.Constant, ast.MatchSingleton)
# Per node class, the fields that can hold nodes (filled as classes are met).
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under `node` (itself included), breadth first, as `ast.walk` yields them."""
    pending = deque([node])
    AST = ast.AST
    while pending:
        node = pending.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                pending.append(value)
            elif isinstance(value, list):
                pending.extend(item for item in value if isinstance(item, AST))
        yield node


def nodes(node: ast.AST, sort_into: dict[type, list[Any]] | None = None) -> list[ast.AST]:
    """`walk`'s nodes in `walk`'s order, as a list, without the expression contexts (`ast.Load`,
    `ast.Store`, `ast.Del`). Iterative: a hostile module nested thousands deep is a long list, not
    a deep stack.

    `sort_into` (node class → list) also gets each node of those classes appended to its list, in
    the same order, on the same pass: a reader that looks only at calls and assignments does not
    go over the whole list again."""
    found = [node]
    append = found.append
    fields_of = _CHILD_FIELDS
    buckets = sort_into or {}
    AST = ast.AST
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        cls = current.__class__
        bucket = buckets.get(cls)
        if bucket is not None:
            bucket.append(current)
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = _child_fields(cls)
        for name in fields:
            value = getattr(current, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, AST):
                        append(item)
            elif isinstance(value, AST):
                append(value)
    return found


def _child_fields(cls: type) -> tuple[str, ...]:
    fields: tuple[str, ...] = getattr(cls, "_fields", ())
    # Python 3.12's `type X = ...` names its alias with a node: only there is `name` an expression.
    scalar = _SCALAR_FIELDS - {"name"} if cls.__name__ == "TypeAlias" else _SCALAR_FIELDS
    return tuple(name for name in fields
                 if name not in scalar and not (name == "value" and issubclass(cls, _CONSTANT_VALUES)))
