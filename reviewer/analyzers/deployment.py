"""How code reaches the function and which version runs (LR400 code signing, LR401 $LATEST).

Both are notices by default: they describe a deployment practice of the Lambda security
guidance rather than a defect, and teams raise them with `severity:` in `.lambda-review.yml`.
"""

from __future__ import annotations

from functools import partial

from typing import Iterable

from reviewer import markdown
from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.model import Finding, Function, Location
from reviewer.inventory.spelling import CODE_SIGNING, PUBLISHED_VERSIONS, spelled
from reviewer.rules import LR400, LR401

_TRIGGER_NAMES = {
    "s3": "S3 notification", "sqs": "SQS queue", "sns": "SNS subscription", "dynamodb": "DynamoDB stream",
    "kinesis": "Kinesis stream", "eventbridge": "EventBridge rule", "api": "API integration",
    "schedule": "schedule", "other": "event source",
}


class DeploymentAnalyzer:
    name = "deployment"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        for function in context.inventory.functions:
            if function.code_signing is None and _can_be_signed(function):
                _unsigned(shared, function)
            if not function.published:
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
    # package Lambda could check a signature on.
    return function.inline_code is None and not function.properties.get("CodeInline")


def _unsigned(shared: SharedFindings, function: Function) -> None:
    setting = spelled(function, CODE_SIGNING)

    def describe(subject: str, several: bool = False) -> str:
        return (f"{subject[:1].upper() + subject[1:]} {'have' if several else 'has'} no code signing "
                "configuration, so Lambda deploys whatever package it is given. With "
                f"{setting} set to a configuration that enforces signatures, Lambda accepts only "
                "packages signed by the allowed AWS Signer profiles and unchanged since, so a "
                f"tampered or unapproved artifact cannot reach {'them' if several else 'the function'}.")

    shared.add(LR400, function, function.location, "no-code-signing", describe,
               describe_shared=partial(describe, several=True))


def _unpublished(shared: SharedFindings, function: Function) -> None:
    targets: list[tuple[str, Location]] = []
    for trigger in function.triggers:
        targets.append((f"the {_TRIGGER_NAMES.get(trigger.kind, 'event source')}", trigger.location))
    if function.url is not None:
        targets.append(("the function URL", function.url.location))
    for permission in function.permissions:
        if permission.qualifier is None:
            targets.append((f"the permission for {markdown.code(permission.principal)}", permission.location))
    if not targets:
        return
    items = [f"{what} (line {location.line})" if location.path == function.location.path
             else f"{what} ({markdown.text(location.path)}:{location.line})"
             for what, location in targets[:6]]
    if len(targets) > 6:
        items.append(f"{len(targets) - 6} more")
    described = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    pointing = "pointing" if len(items) == 1 else "all pointing"

    how = spelled(function, PUBLISHED_VERSIONS)

    def describe(subject: str, several: bool = False) -> str:
        return (f"{subject[:1].upper() + subject[1:]} {'are' if several else 'is'} invoked through "
                f"{described}, {pointing} at the unqualified {'functions' if several else 'function'} "
                "(`$LATEST`), and no version or alias is published. Each deployment then replaces the "
                "running code in place: there is no immutable version to return to in one step, no "
                "gradual rollout, and no numbered record of what ran when. Publishing versions behind an "
                f"alias ({how}) gives all three.")

    shared.add(LR401, function, function.location, "latest-only", describe,
               related=[location for _, location in targets], describe_shared=partial(describe, several=True))
