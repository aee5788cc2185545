"""Terraform's collection functions over statically known lists and maps: `concat`, `merge`,
`length`, `contains`, `element`, `keys` and `one`. What they cannot compute exactly (an unknown
collection, a type Terraform would reject) is `Unknown` with the reason, never a guess.
"""

from __future__ import annotations

from typing import Callable

from reviewer.inventory.terraform.builtin_values import Call, as_number, computed, values_equal
from reviewer.inventory.terraform.values import Literal, Structure, Value
from reviewer.located import LocatedList, LocatedMap


def _concat(c: Call) -> Value:
    merged = LocatedList()
    merged.line, merged.item_lines = c.expr.line, []
    for index in range(len(c.args)):
        result = c.arg(index)
        items = c.items(result)
        if items is None:
            return c.unknown(result)
        lines = getattr(result.value, "item_lines", []) if isinstance(result, Structure) else []
        merged.extend(items)
        merged.item_lines.extend(lines[:len(items)] + [c.expr.line] * (len(items) - len(lines[:len(items)])))
    return c.structure(merged)


def _merge(c: Call) -> Value:
    merged = LocatedMap()
    merged.line, merged.key_lines = c.expr.line, {}
    for index in range(len(c.args)):
        result = c.arg(index)
        if isinstance(result, Literal) and result.value is None:
            continue
        entries = c.entries(result)
        if entries is None:
            return c.unknown(result)
        raw = result.value if isinstance(result, Structure) else {}
        for key, value in entries.items():
            merged[key] = value
            merged.key_lines[key] = raw.line_of(key) if isinstance(raw, LocatedMap) else c.expr.line
    return c.structure(merged)


def _length(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    result = c.arg(0)
    if isinstance(result, Structure) and isinstance(result.value, (list, dict)):
        return computed(len(result.value), c.expr.text)
    if isinstance(result, Literal) and isinstance(result.value, str):
        return computed(len(result.value), c.expr.text)
    return c.unknown(result)


def _contains(c: Call) -> Value:
    if len(c.args) != 2:
        return c.unknown()
    items, wanted = c.items(c.arg(0)), c.arg(1)
    if items is None or not isinstance(wanted, Literal):
        return c.unknown(c.arg(0), wanted)
    answers = [values_equal(item, wanted) for item in items]
    if any(answers):
        return computed(True, c.expr.text)
    if all(answer is False for answer in answers):
        return computed(False, c.expr.text)
    return c.unknown(*items)


def _element(c: Call) -> Value:
    if len(c.args) != 2:
        return c.unknown()
    items, index = c.items(c.arg(0)), as_number(c.arg(1))
    if not items or index is None:
        return c.unknown(c.arg(0), c.arg(1))
    return items[int(index) % len(items)]


def _keys(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    result = c.arg(0)
    if isinstance(result, Structure) and isinstance(result.value, dict):
        keys = LocatedList(sorted(str(key) for key in result.value))
        keys.line, keys.item_lines = c.expr.line, []
        return c.structure(keys)
    return c.unknown(result)


def _one(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    items = c.items(c.arg(0))
    if items is None or len(items) > 1:
        return c.unknown(c.arg(0))
    return items[0] if items else computed(None, c.expr.text)


COLLECTION_FUNCTIONS: dict[str, Callable[[Call], Value]] = {
    "concat": _concat, "merge": _merge, "length": _length, "contains": _contains, "element": _element,
    "keys": _keys, "one": _one,
}
