"""Whether a JavaScript/TypeScript handler provably never reads one key of its event (`body`).

The proof is deliberately narrow, so that it is never wrong: the handler must be a function the
file exports itself (not through a wrapper such as `middy(...)` or `serverless-http`, which may
read the event before the function does), and its event parameter, and every name bound to it
(`const e = event`), may only be read through constant keys other than the one asked about:
`event.pathParameters.key`, `event["queryStringParameters"]`, `const {pathParameters} = event`.
Any other use is a use of the whole event, and the whole event holds the key: passing it to a
function (`console.log(event)`, `JSON.stringify(event)`, `app(event)`), returning it, spreading
it, a computed key, binding the name again, `arguments`, `eval`. Then the answer is False.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import module_exports, parameters_of, unwrap

Node = tree_sitter.Node
# Names that reach a function's parameters without naming them.
_OPAQUE = frozenset({"arguments", "eval", "Function"})


def never_reads_key(path: str, source: str, export: str, key: str) -> bool:
    """True only when `export` of the file is a function that provably never reads `key` of its event."""
    tree = st.parse_file(path, source)
    if tree is None or tree.root_node.has_error:
        return False
    matches = [function for name, function in module_exports(tree.root_node, through_calls=False) if name == export]
    if len(matches) != 1 or matches[0] is None:
        return False
    return _function_never_reads(matches[0], key)


def _function_never_reads(function: Node, key: str) -> bool:
    parameters = parameters_of(function)
    if any(st.text(node) in _OPAQUE for node in st.walk(function) if node.type == "identifier"):
        return False
    if not parameters:
        return True
    first = parameters[0]
    if first.type == "object_pattern":
        tracked: set[str] = set()
        if not _pattern_avoids(first, key):
            return False
    elif first.type == "identifier":
        tracked = {st.text(first)}
    else:
        return False
    body = function.child_by_field_name("body")
    if body is None:
        return False
    tracked |= _aliases(body, tracked)
    for node in st.walk(body):
        if node.type in ("shorthand_property_identifier", "shorthand_property_identifier_pattern") \
                and st.text(node) in tracked:
            return False            # `{event}` passes it whole; `const {event} = x` binds the name again
        if node.type == "identifier" and st.text(node) in tracked and not _keyed_use(node, key, tracked):
            return False
    return True


def _aliases(body: Node, tracked: set[str]) -> set[str]:
    """The names `const e = event` binds to the event, followed until no new one appears."""
    found = set(tracked)
    while True:
        more = set()
        for node in st.walk(body):
            if node.type != "variable_declarator":
                continue
            name, value = node.child_by_field_name("name"), unwrap(node.child_by_field_name("value"))
            if name is not None and name.type == "identifier" and value is not None and value.type == "identifier" \
                    and st.text(value) in found and st.text(name) not in found:
                more.add(st.text(name))
        if not more:
            return found - tracked
        found |= more


def _keyed_use(node: Node, key: str, tracked: set[str]) -> bool:
    """Whether this occurrence of a tracked name reads a constant key other than `key`, or binds an alias."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "member_expression" and _same(parent.child_by_field_name("object"), node):
        member = parent.child_by_field_name("property")
        return member is not None and member.type in ("property_identifier", "private_property_identifier") \
            and st.text(member) != key and not _assigned(parent)
    if parent.type == "subscript_expression" and _same(parent.child_by_field_name("object"), node):
        index = st.string_value(parent.child_by_field_name("index"))
        return index is not None and index != key and not _assigned(parent)
    if parent.type == "variable_declarator":
        name, value = parent.child_by_field_name("name"), parent.child_by_field_name("value")
        if _same(name, node):                            # `const e = event`: the alias's own binding
            value = unwrap(value)
            return value is not None and value.type == "identifier" and st.text(value) in tracked
        if _same(value, node) and name is not None:
            if name.type == "identifier":
                return st.text(name) in tracked          # an alias, whose own uses are checked
            return name.type == "object_pattern" and _pattern_avoids(name, key)
    return False                                        # a call's argument, a return, a spread, a binding


def _same(left: Node | None, right: Node) -> bool:
    return left is not None and left.id == right.id


def _assigned(member: Node) -> bool:
    """`event.body = ...` writes rather than reads; so is left to the conservative side: not proven."""
    parent = member.parent
    return parent is not None and parent.type in ("assignment_expression", "augmented_assignment_expression") \
        and _same(parent.child_by_field_name("left"), member)


def _pattern_avoids(pattern: Node, key: str) -> bool:
    """`{pathParameters, queryStringParameters: query}`: named keys only, none of them `key`, no `...rest`."""
    for entry in pattern.named_children:
        if entry.type == "shorthand_property_identifier_pattern":
            if st.text(entry) == key:
                return False
        elif entry.type == "pair_pattern":
            name = entry.child_by_field_name("key")
            if name is None or name.type == "computed_property_name":
                return False
            if (st.string_value(name) if name.type == "string" else st.text(name)) == key:
                return False
        elif entry.type == "object_assignment_pattern":
            left = entry.child_by_field_name("left")
            if left is None or left.type != "shorthand_property_identifier_pattern" or st.text(left) == key:
                return False
        elif entry.type != "comment":
            return False
    return True

