"""The members a C# settings type's constructor arguments fill: a record's positional parameters
(`public record LambdaApiRoute(string Path, string FunctionHandler);`), or the properties a class's
constructor sets from its parameters (`public LambdaFunctionProps(string codePath) { CodePath =
codePath; }`). A `new LambdaApiRoute("/health", "Api::Api.Functions::Health")` is then read as
`{ Path = ..., FunctionHandler = ... }` would be (`syntax.literal_entries`), so `route.FunctionHandler`
of a loop over such routes, or what a construct class's caller passes (`cdk/csharp_construct_classes.py`),
is the argument written at its place."""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st

Node = tree_sitter.Node

# How many arguments of one call, statements of one constructor and declarations of one file are read.
MAX_ARGUMENTS = 64
MAX_DECLARATIONS = 400
_NAMESPACES = ("namespace_declaration", "file_scoped_namespace_declaration")


def constructor_parameters(constructor: Node) -> list[str]:
    """The constructor's (or a record's positional) parameter names, in order."""
    listed = constructor.child_by_field_name("parameters") or next(
        (c for c in constructor.named_children if c.type == "parameter_list"), None)
    names = [parameter.child_by_field_name("name") for parameter in
             (listed.named_children if listed is not None else []) if parameter.type == "parameter"]
    return [st.text(name) if name is not None else "" for name in names]


def settings_types(root: Node, found: dict[str, dict[str, int]]) -> None:
    """Add the settings types a file declares to `found`: name → the member each constructor
    argument fills, by position (the first declaration of a name wins)."""
    for node in _declarations(root):
        name = node.child_by_field_name("name")
        if name is None or st.text(name) in found:
            continue
        fields = _fields(node)
        if fields:
            found[st.text(name)] = fields


def _fields(node: Node) -> dict[str, int]:
    """A record's or class's members by the position of the constructor argument that fills them."""
    if node.type == "record_declaration" and any(c.type == "parameter_list" for c in node.named_children):
        return {field: index for index, field in enumerate(constructor_parameters(node))}
    body = node.child_by_field_name("body")
    constructor = next((c for c in (body.named_children[:MAX_DECLARATIONS] if body is not None else [])
                        if c.type == "constructor_declaration"), None)
    return _assigned_parameters(constructor) if constructor is not None else {}


def record_entries(node: Node) -> list[tuple[str, Node, Node]]:
    """(member, argument node, value) of `new T(a, b, Name: c)` when the file declares the settings
    type `T`; empty for any other creation."""
    kind = node.child_by_field_name("type")
    listed = node.child_by_field_name("arguments")
    if kind is None or listed is None or not listed.named_children:
        return []
    root = node
    for ancestor in st.ancestors(node):
        root = ancestor
    wanted = st.text(kind).rpartition(".")[2]   # the one type asked for: a file of many calls reads it each time
    declared = next((d for d in _declarations(root) if (n := d.child_by_field_name("name")) is not None
                     and st.text(n) == wanted), None)
    fields = _fields(declared) if declared is not None else None
    if not fields:
        return []
    by_position = {index: field for field, index in fields.items()}
    entries: list[tuple[str, Node, Node]] = []
    for index, argument in enumerate([c for c in listed.named_children if c.type == "argument"][:MAX_ARGUMENTS]):
        named = argument.child_by_field_name("name")
        value = st.unwrap(argument)
        field = st.text(named) if named is not None else by_position.get(index)
        if field is not None and value is not None:
            entries.append((field, argument, value))
    return entries


def _declarations(root: Node) -> list[Node]:
    """The records and classes of a file's top level and of its namespaces."""
    found: list[Node] = []
    pending = [root]
    while pending and len(found) < MAX_DECLARATIONS:
        holder = pending.pop()
        for child in holder.named_children[:MAX_DECLARATIONS]:
            if child.type in ("record_declaration", "class_declaration"):
                found.append(child)
            elif child.type in _NAMESPACES:
                pending.append(child.child_by_field_name("body") or child)
            elif child.type == "declaration_list" and holder.type in _NAMESPACES:
                pending.append(child)
    return found


def _assigned_parameters(constructor: Node) -> dict[str, int]:
    """`CodePath = codePath;` (or `this.CodePath = ...`) in a constructor's own body: the member
    each of its parameters sets, by the parameter's position."""
    params = constructor_parameters(constructor)
    body = constructor.child_by_field_name("body")
    assigned: dict[str, int] = {}
    for statement in body.named_children[:MAX_ARGUMENTS] if body is not None else []:
        expression = statement.named_children[0] if statement.type == "expression_statement" \
            and statement.named_children else None
        if expression is None or expression.type != "assignment_expression":
            continue
        left, right = expression.child_by_field_name("left"), expression.child_by_field_name("right")
        member = st.text(left).removeprefix("this.") if left is not None else ""
        if right is not None and right.type == "identifier" and st.text(right) in params and member.isidentifier():
            assigned[member] = params.index(st.text(right))
    return assigned
