"""`count` and `for_each`: how many instances of a resource or module call Terraform creates.

A function behind `count = var.create ? 1 : 0` whose flag is false is never created, and must not
be reviewed (one whose condition only the plan decides, `terraform.workspace == "prod" ? 1 : 0`, is
the one instance of the environments that make it); a module called `for_each = local.functions` creates one function per entry, each with
its own runtime. What static reading cannot count (a `for_each` over a resource's output) is read
once, and the reason is kept so the review can say so.
"""

from __future__ import annotations

import json
from typing import Any

from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.modules import Evaluator
from reviewer.inventory.terraform.values import Iteration, Literal, Reference, Scope, Structure, Unknown, display

MAX_EXPANSION = 64  # instances of one block; beyond this, it is read once


def iterations(evaluator: Evaluator, block: Block, scope: Scope) -> list[Iteration]:
    """The instances of `block`: none (never created), one per count/for_each entry, or a single
    instance whose `unknown` says why the number cannot be known."""
    attributes = block.attributes
    if "count" in attributes:
        return _count(evaluator, attributes["count"], scope)
    if "for_each" in attributes:
        return _for_each(evaluator, attributes["for_each"], scope)
    return [Iteration()]


def switched_off_by_default(evaluator: Evaluator, block: Block, scope: Scope) -> str | None:
    """For a block that makes no instance: its `count` when only the defaults of the root module's
    variables make it 0 (`count = var.enable_reporter ? 1 : 0`, default false), a feature another
    environment switches on with `-var-file` or `TF_VAR_`; None when it makes none whatever they
    are set to (`count = 0`, a value `terraform.tfvars` gives). A `for_each` over an empty default
    (`var.items`, `{}`) is an input left to callers, not a switch: a wrapper module's."""
    if "count" not in block.attributes:
        return None
    value = block.attributes["count"]
    evaluator.plan_time_roots = True
    try:
        result = evaluator.evaluate(value, scope)
    finally:
        evaluator.plan_time_roots = False
    # The only change from the reading that made no instance is the roots' defaults left unknown:
    # a count still known does not depend on them.
    if _whole_number(result) is not None:
        return None
    return f"count = {getattr(value, 'text', value)}"


def _count(evaluator: Evaluator, value: Any, scope: Scope) -> list[Iteration]:
    result = evaluator.evaluate(value, scope)
    number = _whole_number(result)
    if number is not None:
        count = number
        if count <= 0:
            return []
        if count == 1:  # the `create ? 1 : 0` idiom: the address stays the one people write
            return [Iteration(index=0)]
        if count <= MAX_EXPANSION:
            return [Iteration(index=index, suffix=f"[{index}]") for index in range(count)]
        return [Iteration(unknown=f"count is {count}, more instances than are read one by one")]
    if isinstance(result, Literal) and result.value is None:
        return [Iteration(index=0)]  # count = null means one instance
    if isinstance(result, Unknown) and result.zero_or_one:
        # `local.is_live ? 1 : 0` with the condition known only at plan time: the one instance of
        # the environments that make it, reviewed once as it would be deployed, and nothing to say
        return [Iteration(index=0)]
    return [Iteration(unknown=f"count {_why(result)}")]


def _for_each(evaluator: Evaluator, value: Any, scope: Scope) -> list[Iteration]:
    result = evaluator.evaluate(value, scope)
    if isinstance(result, Structure) and isinstance(result.value, dict):
        entries = list(result.value.items())
        if len(entries) > MAX_EXPANSION:
            return [Iteration(unknown=f"for_each has {len(entries)} entries, more than are read one by one")]
        return [Iteration(key=Literal(str(key), None, str(key)),
                          value=evaluator.evaluate(item, result.scope), suffix=f"[{json.dumps(str(key))}]")
                for key, item in entries]
    if isinstance(result, Structure) and isinstance(result.value, list):
        items = [evaluator.evaluate(item, result.scope) for item in result.value[:MAX_EXPANSION + 1]]
        if len(items) > MAX_EXPANSION:
            return [Iteration(unknown=f"for_each has more than {MAX_EXPANSION} entries")]
        keys = [item for item in items if isinstance(item, Literal) and isinstance(item.value, str)]
        if len(keys) != len(items):
            unknown = next((item for item in items if not isinstance(item, Literal)), None)
            return [Iteration(unknown=f"for_each {_why(unknown) if unknown else 'holds values that are not strings'}")]
        distinct = {key.value: key for key in keys}  # a set: duplicates are one instance
        return [Iteration(key=key, value=key, suffix=f"[{json.dumps(name)}]") for name, key in distinct.items()]
    return [Iteration(unknown=f"for_each {_why(result)}")]


def _whole_number(result: Any) -> int | None:
    """A count: a number, or a string of digits (Terraform converts `count = "1"`)."""
    if isinstance(result, Literal) and not isinstance(result.value, bool):
        if isinstance(result.value, (int, float)):
            return int(result.value)
        if isinstance(result.value, str) and result.value.strip().isdigit():
            return int(result.value.strip())
    return None


def _why(result: Any) -> str:
    if isinstance(result, Unknown):
        return f"is not known statically ({result.reason})"
    if isinstance(result, Reference):
        return f"depends on {result.text}, known only when Terraform plans"
    return f"is {display(result)}, not a number or a collection static reading can count"


__all__ = ["iterations", "switched_off_by_default", "MAX_EXPANSION"]
