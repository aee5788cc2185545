"""The stream records and messages a JavaScript write runs for, and what the write itself puts.

The counterpart of `record_filters.py` and `key_guards.record_guards` for Node.js handlers. A
stream processor often acts on some records only: `if (record.eventName !== 'INSERT') continue;`,
`for (const r of event.Records.filter(r => r.eventName === 'INSERT'))`, or, on a Kinesis stream
or an SQS queue, a field of the decoded payload: `records.filter(r => r.eventType ===
'order_placed')` where `records = event.Records.map(parsePayload)`. A write behind such a
condition runs only for the records it lets through, so when the record the write itself makes
fails it (it puts `eventType: 'restaurant_notified'`), the invocation that record causes writes
nothing. The conditions are read around the write and around the one call of each helper on the
way to it (`caller_sites`); what the tested value is comes from the evaluator (a field of the
event, `Records[].kinesis.data.eventType`), so a test of anything else is no record guard.
Read with tree-sitter, never run.
"""

from __future__ import annotations

from typing import Any

from reviewer import source_trees as st
from reviewer.code.javascript_callers import caller_sites, enclosing_function
from reviewer.code.javascript_key_guards import dominating_conditions
from reviewer.code.javascript_program import FUNCTION_TYPES, unwrap
from reviewer.code.javascript_values import JsEvaluator, JsObject
from reviewer.code.key_guards import MAX_CONDITIONS, condition_requires_item, is_textual, record_field
from reviewer.code.values import EVENT, KeyGuard, StaticValue

# The services whose records a handler's condition can be read against, by what each record holds.
RECORD_SERVICES = frozenset({"dynamodb", "kinesis", "sqs"})
_TYPE_DESCRIPTORS = frozenset({"S", "N"})
# Methods of a list whose callback sees each element of the list they are called on.
_PER_ELEMENT = frozenset({"map", "forEach", "flatMap", "some", "every", "find", "reduce"})
# Methods whose result holds only elements of the list they are called on (or values made from
# them), so a filter before them still holds; `concat` adds others.
_KEEPS_ELEMENTS = frozenset({"filter", "map", "slice", "sort", "reverse"})
# Methods that add elements to a list in place: a filtered list they are called on holds others.
_ADDS_ELEMENTS = frozenset({"push", "unshift", "splice", "fill", "copyWithin"})
_EQUALITY = {"===": True, "==": True, "!==": False, "!=": False}
_ENDS = {"startsWith": "prefix", "endsWith": "suffix"}
_PAYLOAD = {"kinesis": "Data", "sqs": "MessageBody"}
MAX_FILTER_DEPTH = 4
MAX_ASSIGNMENTS = 256


def record_guards(call: Any, path: str, evaluator: JsEvaluator) -> tuple[KeyGuard, ...]:
    """The conditions on the incoming record that the write sits behind: `if`s around it and
    exits before it, and the filters of the lists its loops and callbacks iterate, in its own
    function and at each caller on the way to it. Each is named in the file it is written in."""
    guards: list[KeyGuard] = []
    for site_path, site in [(path, call), *caller_sites(call, path, evaluator)]:
        conditions = dominating_conditions(site) + [(test, True) for test in _iteration_filters(site, evaluator)]
        file = evaluator.program.files[site_path]
        for condition, polarity in conditions[:MAX_CONDITIONS]:
            if condition is not None:
                shown = site_path if site_path != path else ""
                guards += [KeyGuard(end, text, required, file.line(condition), attribute, shown, record)
                           for end, text, required, attribute, record
                           in _guards_of(condition, polarity, site_path, evaluator, 0)]
    return tuple(dict.fromkeys(guards))[:MAX_CONDITIONS]


# -- the lists a loop or callback iterates -----------------------------------------------------


def _iteration_filters(node: Any, evaluator: JsEvaluator) -> list[Any]:
    """The tests of `.filter(...)` callbacks that every element the code around `node` visits has
    passed: `for (const r of kept)` with `kept = records.filter(test)`, `records.filter(test)
    .forEach(r => ...)`."""
    found: list[Any] = []
    for parent in st.ancestors(node):
        if parent.type in FUNCTION_TYPES:
            holder = parent.parent
            if holder is None or holder.type != "arguments":
                break
            call = holder.parent
            function = unwrap(call.child_by_field_name("function")) if call is not None else None
            if function is not None and function.type == "member_expression" and holder.named_children \
                    and holder.named_children[0] == parent \
                    and st.text(function.child_by_field_name("property")) in _PER_ELEMENT:
                found += _filters_of(function.child_by_field_name("object"), evaluator, 0)
        elif parent.type == "for_in_statement" and _inside(node, parent.child_by_field_name("body")):
            found += _filters_of(parent.child_by_field_name("right"), evaluator, 0)
    return found[:MAX_CONDITIONS]


def _filters_of(expression: Any, evaluator: JsEvaluator, depth: int) -> list[Any]:
    expression = unwrap(expression)
    if expression is None or depth > MAX_FILTER_DEPTH:
        return []
    if expression.type == "identifier":
        value = _single_value(expression, evaluator)
        return _filters_of(value, evaluator, depth + 1) if value is not None else []
    if expression.type != "call_expression":
        return []
    function = unwrap(expression.child_by_field_name("function"))
    if function is None or function.type != "member_expression":
        return []
    method = st.text(function.child_by_field_name("property"))
    if method not in _KEEPS_ELEMENTS:
        return []
    found = _filters_of(function.child_by_field_name("object"), evaluator, depth + 1)
    arguments = expression.child_by_field_name("arguments")
    callback = unwrap(arguments.named_children[0]) if method == "filter" and arguments is not None \
        and arguments.named_children else None
    if callback is not None and callback.type in FUNCTION_TYPES:
        test = _returned(callback)
        if test is not None:
            found.append(test)
    return found


def _single_value(name: Any, evaluator: JsEvaluator) -> Any | None:
    """The value of the one declaration of a local name, made before its use (`const kept =
    records.filter(...)`), when nothing else assigns it or adds to it; None otherwise."""
    function = enclosing_function(name)
    scope = function if function is not None else next(iter(reversed(list(st.ancestors(name)))), name)
    declared = _names_of(scope, evaluator).get(st.text(name))
    if declared is None or declared.start_byte >= name.start_byte:
        return None
    return declared.child_by_field_name("value")


def _names_of(scope: Any, evaluator: JsEvaluator) -> dict[str, Any]:
    """Each name declared once in `scope` (its callbacks included, not its other functions) and
    never assigned or grown in place, with its declarator: one walk per function."""
    key = ("declared", scope.id)
    if key not in evaluator.function_scans:
        declared: dict[str, Any] = {}
        spoiled: set[str] = set()
        for node in st.walk(scope, descend=lambda n: n.type not in FUNCTION_TYPES or n == scope
                            or (n.parent is not None and n.parent.type == "arguments")):
            if node.type == "variable_declarator":
                text = st.text(node.child_by_field_name("name"))
                if text in declared:
                    spoiled.add(text)
                declared[text] = node
            elif node.type in ("assignment_expression", "augmented_assignment_expression"):
                spoiled.add(st.text(node.child_by_field_name("left")))
            elif node.type == "member_expression" and st.text(node.child_by_field_name("property")) in _ADDS_ELEMENTS:
                spoiled.add(st.text(node.child_by_field_name("object")))
        evaluator.function_scans[key] = {text: node for text, node in declared.items() if text not in spoiled}
    found: dict[str, Any] = evaluator.function_scans[key]
    return found


def _returned(callback: Any) -> Any | None:
    """The expression a one-line callback returns: `r => test`, `function (r) { return test; }`."""
    body = callback.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return body
    statements = [child for child in body.named_children if child.type != "comment"]
    if len(statements) == 1 and statements[0].type == "return_statement" and statements[0].named_children:
        return statements[0].named_children[0]
    return None


def _inside(node: Any, ancestor: Any | None) -> bool:
    return ancestor is not None and ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte


# -- conditions on a record's field ------------------------------------------------------------


def _guards_of(node: Any, polarity: bool, path: str, evaluator: JsEvaluator,
               depth: int) -> list[tuple[str, str, bool, str, str]]:
    """(end, text, required, attribute, record) of each fact the condition states about a field
    of the incoming record, when it holds (`polarity`) or fails."""
    node = unwrap(node)
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    if node is None or depth > 8:
        return []
    if node.type == "unary_expression" and st.text(node.child_by_field_name("operator")) == "!":
        return _guards_of(node.child_by_field_name("argument"), not polarity, path, evaluator, depth + 1)
    if node.type == "binary_expression":
        operator = st.text(node.child_by_field_name("operator"))
        # `a && b` holding means each holds; `a || b` failing means each fails.
        if (operator == "&&" and polarity) or (operator == "||" and not polarity):
            return [guard for side in ("left", "right")
                    for guard in _guards_of(node.child_by_field_name(side), polarity, path, evaluator, depth + 1)]
        if operator not in _EQUALITY:
            return []
        left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
        if left is not None and st.string_value(left) is not None:
            left, right = right, left
        text = st.string_value(right) if right is not None else None
        return _facts(left, "equals", [text] if text else [], polarity == _EQUALITY[operator], path, evaluator)
    if node.type != "call_expression":
        return []
    function = unwrap(node.child_by_field_name("function"))
    arguments = node.child_by_field_name("arguments")
    if function is None or function.type != "member_expression" or arguments is None \
            or len(arguments.named_children) != 1:
        return []
    method = st.text(function.child_by_field_name("property"))
    argument = unwrap(arguments.named_children[0])
    if method in _ENDS:
        text = st.string_value(argument)
        return _facts(function.child_by_field_name("object"), _ENDS[method], [text] if text else [], polarity,
                      path, evaluator)
    receiver = unwrap(function.child_by_field_name("object"))
    if method == "includes" and receiver is not None and receiver.type == "array":   # ['INSERT', 'MODIFY'].includes(x)
        texts = [st.string_value(item) for item in receiver.named_children]
        if all(texts) and len(texts) <= 8:
            return _facts(argument, "equals", [text for text in texts if text], polarity, path, evaluator)
    return []


def _facts(subject: Any, end: str, texts: list[str], required: bool, path: str,
           evaluator: JsEvaluator) -> list[tuple[str, str, bool, str, str]]:
    if not texts or (required and len(texts) > 1):
        return []   # "is one of several" is no single fact
    field = record_field(evaluator.strings(subject, path)) if subject is not None else None
    if field is None:
        return []
    record, attribute = field
    return [(end, text, required, attribute, record) for text in texts]


# -- what the write puts -----------------------------------------------------------------------


def written_fields(service: str, params: JsObject, evaluator: JsEvaluator) -> tuple[tuple[str, str], ...]:
    """The fields with constant text of what the write makes: a DynamoDB write's `Key` and `Item`
    attributes (`{ sk: 'total' }`, `{ sk: { S: 'total' } }`), the top level of the JSON a Kinesis
    record's `Data` or an SQS message's `MessageBody` is made from (`JSON.stringify(data)`, with
    the fields the code sets on `data` before: `data.eventType = 'restaurant_notified'`)."""
    if service == "dynamodb":
        return tuple(found for name in ("Key", "Item")
                     for found in _object_fields(_member(params, name, evaluator), evaluator, typed=True))[:32]
    node = value_node(params, _PAYLOAD.get(service, ""))
    node = unwrap(node) if node is not None else None
    if node is None or node.type != "call_expression" or st.call_name(node) != "JSON.stringify":
        return ()
    arguments = node.child_by_field_name("arguments")
    source = unwrap(arguments.named_children[0]) if arguments is not None and arguments.named_children else None
    if source is None:
        return ()
    objects = [value for value in evaluator.values(source, params.file) if isinstance(value, JsObject)]
    fields = dict(_object_fields(objects[0], evaluator, typed=False)) if len(objects) == 1 else {}
    if source.type == "identifier":
        fields = _assigned(source, params.file, evaluator, fields)
    return tuple(fields.items())[:32]


def _member(params: JsObject, name: str, evaluator: JsEvaluator) -> JsObject | None:
    node = value_node(params, name)
    found = [value for value in evaluator.values(node, params.file) if isinstance(value, JsObject)] \
        if node is not None else []
    return found[0] if len(found) == 1 else None


def _object_fields(obj: JsObject | None, evaluator: JsEvaluator, typed: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if obj is None:
        return []
    for child in obj.node.named_children[:32]:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            name = (st.string_value(key) or "") if key is not None and key.type == "string" else \
                st.text(key) if key is not None and key.type == "property_identifier" else ""
        elif child.type == "shorthand_property_identifier":
            name = st.text(child)
        else:
            continue
        values = evaluator._property(obj, name, 0) if name else []
        if typed and len(values) == 1 and isinstance(values[0], JsObject):
            inner = [pair for pair in values[0].node.named_children if pair.type == "pair"]
            key = inner[0].child_by_field_name("key") if len(inner) == 1 else None
            if key is not None and (st.string_value(key) or st.text(key)) in _TYPE_DESCRIPTORS:
                values = evaluator.values(inner[0].child_by_field_name("value"), values[0].file)
        if len(values) == 1 and isinstance(values[0], StaticValue) and values[0].is_literal \
                and (typed or is_textual(values[0].text)):
            found.append((name, values[0].text))
    return found


def _assigned(name: Any, path: str, evaluator: JsEvaluator, fields: dict[str, str]) -> dict[str, str]:
    """`fields` with what the function sets on the object before it is serialised: an assignment
    in a block around the serialisation sets the field; one under a condition, or of a value that
    is not constant, leaves it unknown."""
    function = enclosing_function(name)
    if function is None:
        return fields
    assignments = _field_assignments(function, evaluator)
    if assignments is None:
        return {}
    result = dict(fields)
    for node in assignments.get(st.text(name), []):
        if node.start_byte >= name.start_byte:
            break
        left = unwrap(node.child_by_field_name("left"))
        field = st.text(left.child_by_field_name("property")) if left is not None else ""
        values = evaluator.strings(node.child_by_field_name("right"), path)
        if _dominates(node, name) and len(values) == 1 and values[0].is_literal and is_textual(values[0].text):
            result[field] = values[0].text
        else:
            result.pop(field, None)
    return result


def _field_assignments(function: Any, evaluator: JsEvaluator) -> dict[str, list[Any]] | None:
    """The assignments to a field of a name in `function` (`data.eventType = ...`), by the name,
    in order; None past MAX_ASSIGNMENTS of them (then nothing is said). One walk per function."""
    key = ("fields", function.id)
    if key not in evaluator.function_scans:
        found: dict[str, list[Any]] | None = {}
        seen = 0
        for node in st.walk(function):
            if node.type != "assignment_expression":
                continue
            left = unwrap(node.child_by_field_name("left"))
            if left is None or left.type != "member_expression":
                continue
            seen += 1
            if seen > MAX_ASSIGNMENTS:
                found = None
                break
            assert found is not None
            found.setdefault(st.text(left.child_by_field_name("object")), []).append(node)
        evaluator.function_scans[key] = found
    assignments: dict[str, list[Any]] | None = evaluator.function_scans[key]
    return assignments


def _dominates(assignment: Any, use: Any) -> bool:
    """The assignment is a statement of a block that also holds `use` (after it), in the same
    function (not a callback defined there): whenever `use` runs, in that pass of any loop around
    the block, the assignment has run first."""
    statement = assignment.parent
    if statement is None or statement.type != "expression_statement":
        return False
    block = statement.parent
    if block is None or block.type not in ("statement_block", "program") or not _inside(use, block):
        return False
    return _nearest_function(statement) == _nearest_function(use)


def _nearest_function(node: Any) -> Any | None:
    return next((parent for parent in st.ancestors(node) if parent.type in FUNCTION_TYPES), None)


def value_node(params: JsObject, name: str) -> Any:
    """The node of property `name` in an object literal (`{name: value}` or shorthand `{name}`)."""
    for child in params.node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            key_text = st.string_value(key) if key is not None and key.type == "string" else st.text(key)
            if key_text == name:
                return child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and st.text(child) == name:
            return child
    return None


# -- updates that cannot insert ----------------------------------------------------------------


def updates_existing(operation: str, params: JsObject, evaluator: JsEvaluator) -> bool:
    """An update that can only change an item that exists, so its stream record is a `MODIFY`:
    its `ConditionExpression` requires the item (`key_guards.condition_requires_item`), or its
    `Key` is the incoming record's own key (`record.dynamodb.Keys`, or each attribute read from it)."""
    name = operation.removeprefix("send(").removesuffix(")").removesuffix("Command")
    if name not in ("update", "updateItem", "UpdateItem", "Update"):
        return False
    condition = value_node(params, "ConditionExpression")
    texts = evaluator.strings(condition, params.file) if condition is not None else []
    if texts and all(condition_requires_item(value) for value in texts[:8]):
        return True
    key = value_node(params, "Key")
    if key is None:
        return False
    values = evaluator.values(key, params.file)
    if values and all(isinstance(value, StaticValue) and len(value.parts) == 1 and value.parts[0].kind == EVENT
                      and value.parts[0].text == "Records[].dynamodb.Keys" for value in values):
        return True
    objects = [value for value in values if isinstance(value, JsObject)]
    if len(objects) != 1 or len(values) != 1:
        return False
    pairs = [child for child in objects[0].node.named_children if child.type != "comment"]
    return bool(pairs) and all(_reads_own_key(pair, objects[0], evaluator) for pair in pairs[:8])


def _reads_own_key(pair: Any, obj: JsObject, evaluator: JsEvaluator) -> bool:
    """`pk: record.dynamodb.Keys.pk` (or `.S`, or `{ S: ... }` around it) for the key attribute `pk`."""
    if pair.type not in ("pair", "shorthand_property_identifier"):
        return False
    key = pair.child_by_field_name("key") if pair.type == "pair" else pair
    name = (st.string_value(key) or "") if key is not None and key.type == "string" else st.text(key)
    values = evaluator._property(obj, name, 0)
    if len(values) == 1 and isinstance(values[0], JsObject):
        inner = [child for child in values[0].node.named_children if child.type == "pair"]
        values = evaluator.values(inner[0].child_by_field_name("value"), values[0].file) if len(inner) == 1 else []
    return bool(values) and all(isinstance(value, StaticValue) and len(value.parts) == 1
                                and value.parts[0].kind == EVENT
                                and value.parts[0].text.removesuffix(".S").removesuffix(".N")
                                == f"Records[].dynamodb.Keys.{name}" for value in values)
