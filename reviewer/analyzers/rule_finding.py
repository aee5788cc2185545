"""One finding per declaration, however many functions share it.

A role, a `Globals` environment variable or a handler file is often shared by several functions.
Reporting the same line once per function would post identical comments side by side, so the
guardrail analyzers collect (rule, line, evidence) first and emit one finding that names every
function concerned, as the runtime analyzer does for a shared `Runtime` (the first few, and how
many more: `function_lists.py`).

Functions that share a place may still differ in what the sentence says of them (a Terraform module
called from two places, one instance triggered by a queue and the other by a bucket): each adds its
`facts` (the services that trigger it), and the words are written once from all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Iterator

from reviewer.analyzers.function_lists import function_list
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location
from reviewer.rules import Rule
from reviewer.wording import finding_message


@dataclass
class _Pending:
    """A finding whose sentence waits until every function sharing its place is known."""

    rule: Rule
    location: Location
    evidence: str
    describe: Callable[..., str]
    suggestion: str | None
    related: list[Location]
    functions: list[Function] = field(default_factory=list)
    # Two services may each declare a `wsConnect`: a function is known by its name and place.
    known: set[tuple[str, Location]] = field(default_factory=set)
    # The rule's default severity unless the analyzer judged this case milder (a placeholder secret).
    severity: Severity | None = None
    # The wording when several functions share the finding, where the sentence changes with the number.
    describe_shared: Callable[..., str] | None = None
    # What the functions sharing it add to its words, in the order first given, each once.
    facts: list[Hashable] = field(default_factory=list)


class SharedFindings:
    """Collects findings keyed by rule, place and evidence; `findings()` merges the functions."""

    def __init__(self) -> None:
        self._pending: dict[tuple[str, Location, str], _Pending] = {}

    def add(self, rule: Rule, function: Function, location: Location, evidence: str,
            describe: Callable[..., str], suggestion: str | None = None,
            related: list[Location] | None = None, severity: Severity | None = None,
            describe_shared: Callable[..., str] | None = None, facts: Iterable[Hashable] = ()) -> None:
        """Record one finding. `describe(subject)` writes the Markdown message, where `subject` names
        the function or functions concerned (already escaped); its other untrusted parts must be
        escaped by the caller. `describe_shared`, when given, writes it for several functions
        (plural verbs and pronouns); otherwise `describe` serves both. `facts`, when a caller gives
        them, are gathered from every function sharing the finding and handed to the describer as
        `facts=` (a tuple), so the sentence holds for all of them, not only the first."""
        key = (rule.id, Location(location.path, location.line, location.end_line), evidence)
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = _Pending(rule, key[1], evidence, describe, suggestion,
                                                    list(related or []), severity=severity,
                                                    describe_shared=describe_shared)
        if (function.name, function.location) not in pending.known:
            pending.known.add((function.name, function.location))
            pending.functions.append(function)
            known_facts = set(pending.facts)
            pending.facts.extend(fact for fact in dict.fromkeys(facts) if fact not in known_facts)

    def findings(self) -> Iterator[Finding]:
        for pending in self._pending.values():
            rule = pending.rule
            shared = len(pending.functions) > 1
            listed = function_list(pending.functions)
            subject = finding_message("_functions", "subject", named=listed.named, more=listed.more)
            describe = pending.describe_shared if shared and pending.describe_shared else pending.describe
            extra: dict[str, Any] = {"facts": tuple(pending.facts)} if pending.facts else {}
            message = describe(subject, **extra)
            yield rule.finding(
                message, pending.location.path, pending.location.line, severity=pending.severity,
                end_line=pending.location.end_line, function=None if shared else pending.functions[0].name,
                functions=tuple(function.name for function in pending.functions) if shared else (),
                evidence=pending.evidence, suggestion=pending.suggestion, related=pending.related,
            )
