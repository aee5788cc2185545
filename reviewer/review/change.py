"""The one code path behind `lambda-review scan`, `lambda-review review` and the action."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from reviewer.config import Settings
from reviewer.review import git
from reviewer.review.baseline import load_baseline
from reviewer.review.diff import DiffMap
from reviewer.review.plan import DEFAULT_MAX_INLINE, ReviewPlan, plan_review
from reviewer.review.summary import SummaryFacts, summarize
from reviewer.scan import ScanResult, scan_checkout


@dataclass
class ReviewOutcome:
    head: ScanResult
    plan: ReviewPlan
    facts: SummaryFacts


def full_scan(root: Path, settings: Settings, scope: str = ".") -> ReviewOutcome:
    """Everything in the checkout; every finding counts (push, schedule, `scan`)."""
    head = scan_checkout(root, settings, scope)
    plan = plan_review(head.findings, settings, diff=None, base_fingerprints=None,
                       baseline=load_baseline(root, settings.baseline))
    return ReviewOutcome(head, plan, summarize(plan, head.functions, head.suppressed, settings))


def scan_revision(root: Path, rev: str, settings: Settings, scope: str = ".") -> ScanResult:
    """Analyse a revision exported from git objects into a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="lambda-review-") as directory:
        git.export_revision(root, rev, Path(directory))
        return scan_checkout(Path(directory), settings, scope)


def review_change(root: Path, settings: Settings, diff: DiffMap, base_rev: str | None,
                  head_rev: str | None = None, max_inline: int = DEFAULT_MAX_INLINE,
                  notes: list[str] | None = None, scope: str = ".") -> ReviewOutcome:
    """Findings of the head, classified against the base (when it can be read) and the diff.

    `head_rev` None means the checkout at `root` is the head.
    """
    head = (scan_checkout(root, settings, scope) if head_rev is None
            else scan_revision(root, head_rev, settings, scope))
    base_fingerprints: set[str] | None = None
    extra_notes = list(notes or [])
    if base_rev is not None:
        try:
            base = scan_revision(root, base_rev, settings, scope)
            base_fingerprints = {finding.fingerprint for finding in base.findings}
            base_fingerprints.update(item.finding.fingerprint for item in base.suppressed)
        except git.GitError as exc:
            extra_notes.append(f"The base commit could not be read ({exc}).")
    plan = plan_review(head.findings, settings, diff, base_fingerprints, max_inline=max_inline,
                       baseline=load_baseline(root, settings.baseline))
    facts = summarize(plan, head.functions, head.suppressed, settings)
    facts.notes[:0] = extra_notes
    return ReviewOutcome(head, plan, facts)
