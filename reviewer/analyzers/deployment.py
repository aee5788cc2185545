"""How code reaches the function and which version runs (LR400 code signing, LR401 $LATEST).

Both are notices by default: they describe a deployment practice of the Lambda security
guidance rather than a defect, and teams raise them with `severity:` in `.lambda-review.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Iterable

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.findings import Finding
from reviewer.model import CUSTOM_RESOURCE_TYPE, PUBLISHED_VERSIONS_KEY, Function, Location
from reviewer.inventory.spelling import CODE_SIGNING, PUBLISHED_VERSIONS, spelled
from reviewer.rules import LR400, LR401
from reviewer.wording import finding_message

# The messages' words: templates/findings/deployment.md.j2.
MESSAGES = "deployment"
# How many of the places that invoke a function the LR401 message names before it only counts them.
MAX_TARGETS_NAMED = 6


@dataclass(frozen=True)
class _Target:
    """A place that invokes the function: `kind` is a trigger kind (TRIGGER_KINDS), `url` or `permission`;
    `source` the trigger's type as its reader writes it (`Cognito`, `AppSync`), which names an `other` one."""

    kind: str
    line: int
    path: str | None            # None: in the file that declares the function
    principals: tuple[str, ...] = ()     # a permission's: each its condition may choose
    source: str = ""


class DeploymentAnalyzer:
    name = "deployment"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        for function in context.inventory.functions:
            if function.added_by is not None:
                continue   # a library's own function: how it is packaged and invoked is the library's
            if function.code_signing is None and _can_be_signed(function):
                _unsigned(shared, function)
            if not function.published and PUBLISHED_VERSIONS_KEY not in function.unresolved:
                _unpublished(shared, function)
        return list(shared.findings())


def _can_be_signed(function: Function) -> bool:
    """Code signing applies to .zip packages: not to container images nor code written in a template.

    A reader that cannot tell whether signing is configured says so with
    `unresolved["CodeSigningConfigArn"]`; silence is better than a notice that may be wrong.
    """
    if function.package_type.strip().lower() == "image" or "CodeSigningConfigArn" in function.unresolved:
        return False
    # Inline code of any kind (a template's, CDK's `fromInline`, synthesized as `ZipFile`) is not a
    # package Lambda could check a signature on, unless a tool zips it first (Terraform's archive_file).
    inline = function.inline_code
    return (inline is None or inline.packaged) and not function.properties.get("CodeInline")


def _unsigned(shared: SharedFindings, function: Function) -> None:
    setting = Markup(spelled(function, CODE_SIGNING))

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "no_code_signing", subject=Markup(subject), several=several, setting=setting)

    shared.add(LR400, function, function.location, "no-code-signing", describe,
               describe_shared=partial(describe, several=True))


def _unpublished(shared: SharedFindings, function: Function) -> None:
    # A state machine's task is no event source: it calls the function as any SDK caller does, and
    # naming `$LATEST` there is how every workflow is written (a notice on each was noise); so is a
    # custom resource's service token, which CloudFormation calls as the stack deploys.
    # One place per line and kind: the values a condition chooses between (a permission's principal
    # `logs.amazonaws.com.cn` or `logs.amazonaws.com`) are one place.
    found: dict[tuple[str, Location, str], list[str]] = {}
    for trigger in function.triggers:
        if trigger.kind != "stepfunctions" and trigger.attributes.get("type") != CUSTOM_RESOURCE_TYPE:
            found.setdefault((trigger.kind, trigger.location, str(trigger.attributes.get("type", ""))), [])
    if function.url is not None:
        found.setdefault(("url", function.url.location, ""), [])
    for permission in function.permissions:
        if permission.qualifier is None:
            principals = found.setdefault(("permission", permission.location, ""), [])
            principals.extend([permission.principal] if permission.principal not in principals else [])
    if not found:
        # An API whose OpenAPI document integrates the function (`x-amazon-apigateway-integration`
        # naming `${Fn.Arn}`) with the `credentials` of a role, not an invoke permission, invokes
        # what that ARN names: `$LATEST` when no version is published. Only then are its routes
        # named: a SAM event or a permission already says API Gateway invokes the function.
        for route in function.routes:
            if route.in_definition:
                found.setdefault(("api", route.location, ""), [])
    places = list(found.items())
    if not places:
        return
    # Each place as its words name it; functions sharing the declaration line (a module's
    # instances) add theirs, so the sentence names what invokes any of them.
    named = [_Target(kind, location.line, None if location.path == function.location.path else location.path,
                     tuple(principals), source) for (kind, location, source), principals in places]
    how = Markup(spelled(function, PUBLISHED_VERSIONS))

    def describe(subject: str, several: bool = False, facts: tuple[_Target, ...] = ()) -> str:
        every = list(facts) or named
        return finding_message(MESSAGES, "latest_only", subject=Markup(subject), several=several,
                               targets=every[:MAX_TARGETS_NAMED], more=max(0, len(every) - MAX_TARGETS_NAMED), how=how)

    shared.add(LR401, function, function.location, "latest-only", describe,
               related=[location for (_, location, _), _ in places], describe_shared=partial(describe, several=True),
               facts=named)
