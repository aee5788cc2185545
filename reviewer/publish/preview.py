"""`lambda-review review`: the inline comments and the summary the bot would post, without GitHub."""

from __future__ import annotations

from typing import Callable

from reviewer import markdown
from reviewer.publish.console import findings_json
from reviewer.publish.json_text import write_indented
from reviewer.publish.render import render
from reviewer.review.diff import DiffMap
from reviewer.review.outcome import ReviewOutcome


class ReviewPreview:
    """What the bot would post for the outcome's change, as Markdown or JSON, handed to `sink` (the
    JSON in several pieces, which the sink writes one after the other)."""

    def __init__(self, fmt: str, sink: Callable[[str], None]) -> None:
        self.fmt = fmt
        self.sink = sink

    def publish(self, outcome: ReviewOutcome) -> None:
        write_review(outcome, outcome.diff or DiffMap(), self.fmt, self.sink)


def write_review(outcome: ReviewOutcome, diff: DiffMap, fmt: str, write: Callable[[str], None]) -> None:
    """The preview handed to `write` in order: the JSON one in several pieces, its findings made
    one at a time (console.findings_json), the Markdown one in one."""
    if fmt != "json":
        write(render_review(outcome, diff, fmt))
        return
    document = findings_json(outcome.facts, streamed=True, mark_new=True)
    document["inline"] = [
        {"fingerprint": c.finding.fingerprint, "path": c.path, "line": c.line,
         "start_line": c.start_line, "body": render("inline_comment.md.j2", finding=c.finding)}
        for c in outcome.plan.inline
    ]
    document["summary_comment"] = render("summary.md.j2", facts=outcome.facts)
    write_indented(document, write)
    write("\n")


def render_review(outcome: ReviewOutcome, diff: DiffMap, fmt: str) -> str:
    if fmt == "json":
        pieces: list[str] = []
        write_review(outcome, diff, fmt, pieces.append)
        return "".join(pieces)
    parts = [f"# Inline comments ({len(outcome.plan.inline)})\n"]
    # Lines holding a plain secret (LR304, bandit's hardcoded-password tests) are shown without their value.
    secret_lines: dict[str, frozenset[int]] = {}
    for finding in [*outcome.facts.plan.findings, *(item.finding for item in outcome.facts.suppressed)]:
        if finding.rule_id in ("LR304", "bandit/B105", "bandit/B106", "bandit/B107"):
            secret_lines[finding.path] = secret_lines.get(finding.path, frozenset()) | {finding.line}
    for comment in outcome.plan.inline:
        file_diff = diff.get(comment.path)
        excerpt = "\n".join(file_diff.excerpt(comment.line, redacted=secret_lines.get(comment.path, frozenset()),
                                               start_line=comment.start_line)) if file_diff else ""
        lines = f"{comment.start_line}-{comment.line}" if comment.start_line else str(comment.line)
        parts.append(f"## {markdown.code(comment.path + ':' + lines)}\n\n"
                     f"{markdown.block(excerpt, 'diff')}\n\n"
                     f"{render('inline_comment.md.j2', finding=comment.finding)}")
    parts.append("# Summary comment\n\n" + render("summary.md.j2", facts=outcome.facts))
    return "\n".join(parts)
