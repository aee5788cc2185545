"""The defaults a module variable's type constraint gives: `optional(type, default)` attributes.

Terraform converts every value given to a module variable (by the module call, a `.tfvars` file
or the variable's own `default`) to the variable's `type`, and in that conversion an object
attribute declared `optional(T, default)` that is left out, or set to null, takes its default;
nested objects, and the elements of a `list`, `set` or `map` of objects, are converted the same
way. A module that says `enable = optional(bool, true)` and then `count = var.cfg.enable ? 1 : 0`
creates its function whenever the caller leaves `enable` out. Without this, static reading saw
"the object has no attribute enable": an unknown count, runtimes left unread.

A default is inserted already evaluated where the variable is declared (`evaluate_default`), so
a finding about it (a deprecated runtime) points at the `optional(...)` that gives it.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any, Callable

from reviewer.inventory.terraform.hcl import Expression
from reviewer.inventory.terraform.values import Literal, Structure, Value

# How deep type constraints nest before the rest is left as it is (a type is a few levels deep).
MAX_TYPE_DEPTH = 16
_COLLECTIONS = frozenset({"list", "set", "map"})
_MISSING = object()


def with_type_defaults(value: Value, type_constraint: Any, evaluate_default: Callable[[Any], Value],
                       depth: int = 0) -> Value:
    """`value` as the variable receives it once converted to `type_constraint` (see the module)."""
    if not isinstance(value, Structure) or not isinstance(type_constraint, Expression):
        return value
    filled = _Filler(evaluate_default).fill(value.value, type_constraint, depth)
    return value if filled is value.value else replace(value, value=filled)


class _Filler:
    def __init__(self, evaluate_default: Callable[[Any], Value]) -> None:
        self.evaluate_default = evaluate_default

    def fill(self, raw: Any, type_constraint: Any, depth: int) -> Any:
        """The raw value with the defaults of its type filled in; `raw` itself when none applies."""
        if depth > MAX_TYPE_DEPTH or not isinstance(type_constraint, Expression) or type_constraint.kind != "call":
            return raw
        kind, args = type_constraint.name, type_constraint.args
        if isinstance(raw, Structure):   # a default inserted above, itself an object to complete
            return with_type_defaults(raw, type_constraint, self.evaluate_default, depth + 1)
        if kind == "object" and isinstance(raw, dict) and args and isinstance(args[0], dict):
            return self._object(raw, args[0], depth)
        if kind in _COLLECTIONS and args:
            if isinstance(raw, dict) and kind == "map":
                return _replaced(raw, {key: self.fill(item, args[0], depth + 1) for key, item in raw.items()})
            if isinstance(raw, list) and kind in ("list", "set"):
                items = [self.fill(item, args[0], depth + 1) for item in raw]
                return raw if all(new is old for new, old in zip(items, raw, strict=True)) else _copy_list(raw, items)
        return raw

    def _object(self, raw: dict, attributes: dict, depth: int) -> dict:
        changed: dict[str, Any] = {}
        for name, attribute_type in attributes.items():
            inner_type, default = _optional(attribute_type)
            current = raw.get(name, _MISSING)
            if current is _MISSING or current is None or (isinstance(current, Literal) and current.value is None):
                if default is _MISSING:
                    continue
                changed[name] = self.fill(self.evaluate_default(default), inner_type, depth + 1)
            else:
                filled = self.fill(current, inner_type, depth + 1)
                if filled is not current:
                    changed[name] = filled
        return _replaced(raw, changed)


def _optional(attribute_type: Any) -> tuple[Any, Any]:
    """(the attribute's type, its default or _MISSING) of `optional(T, default)`, `optional(T)` or `T`."""
    if isinstance(attribute_type, Expression) and attribute_type.kind == "call" and attribute_type.name == "optional":
        args = attribute_type.args
        return (args[0] if args else None), (args[1] if len(args) >= 2 else _MISSING)
    return attribute_type, _MISSING


def _replaced(raw: dict, changed: dict[str, Any]) -> dict:
    """A copy of the mapping (its lines kept) with `changed` set; `raw` itself when nothing changes."""
    if not changed or all(raw.get(key, _MISSING) is value for key, value in changed.items()):
        return raw
    result = copy.copy(raw)
    result.update(changed)
    return result


def _copy_list(raw: list, items: list) -> list:
    result = copy.copy(raw)
    result[:] = items
    return result
