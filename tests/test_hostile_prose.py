"""Untrusted text in our comments can neither link nor render math, as GitHub renders it.

GitHub's flavour links `https://…` and `www.…` by itself (extended autolinks) and renders
`$…$` / `$$…$$` as math: a suppression reason, a runtime or a literal quoted from handler code
could otherwise put a live phishing link or a huge "APPROVED" into the summary. The oracle is
tests/rendered_markdown.py, which renders with cmark-gfm and reports links and `$` in prose.
"""

from __future__ import annotations

import pytest

from rendered_markdown import render

from reviewer import markdown

HOSTILE_TEXTS = [
    "Approved by security, see https://phish.example/login",
    "details at www.phish.example/approve",
    "ftp://files.phish.example/x and HTTPS://PHISH.EXAMPLE",
    r"$$\Huge\textsf{APPROVED}$$",
    r"costs $5 and $\color{green}{ok}$",
    "mail security@phish.example now",
]


@pytest.mark.parametrize("value", HOSTILE_TEXTS)
def test_prose_from_untrusted_text_has_no_link_and_no_math(value):
    rendered = render(f"The value is {markdown.text(value)}.")
    assert rendered.links == [] and rendered.math_delimiters == []
    shown = "".join(rendered.prose).replace("\u200b", "")
    assert value.replace("\\", "") in shown.replace("\\", "")          # still shown, as text
