"""Output of `lambda-review scan` and `inventory`: text for people, JSON, SARIF and Markdown for tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

from reviewer import markdown
from reviewer.model import Finding, Function
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


def findings_json(facts: SummaryFacts) -> dict[str, Any]:
    return {
        "findings": [plain_finding_json(finding) for finding in facts.plan.findings],
        "functions": [function.to_json() for function in facts.functions],
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


# Pieces of indented JSON joined at a time (see `_indented_json`).
_JSON_PIECES_PER_JOIN = 65_536


def _indented_json(value: Any) -> str:
    """`json.dumps(value, indent=2)`, the same text, without its list of every piece: indented
    JSON is encoded in Python, one small string per key, value and bracket, and for the 30,000
    findings of a 3,000-function scan that list (millions of strings) was the run's last peak
    of memory. The pieces are joined a batch at a time instead."""
    joined: list[str] = []
    batch: list[str] = []
    for piece in json.JSONEncoder(indent=2).iterencode(value):
        batch.append(piece)
        if len(batch) >= _JSON_PIECES_PER_JOIN:
            joined.append("".join(batch))
            batch.clear()
    joined.append("".join(batch))
    return "".join(joined)


def render_scan(facts: SummaryFacts, fmt: str) -> str:
    if fmt == "json":
        return _indented_json(findings_json(facts)) + "\n"
    if fmt == "sarif":
        return _indented_json(to_sarif(facts.plan.findings)) + "\n"
    if fmt == "markdown":
        return render("job_summary.md.j2", facts=facts)
    blocks = [_text_finding(finding) for finding in facts.plan.findings]
    counts = ", ".join(f"{count} {severity}" for severity, count in facts.counts.items())
    verdict = (f"{len(facts.plan.failing)} at or above fail-on={facts.fail_on}" if facts.plan.failed
               else f"none at or above fail-on={facts.fail_on}")
    tail = [f"{counted(len(facts.functions), 'function')}, {counted(facts.total, 'finding')} ({counts}); {verdict}."]
    if facts.suppressed:
        tail.append(f"{counted(len(facts.suppressed), 'finding')} accepted by a suppression.")
    tail.extend(markdown.plain(note) for note in facts.notes)
    if facts.data_stale:
        tail.append(f"Note: runtime lifecycle data is from {facts.data_as_of}; dates may have moved since.")
    return "".join(block + "\n\n" for block in blocks) + "\n".join(tail) + "\n"


class ScanReport:
    """The findings as text, JSON, SARIF or Markdown, handed to `sink` (stdout, a file, the Actions log)."""

    def __init__(self, fmt: str, sink: Callable[[str], None]) -> None:
        self.fmt = fmt
        self.sink = sink

    def publish(self, outcome: ReviewOutcome) -> None:
        self.sink(render_scan(outcome.facts, self.fmt))


def render_inventory(functions: list[Function], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"functions": [function.to_json() for function in functions]}, indent=2) + "\n"
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
