"""Whether a Terraform value is text the repository fixes, or one a deployment may change.

`function_name = "tf-orders"` deploys under that name wherever the configuration is applied; so does
a template of such text, a `local` that is one, or the argument a module call passes as one.
A root module's variable is not: `-var`, `-var-file`, `TF_VAR_...` and each workspace's tfvars
replace its default (and `terraform.tfvars`) per deployment, so a name built from it is a name the
review worked out, which the account tie-in trusts less than a name the repository writes.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.terraform.hcl import Expression
from reviewer.inventory.terraform.values import Scope

MAX_DEPTH = 16


def written_in_repository(value: Any, scope: Scope, depth: int = 0) -> bool:
    """True when `value` is a quoted string, a template of such parts, a `local` that is one or a
    local module's input its call passes as one; False for anything else (a root variable, an
    iteration key, a function call, a resource attribute), and for what is nested too deep."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, str):
        return True
    if not isinstance(value, Expression):
        return False
    if value.kind == "template":
        return bool(value.args) and all(written_in_repository(part, scope, depth + 1) for part in value.args)
    if value.kind != "reference" or any(arg is not None for arg in value.args):
        return False
    parts = value.name.split(".")
    if len(parts) != 2 or scope.bound(parts[0]) is not None:
        return False
    instance = scope.instance
    if parts[0] == "local" and parts[1] in instance.module.locals:
        local, path = instance.module.locals[parts[1]]
        return written_in_repository(local, Scope(instance, path), depth + 1)
    if parts[0] == "var" and instance.call is not None and instance.caller is not None \
            and parts[1] in instance.call.attributes:
        return written_in_repository(instance.call.attributes[parts[1]], instance.call_scope(), depth + 1)
    return False
