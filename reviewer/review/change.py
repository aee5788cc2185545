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
from reviewer.code.ownership import is_under
from reviewer.scan import ScanResult, scan_checkout
from reviewer.workspace import LINK_OUTSIDE_REASON, skipped_notice


# Files in the repository that change what the review reports (they come from the change itself).
REVIEW_SETTINGS_FILES = (".lambda-review.yml", ".bandit")


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
        escaping = git.export_revision(root, rev, Path(directory))
        # The checkout would have held these links; the workspace reports them the same way.
        notices = [skipped_notice(path, LINK_OUTSIDE_REASON) for path in escaping if is_under(path, scope)]
        return scan_checkout(Path(directory), settings, scope, notices=notices)


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
    settings_changed = sorted(path for path in diff.paths if path in REVIEW_SETTINGS_FILES)
    if settings_changed:
        extra_notes.append(f"This change edits {' and '.join(settings_changed)}, the settings of this review, "
                           "and the review ran with the edited settings: what they switch off or exclude is "
                           "worth a reviewer's look.")
    plan = plan_review(head.findings, settings, diff, base_fingerprints, max_inline=max_inline,
                       baseline=load_baseline(root, settings.baseline))
    facts = summarize(plan, head.functions, head.suppressed, settings)
    facts.notes[:0] = extra_notes
    return ReviewOutcome(head, plan, facts)
