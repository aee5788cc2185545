"""What a spread in a construct's props adds when the reader cannot list its entries.

`...props.lambdaOverrides?.environment` spreads nothing when every caller's object literal,
written in full, has no `lambdaOverrides`: the function's environment is then the entries written
beside it, and no note should say otherwise. A spread the reader does follow but cannot read keeps
a note, in words that hold whatever stopped the reading (a value set in another file, a call it
does not follow), instead of claiming the value is written elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import IDENTIFIER_TYPES, MEMBER_TYPES, key_name, parts_of

if TYPE_CHECKING:
    from reviewer.inventory.cdk.values import Env, ValueReader

Node = tree_sitter.Node
MAX_MEMBER_PARTS = 5
MAX_HOPS = 4      # names followed to the object literal one step of the member names
OUTSIDE = "outside this file"


def absent_member(reader: ValueReader, node: Node, env: Env) -> bool:
    """Whether `a.b.c` names a property some object literal on the way provably lacks: `a` (or
    what `a.b` holds) is an object literal written in full, with no spread, computed key or
    method that could supply the missing name. Spreading it then adds nothing."""
    parts = parts_of(node)
    if not 2 <= len(parts) <= MAX_MEMBER_PARTS or parts[0] in ("this", "self"):
        return False
    bound = reader.follow_name(parts[0], env, near=node)
    for part in parts[1:]:
        value = _literal(reader, bound)
        if value is None:
            return False
        keys = _written_keys(value[0])
        if keys is None:
            return False
        if part not in keys:
            return True
        bound = (keys[part], value[1])
    return False


def spread_reason(reader: ValueReader, node: Node, inner: str) -> str:
    """The note for a spread whose entries are not read, in words true of why: a parameter of
    the construct or helper (what each call passes), a value set in another file, or an
    expression the reader does not follow, named with the file it is written in."""
    written = st.excerpt(st.text(node), 60)
    parts = parts_of(node)
    if parts and parts[0] in reader.open_params:
        return f"spread from `{written}` in {reader.rel}, which each call passes: not followed to its entries"
    if OUTSIDE in inner:
        return f"spread from `{written}`, which is not written in this file"
    return f"spread from `{written}` in {reader.rel}, not followed to its entries"


def _literal(reader: ValueReader, bound: tuple[Node, Env] | None) -> tuple[Node, Env] | None:
    """The object literal a bound value is, following names and members a few steps."""
    for _ in range(MAX_HOPS):
        if bound is None:
            return None
        node = st.unwrap(bound[0]) or bound[0]
        if node.type == "object":
            return node, bound[1]
        if node.type in IDENTIFIER_TYPES:
            bound = reader.follow_name(st.text(node), bound[1], near=node)
        elif node.type in MEMBER_TYPES:
            bound = reader.member_value(node, bound[1])
        else:
            return None
    return None


def _written_keys(node: Node) -> dict[str, Node] | None:
    """The properties of an object literal, each key to its value, when every one is written out
    (`key: v`, shorthand `key`); None when a spread, computed key or method could add others."""
    keys: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            name = key_name(key) if key is not None else None
            if name is None or value is None:
                return None
            keys[name] = value
        elif child.type == "shorthand_property_identifier":
            keys[st.text(child)] = child
        elif child.type != "comment":
            return None
    return keys
