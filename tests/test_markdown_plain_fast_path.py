"""`markdown.plain` returns a text holding none of our escapes as it is (every finding's message
on the bench's review: 2,900 messages went through three regular expressions per code span). The
answer must be the span-by-span one for any text, escaped or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer import markdown

PIECES = st.sampled_from(["`", "``", "\\", "\\|", "&", "&amp;", "&lt;", "&#36;", "&#124;", "\u200b", "@", "www.",
                          "http://", "<!--", "a", " ", "\n", "_", "*", "$", "|", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=12).map("".join))
def test_the_same_as_span_by_span(text):
    assert markdown.plain(text) == markdown._plain_spans(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=20))
def test_our_escaped_words_and_code_come_back_as_written(words, code):
    built = f"{markdown.text(words)} in {markdown.code(code)}"
    assert markdown.plain(built) == markdown._plain_spans(built)


def test_a_message_without_escapes_is_returned_as_it_is():
    message = "The function `orders` runs on `python3.8`, which is deprecated."
    assert markdown.plain(message) == message
    assert type(markdown.plain(markdown.Markup(message))) is str
