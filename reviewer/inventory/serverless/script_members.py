"""`custom.tableName` and `config['stage']` in a serverless.ts: which key of which object literal.

A TypeScript configuration often keeps its names in one object (`const custom = {...}`, a
`sls/custom.ts` module exporting it) and reads them by member access where a setting needs them
(`QueueName: custom.queueName`, `runtime: config.runtime`). The object is data written in the
repository, not something computed when the file runs, so the review reads the key it names; this
module answers the syntax questions (which key an access names, which value an object literal
gives it), and the script reader finds the object (`script.py`).
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import key_name

Node = tree_sitter.Node
# `a.b.c.d`: accesses followed through before giving up (each may hop to another module).
MAX_MEMBER_HOPS = 8
MEMBER_TYPES = frozenset({"member_expression", "subscript_expression"})


def member_key(node: Node) -> str | None:
    """The key `obj.key`, `obj?.key` or `obj['key']` reads; None for a computed index (`obj[name]`)."""
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return st.text(prop) if prop is not None and prop.type == "property_identifier" else None
    if node.type == "subscript_expression":
        index = st.unwrap(node.child_by_field_name("index"))
        return st.string_value(index) if index is not None and index.type == "string" else None
    return None


def literal_entry(literal: Node, key: str) -> Node | None:
    """The value the object literal `literal` gives `key`, as JavaScript would: the last entry
    written wins; a spread after it (`...defaults`) or a method or computed key may replace it, so
    the value is then unknown (None), as is a key the literal does not write."""
    found: Node | None = None
    for child in literal.named_children:
        if child.type == "pair":
            key_node = child.child_by_field_name("key")
            name = key_name(key_node) if key_node is not None else None
            if name is None:
                found = None        # `[computed]: value` may be this key
            elif name == key:
                found = child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and st.text(child) == key:
            found = child
        elif child.type == "spread_element" or (child.type == "method_definition" and _method_name(child) == key):
            found = None
    return found


def _method_name(method: Node) -> str | None:
    name = method.child_by_field_name("name")
    return key_name(name) if name is not None else None
