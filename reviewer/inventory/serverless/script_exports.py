"""What a serverless.ts/js module exports and imports, read off its syntax tree alone.

The script reader (`script.py`) converts values; which expression a file hands the Framework
(`module.exports = ...`, `export default ...`; the service's literal an exported call is handed,
`serverlessSidecar(serverless)`), whether it exports only named members (a module
of the project that merely shares the name), whether that export is a class (a Serverless
Component), the names it imports and the names it re-exports from other modules are questions
about the file's top-level statements, answered here without following any value.
"""

from __future__ import annotations

from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import key_name
from reviewer.located import LocatedMap
from reviewer.findings import Finding
from reviewer.workspace import unread_declaration_notice

Node = tree_sitter.Node


def exported_expression(root: Node) -> Node | None:
    """The expression the file exports as its configuration, as written (not followed)."""
    for node in root.named_children:
        if node.type == "export_statement":
            value = node.child_by_field_name("value")
            if value is None and "default" in [c.type for c in node.children]:
                value = next((c for c in node.named_children if c.type not in ("decorator", "comment")), None)
            if value is None and st.text(node).startswith("export ="):
                value = node.named_children[-1] if node.named_children else None
            if value is not None:
                return value
        if node.type == "expression_statement" and node.named_children:
            assignment = node.named_children[0]
            if assignment.type == "assignment_expression" and \
                    "".join(st.text(assignment.child_by_field_name("left")).split()) == "module.exports":
                return assignment.child_by_field_name("right")
    return None


def wrapped_configuration(call: Node, follow: Callable[[Node | None], Node | None]) -> Node | None:
    """`module.exports = serverlessSidecar(serverless)`: the object literal the exported call is
    handed first (followed by `follow` through the file's names), which a helper of the project
    fills in and hands back; None when the call is handed no such literal (`merge(a(), b())`), or
    one that is no service (`createService({ stage: 'dev' })`, options of a factory)."""
    callee = call.child_by_field_name("function")
    arguments = st.arguments(call)
    if callee is None or callee.type not in ("identifier", "member_expression") or not arguments:
        return None
    argument = follow(arguments[0])
    if argument is None or argument.type != "object":
        return None
    keys = {key_name(key) for key in (pair.child_by_field_name("key") for pair in argument.named_children
                                      if pair.type == "pair") if key is not None}
    keys |= {st.text(child) for child in argument.named_children if child.type == "shorthand_property_identifier"}
    return argument if keys & {"service", "provider", "functions"} else None     # a service, not options


def wrapper_notice(rel: str, call: Node, configuration: LocatedMap) -> Finding:
    """LR904 for a configuration read from what the exported call is handed: what the call adds or
    changes is not read, the provider's settings among them (`sls.provider.runtime = '...'`), so
    a runtime the literal does not write is unknown rather than the Framework's default."""
    provider = configuration.get("provider")
    if isinstance(provider, LocatedMap) and "runtime" not in provider:
        provider.unread_spread = True    # type: ignore[attr-defined]   # its runtime may come from the call
    callee = st.text(call.child_by_field_name("function"))
    handed = st.excerpt(st.text(st.arguments(call)[0]))
    return unread_declaration_notice(
        rel, st.line(call), f"the exported configuration is `{st.excerpt(st.text(call))}`, which `{callee}` may change "
        "when the file runs", missing=f"the functions and settings are read from `{handed}`, what the call is handed, "
        "and what the call adds or changes (a runtime, plugins, permissions) is missing from this review")


def exports_members_only(root: Node) -> bool:
    """Whether the file exports only named members (`export type`, `export interface`, `export
    function checkStageAccess`, `export const x`, `export { a }`), none named `service`: a
    module of the project named serverless.ts (a configuration's types, a dev tool's helpers),
    not a service, which the Framework reads from the module's export (asked when no exported
    configuration was found). `export * from` may hand on anything, so it is not such a file."""
    exports = [node for node in root.named_children if node.type == "export_statement"]
    names: list[str] = []
    for node in exports:
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            declared = [declaration] if declaration.type != "lexical_declaration" else \
                [child for child in declaration.named_children if child.type == "variable_declarator"]
            names.extend(st.text(item.child_by_field_name("name")) for item in declared)
            continue
        clause = next((child for child in node.named_children if child.type == "export_clause"), None)
        if clause is None:
            return False     # `export * from './config'`
        for specifier in clause.named_children:
            alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
            names.append(st.text(alias))
    return bool(exports) and "service" not in names


def is_class(root: Node, node: Node) -> bool:
    """Whether the export is a class (`module.exports = SampleComponent`, declared `class
    SampleComponent extends Component`): a Serverless Components file named serverless.js,
    which the Components runtime instantiates; a service configuration is never a class."""
    if node.type in ("class", "class_declaration"):
        return True
    if node.type != "identifier":
        return False
    name = st.text(node)
    return any(child.type == "class_declaration" and st.text(child.child_by_field_name("name")) == name
               for child in root.named_children)


def re_exports(root: Node, name: str) -> list[tuple[str, str]]:
    """(module, name there) of each `export { x as name } from "m"` and `export * from "m"`."""
    found: list[tuple[str, str]] = []
    for node in root.named_children:
        source = node.child_by_field_name("source") if node.type == "export_statement" else None
        if source is None:
            continue
        specifier = st.string_value(source) or ""
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        if clause is None:
            if name != "default" and any(c.type == "*" for c in node.children):
                found.append((specifier, name))    # `export * from "m"` (never the default)
            continue
        for exported in clause.named_children:
            local, alias = exported.child_by_field_name("name"), exported.child_by_field_name("alias")
            if local is not None and st.text(alias or local) == name:
                found.append((specifier, st.text(local)))
    return found


def imported_names(root: Node) -> dict[str, tuple[str, str]]:
    """Each imported local name → (module specifier, exported name; `default` for a default import)."""
    imports: dict[str, tuple[str, str]] = {}
    for node in root.named_children:
        if node.type != "import_statement":
            continue
        specifier = st.string_value(node.child_by_field_name("source")) or ""
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        for child in clause.named_children if clause is not None else []:
            if child.type == "identifier":
                imports[st.text(child)] = (specifier, "default")
            elif child.type == "namespace_import" and child.named_children:
                imports[st.text(child.named_children[-1])] = (specifier, "*")
            elif child.type == "named_imports":
                for imported in child.named_children:
                    name, alias = imported.child_by_field_name("name"), imported.child_by_field_name("alias")
                    if name is not None:
                        imports[st.text(alias or name)] = (specifier, st.text(name))
    return imports
