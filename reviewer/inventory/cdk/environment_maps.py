"""The environment maps a CDK source file builds other than as one literal.

Two shapes the literal reader (`syntax.literal_entries`) does not see:

- keys named by a constant of an enum the file declares: Kotlin's `mapOf(ENV.source_bucket.name to
  bucket.bucketName)` and Java's `Map.of(Env.SOURCE_BUCKET.name(), ...)`, whose key is the
  constant's name (`enum_constant_name`);
- a map made in a local variable and then filled: Java's `Map<String, String> environment = new
  HashMap<>(); environment.put("LOG_LEVEL", "INFO");`, Kotlin's `mutableMapOf()` and
  `env["K"] = v`, C#'s `new Dictionary<string, string>()` with `Add` or `env["K"] = v`, Go's
  `map[string]*string{}` or `make(map[string]*string)` with `env["K"] = jsii.String(v)`
  (`filled_entries`). A change of the map that is not one of these (`putAll`, a key that is no
  literal) ends the reading there, and the map is said to be unread from that statement on.

Nothing is run: the statements of the function that makes the map (the file's top level for a
field), up to a bounded number of nodes, are read as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, as_call, enclosing_body, parts_of,
)

Node = tree_sitter.Node
MAX_SCOPE_NODES = 20000
# How a map is made empty (or from another map) to be filled statement by statement.
_KOTLIN_MAKERS = frozenset({"mutableMapOf", "hashMapOf", "linkedMapOf", "HashMap", "LinkedHashMap", "TreeMap"})
_MAP_TYPES = ("Map", "Dictionary")
_PUTS = frozenset({"put", "Add", "putIfAbsent", "TryAdd"})
# Calls that change a map in a way its keys cannot be read from.
_OTHER_CHANGES = frozenset({"putAll", "plusAssign", "merge", "compute", "computeIfAbsent", "remove", "clear",
                            "Remove", "Clear", "AddRange", "replaceAll"})
_ASSIGNMENTS = frozenset({"assignment", "assignment_expression", "assignment_statement"})
_INDEXED = frozenset({"index_expression", "element_access_expression", "indexing_expression"})


@dataclass
class Filled:
    """The entries statements add to a map after it is made: (key, key node, value) in order,
    and the first statement that changes it in a way that cannot be read (its line, as written)."""

    entries: list[tuple[str, Node, Node]] = field(default_factory=list)
    unread: tuple[int, str] | None = None


def enum_constants(root: Node) -> dict[str, frozenset[str]]:
    """Every enum the file declares (Java `enum Env { A }`, Kotlin `enum class ENV { a }`): name → constants."""
    found: dict[str, frozenset[str]] = {}
    for node in st.walk(root):
        if node.type in ("enum_declaration", "class_declaration"):
            constants = _enum_constants(node)
            if constants is not None:
                found[constants[0]] = constants[1]
    return found


def _enum_constants(node: Node) -> tuple[str, frozenset[str]] | None:
    name = node.child_by_field_name("name") or next((c for c in node.named_children if c.type == "identifier"), None)
    body = node.child_by_field_name("body") if node.type == "enum_declaration" else next(
        (c for c in node.named_children if c.type == "enum_class_body"), None)
    if name is None or body is None or (node.type == "enum_declaration" and body.type != "enum_body"):
        return None
    constants = [c.child_by_field_name("name") or next((n for n in c.named_children if n.type in IDENTIFIER_TYPES),
                                                       None)
                 for c in body.named_children if c.type in ("enum_constant", "enum_entry")]
    return st.text(name), frozenset(st.text(c) for c in constants if c is not None)


def enum_constant_name(node: Node, enums: dict[str, frozenset[str]]) -> str | None:
    """`ENV.source_bucket.name` (Kotlin) or `Env.SOURCE_BUCKET.name()` (Java) of an enum the file
    declares: the constant's name, which is what `name` gives; None for anything else."""
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None:
        if call.args or call.method != "name" or call.receiver is None:
            return None
        parts = parts_of(st.unwrap(call.receiver))
    elif node.type in MEMBER_TYPES:
        parts = parts_of(node)
        if parts[-1:] != ["name"]:
            return None
        parts = parts[:-1]
    else:
        return None
    return parts[1] if len(parts) == 2 and parts[1] in enums.get(parts[0], frozenset()) else None


def made_map(value: Node) -> tuple[bool, Node | None] | None:
    """Whether `value` makes a map to be filled afterwards: (True, the map it copies or None), or
    None for any other value. `new HashMap<>()`, `new HashMap<>(base)`, `mutableMapOf()`,
    `new Dictionary<string, string>()`, `map[string]*string{}`, `make(map[string]*string)`."""
    value = st.unwrap(value) or value
    if value.type == "composite_literal":
        kind = value.child_by_field_name("type")
        body = value.child_by_field_name("body")
        return (True, None) if kind is not None and kind.type == "map_type" and body is not None \
            and not body.named_children else None
    call = as_call(value) if value.type in CALL_TYPES else None
    if call is None or not call.callee:
        return None
    if value.type == "object_creation_expression":   # Java and C# `new HashMap<>()`
        kind = value.child_by_field_name("type")
        written = st.text(kind).split("<")[0].rsplit(".", 1)[-1] if kind is not None else ""
        if not written.endswith(_MAP_TYPES) or len(call.args) > 1 or _has_initializer(value):
            return None
        return True, (st.unwrap(call.args[0]) if call.args else None)
    if call.callee == ["make"] and call.args and call.args[0].type == "map_type":
        return True, None
    if call.receiver is None and call.callee[-1] in _KOTLIN_MAKERS and not call.args:
        return True, None
    return None


def _has_initializer(node: Node) -> bool:
    return any(c.type == "initializer_expression" for c in node.named_children)


def filled_entries(name: str, value: Node, key_of: Callable[[Node], str | None]) -> Filled:
    """What the statements after `value` (the map `name` is made as) add to it in the function that
    makes it (the file, for a field), in source order; `key_of` reads a key that is no literal."""
    filled = Filled()
    scope = enclosing_body(value) or _root(value)
    for count, node in enumerate(st.walk(scope)):
        if count > MAX_SCOPE_NODES:
            filled.unread = filled.unread or (st.line(value), f"filled by more statements than are read after "
                                                              f"`{name}` is made")
            break
        if node.start_byte < value.end_byte or filled.unread is not None:
            continue
        if node.type in _ASSIGNMENTS:
            target = node.child_by_field_name("left")
            target = target.named_children[0] if target is not None and target.type == "expression_list" \
                and len(target.named_children) == 1 else target
            if target is None or target.type not in _INDEXED or _indexed_name(target) != name:
                continue
            key_node = _index(target)
            right = node.child_by_field_name("right")
            right = right.named_children[0] if right is not None and right.type == "expression_list" \
                and len(right.named_children) == 1 else right
            key = key_of(key_node) if key_node is not None else None
            if key is None or right is None:
                filled.unread = (st.line(node), f"filled by `{st.excerpt(st.text(node), 60)}`")
            else:
                filled.entries.append((key, key_node, right))   # type: ignore[arg-type]
            continue
        call = as_call(node) if node.type in CALL_TYPES else None
        receiver = st.unwrap(call.receiver) if call is not None and call.receiver is not None else None
        if call is None or receiver is None or receiver.type not in IDENTIFIER_TYPES or st.text(receiver) != name:
            continue
        if call.method in _PUTS and len(call.args) == 2:
            key_node = st.unwrap(call.args[0]) or call.args[0]
            key = key_of(key_node)
            if key is None:
                filled.unread = (st.line(node), f"filled by `{st.excerpt(st.text(node), 60)}`")
            else:
                filled.entries.append((key, key_node, call.args[1]))
        elif call.method in _OTHER_CHANGES:
            filled.unread = (st.line(node), f"filled by `{st.excerpt(st.text(node), 60)}`")
    return filled


def _indexed_name(node: Node) -> str | None:
    held = node.child_by_field_name("operand") or node.child_by_field_name("expression") or (
        node.named_children[0] if node.named_children else None)
    return st.text(held) if held is not None and held.type in IDENTIFIER_TYPES else None


def _index(node: Node) -> Node | None:
    index = node.child_by_field_name("index") or node.child_by_field_name("subscript")
    if index is None and len(node.named_children) >= 2:
        index = node.named_children[1]
    if index is not None and index.type == "bracketed_argument_list" and index.named_children:
        index = index.named_children[0]
    return st.unwrap(index) if index is not None else None


def _root(node: Node) -> Node:
    current = node
    for parent in st.ancestors(node):
        current = parent
    return current


__all__ = ["Filled", "enum_constant_name", "enum_constants", "filled_entries", "made_map"]
