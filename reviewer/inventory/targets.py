"""What infrastructure values name, asked without knowing which format wrote them.

An analyzer that matches resources (the recursion check: is the queue a handler writes to the
queue that invokes it?) needs, for a value written in a template or configuration, the resource
it names; and for a function, the key other resources use for it. Each format's own spelling
(CloudFormation intrinsics in `cloudformation.names`, Terraform addresses in `terraform.reference`)
stays in its package; this module is the format-free door to them.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.cloudformation.deliveries import template_deliveries
from reviewer.inventory.cloudformation.names import TemplateNames, sub_template
from reviewer.inventory.cloudformation.nested_parameters import NestedParameters, PassedValue
from reviewer.inventory.cloudformation.reference import WRITTEN
from reviewer.inventory.interface import Delivery, Target
from reviewer.inventory.terraform.reference import interpolated_address, resource_address
from reviewer.model import Function

__all__ = ["Delivery", "NestedParameters", "PassedValue", "Target", "TemplateNames", "VARIABLE_NAMES", "WRITTEN",
           "deliveries", "function_key",
           "function_variables", "reference_scope", "resource_address", "value_target", "written_text"]

# `Function.properties` key: the variables of a CDK source file that hold the function's construct,
# each as `<file>#<variable>` (the spelling of `ResourceRef("cdk", ...)`), set by the CDK reader.
VARIABLE_NAMES = "VariableNames"


def value_target(names: TemplateNames, path: str, value: Any) -> Target:
    """A value as written in the file at `path` (an environment value, a subscription's endpoint):
    a literal name, an intrinsic function of that template, or a Terraform interpolation."""
    if isinstance(value, str):
        if "${" in value:
            named = names.logical_ids_named(path, value)
            if named:
                return Target("logical-id", named[0])
            address = interpolated_address(value)
            if address is not None:
                return Target("terraform", address)
            return Target("unresolved", f"{value!r}, which holds a variable static reading does not resolve")
        return Target("name", value)
    if isinstance(value, dict) and len(value) == 1:
        return names.intrinsic_target(path, value)
    return Target("unresolved", "a value that is not a name")


def deliveries(names: TemplateNames, path: str) -> list[Delivery]:
    """The resources declared in the document at `path` that pass their events on to a queue or
    topic. The documents a scan keeps are templates (SAM, CloudFormation, a serverless.yml's
    `resources:`, CDK's synthesized ones); Terraform's are listed by its reader per root module
    (`InventoryResult.deliveries`, keyed by `reference_scope`), since it keeps no documents."""
    return template_deliveries(path, names.resources(path), lambda value: value_target(names, path, value))


def reference_scope(function: Function) -> str:
    """Where the function's addresses mean something: a Terraform function's root module directory
    (the same address in two roots is two resources); empty for the other formats."""
    return str(function.properties.get("terraform_root", ""))


def template_path(function: Function) -> str:
    """The file whose resources the function's references name: its template, or, for a Serverless
    function declared in another file (`${file(./functions.yml)}`, a module a serverless.ts
    imports), its service's file, where `resources:` declares what `!GetAtt Outbox.Arn` names."""
    return str(function.properties.get("template_path") or function.location.path)


def function_key(function: Function) -> tuple[str, str, str]:
    """(scope, kind, value) by which other resources name the function itself: its logical id in
    its template, or its Terraform address in its root module."""
    if function.format == "terraform":
        return (reference_scope(function), "terraform",
                resource_address(str(function.properties.get("address") or function.name)))
    return (template_path(function), "logical-id", function.name)


def function_variables(function: Function) -> tuple[str, ...]:
    """The `<file>#<variable>` names a CDK app keeps the function under: another function's
    environment names it so (`TARGET: worker.functionName` is `ResourceRef("cdk", "<file>#worker")`),
    as it names a queue or a bucket. Empty for the other formats."""
    names = function.properties.get(VARIABLE_NAMES)
    return tuple(name for name in names if isinstance(name, str)) if isinstance(names, list) else ()


def written_text(value: Any) -> tuple[str, bool] | None:
    """The text a configuration value is written as, and whether it is a literal: a string (a
    literal), or the template of a value composed at deploy time (`Fn::Sub`: literal text around
    references, not a literal); None for anything else (booleans, numbers, references)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value, True
    template = sub_template(value)
    return (template, False) if template is not None else None
