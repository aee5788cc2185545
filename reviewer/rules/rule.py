"""What a rule is: its metadata, how it builds a finding, and how `explain` prints it.

Kept apart from the catalogue's entries (one module per family) and from its index
(`reviewer.rules`), which every family and the index import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.findings import Finding, Severity


@dataclass(frozen=True)
class Rule:
    """Metadata of one public rule id; the check itself lives in an analyzer."""

    id: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    bad_example: str
    good_example: str
    help_url: str
    # The analyzer that emits it (its `name`), so a reader of the catalogue finds the check.
    analyzer: str = ""
    # The weaknesses (MITRE CWE ids) it reports, for code scanning's tags.
    cwes: tuple[int, ...] = ()

    def finding(self, message: str, path: str, line: int, *, severity: Severity | None = None,
                **fields: Any) -> Finding:
        """The one way to make a finding of this rule: id, title, default severity and reference
        come from the catalogue; `fields` are the rest of `Finding` (function, evidence...)."""
        return Finding(rule_id=self.id, severity=severity or self.severity, title=self.title, message=message,
                       path=path, line=line, help_url=fields.pop("help_url", self.help_url), **fields)

    def explain(self) -> str:
        """The user documentation of the rule, as `lambda-review explain` prints it."""
        return (
            f"{self.id}: {self.title}\n"
            f"Default severity: {self.severity.value}\n\n"
            f"Why it matters\n  {self.rationale}\n\n"
            f"How to fix it\n  {self.fix}\n\n"
            f"Flagged\n{_indent(self.bad_example)}\n\n"
            f"Not flagged\n{_indent(self.good_example)}\n\n"
            f"Reference: {self.help_url}\n"
        )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())
