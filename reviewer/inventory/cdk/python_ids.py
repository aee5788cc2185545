"""Construct ids a Python CDK helper builds from one of its parameters.

`def parser_step(scope, id): PythonFunction(scope, "".join(id.split()) + "Function", ...)`, called
as `parser_step(self, "Parse Scores")` from several stacks, makes one function per call, whose
construct id is `ParseScoresFunction`: the helper passes its parameter through a string expression
rather than as it is. The reader then treats the id as bound to that parameter (one function per
call, as for `PythonFunction(scope, id, ...)`) and works the id out for each call that passes a
string literal.

Nothing is run: only string literals, the parameter, f-strings, `+` and a few `str` methods
(`split`, `join`, `replace`, `lower`, `upper`, `title`, `capitalize`, `strip`) are evaluated, and
the result is bounded in length; anything else leaves the id unknown (the call still counts, named
by the helper).
"""

from __future__ import annotations

import ast
from collections.abc import Collection

MAX_ID_LENGTH = 256
_NO_ARGUMENT_METHODS = frozenset({"lower", "upper", "title", "capitalize", "strip", "lstrip", "rstrip"})


def construct_id_node(call: ast.Call) -> ast.expr | None:
    """The construct id argument of a construct call: the second positional argument, or `id=`."""
    return call.args[1] if len(call.args) >= 2 else next((k.value for k in call.keywords if k.arg == "id"), None)


def construct_id(call: ast.Call) -> tuple[str, bool]:
    """The construct id as written, and whether it is a string literal."""
    node = construct_id_node(call)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    return (ast.unparse(node)[:80] if node is not None else "(unnamed)"), False


def id_parameter(node: ast.expr | None, parameters: Collection[str], reassigned: Collection[str]) -> str | None:
    """The helper's parameter the construct id is, or is made from by an expression this module
    evaluates (`id`, `f"{id}Fn"`, `"".join(id.split())`); None when it reads anything else."""
    if node is None:
        return None
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if len(names) != 1:
        return None
    name = next(iter(names))
    if name not in parameters or name in reassigned:
        return None
    return name if evaluate_id(node, {name: "x"}) is not None else None


def evaluate_id(node: ast.expr, bindings: dict[str, str]) -> str | None:
    """The string `node` computes when its names hold `bindings`; None for anything else."""
    value = _string(node, bindings)
    return value if value is not None and len(value) <= MAX_ID_LENGTH else None


def _string(node: ast.expr, bindings: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return bindings.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = [_string(v.value if isinstance(v, ast.FormattedValue) and v.format_spec is None else v, bindings)
                 for v in node.values]
        return None if any(p is None for p in parts) else _bounded("".join(p or "" for p in parts))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left, bindings), _string(node.right, bindings)
        return _bounded(left + right) if left is not None and right is not None else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords:
        return _method(node.func.value, node.func.attr, node.args, bindings)
    return None


def _method(receiver: ast.expr, method: str, args: list[ast.expr], bindings: dict[str, str]) -> str | None:
    if method == "join" and len(args) == 1:
        separator, items = _string(receiver, bindings), _strings(args[0], bindings)
        return _bounded(separator.join(items)) if separator is not None and items is not None else None
    value = _string(receiver, bindings)
    if value is None:
        return None
    if method in _NO_ARGUMENT_METHODS and not args:
        return str(getattr(value, method)())
    if method == "replace" and len(args) == 2:
        old, new = _string(args[0], bindings), _string(args[1], bindings)
        return _bounded(value.replace(old, new)) if old and new is not None else None
    return None


def _strings(node: ast.expr, bindings: dict[str, str]) -> list[str] | None:
    """The strings of `x.split()`, `x.split("-")` or a literal list or tuple of strings."""
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_string(item, bindings) for item in node.elts]
        return None if any(item is None for item in items) else [item or "" for item in items]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and not node.keywords and len(node.args) <= 1:
        value = _string(node.func.value, bindings)
        separator = _string(node.args[0], bindings) if node.args else None
        if value is None or (node.args and not separator):
            return None
        return value.split(separator)
    return None


def _bounded(value: str) -> str | None:
    return value if len(value) <= MAX_ID_LENGTH else None


__all__ = ["construct_id", "construct_id_node", "evaluate_id", "id_parameter"]
