"""Conditions a JavaScript write sits behind that test the incoming S3 object key.

The counterpart of `key_guards.py` for Node.js handlers: `if (key.endsWith(".gif")) continue;`
before `putObject({Key: `${key}.gif`})` lets the write run only for keys that do not end with
`.gif`, so the invocation the write causes stops at the condition. Read with tree-sitter, never run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from reviewer import source_trees as st
from reviewer.code.javascript_program import FUNCTION_TYPES, unwrap
from reviewer.code.key_guards import MAX_CONDITIONS, is_object_key
from reviewer.code.values import KeyGuard, StaticValue

EXIT_STATEMENTS = ("return_statement", "throw_statement", "continue_statement", "break_statement")
_METHODS = {"startsWith": "prefix", "endsWith": "suffix", "includes": "contains"}


def exits(node: Any) -> bool:
    """A branch that leaves the block: `return`, `throw`, `continue` or `break`, alone or last."""
    if node is None:
        return False
    if node.type in EXIT_STATEMENTS:
        return True
    if node.type == "statement_block" and node.named_children:
        return node.named_children[-1].type in EXIT_STATEMENTS
    return False


def _inside(node: Any, ancestor: Any | None) -> bool:
    return ancestor is not None and ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte


def dominating_conditions(call: Any) -> list[tuple[Any, bool]]:
    """(condition, polarity) of each `if` the call is reached past, within its function (or the
    callback it sits in): True inside the consequence, False in the `else` or after an exit."""
    found: list[tuple[Any, bool]] = []
    for parent in st.ancestors(call):
        if parent.type in FUNCTION_TYPES and parent.parent is not None and parent.parent.type != "arguments":
            break
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if _inside(call, parent.child_by_field_name("consequence")):
                found.append((condition, True))
            elif _inside(call, parent.child_by_field_name("alternative")):
                found.append((condition, False))
        if parent.type == "statement_block":
            for sibling in parent.named_children:
                if sibling.start_byte >= call.start_byte:
                    break
                if sibling.type == "if_statement" and sibling.child_by_field_name("alternative") is None \
                        and exits(sibling.child_by_field_name("consequence")):
                    found.append((sibling.child_by_field_name("condition"), False))
        if len(found) >= MAX_CONDITIONS:
            break
    return found


def key_guards(conditions: list[tuple[Any, bool]], strings: Callable[[Any], list[StaticValue]],
               line: Callable[[Any], int], path: str = "") -> tuple[KeyGuard, ...]:
    """The key guards among `conditions`; `path` names their file when it is not the write's."""
    guards: list[KeyGuard] = []
    for condition, polarity in conditions:
        if condition is not None:
            guards.extend(replace(guard, path=path)
                          for guard in _guards_of(condition, polarity, strings, line(condition), 0))
    return tuple(dict.fromkeys(guards))[:MAX_CONDITIONS]


def _guards_of(node: Any, polarity: bool, strings: Callable[[Any], list[StaticValue]], line: int,
               depth: int) -> list[KeyGuard]:
    node = unwrap(node)
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node is None or depth > 8:
        return []
    if node.type == "unary_expression" and st.text(node.child_by_field_name("operator")) == "!":
        return _guards_of(node.child_by_field_name("argument"), not polarity, strings, line, depth + 1)
    if node.type == "binary_expression":
        operator = st.text(node.child_by_field_name("operator"))
        # `a && b` holding means each holds; `a || b` failing means each fails.
        if (operator == "&&" and polarity) or (operator == "||" and not polarity):
            return [guard for side in ("left", "right")
                    for guard in _guards_of(node.child_by_field_name(side), polarity, strings, line, depth + 1)]
        found = _index_of_test(node, operator)
        if found is None:
            return []
        call, contains = found
        return _method_guard(call, polarity == contains, strings, line, {"indexOf": "contains"})
    if node.type != "call_expression":
        return []
    return _method_guard(node, polarity, strings, line, _METHODS)


def _method_guard(node: Any, polarity: bool, strings: Callable[[Any], list[StaticValue]], line: int,
                  methods: dict[str, str]) -> list[KeyGuard]:
    """`key.startsWith("thumbs/")` (or a method of `methods`) on the incoming object key."""
    function = unwrap(node.child_by_field_name("function"))
    arguments = node.child_by_field_name("arguments")
    if function is None or function.type != "member_expression" or arguments is None \
            or len(arguments.named_children) != 1:
        return []
    end = methods.get(st.text(function.child_by_field_name("property")))
    text = st.string_value(arguments.named_children[0])
    if end is None or not text or not is_object_key(strings(function.child_by_field_name("object"))):
        return []
    return [KeyGuard(end, text, polarity, line)]


def _index_of_test(node: Any, operator: str) -> tuple[Any, bool] | None:
    """`key.indexOf("x") > -1` (the key contains "x": True) or `=== -1` (it does not: False), the
    older spelling of `includes`, with the `indexOf` call; None for any other comparison."""
    left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
    if left is not None and _number(left) is not None and operator in _MIRRORED:
        left, right, operator = right, left, _MIRRORED[operator]
    if left is None or right is None or left.type != "call_expression":
        return None
    function = unwrap(left.child_by_field_name("function"))
    if function is None or function.type != "member_expression" \
            or st.text(function.child_by_field_name("property")) != "indexOf":
        return None
    bound = _number(right)
    if (operator, bound) in _FOUND:
        return left, True
    if (operator, bound) in _NOT_FOUND:
        return left, False
    return None


def _number(node: Any) -> float | None:
    """A numeric literal, `-1` included (a unary minus before a number)."""
    if node.type == "unary_expression" and st.text(node.child_by_field_name("operator")) == "-":
        inner = _number(unwrap(node.child_by_field_name("argument")))
        return -inner if inner is not None else None
    if node.type != "number":
        return None
    try:
        return float(st.text(node))
    except ValueError:
        return None


# `indexOf` answers -1 when the text is absent and a position from 0 up when it is present.
_FOUND = frozenset({(">", -1.0), (">=", 0.0), ("!==", -1.0), ("!=", -1.0)})
_NOT_FOUND = frozenset({("===", -1.0), ("==", -1.0), ("<", 0.0), ("<=", -1.0)})
_MIRRORED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "===": "===", "==": "==", "!==": "!==", "!=": "!="}
