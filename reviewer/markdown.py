"""Escaping of untrusted text for GitHub Markdown.

Everything a pull request contains (file names, code lines, YAML values) may have been written to
break out of our comments: HTML, Markdown links, fences, `@mentions`, or a copy of our hidden marker.
Every such value goes through one of these functions before it reaches a template.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

_MAX_INLINE = 200
_MAX_PROSE = 4000
_ZERO_WIDTH_SPACE = "\u200b"
_SPECIAL_CHARACTERS = r"\\`*_\[\]()!|~"
_MARKDOWN_SPECIALS = re.compile(f"([{_SPECIAL_CHARACTERS}])")
_OUR_ESCAPES = re.compile(f"\\\\([{_SPECIAL_CHARACTERS}])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
# Control characters (terminal escapes, NUL) and bidirectional overrides ("Trojan Source") are shown
# as visible `\u202e` escapes: they could otherwise hide or reorder what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_WWW = re.compile(r"www(?=\.)", re.IGNORECASE)
_DOLLAR_ENTITY = "&#36;"
# An HTML comment opener inside a code span is inert, but it is also the start of our hidden markers:
# a zero-width space keeps every literal `<!-- lambda-review:` in a body ours.
_COMMENT_OPENER = "<!--"
# A report escapes the same names again and again (a function in its findings' messages, the
# summary's tables): escapes of values up to this length are kept, a bounded number of them.
_REMEMBERED_LENGTH = 512
_REMEMBERED_VALUES = 8192


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def visible(text: str) -> str:
    """Control and bidirectional-override characters replaced by visible escapes (`\\u202e`)."""
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _defuse_mentions(text: str) -> str:
    """`@team` inside a code span does not notify, but outside it would: break it with a ZWSP."""
    return _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text)


def code(value: object, limit: int = _MAX_INLINE) -> Markup:
    """An inline code span that no content can close: its fence is longer than any run inside."""
    raw = str(value)
    return _remembered_code(raw, limit) if len(raw) <= _REMEMBERED_LENGTH else _code(raw, limit)


def _code(raw: str, limit: int) -> Markup:
    text = " ".join(visible(raw).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace(_COMMENT_OPENER, "<" + _ZERO_WIDTH_SPACE + "!--")
    fence = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def code_cell(value: object, limit: int = _MAX_INLINE) -> Markup:
    """A code span inside a table cell: GFM splits a row at every `|`, code spans included, so
    pipes are backslash-escaped (GFM turns `\\|` back into `|` inside the span). A backslash the
    content already has before a pipe gets a zero-width space, so it cannot escape our escape."""
    raw = str(value)
    return _remembered_code_cell(raw, limit) if len(raw) <= _REMEMBERED_LENGTH else _code_cell(raw, limit)


def _code_cell(raw: str, limit: int) -> Markup:
    span = re.sub(r"\\(?=\|)", "\\\\" + _ZERO_WIDTH_SPACE, str(code(raw, limit)))
    return Markup(span.replace("|", "\\|"))


def _defuse_autolinks_and_math(text: str) -> str:
    """GitHub links `https://…`, `ftp://…` and `www.…` by themselves (extended autolinks) and
    renders `$…$` and `$$…$$` as math: a zero-width space after `www` and after the scheme's `:`
    breaks the link, and `$` as an entity is never a math delimiter. (Addresses are broken by
    `_defuse_mentions`, which breaks every `@` followed by a letter or digit.)"""
    text = _WWW.sub(lambda match: match.group() + _ZERO_WIDTH_SPACE, text)
    text = text.replace("://", ":" + _ZERO_WIDTH_SPACE + "//")
    return text.replace("$", _DOLLAR_ENTITY)


def text(value: object) -> Markup:
    """Plain prose: HTML entities for markup characters, Markdown punctuation backslashed, and
    nothing that GitHub would turn into a link, a mention or math."""
    raw = str(value)
    return _remembered_text(raw) if len(raw) <= _REMEMBERED_LENGTH else _text(raw)


def _text(raw: str) -> Markup:
    if len(raw) > _MAX_PROSE:
        raw = raw[:_MAX_PROSE] + "…"                  # reports never carry a megabyte value
    escaped = visible(raw).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = " ".join(escaped.split())
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)
    return Markup(_defuse_autolinks_and_math(_defuse_mentions(escaped)))


# The same escapes, kept: they depend only on the text (`str(value)`, made by the caller) and its
# type (`typed`: a `str` subclass such as Markup escapes differently).
_remembered_code = lru_cache(maxsize=_REMEMBERED_VALUES, typed=True)(_code)
_remembered_text = lru_cache(maxsize=_REMEMBERED_VALUES, typed=True)(_text)


def block(value: str, language: str = "") -> Markup:
    """A fenced code block; the fence outgrows any backtick run in the content."""
    fence = "`" * max(3, _longest_backtick_run(value) + 1)
    language = re.sub(r"[^A-Za-z0-9_+-]", "", language)
    body = value if value.endswith("\n") else value + "\n"
    return Markup(f"{fence}{language}\n{body}{fence}")


def table_cell(value: object) -> Markup:
    """A value inside a Markdown table cell: escaped and with pipes neutralised."""
    raw = str(value)
    return _remembered_table_cell(raw) if len(raw) <= _REMEMBERED_LENGTH else _table_cell(raw)


def _table_cell(raw: str) -> Markup:
    return Markup(str(text(raw)).replace("\\|", "&#124;"))


_remembered_code_cell = lru_cache(maxsize=_REMEMBERED_VALUES, typed=True)(_code_cell)
_remembered_table_cell = lru_cache(maxsize=_REMEMBERED_VALUES, typed=True)(_table_cell)


def truncate(markdown: str, limit: int, notice: str) -> str:
    """Cut Markdown to `limit` characters on a line boundary and say that it was cut."""
    if len(markdown) <= limit:
        return markdown
    room = max(0, limit - len(notice) - 2)
    cut = markdown.rfind("\n", 0, room)
    if cut <= 0:
        cut = room
    head = markdown[:cut]
    if head.count("```") % 2:
        head += "\n```"
    return head + "\n\n" + notice


_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 ._:/,-]")


def mermaid_label(value: object, limit: int = 80) -> str:
    """Text for inside a quoted Mermaid label (`n1["..."]`, `-->|"..."|`): every character outside
    a small safe set becomes a Mermaid entity code (`#quot;`, `#35;`), so no name can close the
    quotes, start a directive or comment (`%%`), inject HTML or a click handler, or end the code
    fence. Whitespace (newlines included) collapses to single spaces; long text is shortened."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    escaped = []
    for char in text:
        if _MERMAID_SAFE.fullmatch(char):
            escaped.append(char)
        elif char == '"':
            escaped.append("#quot;")
        else:
            escaped.append(f"#{ord(char)};")
    return "".join(escaped)


_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.S)
# Where `text()` and `code()` put a zero-width space: after `@`, after `www`, between a scheme's
# `:` and `//`, and inside `<!--`. A zero-width space anywhere else came from the repository.
_OUR_ZERO_WIDTH = re.compile(f"(?<=@){_ZERO_WIDTH_SPACE}(?=[A-Za-z0-9])|(?<=www){_ZERO_WIDTH_SPACE}(?=\\.)"
                             f"|(?<=:){_ZERO_WIDTH_SPACE}(?=//)|(?<=<){_ZERO_WIDTH_SPACE}(?=!--)", re.IGNORECASE)


_OUR_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", _DOLLAR_ENTITY: "$", "&#124;": "|"}
_OUR_ENTITY = re.compile("|".join(re.escape(entity) for entity in _OUR_ENTITIES))


def _plain_prose(markdown_text: str) -> str:
    """One pass over each kind of escape: `&amp;lt;` (a literal `&lt;` in the source) stays `&lt;`."""
    unescaped = _OUR_ESCAPES.sub(r"\1", _OUR_ZERO_WIDTH.sub("", markdown_text))
    return _OUR_ENTITY.sub(lambda match: _OUR_ENTITIES[match.group()], unescaped)


def plain(markdown_text: str) -> str:
    """Markdown we wrote, as plain text for outputs that are not rendered (text, JSON, SARIF,
    annotations, logs): every escape of `text()`, `code_cell()` and `table_cell()` undone
    (backslashes, `&#36;`, HTML entities, the zero-width spaces that break links and mentions).
    Code spans keep their backticks, which read as quotes, and their content as written."""
    if "\\" not in markdown_text and "&" not in markdown_text and _ZERO_WIDTH_SPACE not in markdown_text:
        return str(markdown_text)             # no escape of ours in it: nothing to undo (most messages)
    return _plain_spans(markdown_text)


def _plain_spans(markdown_text: str) -> str:
    """`plain`, span by span."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(markdown_text):
        parts.append(_plain_prose(markdown_text[position:match.start()]))
        span = _OUR_ZERO_WIDTH.sub("", match.group(0)).replace("\\|", "|")
        parts.append(span)
        position = match.end()
    parts.append(_plain_prose(markdown_text[position:]))
    return "".join(parts)


def quoted(description: object, limit: int = _MAX_PROSE, *, prose: bool = False) -> Markup:
    """A description we built around pieces of code quoted in backticks (`the result of
    `.replace()` on text`): each quoted piece becomes a code span and the words around it prose,
    so a description is never wrapped in a second code span nor shown with escaped backticks.
    A description with no backticks is one code span (it is code: `'thumbnails/' + key`), or,
    with `prose`, plain prose (our own words naming no code: `the function's own name`)."""
    value = " ".join(str(description).split())
    if "`" not in value:
        return text(value) if prose else code(value, min(limit, _MAX_INLINE))
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"`([^`]+)`", value):
        parts.append(_prose_between(value[position:match.start()]))
        parts.append(str(code(match.group(1))))
        position = match.end()
    parts.append(_prose_between(value[position:]))
    return Markup("".join(parts))


def _prose_between(words: str) -> str:
    """`text()` of the words between two code spans, keeping the spaces that separate them."""
    if not words.strip():
        return words
    return ((" " if words[0].isspace() else "") + str(text(words))
            + (" " if words[-1].isspace() else ""))
