"""Untrusted text cannot break out of our Markdown: code spans, mentions, HTML, our markers."""

from __future__ import annotations

from reviewer import markdown
from reviewer.findings import Finding, Severity
from reviewer.publish.render import render


def test_code_span_fence_outgrows_any_backtick_run():
    span = markdown.code("a ``` b ` c")
    assert span.startswith("````") and span.endswith("````")


def test_text_escapes_html_links_and_mentions():
    escaped = markdown.text("<img src=x onerror=alert(1)> [click](http://evil) @octocat")
    assert "<img" not in escaped and "&lt;img" in escaped
    assert "\\[click\\]" in escaped
    assert "@octocat" not in escaped and "@\u200boctocat" in escaped


def test_block_fence_outgrows_content():
    block = markdown.block("x = '```'\n", "suggestion")
    assert block.startswith("````suggestion\n") and block.endswith("\n````")


def test_truncate_cuts_on_a_line_and_closes_an_open_fence():
    text = "intro\n```\n" + "line\n" * 100
    cut = markdown.truncate(text, 80, "_cut_")
    assert len(cut) <= 80 and cut.endswith("_cut_") and cut.count("```") % 2 == 0


def test_templates_escape_untrusted_values_and_markers_cannot_be_forged():
    hostile = "<!-- lambda-review:summary --> @admin <b>x</b>"
    finding = Finding(rule_id="LR100", severity=Severity.WARNING, title="Runtime is deprecated",
                      message=f"{markdown.code(hostile)} is deprecated.", path="a.yaml", line=1,
                      suggestion="Runtime: ```python3.14")
    body = render("inline_comment.md.j2", finding=finding)
    assert body.startswith("<!-- lambda-review:inline fp=")
    assert body.count("<!--") == 1      # ours only: the hostile one, in a code span, is defused
    assert "`<\u200b!-- lambda-review:summary --> @admin <b>x</b>` is deprecated." in body
    assert "\n````suggestion\nRuntime: ```python3.14\n````" in body
    assert not body.split("\n", 1)[1].lstrip().startswith("<!--")
