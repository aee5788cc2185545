"""A bandit issue as a finding: the severity the settings give it, and its words.

Kept apart from the engine (bandit_engine.py chooses the files, bandit_workers.py runs bandit) so
that what a reader sees of an issue is decided in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.analyzers.bandit_secret_names import names_a_secret_s_place
from reviewer.analyzers.bandit_words import FindingWords
from reviewer.findings import Finding, Severity

if TYPE_CHECKING:
    from reviewer.analyzers.bandit_workers import BanditIssue

_RANKS = {"UNDEFINED": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}


def severity_of(issue: BanditIssue, thresholds: tuple[tuple[str, str, str], ...]) -> Severity | None:
    """The first level whose SEVERITY/CONFIDENCE floor the issue meets, a notice at most in the
    module's `if __name__ == "__main__":` block (`bandit_script_blocks`); None drops the issue (and
    a B105 on a constant that names where a secret is, not the secret: `bandit_secret_names`; a
    B608 on a CloudWatch Metrics Insights query: `bandit_metric_queries`)."""
    if names_a_secret_s_place(issue.test_id, issue.code_line) or issue.metric_query:
        return None
    severity = _RANKS.get(issue.severity.upper(), 0)
    confidence = _RANKS.get(issue.confidence.upper(), 0)
    for level, min_severity, min_confidence in thresholds:
        if severity >= _RANKS[min_severity.upper()] and confidence >= _RANKS[min_confidence.upper()]:
            # a developer's local run (`if __name__ == "__main__":`) is never the function's: a notice
            return Severity.NOTICE if issue.in_script_block else Severity(level)
    return None


def bandit_finding(rel: str, issue: BanditIssue, severity: Severity, owners: tuple[str, ...], code_line: str,
             occurrence: int, words: FindingWords) -> Finding:
    """bandit's one line, what to do instead (for the common tests), the CWE; the inline comment
    adds bandit's documentation (`help_url`) once and `# nosec` as the one way to accept it."""
    function = owners[0] if len(owners) == 1 else None
    return Finding(
        rule_id=f"bandit/{issue.test_id}", severity=severity, title=words.title(issue),
        message=words.message(issue, owners),
        path=rel, line=issue.line, end_line=issue.end_line if issue.end_line > issue.line else None,
        function=function, functions=owners if len(owners) > 1 else (), engine="bandit",
        evidence=f"{issue.test_id}|{' '.join(code_line.split())}|{occurrence}", help_url=issue.help_url,
    )
