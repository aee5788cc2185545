"""Settings a serverless.ts writes into its configuration object after declaring it.

Some services declare the configuration with an empty `functions: {}` and fill it statement by
statement below the literal, before exporting it:

    serverlessConfiguration.functions = { ...serverlessConfiguration.functions, express: express(...) };
    if (stage === "dev") { serverlessConfiguration.functions = { ...serverlessConfiguration.functions, oauth: ... }; }
    module.exports = serverlessConfiguration;

The Framework loads the object as it stands once the module has run, so those functions are
deployed; read from the literal alone, the service had none. This module finds such assignments
among the file's top-level statements (and the blocks of its top-level `if`s: a setting written
for one stage is still deployed there), in the order written, and applies them to the converted
configuration; the value itself is converted by the script reader (`script.py`), with its lines.
An assignment the review cannot place (in a loop, under a computed key: `config.functions[name]`)
is said as a value computed when the file runs, so the functions it may add are never silently
missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import IDENTIFIER_TYPES, key_name
from reviewer.inventory.serverless.script_members import MEMBER_TYPES, member_key
from reviewer.located import LocatedMap

Node = tree_sitter.Node
MAX_BLOCK_DEPTH = 4      # `if` inside `if`: deeper blocks are not read
MAX_KEYS = 8             # `config.a.b.c...`: a longer path is not a setting of the Framework
MAX_ASSIGNMENTS = 200
_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


@dataclass(frozen=True)
class Assignment:
    """`config.functions = value`: the key path written, the value, and whether it can be placed."""

    keys: tuple[str, ...]    # ("functions",), ("provider", "region"); the known part when unplaceable
    target: Node             # the left-hand side, for its line and text
    value: Node
    placeable: bool          # False in a loop or under a computed key: its effect is unknown


def configuration_name(exported: Node) -> str | None:
    """The name of the object the file exports (`module.exports = serverlessConfiguration`), or
    that the exported call is handed (`withDefaults(service)`); None for an exported literal."""
    node = st.unwrap(exported)
    if node is not None and node.type == "call_expression":
        arguments = st.arguments(node)
        node = st.unwrap(arguments[0]) if arguments else None
    return st.text(node) if node is not None and node.type == "identifier" else None


def assignments(root: Node, name: str) -> list[Assignment]:
    """The assignments to members of `name` among the file's top-level statements, in order."""
    found: list[Assignment] = []
    _collect(root, name, found, 0, in_loop=False)
    return found


def _collect(block: Node, name: str, found: list[Assignment], depth: int, in_loop: bool) -> None:
    for statement in block.named_children:
        if len(found) >= MAX_ASSIGNMENTS:
            return
        if statement.type == "expression_statement":
            expression = st.unwrap(statement.named_children[0]) if statement.named_children else None
            if expression is not None and expression.type == "assignment_expression":
                assignment = _assignment(expression, name, in_loop)
                if assignment is not None:
                    found.append(assignment)
        elif depth < MAX_BLOCK_DEPTH and statement.type in ("if_statement", "else_clause", "statement_block"):
            _collect(statement, name, found, depth + 1, in_loop)
        elif depth < MAX_BLOCK_DEPTH and statement.type in _LOOPS:
            body = statement.child_by_field_name("body")
            if body is not None:
                _collect(body if body.type == "statement_block" else statement, name, found, depth + 1, True)


def _assignment(expression: Node, name: str, in_loop: bool) -> Assignment | None:
    target, value = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    if target is None or value is None:
        return None
    keys: list[str] = []
    computed = False
    node = st.unwrap(target)
    while node is not None and node.type in MEMBER_TYPES and len(keys) <= MAX_KEYS:
        key = member_key(node)
        if key is None:
            keys.clear()        # `config.functions[name]`: only the keys above it are known
            computed = True
        else:
            keys.insert(0, key)
        node = st.unwrap(node.child_by_field_name("object"))
    if node is None or node.type != "identifier" or st.text(node) != name or (not keys and not computed):
        return None
    return Assignment(tuple(keys), target, value, placeable=not computed and not in_loop)


def apply(configuration: LocatedMap, found: list[Assignment], convert: Callable[[Node, str], Any],
          unplaceable: Callable[[Node, str], object]) -> None:
    """Write each assignment into `configuration`, as running the file would: the value replaces
    the setting, or adds its keys to it when it spreads the setting itself (`{ ...config.functions,
    express }`); `convert` reads a value at a setting, `unplaceable` says one the review cannot place.
    A choice between two such objects (`stage === "local" ? { ...config.custom, a } : { ...config.custom,
    b }`) writes both, in order, as both blocks of an `if` are."""
    for assignment in found:
        setting = ".".join(assignment.keys)
        if not assignment.placeable or not assignment.keys:
            unplaceable(assignment.target, setting)
            continue
        holder = _holder(configuration, assignment.keys[:-1], assignment.target)
        if holder is None:
            continue     # under a value that is no mapping (already said as computed)
        key = assignment.keys[-1]
        for written in _choices(assignment.value, assignment.target):
            value = convert(written, setting)
            current = holder.get(key)
            if isinstance(value, LocatedMap) and isinstance(current, LocatedMap) and \
                    _spreads(written, assignment.target):
                value = _merged(current, value, st.unwrap(written) or written)
            holder[key] = value
        holder.key_lines[key] = st.line(assignment.target)


def _choices(value: Node, target: Node) -> list[Node]:
    """The values an assignment writes: the two objects of a conditional when each spreads the
    setting it is assigned to (each adds to it), else the value itself."""
    chosen = st.unwrap(value)
    if chosen is None or chosen.type != "ternary_expression":
        return [value]
    branches = [chosen.child_by_field_name("consequence"), chosen.child_by_field_name("alternative")]
    if any(branch is None or not _spreads(branch, target) for branch in branches):
        return [value]
    return [branch for branch in branches if branch is not None]


def _holder(configuration: LocatedMap, keys: tuple[str, ...], target: Node) -> LocatedMap | None:
    """The mapping the last key is written into, made where the path does not exist yet."""
    holder = configuration
    for key in keys:
        inner = holder.get(key)
        if inner is None and key not in holder:
            inner = LocatedMap()
            inner.line, inner.key_lines = st.line(target), {}
            holder[key] = inner
            holder.key_lines[key] = st.line(target)
        if not isinstance(inner, LocatedMap):
            return None
        holder = inner
    return holder


def _spreads(value: Node, target: Node) -> bool:
    """Whether the object literal `value` spreads the very setting it is assigned to."""
    literal = st.unwrap(value)
    if literal is None or literal.type != "object":
        return False
    written = _plain(target)
    return any(child.type == "spread_element" and child.named_children and _plain(child.named_children[0]) == written
               for child in literal.named_children)


def _merged(current: LocatedMap, value: LocatedMap, literal: Node) -> LocatedMap:
    """`current` with what the object literal adds: the keys it writes, and those of other spreads it
    holds that `current` lacks (a key only the self-spread gave keeps its current value)."""
    entries = literal.named_children
    written = {key_name(key) for key in (child.child_by_field_name("key") for child in entries
                                         if child.type == "pair") if key is not None}
    written |= {st.text(child) for child in entries if child.type == "shorthand_property_identifier"}
    merged = LocatedMap(current)
    merged.line, merged.key_lines = current.line, dict(current.key_lines)
    for attribute in ("key_sources", "source_path", "unread_spread"):
        if hasattr(current, attribute):
            setattr(merged, attribute, getattr(current, attribute))
    sources = getattr(value, "key_sources", {})
    for key, item in value.items():
        if key in written or key not in current:
            merged[key] = item
            merged.key_lines[key] = value.line_of(key)
            if key in sources:
                merged.key_sources = {**getattr(merged, "key_sources", {}), key: sources[key]}  # type: ignore[attr-defined]
    return merged


def _plain(node: Node | None) -> str:
    """An access as written, without type assertions or spaces: `config.functions`."""
    parts: list[str] = []
    current = st.unwrap(node)
    while current is not None and current.type in MEMBER_TYPES and len(parts) <= MAX_KEYS:
        parts.insert(0, member_key(current) or "[?]")
        current = st.unwrap(current.child_by_field_name("object"))
    if current is None or current.type not in IDENTIFIER_TYPES:
        return ""
    return ".".join([st.text(current), *parts])
