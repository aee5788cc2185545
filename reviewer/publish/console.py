"""Output of `lambda-review scan` and `inventory`: text for people, JSON, SARIF and Markdown for tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from reviewer import markdown
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.publish.json_text import Items, dumps_indented, write_indented
from reviewer.publish.render import render
from reviewer.publish.sarif import to_sarif
from reviewer.review.summary import SummaryFacts
from reviewer.wording import counted

if TYPE_CHECKING:
    from reviewer.review.outcome import ReviewOutcome

FORMATS = ("text", "json", "sarif", "markdown")


def _one_line(value: str) -> str:
    """A name from the repository (path, function) on one printable line: a newline in a file name
    must not start a line of its own (a terminal escape, or an Actions `::command::`)."""
    return markdown.visible(value).replace("\n", "\\n").replace("\t", "\\t")


def plain_finding_json(finding: Finding) -> dict[str, Any]:
    """A finding for JSON readers: `message` as plain text. Markdown (with the escapes that keep
    GitHub from linking, mentioning or rendering math) belongs only to what GitHub renders."""
    return {**finding.to_json(), "message": markdown.plain(finding.message)}


def findings_json(facts: SummaryFacts, streamed: bool = False, mark_new: bool = False) -> dict[str, Any]:
    """The JSON report's document; `streamed`: its findings and functions as `Items`, each made
    while it is written (`write_indented` only), not held as lists of dicts. `mark_new` (a
    review's report) says of each finding whether the change brings it, which the summary's
    counts alone cannot tell a tool."""
    new = {finding.fingerprint for finding in facts.plan.new} if mark_new else set()
    findings = ({**plain_finding_json(finding), "new": finding.fingerprint in new} if mark_new
                else plain_finding_json(finding) for finding in facts.plan.findings)
    functions = (function.to_json() for function in facts.functions)
    return {
        "findings": Items(findings) if streamed else list(findings),
        "functions": Items(functions) if streamed else list(functions),
        "summary": {
            "total": facts.total,
            "counts": facts.counts,
            "new": len(facts.plan.new),
            "new_counts": facts.new_counts,
            "failing": len(facts.plan.failing),
            "fail_on": facts.fail_on,
            "conclusion": facts.plan.conclusion,
            "suppressed": [
                {"rule_id": item.finding.rule_id, "path": item.finding.path, "line": item.finding.line,
                 "fingerprint": item.finding.fingerprint, "reason": item.reason}
                for item in facts.suppressed
            ],
            "reference_date": facts.reference_date.isoformat(),
            "lifecycle_data_as_of": facts.data_as_of.isoformat(),
            "lifecycle_data_stale": facts.data_stale,
            "notes": [markdown.plain(note) for note in facts.notes],
            "loop_coverage": [
                {"function": row.function, "path": row.location, "read": row.read, "detail": row.detail}
                for row in facts.loop_coverage
            ],
        },
    }


def _text_finding(finding: Finding) -> str:
    where = f"{_one_line(finding.path)}:{finding.line}"
    owner = f" [{_one_line(finding.function)}]" if finding.function else ""
    body = "\n".join("    " + markdown.visible(line) for line in markdown.plain(finding.message).splitlines())
    return f"{where}: {finding.severity.value} {finding.rule_id} {_one_line(finding.title)}{owner}\n{body}"


def write_scan(facts: SummaryFacts, fmt: str, write: Callable[[str], None]) -> None:
    """The report handed to `write` in order: the JSON one in several pieces (a 3,000-function
    scan's is tens of megabytes, never held whole), the others in one."""
    if fmt == "json":
        write_indented(findings_json(facts, streamed=True), write)
        write("\n")
    else:
        write(render_scan(facts, fmt))


def render_scan(facts: SummaryFacts, fmt: str) -> str:
    if fmt == "json":
        pieces: list[str] = []
        write_scan(facts, fmt, pieces.append)
        return "".join(pieces)
    if fmt == "sarif":
        return dumps_indented(to_sarif(facts.plan.findings)) + "\n"
    if fmt == "markdown":
        return render("job_summary.md.j2", facts=facts)
    blocks = [_text_finding(finding) for finding in facts.plan.findings]
    counts = ", ".join(f"{count} {severity}" for severity, count in facts.counts.items())
    verdict = (f"{len(facts.plan.failing)} at or above fail-on={facts.fail_on}" if facts.plan.failed
               else "none fails with fail-on=never" if facts.fail_on == "never"
               else f"none at or above fail-on={facts.fail_on}")
    tail = [f"{counted(len(facts.functions), 'function')}, {counted(facts.total, 'finding')} ({counts}); {verdict}."]
    if facts.suppressed:
        tail.append(f"{counted(len(facts.suppressed), 'finding')} accepted by a suppression.")
    tail.extend(markdown.plain(note) for note in facts.notes)
    if facts.data_stale:
        tail.append(f"Note: runtime lifecycle data is from {facts.data_as_of}; dates may have moved since.")
    return "".join(block + "\n\n" for block in blocks) + "\n".join(tail) + "\n"


class ScanReport:
    """The findings as text, JSON, SARIF or Markdown, handed to `sink` (stdout, a file, the Actions
    log): the JSON report in several pieces, which the sink writes one after the other."""

    def __init__(self, fmt: str, sink: Callable[[str], None]) -> None:
        self.fmt = fmt
        self.sink = sink

    def publish(self, outcome: ReviewOutcome) -> None:
        write_scan(outcome.facts, self.fmt, self.sink)


def render_inventory(functions: list[Function], fmt: str) -> str:
    if fmt == "json":
        return dumps_indented({"functions": [function.to_json() for function in functions]}) + "\n"
    if not functions:
        return "No Lambda functions found.\n"
    rows = []
    for function in functions:
        runtime = function.runtime or ("image" if function.package_type.lower() == "image"
                                       else f"unresolved ({function.unresolved.get('Runtime', 'not declared')})")
        rows.append(_one_line(f"{function.name}  [{function.format}]  {function.location}") + "\n"
                    + _one_line(f"    runtime: {runtime}  (at {function.where('Runtime')})") + "\n"
                    + _one_line(f"    handler: {function.handler or '-'}  code: "
                                f"{function.code_path or function.image_uri or '-'}"))
    return "\n".join(rows) + "\n"
