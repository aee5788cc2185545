"""What changed since the previous run on the same pull request, decided from what that run left.

A run leaves its state in the summary comment it posts (a hidden, base64 line: the fingerprints of
its findings with a short label, and the inline comments it marked resolved). The next run's
publisher reads that comment and its own inline comments from GitHub and hands them here; this
module decides which inline comments are still showing a finding (not posted again), which show a
finding that is gone (to be marked resolved), what the summary says is fixed and new since then,
and the state this run leaves for the next one. The publisher only carries it out.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Collection, Iterable

from reviewer.findings import Finding
from reviewer.review.plan import ReviewPlan
from reviewer.review.summary import RunChanges

STATE_MARKER_PREFIX = "<!-- lambda-review:state "
_FINGERPRINT = re.compile(r"^[0-9a-f]{20}$")
# The state rides inside the summary comment (65,536 characters in all): the most severe
# findings are tracked for "fixed since the previous run"; beyond that only counts are exact.
MAX_STATE_ENTRIES = 300


@dataclass
class PreviousRun:
    """What our last summary comment recorded: findings by fingerprint, comments already resolved."""

    findings: dict[str, str] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)


def encode_state(findings: Iterable[Finding], resolved: set[str]) -> str:
    """Hidden run state for the next run; base64 so no repository text can close the comment."""
    labels = {f.fingerprint: _label(f) for f in list(findings)[:MAX_STATE_ENTRIES]}
    payload = json.dumps({"v": 1, "findings": labels, "resolved": sorted(resolved)[:MAX_STATE_ENTRIES]},
                         separators=(",", ":"))
    return f"{STATE_MARKER_PREFIX}{base64.b64encode(payload.encode()).decode()} -->"


def decode_state(body: str) -> PreviousRun | None:
    """The state line of one of our summaries; anything malformed counts as no state."""
    match = re.search(re.escape(STATE_MARKER_PREFIX) + r"([A-Za-z0-9+/=]{1,2000000}) -->", body)
    if match is None:
        return None
    try:
        data = json.loads(base64.b64decode(match.group(1), validate=True))
        findings = {str(k): str(v)[:300] for k, v in dict(data.get("findings", {})).items() if _FINGERPRINT.match(str(k))}
        resolved = {str(fp) for fp in data.get("resolved", []) if _FINGERPRINT.match(str(fp))}
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return None
    return PreviousRun(findings, resolved)


def _label(finding: Finding) -> str:
    return f"{finding.rule_id} {finding.path}:{finding.line}"


@dataclass(frozen=True)
class SincePrevious:
    """The decisions about the previous run: what to skip, what to resolve, what to say, what to keep."""

    previous: PreviousRun
    # Fingerprints of this run's findings (the state's "current" set).
    current: frozenset[str]
    # Our inline comments that still count as showing their finding: not posted again.
    already_posted: frozenset[str]
    # Our inline comments whose finding this run no longer reports: to be marked resolved.
    fixed: frozenset[str]
    # What the summary says changed since the previous run; None when there was no previous state.
    changes: RunChanges | None

    def state_after(self, findings: Iterable[Finding], resolved_now: Collection[str]) -> str:
        """The state this run leaves: its findings, and every comment resolved so far whose
        finding is still gone (`resolved_now`: those this run managed to mark resolved)."""
        return encode_state(findings, (self.previous.resolved | set(resolved_now)) - self.current)


def since_previous(plan: ReviewPlan, previous_summary: str | None, our_inline: Collection[str]) -> SincePrevious:
    """Decide against the previous run: `previous_summary` is the body of our summary comment
    (None when there is none yet), `our_inline` the fingerprints of our inline comments."""
    previous = (decode_state(previous_summary) if previous_summary is not None else None) or PreviousRun()
    current = frozenset(finding.fingerprint for finding in plan.findings)
    live = frozenset(fp for fp in our_inline if fp not in previous.resolved)
    changes = None
    if previous_summary is not None and previous.findings:
        changes = RunChanges(
            fixed=sorted(label for fp, label in previous.findings.items() if fp not in current),
            new=sorted(_label(f) for f in plan.findings if f.fingerprint not in previous.findings),
        )
    return SincePrevious(previous, current, already_posted=live, fixed=live - current, changes=changes)
