"""What the bot does with each finding of a change: new or pre-existing, inline or summary, gate.

New means "not found in the base commit" (by fingerprint). When the base cannot be analysed,
new falls back to "on a line the change adds", and the summary says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.config import Settings
from reviewer.findings import Finding, Severity
from reviewer.model import Location
from reviewer.review.diff import DiffMap

DEFAULT_MAX_INLINE = 25


# Their errors gate the merge however the change is classified (see plan_review).
FAIL_CLOSED_RULES = frozenset({"LR900", "LR901"})

@dataclass(frozen=True)
class InlineComment:
    """A finding placed on a line of the diff, where GitHub accepts a comment."""

    finding: Finding
    line: int
    start_line: int | None = None
    # Set when the comment sits at one of the finding's related locations (for example the IaC
    # trigger of a recursion loop whose primary line is in handler code the change did not touch).
    at_path: str | None = None

    @property
    def path(self) -> str:
        return self.at_path or self.finding.path


@dataclass
class ReviewPlan:
    """The findings split into new and existing, those commented inline, and those that fail the check."""

    findings: list[Finding]
    new: list[Finding] = field(default_factory=list)
    existing: list[Finding] = field(default_factory=list)
    inline: list[InlineComment] = field(default_factory=list)
    baseline: str = "base"          # "base" | "changed-lines" | "full-scan"
    failing: list[Finding] = field(default_factory=list)

    @property
    def inline_fingerprints(self) -> set[str]:
        return {comment.finding.fingerprint for comment in self.inline}

    @property
    def not_inline(self) -> list[Finding]:
        shown = self.inline_fingerprints
        return [finding for finding in self.findings if finding.fingerprint not in shown]

    @property
    def failed(self) -> bool:
        return bool(self.failing)

    @property
    def conclusion(self) -> str:
        """`failure` gates; `neutral`: new findings, all below `fail-on`; `success`: nothing new."""
        return "failure" if self.failed else ("neutral" if self.new else "success")


def _evidence_locations(finding: Finding) -> list[Location]:
    """The finding's own lines first, then its related locations (a loop's trigger and write)."""
    return [Location(finding.path, finding.line, finding.end_line), *finding.related]


def _touches_added_line(finding: Finding, diff: DiffMap) -> bool:
    return any(diff.is_added(place.path, line) for place in _evidence_locations(finding)
               for line in range(place.line, place.last_line + 1))


def _placement_at(finding: Finding, place: Location, diff: DiffMap, primary: bool) -> InlineComment | None:
    file_diff = diff.get(place.path)
    if file_diff is None:
        return None
    at_path = None if primary else place.path
    if place.last_line != place.line and file_diff.can_comment(place.last_line, place.line):
        return InlineComment(finding, line=place.last_line, start_line=place.line, at_path=at_path)
    if file_diff.can_comment(place.line):
        return InlineComment(finding, line=place.line, at_path=at_path)
    return None


def _placement(finding: Finding, diff: DiffMap) -> InlineComment | None:
    """The finding's own line when commentable; else, or when only a related location is a line
    the change adds, that related location (the evidence the change touched)."""
    places = _evidence_locations(finding)
    added = [index for index, place in enumerate(places)
             if any(diff.is_added(place.path, line) for line in range(place.line, place.last_line + 1))]
    for index in added + list(range(len(places))):
        placement = _placement_at(finding, places[index], diff, primary=index == 0)
        if placement is not None:
            return placement
    return None


def plan_review(findings: list[Finding], settings: Settings, diff: DiffMap | None,
                base_fingerprints: set[str] | None, max_inline: int = DEFAULT_MAX_INLINE,
                baseline: frozenset[str] = frozenset()) -> ReviewPlan:
    """Decide new/pre-existing, inline placement (most severe first) and the gate.

    Findings whose fingerprint is in the `baseline` file always count as pre-existing.
    """
    ordered = sorted(findings, key=Finding.sort_key)
    # A review that did not finish, or a changed file that declares functions and no longer parses,
    # counts as new whatever the baseline says: it must never pass silently (reviewer.isolation).
    fail_closed = {finding.fingerprint for finding in ordered
                   if finding.rule_id in FAIL_CLOSED_RULES and finding.severity == Severity.ERROR}
    baseline = baseline - fail_closed
    if base_fingerprints is not None:
        base_fingerprints = base_fingerprints - fail_closed
    if diff is None:
        plan = ReviewPlan(ordered, baseline="full-scan")
        for finding in ordered:
            (plan.existing if finding.fingerprint in baseline else plan.new).append(finding)
    elif base_fingerprints is not None:
        plan = ReviewPlan(ordered, baseline="base")
        for finding in ordered:
            known = finding.fingerprint in base_fingerprints or finding.fingerprint in baseline
            (plan.existing if known else plan.new).append(finding)
    else:
        plan = ReviewPlan(ordered, baseline="changed-lines")
        for finding in ordered:
            is_new = ((_touches_added_line(finding, diff) or finding.fingerprint in fail_closed)
                      and finding.fingerprint not in baseline)
            (plan.new if is_new else plan.existing).append(finding)
    if diff is not None:
        for finding in plan.new:
            if finding.severity.rank < Severity(settings.inline_severity).rank:
                continue
            placement = _placement(finding, diff)
            if placement is not None and len(plan.inline) < max_inline:
                plan.inline.append(placement)
    gated = plan.findings if settings.fail_on_existing else plan.new
    plan.failing = [finding for finding in gated if settings.fails(finding.severity)]
    return plan
