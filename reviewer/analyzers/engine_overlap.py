"""One finding per line when bandit and LR306 see the same injection.

bandit flags a dangerous call by its shape (`shell=True`, `eval`, `pickle.loads`, SQL in an
f-string); LR306 flags it when event data reaches it, and says which field and from where. Two
comments on one line would say the same thing twice, so where both report a line the review
keeps the LR306 finding and names bandit's test in it, at the higher of the two severities: an
LR306 notice about a value only the account writes does not lower what bandit says of the call's
shape (`shell=True`). bandit findings of other kinds on that line (a request without a timeout, a
weak hash) stay as they are.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from reviewer.findings import Finding, Severity
from reviewer.wording import finding_message

# bandit tests about the sinks LR306 reads: exec/eval, deserialisation, shells and processes,
# SQL built as text, urlopen, markup built unescaped.
INJECTION_TESTS = frozenset({
    "B102", "B301", "B302", "B307", "B310", "B506", "B602", "B604", "B605", "B606", "B607", "B608", "B609",
    "B611", "B614", "B615", "B701", "B702", "B703", "B704",
})
TAINT_RULE = "LR306"


def merge_engine_overlaps(findings: list[Finding]) -> list[Finding]:
    """The findings with each bandit injection finding folded into the LR306 finding of its line."""
    by_line = {(finding.path, finding.line): index for index, finding in enumerate(findings)
               if finding.rule_id == TAINT_RULE}
    if not by_line:
        return findings
    cited: dict[int, list[str]] = {}
    severities: dict[int, Severity] = {}
    kept: list[Finding] = []
    for finding in findings:
        test_id = finding.rule_id.partition("/")[2]
        if finding.engine == "bandit" and test_id in INJECTION_TESTS:
            index = next((by_line[(finding.path, line)] for line in range(finding.line, finding.last_line + 1)
                          if (finding.path, line) in by_line), None)
            if index is not None:
                cited.setdefault(index, []).append(test_id)
                known = severities.get(index, findings[index].severity)
                severities[index] = finding.severity if finding.severity.rank > known.rank else known
                continue
        kept.append(finding)
    for index, tests in cited.items():
        original = findings[index]
        message = finding_message("engine_overlap", "also_bandit", message=Markup(original.message),
                                  tests=sorted(set(tests)))
        merged = replace(original, message=message, severity=severities[index])
        kept[kept.index(original)] = merged
    return kept
