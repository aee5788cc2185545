"""The event entries a JavaScript `PutEvents` call puts, for the loop check: the object literals
its `Entries` list is built from, wherever the handler builds them.

Handlers rarely write `Entries: [{...}]`. They map records or batches to entries
(`records.map(r => ({ Source: ..., DetailType: ... }))`), push them onto a list in a loop
(`toPut.push({...})`), send them ten at a time (`entries.splice(0, 10)`, `entries.slice(i, i + 10)`)
or hand the list to a helper. Each of those still puts the entries its object literals describe,
so their `Source` and `DetailType` are what a rule on the bus is judged against. A part of the
list that cannot be followed is said (`complete` false), so the write is also reported as one the
review could not resolve rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer import source_trees as st
from reviewer.code.javascript_program import FUNCTION_TYPES, function_name, unwrap, visible_bindings
from reviewer.code.javascript_values import JsEvaluator, JsFunction, JsObject

MAX_ENTRIES = 6
MAX_STEPS = 6           # names, helpers and list methods followed from `Entries` to an object literal
MAX_PUSHES = 20         # `list.push(...)` calls looked at in the function that fills a list
MAX_VISITS = 120        # nodes followed for one call, however the lists nest
# List methods whose result holds (some of) the receiver's elements, in order or not.
_SAME_ELEMENTS = frozenset({"slice", "splice", "filter", "concat", "reverse", "sort", "flat"})
_MAPPING = frozenset({"map", "flatMap"})


@dataclass
class Entries:
    """The object literals found, each with the values its fields are assigned after it is made
    (`entry.DetailType = "Done"`), and whether every element of the list was followed."""

    objects: list[tuple[JsObject, dict[str, list[Any]]]] = field(default_factory=list)
    complete: bool = True
    visits: int = 0


def entry_objects(listing: Any, file: str, evaluator: JsEvaluator) -> Entries:
    """The entries the `Entries` value `listing` (in `file`) holds."""
    found = Entries()
    _follow(listing, file, evaluator, found, MAX_STEPS)
    return found


def _follow(node: Any, file: str, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    node = unwrap(node)
    found.visits += 1
    if len(found.objects) >= MAX_ENTRIES:
        return
    if node is None or steps <= 0 or found.visits > MAX_VISITS:
        found.complete = False
        return
    if node.type == "array":
        for child in node.named_children:
            _element(child, file, evaluator, found, steps)
    elif node.type == "identifier":
        _named_list(node, file, evaluator, found, steps)
    elif node.type == "call_expression":
        _list_call(node, file, evaluator, found, steps)
    else:
        found.complete = False


def _element(node: Any, file: str, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """One element of a list: an object literal, a name holding one, or `...spread` of a list."""
    node = unwrap(node)
    if node is None or node.type == "comment":
        return
    if node.type == "object":
        _add(found, JsObject(file, node), {})
    elif node.type == "spread_element" and node.named_children:
        _follow(node.named_children[0], file, evaluator, found, steps - 1)
    elif node.type == "identifier":
        objects = [value for value in evaluator.values(node, file) if isinstance(value, JsObject)]
        if not objects:
            found.complete = False
        assigned = _assigned_fields(node)
        for value in objects:
            _add(found, value, assigned)
    else:
        found.complete = False


def _named_list(name: Any, file: str, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """A name for the list: its value where it is declared, and what `name.push(...)` adds to it
    in the function that declares it; a parameter's value at each call of its function."""
    bindings = visible_bindings(evaluator.program.files[file].bindings.get(st.text(name), []), name)
    if not bindings:
        found.complete = False
    for binding in bindings[:3]:
        if binding.kind == "value":
            _follow(binding.node, binding.file, evaluator, found, steps - 1)
            if binding.node is not None:
                _pushed(name, binding.node, binding.file, evaluator, found, steps)
        elif binding.kind == "param":
            _arguments(binding, evaluator, found, steps)
        else:
            objects = [value for value in evaluator.binding(binding, 0) if isinstance(value, JsObject)]
            if not objects:
                found.complete = False
            for value in objects:
                _add(found, value, {})


def _pushed(name: Any, declared: Any, file: str, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """The elements `name.push(a, b)` adds, in the function around the declaration `declared`."""
    scope = declared.parent
    while scope is not None and scope.type not in FUNCTION_TYPES and scope.type != "program":
        scope = scope.parent
    if scope is None:
        return
    text = st.text(name)
    seen = 0
    for node in st.walk(scope):
        if node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        if callee is None or callee.type != "member_expression" \
                or st.text(callee.child_by_field_name("property")) not in ("push", "unshift") \
                or st.text(callee.child_by_field_name("object")) != text:
            continue
        seen += 1
        if seen > MAX_PUSHES:
            found.complete = False
            return
        arguments = node.child_by_field_name("arguments")
        for argument in arguments.named_children if arguments is not None else ():
            _element(argument, file, evaluator, found, steps - 1)


def _arguments(binding: Any, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """The list a helper's parameter is given at the calls of that helper."""
    name = function_name(binding.node)
    sites = evaluator.call_sites.get(name, []) if name else []
    given = 0
    for path, call in sites[:4]:
        arguments = call.child_by_field_name("arguments")
        items = [child for child in arguments.named_children if child.type != "comment"] if arguments else []
        if binding.index < len(items) and items[binding.index].type != "spread_element":
            given += 1
            _follow(items[binding.index], path, evaluator, found, steps - 1)
    if not given:
        found.complete = False


def _list_call(call: Any, file: str, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """`list.map(callback)`: what the callback returns; `list.slice(...)`, `.splice(...)`,
    `.filter(...)`, `.concat(more)`: the receiver's elements (and the lists concatenated)."""
    callee = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    items = [child for child in arguments.named_children if child.type != "comment"] if arguments else []
    method = st.text(callee.child_by_field_name("property")) if callee is not None \
        and callee.type == "member_expression" else ""
    if method in _SAME_ELEMENTS:
        _follow(callee.child_by_field_name("object"), file, evaluator, found, steps - 1)
        for item in items if method == "concat" else ():
            _follow(item, file, evaluator, found, steps - 1)
    elif method in _MAPPING and items:
        callbacks = [value for value in evaluator.values(items[0], file) if isinstance(value, JsFunction)]
        if not callbacks:
            found.complete = False
        for callback in callbacks[:2]:
            _returned(callback, evaluator, found, steps)
    else:
        found.complete = False


def _returned(callback: JsFunction, evaluator: JsEvaluator, found: Entries, steps: int) -> None:
    """The entries a mapping callback returns: its expression body, or each `return` in its body
    (not those of the functions nested in it)."""
    body = callback.node.child_by_field_name("body")
    if body is None:
        found.complete = False
    elif body.type != "statement_block":
        _element(body, callback.file, evaluator, found, steps - 1)
    else:
        returns = [node for node in st.walk(body, descend=lambda n: n.type not in FUNCTION_TYPES)
                   if node.type == "return_statement"]
        if not any(node.named_children for node in returns):
            found.complete = False
        for node in returns:
            if node.named_children:
                _element(node.named_children[0], callback.file, evaluator, found, steps - 1)


def _add(found: Entries, value: JsObject, assigned: dict[str, list[Any]]) -> None:
    if len(found.objects) < MAX_ENTRIES and all(value.node != known.node for known, _ in found.objects):
        found.objects.append((value, assigned))


def _assigned_fields(name_node: Any) -> dict[str, list[Any]]:
    """The values the function around `name_node` assigns to fields of the object that name
    holds (`entry.DetailType = "Done"` under a condition): each is an event the call can put."""
    scope = name_node.parent
    while scope is not None and scope.type not in FUNCTION_TYPES and scope.type != "program":
        scope = scope.parent
    name = st.text(name_node)
    assigned: dict[str, list[Any]] = {}
    for node in st.walk(scope) if scope is not None else ():
        left = node.child_by_field_name("left") if node.type == "assignment_expression" else None
        value = node.child_by_field_name("right") if left is not None else None
        if left is None or value is None or left.type != "member_expression":
            continue
        receiver, field_name = left.child_by_field_name("object"), left.child_by_field_name("property")
        if receiver is not None and field_name is not None and st.text(receiver) == name:
            assigned.setdefault(st.text(field_name), []).append(value)
    return assigned


__all__ = ["Entries", "entry_objects"]
