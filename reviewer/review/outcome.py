"""The one object a review hands every publisher: what was found and what review decided about it.

`review_change` and `full_scan` (review/change.py) make it from a scan; `relayed_outcome` makes it
from the findings a read-only fork run wrote down (the fork relay). Every publisher takes this
object and nothing else about the review (reviewer/publish/interface.py), so no publisher decides:
new or pre-existing, inline or summary, the gate, the conclusion and the exit status are here, and
what changed since the previous run is decided by `since_previous` from what the publisher read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Collection

from reviewer.config import Settings
from reviewer.exit_codes import EXIT_FINDINGS, EXIT_OK
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.review.diff import DiffMap
from reviewer.review.plan import ReviewPlan, plan_review
from reviewer.review.since_previous import SincePrevious, since_previous
from reviewer.review.summary import SummaryFacts, summarize
from reviewer.scan import ScanResult


@dataclass
class ReviewOutcome:
    """The plan (new, failing, inline), the summary's facts and the change they were decided on."""

    head: ScanResult | None
    plan: ReviewPlan
    facts: SummaryFacts
    # The change the plan was made on; None for a full scan (push, schedule, `scan`).
    diff: DiffMap | None = None

    @property
    def functions(self) -> list[Function]:
        return self.facts.functions

    @property
    def conclusion(self) -> str:
        """`failure`, `neutral` or `success` (ReviewPlan.conclusion): the check run's and the outputs'."""
        return self.plan.conclusion

    @property
    def exit_code(self) -> int:
        """1 when a finding at or above `fail-on` gates the change, else 0 (reviewer.exit_codes)."""
        return EXIT_FINDINGS if self.plan.failed else EXIT_OK

    def since_previous(self, previous_summary: str | None, our_inline: Collection[str]) -> SincePrevious:
        """Decide what changed since the run that wrote `previous_summary` (our summary comment's
        body, None when there is none) and record it in the summary's facts."""
        decided = since_previous(self.plan, previous_summary, our_inline)
        if decided.changes is not None:
            self.facts.since_previous = decided.changes
        return decided


def relayed_outcome(findings: list[Finding], new: set[str], functions: list[Function], *, fail_on: str,
                    reference_date: dt.date, diff: DiffMap, max_inline: int) -> ReviewOutcome:
    """The fork relay's review: the read-only run's findings, planned on the pull request's diff.

    What the read-only run found in its base counts as pre-existing (everything not marked `new`);
    the gate and the summary use its `fail-on` and reference date.
    """
    settings = replace(Settings(), fail_on=fail_on, reference_date=reference_date)
    known = {finding.fingerprint for finding in findings if finding.fingerprint not in new}
    plan = plan_review(findings, settings, diff, base_fingerprints=known, max_inline=max_inline)
    return ReviewOutcome(None, plan, summarize(plan, functions, [], settings), diff)
