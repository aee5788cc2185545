"""IAM policy documents → PolicyStatement, whichever format wrote them.

A statement's `Action`/`Resource` may be one string or a list, and a document's `Statement` one
mapping or a list; values that are not plain strings (CloudFormation intrinsics, Terraform
references) are rendered as text by the caller's `render`, so `"*"` always stays exactly `"*"`.
A `Resource` that names a deploy-time input whose default is `*` (a parameter, a root variable) is
`*` when deployed as is: the caller's `wildcard_default` recognises it, and the statement keeps it
as `*` with the input it came from (`PolicyStatement.defaulted_wildcards`). Each `Resource` value's
service is kept beside it (`PolicyStatement.resource_services`): a literal ARN's by `arn_service`,
a reference's by the caller's `resource_service` when its format can tell.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from reviewer.model import DefaultedWildcard, Location, PolicyStatement

Render = Callable[[Any], str]
# The input a written `Resource` value names when that input's default is `*`, else None.
WildcardDefault = Callable[[Any], "DefaultedWildcard | None"]
# The IAM service of a `Resource` value as rendered, "" when it is not known.
ResourceService = Callable[[str], str]
MAX_STATEMENTS = 500
# `arn:<partition>:<service>:`, the partition possibly a variable (`arn:${AWS::Partition}:s3:::x`).
_ARN_SERVICE = re.compile(r"^arn:(?:\$\{[^}]{1,100}\}|[a-z-]{1,20}):([a-z0-9-]{1,60}):", re.I)


def arn_service(text: str) -> str:
    """The service an ARN's text names (`arn:aws:cognito-idp:...` → `cognito-idp`), "" for anything else."""
    match = _ARN_SERVICE.match(text.strip())
    return match.group(1).lower() if match is not None else ""


def statements_from_document(document: Any, path: str, source: str, render: Render,
                             line_offset: int = 0, default_line: int = 1,
                             wildcard_default: WildcardDefault | None = None,
                             resource_service: ResourceService = arn_service) -> list[PolicyStatement]:
    """Every statement of a policy document (a mapping with `Statement`)."""
    if not isinstance(document, dict):
        return []
    statements = _get(document, "Statement")
    if isinstance(statements, dict):
        items, lines = [statements], [getattr(statements, "line", default_line)]
    elif isinstance(statements, list):
        items = statements
        lines = list(getattr(statements, "item_lines", [])) or [default_line] * len(items)
    else:
        return []
    found = []
    for item, line in list(zip(items, lines, strict=False))[:MAX_STATEMENTS]:
        if isinstance(item, dict):
            line = getattr(item, "line", line)
            end = last_line(item)
            location = Location(path, line + line_offset, end + line_offset if end > line else None)
            found.append(statement_from_mapping(item, location, source, render, wildcard_default, resource_service))
    return found


def last_line(value: Any) -> int:
    """The last line a located mapping or list spans, from the lines of its keys and items (bounded)."""
    best = int(getattr(value, "line", 0) or 0)
    stack, visited = [value], 0
    while stack and visited < 10_000:
        item = stack.pop()
        visited += 1
        best = max(best, int(getattr(item, "end_line", 0) or getattr(item, "line", 0) or 0))
        if isinstance(item, dict):
            best = max([best, *getattr(item, "key_lines", {}).values()])
            stack.extend(item.values())
        elif isinstance(item, list):
            best = max([best, *getattr(item, "item_lines", [])])
            stack.extend(item)
    return best


def statement_from_mapping(item: dict[str, Any], location: Location, source: str,
                           render: Render, wildcard_default: WildcardDefault | None = None,
                           resource_service: ResourceService = arn_service) -> PolicyStatement:
    """One statement written as a mapping with Effect/Action/Resource (any key case)."""
    effect = _get(item, "Effect")
    resources, defaulted = _resources(_get(item, "Resource"), render, wildcard_default)
    return PolicyStatement(
        effect=render(effect) if effect is not None else "Allow",
        actions=strings(_get(item, "Action"), render),
        resources=resources, defaulted_wildcards=defaulted,
        resource_services=tuple("" if resource == "*" else resource_service(resource) for resource in resources),
        not_actions=strings(_get(item, "NotAction"), render),
        not_resources=strings(_get(item, "NotResource"), render),
        location=location, source=source, condition_keys=condition_keys(_get(item, "Condition"), render),
    )


def _resources(value: Any, render: Render, wildcard_default: WildcardDefault | None
               ) -> tuple[tuple[str, ...], tuple[DefaultedWildcard, ...]]:
    """`Resource` as text, each value that is `*` by an input's default made `*` and remembered."""
    if wildcard_default is None or value is None:
        return strings(value, render), ()
    resources: list[str] = []
    defaulted: list[DefaultedWildcard] = []
    for item in (value[:MAX_STATEMENTS] if isinstance(value, list) else [value]):
        if item is None:
            continue
        default = wildcard_default(item)
        if default is not None:
            defaulted.append(default)
        resources.append("*" if default is not None else render(item))
    return tuple(resources), tuple(defaulted)


def condition_keys(condition: Any, render: Render) -> tuple[str, ...]:
    """The context keys a `Condition` block tests: `{StringEquals: {iam:AWSServiceName: ...}}`."""
    if not isinstance(condition, dict):
        return ()
    keys: list[str] = []
    for tests in list(condition.values())[:MAX_STATEMENTS]:
        if isinstance(tests, dict):
            keys.extend(render(key) for key in list(tests)[:MAX_STATEMENTS])
    return tuple(keys)


def strings(value: Any, render: Render) -> tuple[str, ...]:
    """One value or a list of values as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(render(item) for item in value[:MAX_STATEMENTS] if item is not None)
    return (render(value),)


def _get(mapping: dict[str, Any], key: str) -> Any:
    """Policy keys are case-sensitive in IAM, but Terraform and YAML authors vary; exact first."""
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    return next((value for name, value in mapping.items() if str(name).lower() == lowered), None)


__all__ = ["statements_from_document", "statement_from_mapping", "strings", "last_line", "WildcardDefault",
           "ResourceService", "arn_service"]
