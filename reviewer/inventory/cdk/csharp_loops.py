"""The elements a C# `foreach` runs over, when the file writes them: a collection it initializes
(`new List<Route> { a, b }`, `new[] { a, b }`, `[a, b]`), or a list it makes empty and fills with
`Add` statements before the loop, as PlantBasedPizza's account stack does:

    var routes = new List<LambdaApiRoute>();
    routes.Add(new LambdaApiRoute("/account/health", HttpMethod.GET, "Account::Account.Functions::Health", ...));
    foreach (var route in routes) {
        var fn = new DotNetFunction(this, $"{route.FunctionName}", new DotNetFunctionProps {
            Handler = route.FunctionHandler, ... });
    }

Each element is one function (`cdk/source.py` binds the loop variable to it; a positional record's
members are read by `cdk/csharp_records.py`). A list changed any other way before the loop
(`AddRange`, `Remove`, passed to a method) is left alone: what it holds is not known here."""

from __future__ import annotations

from typing import Any, Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import ConstructCall

Node = tree_sitter.Node

# How many elements of one list, and statements before the loop, are read.
MAX_ELEMENTS = 50
MAX_STATEMENTS = 400
# How many interpolated strings deep an element's construct id is followed, and how long it may grow.
MAX_ID_DEPTH = 4
MAX_ID_LENGTH = 120
_COLLECTIONS = ("object_creation_expression", "array_creation_expression",
                "implicit_array_creation_expression", "collection_expression")


def foreach_elements(loop: Node) -> tuple[Node, list[Node]] | None:
    """(the loop variable's name node, the elements) of `foreach (var x in items)`; None when the
    elements are not written in the file."""
    name = loop.child_by_field_name("left")
    items = st.unwrap(loop.child_by_field_name("right"))
    if name is None or name.type != "identifier" or items is None:
        return None
    if items.type in _COLLECTIONS:
        elements = _initialized(items)
    elif items.type == "identifier":
        elements = _filled(loop, st.text(items))
    else:
        return None
    return (name, elements) if elements else None


def _initialized(node: Node) -> list[Node] | None:
    """`new List<T> { a, b }`, `new[] { a, b }`, `[a, b]`: the elements; `[]` for an empty
    `new List<T>()`; None for anything else."""
    if node.type == "collection_expression":
        return [st.unwrap(c) or c for c in node.named_children if c.type != "comment"][:MAX_ELEMENTS]
    initializer = node.child_by_field_name("initializer") or next(
        (c for c in node.named_children if c.type == "initializer_expression"), None)
    if initializer is None:
        listed = node.child_by_field_name("arguments")
        return [] if node.type == "object_creation_expression" and (
            listed is None or not listed.named_children) else None
    if any(c.type == "assignment_expression" for c in initializer.named_children):
        return None   # an object initializer, not a collection's
    return [c for c in initializer.named_children if c.type != "comment"][:MAX_ELEMENTS]


def _filled(loop: Node, name: str) -> list[Node] | None:
    """The elements of the list `name` declared in the loop's block before it, with the values of
    the `name.Add(x)` statements between the declaration and the loop."""
    block, statement = loop.parent, loop
    while block is not None and block.type != "block":   # `foreach` directly in a block, mostly
        statement, block = block, block.parent
    if block is None:
        return None
    elements: list[Node] | None = None
    for child in block.named_children[:MAX_STATEMENTS]:
        if child == statement:
            return elements
        declared = _declared(child, name)
        if declared is not None:
            elements = _initialized(declared)
            continue
        if elements is None or name not in st.text(child):
            continue
        added = _added(child, name)
        if added is None:
            return None   # the list is changed or handed on some other way
        if len(elements) < MAX_ELEMENTS:
            elements.append(added)
    return None


def _declared(statement: Node, name: str) -> Node | None:
    """The value of `var name = ...;` (or `List<T> name = ...;`)."""
    if statement.type != "local_declaration_statement":
        return None
    for declaration in statement.named_children:
        for declarator in declaration.named_children if declaration.type == "variable_declaration" else []:
            named = declarator.named_children[0] if declarator.type == "variable_declarator" \
                and declarator.named_children else None
            if named is not None and st.text(named) == name and len(declarator.named_children) >= 2:
                return st.unwrap(declarator.named_children[-1])
    return None


def _added(statement: Node, name: str) -> Node | None:
    """`name.Add(x);`: x."""
    call = statement.named_children[0] if statement.type == "expression_statement" \
        and statement.named_children else None
    callee = call.child_by_field_name("function") if call is not None and call.type == "invocation_expression" \
        else None
    listed = call.child_by_field_name("arguments") if call is not None else None
    arguments = [c for c in (listed.named_children if listed is not None else []) if c.type == "argument"]
    if callee is None or st.text(callee) != f"{name}.Add" or len(arguments) != 1:
        return None
    return st.unwrap(arguments[0])


def element_id(found: ConstructCall, id_node: Node, env: Any, string: Callable[[Node, Any], str | None],
               member: Callable[[Node, Any], tuple[Node, Any] | None]) -> None:
    """Name the construct one element of a loop makes by its id as far as the element gives it
    (`$"{route.FunctionName}"`, the element's `$"HealthFunction-{_env}"`: "HealthFunction-{_env}"),
    when the id is not a string the file gives whole: the elements' functions would otherwise
    share one name, the construct's and line's."""
    if found.name_is_literal:
        return
    text = _partial(id_node, env, string, member, MAX_ID_DEPTH)
    if text and "{" in text and text.strip("{}") and text != st.text(id_node).lstrip("$@").strip('"'):
        found.name, found.id_is_expression = text[:MAX_ID_LENGTH], False


def _partial(node: Node | None, env: Any, string: Callable[[Node, Any], str | None],
             member: Callable[[Node, Any], tuple[Node, Any] | None], depth: int) -> str | None:
    """An interpolated string with each piece the file gives filled in, the others kept as written
    (`{_env}`)."""
    node = st.unwrap(node)
    if node is None or depth <= 0:
        return None
    known = string(node, env)
    if known is not None:
        return known
    if node.type == "member_access_expression":
        bound = member(node, env)
        return _partial(bound[0], bound[1], string, member, depth - 1) if bound is not None else None
    if node.type != "interpolated_string_expression":
        return None
    pieces: list[str] = []
    for child in node.named_children:
        if child.type == "string_content":
            pieces.append(st.text(child))
        elif child.type == "interpolation":
            inner = next((c for c in child.named_children if c.type != "interpolation_brace"), None)
            filled = _partial(inner, env, string, member, depth - 1) if inner is not None else None
            pieces.append(filled if filled is not None else "{" + (st.text(inner) if inner is not None else "") + "}")
    return "".join(pieces)
