"""The functions a JavaScript/TypeScript module exports whose result carries none of their arguments.

The taint reader reads one file. A call of a function of that file is read through its body
(`JavaScriptTaint.call_function`), so `getUser(body.email)` returns the user record it looks up,
not the email; a call of a function a relative import names was taken to return what it was
handed, since its body is in another file. Services written after the Serverless Stack guide
keep their table access in such a module:

    // libs/dynamodb-lib.js
    export default { get: (params) => client.get(params).promise(), query: (params) => ... };

and a handler's `await dynamoDb.get({ Key: { pk: body.email } })` was event data, so the user's
stored name put into a page or an e-mail was an LR306 error. This module reads such a module's
exported functions the same way the reader reads the file's own (each parameter holding data of
the caller), and names those whose result holds none of it: a call of one of them ends the flow
(`JavaScriptTaint.ending`), as a call of the file's own function would. What the function does
with its arguments inside is still read from the call that hands them over (`passed`).
"""

from __future__ import annotations

from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import FUNCTIONS, parameters_of, unwrap
from reviewer.code.taint_common import Flow, Val
from reviewer.code.taint_javascript import JavaScriptTaint
from reviewer.code.taint_javascript_classes import module_name

Node = tree_sitter.Node
MAX_EXPORTS = 40          # exported functions read per module
MAX_FIELD_DEPTH = 6
_MODULE_EXPORTS = ("module.exports", "exports")


def ending_exports(path: str, source: str | bytes, ending_of: Callable[[tuple[str, ...]], frozenset[str]]
                   ) -> frozenset[str]:
    """The names of the module's exported functions whose result holds no data of their
    arguments: `getUser` of `export const getUser = ...`, `get` of a default-exported object's
    member (a default import's `db.get`), "" for a default-exported function. `ending_of` gives
    the calls of the module's own relative imports that end data, read the same way."""
    tree = st.parse_file(path, source)
    if tree is None:
        return frozenset()
    root = tree.root_node
    exported = _exported_functions(root)
    if not exported:
        return frozenset()
    taint = JavaScriptTaint(path, root)
    taint.ending = ending_of(tuple(sorted(name for name in taint.imports if name.startswith("."))))
    found: set[str] = set()
    for name, function in exported[:MAX_EXPORTS]:
        parameters = parameters_of(function)
        if not parameters:
            continue     # takes nothing of the caller's: the reader's own rule already gives nothing
        handed = [Val(Flow(f"argument {index}", path, st.line(function))) for index in range(len(parameters))]
        try:
            result = taint.call_function(function, handed, 0, taint.module_env)
        except RecursionError:
            continue
        if _holds_nothing(result, 0):
            found.add(name)
    return frozenset(found)


def ending_calls(specifier: str, names: frozenset[str]) -> set[str]:
    """The qualified names the reader gives calls of `names` of the relative import `specifier`:
    `./libs/dynamodb-lib.get` (a member of its default export, or a named export), and
    `./libs/db` itself for its default-exported function."""
    module = module_name(specifier)
    return {f"{module}.{name}" if name else module for name in names}


def _holds_nothing(value: Val, depth: int) -> bool:
    if value.flow is not None or value.kind in ("event", "event-field") or depth > MAX_FIELD_DEPTH:
        return False
    return all(_holds_nothing(item, depth + 1) for _, item in value.fields or ())


def _exported_functions(root: Node) -> list[tuple[str, Node]]:
    """(name, function) of each function the module exports, ES or CommonJS."""
    found: list[tuple[str, Node]] = []
    for node in root.named_children:
        if node.type == "export_statement":
            found += _es_export(node)
        elif node.type == "expression_statement" and node.named_children:
            assignment = unwrap(node.named_children[0])
            if assignment is not None and assignment.type == "assignment_expression":
                found += _commonjs_export(assignment)
    return found


def _es_export(node: Node) -> list[tuple[str, Node]]:
    declaration = node.child_by_field_name("declaration")
    if declaration is not None and declaration.type == "function_declaration":
        name = declaration.child_by_field_name("name")
        return [(st.text(name), declaration)] if name is not None else []
    if declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
        pairs: list[tuple[str, Node]] = []
        for declarator in declaration.named_children:
            name, value = declarator.child_by_field_name("name"), unwrap(declarator.child_by_field_name("value"))
            if declarator.type == "variable_declarator" and name is not None and value is not None and \
                    value.type in FUNCTIONS:
                pairs.append((st.text(name), value))
        return pairs
    if "default" not in [child.type for child in node.children]:
        return []
    value = node.child_by_field_name("value") or next(
        (child for child in node.named_children if child.type not in ("decorator", "comment")), None)
    return _default_value(unwrap(value))


def _commonjs_export(assignment: Node) -> list[tuple[str, Node]]:
    """`module.exports = {...}` or `= function`, `exports.get = (p) => ...`."""
    target = "".join(st.text(assignment.child_by_field_name("left")).split())
    value = unwrap(assignment.child_by_field_name("right"))
    if target in _MODULE_EXPORTS:
        return _default_value(value)
    for prefix in _MODULE_EXPORTS:
        if target.startswith(prefix + ".") and target.count(".") == prefix.count(".") + 1 and \
                value is not None and value.type in FUNCTIONS:
            return [(target.rpartition(".")[2], value)]
    return []


def _default_value(value: Node | None) -> list[tuple[str, Node]]:
    """A default export's functions: itself (named "") or its object literal's members."""
    if value is None:
        return []
    if value.type in FUNCTIONS:
        return [("", value)]
    if value.type != "object":
        return []
    members: list[tuple[str, Node]] = []
    for child in value.named_children:
        if child.type == "pair":
            key, item = child.child_by_field_name("key"), unwrap(child.child_by_field_name("value"))
            if key is not None and key.type in ("property_identifier", "string") and item is not None and \
                    item.type in FUNCTIONS:
                members.append((st.string_value(key) or st.text(key), item))
        elif child.type == "method_definition":
            name = child.child_by_field_name("name")
            if name is not None and name.type == "property_identifier":
                members.append((st.text(name), child))
    return members
