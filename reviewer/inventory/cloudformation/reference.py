"""How a CloudFormation template names a resource: `!Ref X`, `!GetAtt X.Arn`, a name or an ARN.

The one resolver of CloudFormation references, shared by the template reader and its events
(SAM events, bucket notifications, subscriptions, rules), so neither imports the other.
Serverless has its own (`serverless.events`): it also reads `${...}` variables and the
`Fn::GetAtt: X.Arn` string form.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.cloudformation.conditions import NO_VALUE, alternatives, is_choice
from reviewer.model import ResourceRef


def literal_text(value: Any) -> str | None:
    """A plain scalar as text; None for intrinsic functions, mappings and lists."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def reference(value: Any) -> ResourceRef | None:
    """A CloudFormation value naming a resource: `!Ref X` / `!GetAtt X.Arn` → logical id X."""
    if value is None:
        return None
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return ResourceRef("logical-id", str(argument))
        if function == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return ResourceRef("logical-id", str(argument[0]))
        return ResourceRef("unresolved", f"computed by {function}")
    literal = literal_text(value)
    if literal is None:
        return ResourceRef("unresolved", "not a scalar")
    return ResourceRef("arn" if literal.startswith("arn:") else "name", literal)


def references(value: Any) -> list[ResourceRef | None]:
    """The resources a value may name: one for each branch of an `Fn::If` (`!If [UseKinesis,
    !GetAtt Stream.Arn, !GetAtt Queue.Arn]`), a branch that is `AWS::NoValue` naming none;
    `[reference(value)]` for anything else."""
    return [found for found, _ in reference_choices(value)]


def reference_choices(value: Any) -> list[tuple[ResourceRef | None, Any]]:
    """`references(value)`, each with the branch of the value it was read from."""
    branches = alternatives(value) if is_choice(value) else None
    if branches is None:
        return [(reference(value), value)]
    found = [(reference(branch), branch) for branch in branches if branch is not NO_VALUE]
    return found or [(None, None)]


# `Trigger.attributes` key: the value a trigger's resource is written as when `reference` could
# not follow it (`Queue: !Sub "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${JobsQueueName}"`),
# for the loop check, which reads it through the template's parameters and names.
WRITTEN = "written"


def written_attribute(found: ResourceRef | None, value: Any) -> dict[str, Any]:
    """`{WRITTEN: value}` for a reference computed by an intrinsic function; else nothing."""
    if found is not None and found.kind == "unresolved" and isinstance(value, dict):
        return {WRITTEN: value}
    return {}
