"""Conditions a Python write sits behind, and what they say about the incoming S3 object key.

A handler that writes into the bucket that triggers it often skips its own output first:
`if key.startswith("thumbs/"): continue`, then `put_object(Key="thumbs/" + key)`. The write runs
only for keys the condition lets through, so the invocation its own write causes stops at the
condition. This module finds the conditions that dominate a call (an `if` around it, or an
`if ...: return/raise/continue/break` before it in an enclosing block) and turns those that test
the event's object key with `startswith`/`endswith` against constant text into `KeyGuard`s.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterator

from reviewer.code.record_filters import Resolve, iteration_filters
from reviewer.code.syntax_walk import walk
from reviewer.code.values import EVENT, LITERAL, KeyGuard, StaticValue

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
MAX_CONDITIONS = 32


def dominating_conditions(body: list[ast.stmt], call: ast.AST,
                          resolve: Resolve | None = None) -> list[tuple[ast.expr, bool]]:
    """(test, polarity) of each condition the call is reached past: polarity True when the call
    runs only if the test holds (inside `if test:`, or in a loop over a comprehension that keeps
    only items passing it: `record_filters.py`, whose helpers `resolve` finds), False when only if
    it does not (in the `else`, or after `if test: return`)."""
    found: list[tuple[ast.expr, bool]] = []
    _walk(body, call, found, 0, body, resolve)
    return found[:MAX_CONDITIONS]


def _contains(node: ast.AST, call: ast.AST) -> bool:
    start: int = getattr(node, "lineno", 0) or 0
    end: int = getattr(node, "end_lineno", None) or start
    if not start <= (getattr(call, "lineno", -1) or -1) <= end:
        return False
    return any(child is call for child in walk(node))


def _walk(body: list[ast.stmt], call: ast.AST, found: list, depth: int, root: list[ast.stmt],
          resolve: Resolve | None = None) -> bool:
    if depth > 40:
        return False
    for stmt in body:
        if not _contains(stmt, call):
            if isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], _EXITS) \
                    and (stmt.end_lineno or stmt.lineno) < getattr(call, "lineno", 0):
                found.append((stmt.test, False))
            continue
        if isinstance(stmt, _NESTED_SCOPES):
            return False
        if isinstance(stmt, ast.If):
            if any(_contains(child, call) for child in stmt.body):
                found.append((stmt.test, True))
                return _walk(stmt.body, call, found, depth + 1, root, resolve)
            if any(_contains(child, call) for child in stmt.orelse):
                found.append((stmt.test, False))
                return _walk(stmt.orelse, call, found, depth + 1, root, resolve)
            return True   # the call is in the test itself
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and any(_contains(child, call) for child in stmt.body) \
                and depth < 20:
            found.extend(_filled_behind(root, stmt, depth))
            found.extend(iteration_filters(root, stmt, resolve))
        for block in _blocks(stmt):
            if any(_contains(child, call) for child in block):
                return _walk(block, call, found, depth + 1, root, resolve)
        return True
    return False


_FILLING_METHODS = frozenset({"append", "add", "update", "extend", "insert", "setdefault", "appendleft"})
_NEW_COLLECTIONS = frozenset({"Counter", "defaultdict", "dict", "list", "set", "deque", "OrderedDict"})


def _filled_behind(root: list[ast.stmt], loop: ast.For | ast.AsyncFor, depth: int) -> list[tuple[ast.expr, bool]]:
    """A loop over a collection the function creates empty and fills only behind conditions
    (`counter = Counter()`, `if sk.startswith("product#"): counter.update(...)`, then
    `for k, v in counter.items(): write`): its body runs only for entries those conditions let
    in, so they guard the write. Conditions that hold for every filling place, else none."""
    iterated = loop.iter
    if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) and not iterated.args \
            and iterated.func.attr in ("items", "values", "keys"):
        iterated = iterated.func.value
    if not isinstance(iterated, ast.Name):
        return []
    name = iterated.id
    creations = 0
    fillings: list[ast.AST] = []
    for node in walk(ast.Module(body=root, type_ignores=[])):
        if isinstance(node, _NESTED_SCOPES):
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == name:
                    if isinstance(node, ast.AugAssign) or not _is_empty_collection(node.value):
                        return []
                    creations += 1
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                        and target.value.id == name:
                    fillings.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name \
                and node.func.attr in _FILLING_METHODS:
            fillings.append(node)
    if creations != 1 or not fillings or len(fillings) > 8:
        return []
    shared: list[tuple[ast.expr, bool]] | None = None
    for filling in fillings:
        found: list[tuple[ast.expr, bool]] = []
        _walk(root, filling, found, depth + 1, root)
        if shared is None:
            shared = found
        else:
            shared = [condition for condition in shared if any(_same(condition[0], other[0]) and condition[1] == other[1]
                                                              for other in found)]
    return [condition for condition in shared or [] if condition[0].lineno < loop.lineno]


def _same(first: ast.expr, second: ast.expr) -> bool:
    """The same condition: the same node, or the same test at the same place (a comprehension's
    test is read afresh for each loop over it, `record_filters._as_element`)."""
    return first is second or (first.lineno == second.lineno and first.col_offset == second.col_offset
                                and ast.dump(first) == ast.dump(second))


def _is_empty_collection(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.List, ast.Set, ast.Tuple)) and not value.elts:
        return True
    if isinstance(value, ast.Dict) and not value.keys:
        return True
    if isinstance(value, ast.Call) and not value.keywords:
        name = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
        return name in _NEW_COLLECTIONS and (name == "defaultdict" or not value.args)
    return False


def _blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for holder in list(getattr(stmt, "handlers", []) or []) + list(getattr(stmt, "cases", []) or []):
        yield list(holder.body)


def key_guards(conditions: list[tuple[ast.expr, bool]],
               strings: Callable[[ast.expr], list[StaticValue]]) -> tuple[KeyGuard, ...]:
    """The conditions that test the incoming object key's start or end against constant text."""
    guards: list[KeyGuard] = []
    for test, polarity in conditions:
        guards.extend(_guards_of(test, polarity, strings, test.lineno))
    return tuple(dict.fromkeys(guards))[:MAX_CONDITIONS]


def _guards_of(test: ast.expr, polarity: bool, strings: Callable[[ast.expr], list[StaticValue]],
               line: int) -> list[KeyGuard]:
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, polarity = test.operand, not polarity
    if isinstance(test, ast.BoolOp):
        # `a and b` holding means each holds; `a or b` failing means each fails.
        if isinstance(test.op, ast.And) == polarity:
            return [guard for value in test.values[:8] for guard in _guards_of(value, polarity, strings, line)]
        return []
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn)):
        # `"_thumb" in key` (`not in`): the key contains the text
        text = test.left.value if isinstance(test.left, ast.Constant) and isinstance(test.left.value, str) else ""
        if not text or not is_object_key(strings(test.comparators[0])):
            return []
        return [KeyGuard("contains", text, polarity == isinstance(test.ops[0], ast.In), line)]
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute)
            and test.func.attr in ("startswith", "endswith") and len(test.args) == 1 and not test.keywords):
        return []
    texts = _constant_texts(test.args[0])
    if not texts or (polarity and len(texts) > 1):
        return []   # "starts with one of several" is no single fact
    if not is_object_key(strings(test.func.value)):
        return []
    end = "prefix" if test.func.attr == "startswith" else "suffix"
    return [KeyGuard(end, text, polarity, line) for text in texts]


def _constant_texts(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.Tuple) and all(isinstance(item, ast.Constant) and isinstance(item.value, str)
                                           and item.value for item in node.elts):
        return [_constant(item) for item in node.elts][:8]
    return []


def is_object_key(values: list[StaticValue]) -> bool:
    """Every value the tested expression can hold is the triggering object's whole key."""
    from reviewer.analyzers.recursion_targets import is_event_object_key   # the analyzer's one definition
    return bool(values) and all(len(value.parts) == 1 and value.parts[0].kind == EVENT
                                and value.parts[0].keeps == "both" and is_event_object_key(value.parts[0].text)
                                for value in values)


EVENT_NAME = "eventName"   # what a stream record says happened to its item: INSERT, MODIFY or REMOVE
_RECORD_WORDS = frozenset({"dynamodb", "Keys", "NewImage", "OldImage"})
_TYPE_DESCRIPTORS = frozenset({"S", "N"})
_RECORD_KEY_WORDS = frozenset({"Keys", "NewImage", "OldImage"})


Strings = Callable[[ast.expr], list[StaticValue]]


def record_guards(conditions: list[tuple[ast.expr, bool]], bindings: Callable[[str], list[ast.expr]],
                  strings: Strings | None = None) -> tuple[KeyGuard, ...]:
    """Conditions on an attribute of a DynamoDB stream record (`keys["sk"].startswith("product#")`,
    `image["type"]["S"] == "order"`), or, through what `strings` says the tested value is, on a
    top-level field of a Kinesis record's decoded data or an SQS message's JSON body
    (`json.loads(record["body"]).get("type") == "resize"`): the write runs only for records they
    let through."""
    guards: list[KeyGuard] = []
    for test, polarity in conditions:
        guards.extend(_record_guards_of(test, polarity, bindings, test.lineno, strings))
    return tuple(dict.fromkeys(guards))[:MAX_CONDITIONS]


def _record_guards_of(test: ast.expr, polarity: bool, bindings: Callable[[str], list[ast.expr]],
                      line: int, strings: Strings | None) -> list[KeyGuard]:
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, polarity = test.operand, not polarity
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == polarity:
            return [guard for value in test.values[:8]
                    for guard in _record_guards_of(value, polarity, bindings, line, strings)]
        return []
    subject: ast.expr | None = None
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and len(test.args) == 1 \
            and test.func.attr in ("startswith", "endswith") and not test.keywords:
        end, subject, texts = ("prefix" if test.func.attr == "startswith" else "suffix"), test.func.value, \
            _constant_texts(test.args[0])
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq)):
        end, subject, texts = "equals", test.left, _constant_texts(test.comparators[0])
        polarity = polarity if isinstance(test.ops[0], ast.Eq) else not polarity
    else:
        return []
    if not texts or (polarity and len(texts) > 1):
        return []
    record, attribute = "dynamodb", _record_attribute(subject, bindings)
    if not attribute and strings is not None:
        record, attribute = record_field(strings(subject)) or ("", "")
    return [KeyGuard(end, text, polarity, line, attribute, record=record) for text in texts] if attribute else []


def record_field(values: list[StaticValue]) -> tuple[str, str] | None:
    """(record kind, attribute) when every value is the same field of an incoming stream record
    or message: a DynamoDB record's `eventName` or an attribute of its keys or images, a top-level
    field of a Kinesis record's decoded data or of an SQS message's JSON body; else None. The
    readers of both languages name event fields alike (`Records[].kinesis.data.eventType`)."""
    fields = {_field_of(value.parts[0].text) if len(value.parts) == 1 and value.parts[0].kind == EVENT
              and value.parts[0].replaced is None else None for value in values}
    if len(fields) != 1:
        return None
    return fields.pop()


def is_textual(text: str) -> bool:
    """Text that cannot be a number, boolean or null written bare (`count: 1`), which the
    evaluators give as the same text as a string: JSON keeps them apart, and so do filters."""
    if text in ("true", "false", "null"):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def _field_of(path: str) -> tuple[str, str] | None:
    if not path.startswith("Records[]."):
        return None
    steps = path.removeprefix("Records[].").split(".")
    if steps == [EVENT_NAME]:
        return ("dynamodb", EVENT_NAME)
    if steps[0] == "dynamodb" and len(steps) in (3, 4) and steps[1] in _RECORD_KEY_WORDS \
            and (len(steps) == 3 or steps[3] in _TYPE_DESCRIPTORS):
        return ("dynamodb", steps[2])
    if steps[:2] == ["kinesis", "data"] and len(steps) == 3:
        return ("kinesis", steps[2])
    if steps[0] == "body" and len(steps) == 2:
        return ("sqs", steps[1])
    return None


def _record_attribute(node: ast.expr, bindings: Callable[[str], list[ast.expr]]) -> str:
    """`keys["sk"]`, `image.get("sk")`, `record["dynamodb"]["Keys"]["sk"]["S"]`: the attribute
    name, when the base is visibly read from a stream record; else ""."""
    if isinstance(node, ast.Subscript) and _constant(node.slice) in _TYPE_DESCRIPTORS:
        node = node.value
    if isinstance(node, ast.Subscript) and _constant(node.slice):
        name, base = _constant(node.slice), node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and node.args and _constant(node.args[0]):
        name, base = _constant(node.args[0]), node.func.value
    else:
        return ""
    if name == EVENT_NAME:
        return name   # a stream record's own key (INSERT, MODIFY, REMOVE), whatever holds the record
    return name if _from_stream_record(base, bindings, 0) else ""


def _constant(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _from_stream_record(node: ast.expr, bindings: Callable[[str], list[ast.expr]], depth: int) -> bool:
    if any(isinstance(child, ast.Constant) and _constant(child) in _RECORD_WORDS for child in walk(node)):
        return True
    if isinstance(node, ast.Name) and depth < 3:
        return any(_from_stream_record(expr, bindings, depth + 1) for expr in bindings(node.id)[:4])
    return False


def written_attributes(item: ast.expr | None, strings: Callable[[ast.expr], list[StaticValue]]
                       ) -> tuple[tuple[str, str], ...]:
    """The attributes of a written key or item given as a dict with constant values
    (`{"sk": "totalquantity"}`, or the client's `{"sk": {"S": "totalquantity"}}`)."""
    if not isinstance(item, ast.Dict):
        return ()
    found: list[tuple[str, str]] = []
    for key, value in list(zip(item.keys, item.values, strict=True))[:32]:
        name = _constant(key) if key is not None else ""
        if not name:
            continue
        if isinstance(value, ast.Dict) and len(value.keys) == 1 and value.keys[0] is not None \
                and _constant(value.keys[0]) in _TYPE_DESCRIPTORS:
            value = value.values[0]
        values = strings(value)
        if len(values) == 1 and values[0].is_literal:
            found.append((name, values[0].text))
    return tuple(found)


_PRESENT = re.compile(r"attribute_exists\s*\(\s*\)|[#\w.\[\]]+\s*=\s*:\w+", re.I)   # contents blanked


def updates_existing(call: ast.Call, strings: Callable[[ast.expr], list[StaticValue]]) -> bool:
    """An `update_item` that cannot create an item, so its stream record is a MODIFY, never an
    INSERT: its `ConditionExpression` requires the item to be there (`attribute_exists(pk)`, or
    an attribute equal to a value, which a missing item fails: DynamoDB evaluates the condition
    against no attributes), or its `Key` is the incoming stream record's own key (the item the
    record is about). Without either, an update of a key that does not exist inserts it."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "update_item"):
        return False
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    condition = keywords.get("ConditionExpression")
    if condition is not None and (_builder_requires_item(condition) or (
            (values := strings(condition)) and all(condition_requires_item(value) for value in values[:8]))):
        return True
    key = keywords.get("Key")
    if isinstance(key, ast.Dict) and key.keys and all(name is not None for name in key.keys):
        return all(_constant(name) and _reads_record_key(value, _constant(name))
                   for name, value in zip(key.keys, key.values, strict=True) if name is not None)
    return False


def condition_requires_item(value: StaticValue) -> bool:
    """The condition is a conjunction one of whose parts fails on a missing item. Text computed at
    run time counts only inside parentheses (`... AND (#s = :a OR #s = :b)`): at the top level it
    could add an `OR` that lets a missing item through."""
    depth, top = 0, []
    for part in value.parts:
        if part.kind != LITERAL:
            if depth == 0:
                return False
            continue
        for char in part.text:
            depth += char == "("
            depth -= char == ")"
            top.append(char if depth == 0 or (depth == 1 and char == "(") else " ")
    flat = "".join(top)
    if depth != 0 or re.search(r"\bOR\b|\bNOT\b", flat, re.I):
        return False
    return any(_PRESENT.fullmatch(conjunct.strip()) for conjunct in re.split(r"\bAND\b", flat, flags=re.I))


def _builder_requires_item(node: ast.expr) -> bool:
    """`Attr("pk").exists()` or `Attr("pk").eq(...)`, alone or joined with `&`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
        return _builder_requires_item(node.left) or _builder_requires_item(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("exists", "eq") \
        and isinstance(node.func.value, ast.Call) and getattr(node.func.value.func, "id", "") == "Attr"


def _reads_record_key(value: ast.expr, name: str) -> bool:
    """`record["dynamodb"]["Keys"]["pk"]["S"]` for the key attribute `pk`."""
    texts = {_constant(child) for child in walk(value) if isinstance(child, ast.Constant)}
    return name in texts and bool(texts & _RECORD_KEY_WORDS)
