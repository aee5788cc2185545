"""`import * as functions from '@functions/index'` in a serverless.ts: the names a module exports.

A service whose functions each live in their own folder often gathers them in an index that
re-exports each one (`export { default as hello } from './hello'`) and hands the whole module
to `functions:` through a namespace import. The namespace object has one key per named export of
the module (never its default export, as in JavaScript), so the review lists those names here,
each with the line that writes it, and the script reader reads each one's value as it reads any
other import (`script.py`). `export * from './more'` adds the names of that module, which this
module lists too when the reader hands it that module's syntax tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.serverless.value_sources import key_sources, mark_source
from reviewer.located import LocatedList, LocatedMap, LocatedStr

Node = tree_sitter.Node


@dataclass(frozen=True)
class ExportedName:
    """One key of a module's namespace object: its name and the line of the module that writes it."""

    name: str
    line: int


def exported_names(root: Node) -> tuple[list[ExportedName], list[str]]:
    """The names a module exports under its own name (`export const a`, `export { b }`,
    `export { default as c } from './c'`), in order, and the specifiers of its `export * from`
    statements, whose names the caller adds from those modules. `default` is left out: it is not
    a key of the namespace object a `functions:` mapping receives."""
    names: list[ExportedName] = []
    star_sources: list[str] = []
    for node in root.named_children:
        if node.type != "export_statement":
            continue
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            for declarator in declaration.named_children:
                declared = declarator.child_by_field_name("name")
                if declarator.type == "variable_declarator" and declared is not None and declared.type == "identifier":
                    names.append(ExportedName(st.text(declared), st.line(declared)))
            continue
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        if clause is None:
            source = node.child_by_field_name("source")
            if source is not None and any(c.type == "*" for c in node.children) \
                    and not any(c.type == "namespace_export" for c in node.named_children):
                star_sources.append(st.string_value(source) or "")
            continue
        for specifier in clause.named_children:
            local, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
            shown = alias or local
            if shown is not None and st.text(shown) != "default":
                names.append(ExportedName(st.text(shown), st.line(shown)))
    return names, star_sources


def namespace_object(reader: Any, setting: str, follow_star: bool) -> LocatedMap | None:
    """The namespace object of the module `reader` reads: one key per named export, at the line
    that names it (`key_sources` says in which module), its value read as an import's is; `export *
    from` adds that module's keys (when `follow_star`: not too many modules deep), the module's own
    names winning. None when it exports no name. The reader asks once per setting, each `export *`
    source once: hostile indexes repeating `export * from './b'` thousands of times, a few modules
    deep, multiplied the reading."""
    names, star_sources = exported_names(reader.root)
    mapping = LocatedMap()
    mapping.line, mapping.key_lines = (names[0].line if names else 1), {}
    for source in dict.fromkeys(star_sources) if follow_star else ():
        module = reader._module(source)
        inner = module.namespace(setting) if module is not None else None
        if module is None or inner is None:
            continue
        for key, value in inner.items():
            mapping[key] = value
            mapping.key_lines[key] = inner.line_of(key)
            key_sources(mapping)[key] = key_sources(inner).get(key, module.rel)
    for exported in names:
        found = reader.export_of(exported.name)
        if found is None:
            continue
        module, node = found
        value = module.convert(node, 0, f"{setting}.{exported.name}" if setting else exported.name)
        if isinstance(value, (LocatedMap, LocatedList, LocatedStr)):
            mark_source(value, module.rel)
        mapping[exported.name] = value
        mapping.key_lines[exported.name] = exported.line
        key_sources(mapping)[exported.name] = reader.rel
    return mapping if mapping else None
