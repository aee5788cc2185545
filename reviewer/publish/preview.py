"""`lambda-review review`: the inline comments and the summary the bot would post, without GitHub."""

from __future__ import annotations

from typing import Callable

from reviewer import markdown
from reviewer.publish.console import findings_json
from reviewer.publish.json_text import dumps_indented
from reviewer.publish.render import render
from reviewer.review.diff import DiffMap
from reviewer.review.outcome import ReviewOutcome


class ReviewPreview:
    """What the bot would post for the outcome's change, as Markdown or JSON, handed to `sink`."""

    def __init__(self, fmt: str, sink: Callable[[str], None]) -> None:
        self.fmt = fmt
        self.sink = sink

    def publish(self, outcome: ReviewOutcome) -> None:
        self.sink(render_review(outcome, outcome.diff or DiffMap(), self.fmt))


def render_review(outcome: ReviewOutcome, diff: DiffMap, fmt: str) -> str:
    if fmt == "json":
        document = findings_json(outcome.facts)
        document["inline"] = [
            {"fingerprint": c.finding.fingerprint, "path": c.path, "line": c.line,
             "start_line": c.start_line, "body": render("inline_comment.md.j2", finding=c.finding)}
            for c in outcome.plan.inline
        ]
        document["summary_comment"] = render("summary.md.j2", facts=outcome.facts)
        return dumps_indented(document) + "\n"
    parts = [f"# Inline comments ({len(outcome.plan.inline)})\n"]
    # Lines holding a plain secret (LR304, bandit's hardcoded-password tests) are shown without their value.
    secret_lines: dict[str, frozenset[int]] = {}
    for finding in [*outcome.facts.plan.findings, *(item.finding for item in outcome.facts.suppressed)]:
        if finding.rule_id in ("LR304", "bandit/B105", "bandit/B106", "bandit/B107"):
            secret_lines[finding.path] = secret_lines.get(finding.path, frozenset()) | {finding.line}
    for comment in outcome.plan.inline:
        file_diff = diff.get(comment.path)
        excerpt = "\n".join(file_diff.excerpt(comment.line, redacted=secret_lines.get(comment.path, frozenset()))
                            ) if file_diff else ""
        parts.append(f"## {markdown.code(comment.path + ':' + str(comment.line))}\n\n"
                     f"{markdown.block(excerpt, 'diff')}\n\n"
                     f"{render('inline_comment.md.j2', finding=comment.finding)}")
    parts.append("# Summary comment\n\n" + render("summary.md.j2", facts=outcome.facts))
    return "\n".join(parts)
