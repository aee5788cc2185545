"""How a serverless.yml names a resource: a name, an ARN, `!Ref X` / `!GetAtt X.Arn` (list or `X.Arn`
string), or a `${...}` variable left unresolved. Serverless's own resolver; CloudFormation's is
`cloudformation.reference`, which reads neither variables nor the string form of `Fn::GetAtt`.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.model import ResourceRef


def reference_of(value: Any) -> ResourceRef | None:
    """A target written as a name, an ARN, `!Ref X` / `!GetAtt X.Arn`, or an unresolved variable."""
    if value is None:
        return None
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return ResourceRef("logical-id", str(argument))
        if function == "Fn::GetAtt":
            if isinstance(argument, list) and argument:
                return ResourceRef("logical-id", str(argument[0]))
            if isinstance(argument, str):
                return ResourceRef("logical-id", argument.split(".", 1)[0])
        return ResourceRef("unresolved", f"computed by {function}")
    if isinstance(value, str):
        if "${" in value:
            return ResourceRef("unresolved", str(value))
        return ResourceRef("arn" if value.startswith("arn:") else "name", str(value))
    return ResourceRef("unresolved", "not a scalar")


def logical_id_of(value: Any) -> str | None:
    reference = reference_of(value)
    if reference is not None and reference.kind == "logical-id":
        return reference.value
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9]+", value):
        return str(value)  # `role: MyCustomRole`: Serverless reads a bare word as a logical id
    return None
