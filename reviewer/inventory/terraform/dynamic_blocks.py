"""Nested blocks a `dynamic` block writes, one per entry of its `for_each`, with its iterator bound.

`dynamic "lambda_function" { for_each = var.triggers  content { events = lambda_function.value.x } }`
writes one `lambda_function` block per trigger; read once with the iterator unbound, every value
of `content` would stay unknown (a module that configures a bucket's notifications from a map of
triggers said none was configured). Unlike a resource's `for_each`, a dynamic block's takes a list
of objects too: its iterator's `key` is then the index. At most `MAX_EXPANSION` entries are read
one by one; beyond that, or when the collection is not known statically, `content` is read once
with the iterator unbound, as before.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.terraform.count import MAX_EXPANSION
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.modules import Evaluator
from reviewer.inventory.terraform.values import Literal, Scope, Structure


def nested_blocks(evaluator: Evaluator, block: Block, type_: str, scope: Scope) -> list[tuple[Block, Scope]]:
    """The `type_` blocks inside `block`, written or made by `dynamic "type_"`, each with the scope
    its values are evaluated in (the file's, and the iterator of its `for_each` entry)."""
    found = [(nested, scope.at(nested.path)) for nested in block.blocks if nested.type == type_]
    for dynamic in block.blocks:
        if dynamic.type != "dynamic" or dynamic.labels[:1] != (type_,):
            continue
        contents = [nested for nested in dynamic.blocks if nested.type == "content"]
        entries = _entries(evaluator, dynamic, scope.at(dynamic.path))
        name = _iterator_name(dynamic, type_)
        for content in contents:
            inner = scope.at(content.path)
            if entries is None:
                found.append((content, inner))
                continue
            found.extend((content, Scope(inner.instance, inner.path, inner.iteration,
                                         inner.bindings + ((name, entry),))) for entry in entries)
    return found


def _entries(evaluator: Evaluator, dynamic: Block, scope: Scope) -> list[Structure] | None:
    """Each entry of the `for_each` as the iterator object (`key`, `value`), or None when the
    collection is unknown or larger than is read one by one."""
    collection = evaluator.evaluate(dynamic.get("for_each"), scope)
    if not isinstance(collection, Structure):
        return None
    raw = collection.value
    pairs: list[tuple[Any, Any]]
    if isinstance(raw, dict):
        pairs = list(raw.items())[:MAX_EXPANSION + 1]
    elif isinstance(raw, list):
        pairs = list(enumerate(raw[:MAX_EXPANSION + 1]))
    else:
        return None
    if len(pairs) > MAX_EXPANSION:
        return None
    return [Structure({"key": Literal(key, None, str(key)),
                       "value": evaluator.evaluate(item, collection.scope)}, collection.scope, dynamic.labels[0])
            for key, item in pairs]


def _iterator_name(dynamic: Block, type_: str) -> str:
    """The iterator's name: `iterator = trigger`, or by default the block type's."""
    written = dynamic.get("iterator")
    if isinstance(written, Expression) and written.kind == "reference" and written.name \
            and "." not in written.name:
        return written.name
    if isinstance(written, str) and written.isidentifier():
        return written
    return type_
