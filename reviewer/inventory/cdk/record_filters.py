"""The filter patterns of a CDK queue or stream event source (`filters: [...]`), for the loop check.

`new DynamoEventSource(table, {filters: [lambda.FilterCriteria.filter({eventName:
lambda.FilterRule.isEqual('INSERT')})]})` (Python: `filters=[FilterCriteria.filter({"eventName":
FilterRule.is_equal("INSERT")})]`) synthesises one filter whose pattern is the object given, each
`FilterRule` call replaced by the list of matchers CDK writes for it: `isEqual(x)` is `[x]`,
`or(a, b)` `[a, b]`, `notEquals(x)` `[{"anything-but": [x]}]`, `beginsWith(x)` `[{"prefix": x}]`,
`exists()` `[{"exists": true}]`, `notExists()` `[{"exists": false}]`, `null()` `[null]`, `empty()`
`[""]`. A pattern is read into the same plain value the other formats give (`filter_patterns`);
one this reading cannot follow (a variable, a numeric rule, another language's builder) is None,
which the loop check treats as a filter it did not evaluate.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call
from reviewer.inventory.cdk.values import Env, ValueReader

_UNREAD = object()   # a value this reading cannot follow
MAX_DEPTH = 6


def _rule(name: str, arguments: list[Any]) -> Any:
    """The matchers CDK writes for `FilterRule.<name>(arguments)`, or `_UNREAD`."""
    name = name.replace("_", "").lower()
    if _UNREAD in arguments:
        return _UNREAD
    if name == "isequal" and len(arguments) == 1 and isinstance(arguments[0], str):
        return [arguments[0]]
    if name == "or" and arguments and all(isinstance(item, str) for item in arguments):
        return list(arguments)
    if name == "notequals" and len(arguments) == 1 and isinstance(arguments[0], str):
        return [{"anything-but": [arguments[0]]}]
    if name == "beginswith" and len(arguments) == 1 and isinstance(arguments[0], str):
        return [{"prefix": arguments[0]}]
    if name in ("exists", "notexists") and not arguments:
        return [{"exists": name == "exists"}]
    if name == "null" and not arguments:
        return [None]
    if name == "empty" and not arguments:
        return [""]
    return _UNREAD


def _pattern_or_none(value: Any) -> Any:
    return value if isinstance(value, dict) and value is not _UNREAD else None


# -- Python ---------------------------------------------------------------------------------------


def python_filter_patterns(filters: ast.expr) -> list[Any]:
    """`[FilterCriteria.filter({...}), ...]` → one pattern (or None) per filter."""
    if not isinstance(filters, (ast.List, ast.Tuple)):
        return [None]
    return [_pattern_or_none(_py_filter(item)) for item in filters.elts[:10]] or [None]


def _py_filter(node: ast.expr) -> Any:
    if isinstance(node, ast.Call) and _py_last(node.func) == "filter" and len(node.args) == 1:
        return _py_value(node.args[0], 0)
    if isinstance(node, ast.Dict):   # `{"pattern": json.dumps({...})}`, as `filter` returns it
        fields = {key.value: value for key, value in zip(node.keys, node.values, strict=True)
                  if isinstance(key, ast.Constant)}
        pattern = fields.get("pattern")
        if isinstance(pattern, ast.Call) and _py_last(pattern.func) == "dumps" and len(pattern.args) == 1:
            return _py_value(pattern.args[0], 0)
        if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
            return _json(pattern.value)
    return _UNREAD


def _py_value(node: ast.expr, depth: int) -> Any:
    if depth > MAX_DEPTH:
        return _UNREAD
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, (str, bool, int, float))):
        return node.value
    if isinstance(node, ast.Dict):
        result: dict[str, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return _UNREAD
            result[key.value] = _py_value(value, depth + 1)
            if result[key.value] is _UNREAD:
                return _UNREAD
        return result
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_py_value(item, depth + 1) for item in node.elts]
        return _UNREAD if _UNREAD in items else items
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and _py_last(node.func.value) == "FilterRule" and not node.keywords:
        return _rule(node.func.attr, [_py_value(arg, depth + 1) for arg in node.args])
    return _UNREAD


def _py_last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None


# -- TypeScript, JavaScript ---------------------------------------------------------------------------


def script_filter_patterns(reader: ValueReader, items: list[Any]) -> list[Any]:
    """The elements of a `filters` list (TypeScript or JavaScript) → one pattern (or None) each;
    [None] for the other languages, whose map builders this reading does not follow."""
    if reader.language not in ("typescript", "tsx", "javascript") or not items:
        return [None]
    return [_pattern_or_none(_ts_filter(reader, item)) for item in items[:10]]


def _ts_filter(reader: ValueReader, node: Any) -> Any:
    node = st.unwrap(node)
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is not None and call.callee[-1:] == ["filter"] and len(call.args) == 1:
        return _ts_value(reader, call.args[0], 0)
    return _UNREAD


def _ts_value(reader: ValueReader, node: Any, depth: int) -> Any:
    node = st.unwrap(node)
    if node is None or depth > MAX_DEPTH:
        return _UNREAD
    if node.type == "string" or node.type == "template_string":
        text = reader.string(node, Env())
        return text if text is not None else _UNREAD
    if node.type in ("true", "false"):
        return node.type == "true"
    if node.type == "null":
        return None
    if node.type == "number":
        try:
            return json.loads(st.text(node))
        except ValueError:
            return _UNREAD
    if node.type == "array":
        items = [_ts_value(reader, item, depth + 1) for item in node.named_children if item.type != "comment"]
        return _UNREAD if _UNREAD in items else items
    if node.type == "object":
        props = reader.props(node, Env())
        if props.unread is not None:
            return _UNREAD
        result = {key: _ts_value(reader, entry.value, depth + 1) for key, entry in props.entries.items()}
        return _UNREAD if _UNREAD in result.values() else result
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None and len(call.callee) >= 2 and call.callee[-2] == "FilterRule":
        return _rule(call.callee[-1], [_ts_value(reader, arg, depth + 1) for arg in call.args])
    return _UNREAD


def _json(text: str) -> Any:
    try:
        return json.loads(text) if len(text) <= 64 * 1024 else _UNREAD
    except ValueError:
        return _UNREAD
