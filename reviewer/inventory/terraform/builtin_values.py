"""What a Terraform built-in function call is given and gives back: its arguments, evaluated on
demand and within the evaluator's bounds (`Call`), and the small rules every function shares: a
number as Terraform converts it, a computed literal (declared by no line of its own), two values'
equality, and the reason an unknown operand makes the result unknown. `terraform.builtins` and the
modules of its function families (`terraform.builtin_collections`) read calls through these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.inventory.terraform.hcl import Expression
from reviewer.inventory.terraform.values import Literal, Scope, Structure, Unknown, Value

if TYPE_CHECKING:
    from reviewer.inventory.terraform.modules import Evaluator

MAX_COLLECTION_ITEMS = 2_000


def as_number(result: Value) -> int | float | None:
    """A number, or a string Terraform would convert to one, else None."""
    if isinstance(result, Literal) and not isinstance(result.value, bool):
        if isinstance(result.value, (int, float)):
            return result.value
        if isinstance(result.value, str):
            try:
                return int(result.value)
            except ValueError:
                try:
                    return float(result.value)
                except ValueError:
                    return None
    return None


def computed(value: Any, text: str) -> Literal:
    """A value computed by an operator or function: it is declared by no line of its own."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = "true" if value is True else "false" if value is False else "null" if value is None else str(value)
    return Literal(value, None, shown)


def unknown_of(expr: Expression, operands: list[Value]) -> Unknown:
    """Unknown with the first unknown operand's reason; an operand Terraform fails on (a null
    path, a missing attribute) fails the whole expression, so `try()` falls back from it too."""
    unknowns = [operand for operand in operands if isinstance(operand, Unknown)]
    reason = unknowns[0].reason if unknowns else f"computed by {expr.text}"
    return Unknown(reason, "${" + expr.text + "}", failed=any(operand.failed for operand in unknowns))


def values_equal(left: Value, right: Value) -> bool | None:
    if not (isinstance(left, Literal) and isinstance(right, Literal)):
        return None
    a, b = left.value, right.value
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b if (a is None or b is None) else (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False  # Terraform compares a string and a number as different values


class Call:
    """One call being evaluated: its arguments, evaluated on demand."""

    def __init__(self, evaluator: "Evaluator", expr: Expression, scope: Scope, depth: int, seen: frozenset[str]):
        self.evaluator, self.expr, self.scope, self.depth, self.seen = evaluator, expr, scope, depth, seen
        self.args = expr.args
        self.wrapped = "${" + expr.text + "}"

    def arg(self, index: int) -> Value:
        return self.evaluator.evaluate(self.args[index], self.scope, self.depth + 1, self.seen)

    def unknown(self, *operands: Value) -> Unknown:
        return unknown_of(self.expr, list(operands))

    def items(self, result: Value) -> list[Value] | None:
        """The evaluated items of a list, tuple or set value."""
        if isinstance(result, Structure) and isinstance(result.value, list):
            return [self.evaluator.evaluate(item, result.scope, self.depth + 1, self.seen)
                    for item in result.value[:MAX_COLLECTION_ITEMS]]
        return None

    def entries(self, result: Value) -> dict[str, Value] | None:
        if isinstance(result, Structure) and isinstance(result.value, dict):
            return {str(key): self.evaluator.evaluate(item, result.scope, self.depth + 1, self.seen)
                    for key, item in list(result.value.items())[:MAX_COLLECTION_ITEMS]}
        return None

    def structure(self, raw: Any) -> Structure:
        return Structure(raw, self.scope, self.expr.text)
