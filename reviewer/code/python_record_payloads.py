"""The constant top-level fields of the JSON a Python write puts on a Kinesis stream or SQS queue.

The counterpart of `javascript_record_guards.written_fields` for Python handlers. A processor that
writes back to the stream or queue it reads usually tells its own records apart by a field of the
payload: `put_record(Data=json.dumps({**order, "eventType": "restaurant_notified"}))`, or a
`message` built first and given `message["type"] = "thumbnail_made"` before
`send_message(MessageBody=json.dumps(message))`. The trigger's filter criteria
(`recursion_record_filters.py`) and the handler's own condition on that field
(`key_guards.record_guards`) are judged against these fields. Numbers and booleans are left out,
as in Node.js: a filter tells them apart from text, and the evaluator gives both as text.
"""

from __future__ import annotations

import ast
from typing import Callable

from reviewer.code.key_guards import is_textual
from reviewer.code.syntax_walk import walk
from reviewer.code.values import StaticValue

# The parameter that holds the payload, by the service a write goes to.
PAYLOADS = {"kinesis": "Data", "sqs": "MessageBody"}
# The dotted names (as the evaluator resolves them) of the functions that serialise JSON.
SERIALISERS = frozenset({"json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps"})
# Methods that change a dict in place in ways the reader does not follow.
_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__"})
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
MAX_FIELDS = 32
MAX_STATEMENTS = 2000

Strings = Callable[[ast.expr], list[StaticValue]]
Names = Callable[[ast.expr], list[str]]


def payload_fields(payload: ast.expr | None, call: ast.Call, body: list[ast.stmt] | None,
                   strings: Strings, names: Names) -> tuple[tuple[str, str], ...]:
    """The fields with constant text of the JSON object `payload` serialises (`json.dumps(...)`,
    `.encode()`d or not): of a dict display or `dict(...)` call, or of the name such a dict was
    assigned to, with the fields the function sets on it in a block around the write (`body` is
    the function's). `names` gives the dotted names a callee resolves to."""
    serialised = _serialised(payload, names)
    if serialised is None:
        return ()
    if isinstance(serialised, ast.Name):
        return tuple(_named(serialised.id, call, body, strings).items())[:MAX_FIELDS] if body is not None else ()
    return tuple(_dict_fields(serialised, strings).items())[:MAX_FIELDS]


def _serialised(payload: ast.expr | None, names: Names) -> ast.expr | None:
    """What `json.dumps(x)` is given, through `.encode(...)` and `bytes(..., "utf-8")`."""
    for _ in range(3):
        if isinstance(payload, ast.Call) and isinstance(payload.func, ast.Attribute) and payload.func.attr == "encode":
            payload = payload.func.value
        elif isinstance(payload, ast.Call) and isinstance(payload.func, ast.Name) and payload.func.id == "bytes" \
                and payload.args:
            payload = payload.args[0]
    if not (isinstance(payload, ast.Call) and payload.args and not isinstance(payload.args[0], ast.Starred)):
        return None
    if not any(name in SERIALISERS for name in names(payload.func)):
        return None
    return payload.args[0]


def _dict_fields(node: ast.expr | None, strings: Strings) -> dict[str, str]:
    """`{"eventType": "x", **order}` or `dict(order, eventType="x")`: a field is known when no
    spread after it can replace it."""
    pairs: list[tuple[str | None, ast.expr]] = []
    if isinstance(node, ast.Dict):
        pairs = [(_text(key) if key is not None else None, value)
                 for key, value in zip(node.keys, node.values, strict=True)][:MAX_FIELDS]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" \
            and len(node.args) <= 1:
        pairs = [(keyword.arg, keyword.value) for keyword in node.keywords[:MAX_FIELDS]]
    found: dict[str, str] = {}
    for name, value in pairs:
        if name is None:
            found.clear()   # `**other` may hold any field written before it
            continue
        found.pop(name, None)
        text = _constant_text(value, strings)
        if name and text is not None:
            found[name] = text
    return found


def _named(name: str, call: ast.Call, body: list[ast.stmt], strings: Strings) -> dict[str, str]:
    """The fields of the dict `name` holds at the write: those of its one assignment (any value:
    `dict(order)`, `copy.deepcopy(order)`, a parameter when none), then those set by
    `name["field"] = "text"` in a block that also holds the write, after it in the same pass. A
    field set any other way before the write, or any change the reader cannot follow, is unknown."""
    assigned: list[ast.expr] = []
    for node in walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, _NESTED_SCOPES):
            continue   # the walk still looks inside: a name bound there too makes the fields unknown
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_name(target, name) for target in targets):
                if isinstance(node, ast.AugAssign) or node.value is None:
                    return {}
                assigned.append(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and _is_name(node.func.value, name) and node.func.attr in _MUTATORS:
            return {}
        elif isinstance(node, ast.Delete) and any(_is_name(target, name) or _is_name(getattr(target, "value", None), name)
                                                  for target in node.targets):
            return {}
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)) and _binds(node, name) \
                or isinstance(node, ast.NamedExpr) and _is_name(node.target, name):
            return {}
    statements = _statements(body)
    settings = [(stmt, block, index) for block, index, stmt in statements
                if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                and any(isinstance(target, ast.Subscript) and _is_name(target.value, name)
                        for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))]
    if len(assigned) > 1 or any(value.lineno >= call.lineno for value in assigned):
        return {}
    # The assignment counts when every pass to the write goes through it (a statement of a block
    # that holds the write); a conditional one leaves the fields of the other path unknown.
    fields = _dict_fields(assigned[0], strings) if assigned and any(
        isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is assigned[0] and _holds(block[index + 1:], call)
        for block, index, stmt in statements) else {}
    for stmt, block, index in sorted(settings, key=lambda setting: setting[0].lineno):
        if stmt.lineno >= call.lineno:
            break
        assert isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
        field = _text(target.slice) if isinstance(target, ast.Subscript) and _is_name(target.value, name) else ""
        if not field or (isinstance(stmt, ast.Assign) and len(stmt.targets) > 1):
            return {}
        fields.pop(field, None)
        text = _constant_text(stmt.value, strings) if stmt.value is not None and not isinstance(stmt, ast.AugAssign) \
            else None
        if text is not None and _holds(block[index + 1:], call):
            fields[field] = text
    return fields


def _statements(body: list[ast.stmt]) -> list[tuple[list[ast.stmt], int, ast.stmt]]:
    """Each statement of the function (not of its nested functions or classes) with its block and
    place in it, bounded."""
    found: list[tuple[list[ast.stmt], int, ast.stmt]] = []
    pending: list[list[ast.stmt]] = [body]
    while pending and len(found) < MAX_STATEMENTS:
        block = pending.pop()
        for index, stmt in enumerate(block):
            found.append((block, index, stmt))
            if isinstance(stmt, _NESTED_SCOPES):
                continue
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    pending.append(inner)
            for holder in list(getattr(stmt, "handlers", []) or []) + list(getattr(stmt, "cases", []) or []):
                pending.append(list(holder.body))
    return found


def _holds(block: list[ast.stmt], call: ast.Call) -> bool:
    """One of the statements holds the call (by its lines, which a statement's span covers)."""
    return any(stmt.lineno <= call.lineno <= (stmt.end_lineno or stmt.lineno) for stmt in block)


def _binds(node: ast.For | ast.AsyncFor | ast.With | ast.AsyncWith, name: str) -> bool:
    targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) else \
        [item.optional_vars for item in node.items if item.optional_vars is not None]
    return any(isinstance(child, ast.Name) and child.id == name for target in targets for child in walk(target))


def _is_name(node: ast.AST | None, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _text(node: ast.AST | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _constant_text(value: ast.expr, strings: Strings) -> str | None:
    """The one constant text a field's value holds, when it is text in the JSON (not a number)."""
    if isinstance(value, ast.Constant) and not isinstance(value.value, str):
        return None
    values = strings(value)
    if len(values) == 1 and values[0].is_literal and is_textual(values[0].text):
        return values[0].text
    return None
