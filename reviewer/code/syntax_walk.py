"""`ast.walk`, in the same order, without its two generators per node.

The recursion and /tmp checks walk every module of every function; `ast.walk` spends most of
its time in `iter_child_nodes` and `iter_fields`, which this loop inlines. Same nodes, same
breadth-first order (tests/test_syntax_walk.py), so no reading changes.
"""

from __future__ import annotations

import ast
from collections import deque
from typing import Iterator


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
