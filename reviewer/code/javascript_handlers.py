"""Which functions of a JavaScript/TypeScript file Lambda can call: the ones it exports.

`exports.handler = ...`, `module.exports = {handler}`, `export const handler = ...`,
`export async function handler(...)`, and wrappers such as `middy(handler)`; the event is the
first parameter. Used by the LR306 reader to know where event data enters.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.handler_names import names_a_handler
from reviewer.code.javascript_wrappers import chained_receiver

Node = tree_sitter.Node
FUNCTIONS = frozenset({"function_expression", "arrow_function", "function", "function_declaration",
                       "generator_function", "generator_function_declaration", "method_definition"})
WRAPPERS = frozenset({"parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
                      "satisfies_expression", "type_assertion", "spread_element"})
EVENT_NAMES = frozenset({"event", "evt", "_event", "lambdaEvent", "e"})
MAX_HOPS = 6     # names and wrappers followed from an export to its function


def named(node: Node | None) -> list[Node]:
    return list(node.named_children) if node is not None else []


def unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def parameters_of(function: Node) -> list[Node]:
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        single = function.child_by_field_name("parameter")
        return [single] if single is not None else []
    found = []
    for child in parameters.named_children:
        if child.type in ("required_parameter", "optional_parameter"):
            pattern = child.child_by_field_name("pattern")
            found.append(pattern if pattern is not None else child)
        elif child.type == "assignment_pattern":
            left = child.child_by_field_name("left")
            found.append(left if left is not None else child)
        elif child.type not in ("comment",):
            found.append(child)
    return found


def exported_functions(root: Node) -> list[tuple[str, Node]]:
    """(export name, function node) for every function the module exports, in source order."""
    return [(name, function) for name, function in module_exports(root) if function is not None]


def module_exports(root: Node, through_calls: bool = True) -> list[tuple[str, Node | None]]:
    """(export name, function node or None) for every export of the module, in source order.

    None: the export's value is not a function this file writes (`exports.handler = app(x)` with
    `through_calls` off, a constant, a name bound to something else). `through_calls=False` is the
    strict reading of a caller that must know the exported function is exactly what Lambda calls:
    a wrapper (`middy(handler)`) may do anything with the event before the function sees it, and a
    name the file assigns again (`handler = wrap(handler)`) is no longer the function declared.
    """
    declared: dict[str, Node] = {}
    for statement in root.named_children:
        inner = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if inner is None:
            continue
        if inner.type in ("function_declaration", "generator_function_declaration"):
            name = inner.child_by_field_name("name")
            if name is not None:
                declared[st.text(name)] = inner
        elif inner.type in ("lexical_declaration", "variable_declaration"):
            for declarator in inner.named_children:
                name, value = declarator.child_by_field_name("name"), unwrap(declarator.child_by_field_name("value"))
                if name is not None and value is not None and (value.type in FUNCTIONS or value.type == "call_expression"):
                    declared[st.text(name)] = value     # a call: `const handler = co.wrap(function* ...)`
    if not through_calls:
        for reassigned in _reassigned(root):
            declared.pop(reassigned, None)

    def resolve(value: Node | None, hops: int = 0) -> Node | None:
        value = unwrap(value)
        if value is None or hops > MAX_HOPS:
            return None
        if value.type in FUNCTIONS:
            return value
        if value.type == "identifier":
            return resolve(declared.get(st.text(value)), hops + 1)
        if value.type == "call_expression" and through_calls:   # middy(handler), wrap(async (event) => ...)
            chained = chained_receiver(value)      # wrapper(handler).use(metrics)
            if chained is not None:
                return resolve(chained, hops + 1)
            arguments = named(value.child_by_field_name("arguments"))
            return resolve(arguments[0], hops + 1) if arguments else None
        return None

    found: list[tuple[str, Node | None]] = []
    for statement in root.named_children:
        if statement.type == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            if declaration is not None and declaration.type in ("function_declaration",
                                                                "generator_function_declaration"):
                name = declaration.child_by_field_name("name")
                found.append((st.text(name) if name else "default", declaration))
            elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
                for declarator in declaration.named_children:
                    target = resolve(declarator.child_by_field_name("value"))
                    name = declarator.child_by_field_name("name")
                    if name is not None:
                        found.append((st.text(name), target))
            elif declaration is None:
                value = statement.child_by_field_name("value")
                if value is not None:
                    found.append(("default", resolve(value)))
                for clause in statement.named_children:
                    if clause.type == "export_clause":
                        for specifier in clause.named_children:
                            local = specifier.child_by_field_name("name")
                            alias = specifier.child_by_field_name("alias") or local
                            if alias is not None:
                                found.append((st.text(alias), resolve(local)))
            continue
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        assignment = statement.named_children[0]
        if assignment.type != "assignment_expression":
            continue
        left = st.dotted(assignment.child_by_field_name("left"))
        right = assignment.child_by_field_name("right")
        if left.startswith(("exports.", "module.exports.")):
            found.append((left.rsplit(".", 1)[1], resolve(right)))
        elif left == "module.exports" and right is not None:
            right = unwrap(right)
            if right is not None and right.type == "object":
                for entry in right.named_children:
                    if entry.type == "pair":
                        key = entry.child_by_field_name("key")
                        target = resolve(entry.child_by_field_name("value"))
                        if key is not None:
                            found.append((st.string_value(key) or st.text(key), target))
                    elif entry.type == "shorthand_property_identifier":
                        found.append((st.text(entry), resolve(declared.get(st.text(entry)), 1)))
                    elif entry.type == "method_definition":
                        key = entry.child_by_field_name("name")
                        if key is not None:
                            found.append((st.text(key), entry))
            else:
                found.append(("default", resolve(right)))
    return found


def _reassigned(root: Node) -> set[str]:
    """The names an assignment anywhere in the file binds again (`handler = wrap(handler)`)."""
    names = set()
    for node in st.walk(root):
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = unwrap(node.child_by_field_name("left"))
            if left is not None and left.type == "identifier":
                names.add(st.text(left))
    return names


def handler_entries(root: Node, export: str | None = None) -> list[Node]:
    """The functions to read as handlers: the one a declaration names, or those that look like one.
    `Class.method`: a method of a class the file writes, which a caller's instance is handed
    event data through (reviewer/code/taint_javascript_classes.py)."""
    if export is not None and "." in export:
        class_name, _, method = export.partition(".")
        declaration = next((inner for statement in root.named_children
                            if (inner := statement.child_by_field_name("declaration")
                                if statement.type == "export_statement" else statement) is not None
                            and inner.type == "class_declaration"
                            and st.text(inner.child_by_field_name("name")) == class_name), None)
        function = class_method(declaration, method) if declaration is not None else None
        return [function] if function is not None and parameters_of(function) else []
    entries = []
    for name, function in exported_functions(root):
        params = parameters_of(function)
        if not params:
            continue
        if export is not None:
            if name == export:
                entries.append(function)
            continue
        first = params[0]
        if names_a_handler(name) or (first.type == "identifier" and st.text(first) in EVENT_NAMES):
            entries.append(function)
    return entries


def class_method(declaration: Node, method: str) -> Node | None:
    """The method `method` a class declaration writes (static or not), if it does."""
    for member in named(declaration.child_by_field_name("body")):
        name = member.child_by_field_name("name")
        if member.type == "method_definition" and name is not None and st.text(name) == method:
            return member
    return None
