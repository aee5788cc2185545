"""A pull request must not pass the review by breaking the file the review reads (LR901 at error).

A template that no longer parses declares no functions the review can see: without this rule a
change that breaks `template.yaml` would be reviewed as "0 functions, nothing found" and pass.
So an LR901 on a file the change touches, where the file declared Lambda functions in the base
commit or its text still names a function resource, is an error; an LR901 on a file the change
does not touch stays a notice (it is not this change's doing).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from markupsafe import Markup

from reviewer.config import Settings
from reviewer.inventory import declares_functions
from reviewer.findings import Finding, Severity
from reviewer.model import Function
from reviewer.review.diff import DiffMap
from reviewer.wording import finding_message

MAX_FUNCTIONS_NAMED = 10


def _declares_functions(path: str, read_text: Callable[[str], str | None]) -> bool:
    """Whether the file's text, which may not parse, looks like it declares functions (each
    inventory format answers for its own spelling)."""
    text = read_text(path)
    return text is not None and declares_functions(path, text)


def fail_closed(findings: list[Finding], settings: Settings, diff: DiffMap, base_functions: list[Function] | None,
                read_text: Callable[[str], str | None]) -> list[Finding]:
    """`findings` with every LR901 on a changed file that declared or declares functions at error.

    A severity the settings give LR901 explicitly is kept as it is.
    """
    if any(rule == "LR901" for rule, _ in settings.severity_overrides):
        return findings
    declared: dict[str, list[str]] = {}
    for function in base_functions or []:
        declared.setdefault(function.location.path, []).append(function.name)
    result = []
    for finding in findings:
        if (finding.rule_id == "LR901" and finding.path in diff.paths
                and (finding.path in declared or _declares_functions(finding.path, read_text))):
            finding = _escalated(finding, declared.get(finding.path, []))
        result.append(finding)
    return result


def _escalated(finding: Finding, names: list[str]) -> Finding:
    message = finding_message("fail_closed", "escalated", message=Markup(finding.message),
                              names=sorted(names)[:MAX_FUNCTIONS_NAMED], more=max(0, len(names) - MAX_FUNCTIONS_NAMED))
    return replace(finding, severity=Severity.ERROR, message=message)
