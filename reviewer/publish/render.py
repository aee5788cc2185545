"""Jinja2 rendering of every text a person reads, with untrusted values escaped by default.

Any value a template prints is escaped as Markdown text unless it is already `Markup`: the `code`,
`cell` and `suggestion` filters produce Markup from untrusted values, and `trusted` marks Markdown
that this project built (finding messages, whose untrusted parts were escaped when they were made).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reviewer import markdown
from reviewer.template_cache import bytecode_cache
from reviewer.wording import counted, markdown_value, template_dirs

SUMMARY_MARKER = "<!-- lambda-review:summary -->"
INLINE_MARKER_PREFIX = "<!-- lambda-review:inline fp="
SEVERITY_ICONS = {"error": "🔴", "warning": "🟠", "notice": "🔵"}


def inline_marker(fingerprint: str) -> str:
    return f"{INLINE_MARKER_PREFIX}{fingerprint} -->"


_ADVISORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
# A link into GitHub's own pages (an inline comment), as the API reported it.
_COMMENT_URL = re.compile(r"^https?://[^\s()<>\[\]\"'`\\]{1,500}$")


def _advisory(advisory_id: str) -> Markup:
    """An advisory id linked to its OSV page, when it has the shape of one."""
    if _ADVISORY_ID.match(advisory_id):
        return Markup(f"[{advisory_id}](https://osv.dev/vulnerability/{advisory_id})")
    return markdown.code_cell(advisory_id)


def safe_link(url: str) -> str | None:
    """`url` when it can sit in a Markdown link target as it is, else None."""
    return url if _COMMENT_URL.match(url) else None


def _suggestion_block(text: str) -> Markup:
    """A `suggestion` block, unless the line holds an HTML comment opener: a suggestion is the
    repository's own line, unescaped, and must not carry a copy of our hidden markers into a body."""
    if "<!--" in text:
        return Markup("")
    return markdown.block(text, "suggestion")


@lru_cache(maxsize=1)
def environment() -> Environment:
    loader = FileSystemLoader([str(path) for path in template_dirs()])
    # Compiled templates are kept between runs (template_cache); within a run they do not change.
    env = Environment(loader=loader, autoescape=False, finalize=markdown_value, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                      bytecode_cache=bytecode_cache())
    env.filters["code"] = markdown.code
    env.filters["code_cell"] = markdown.code_cell
    env.filters["cell"] = markdown.table_cell
    env.filters["trusted"] = Markup
    env.filters["suggestion"] = _suggestion_block
    env.filters["advisory"] = _advisory
    env.filters["counted"] = counted
    env.filters["note"] = note
    env.globals["icons"] = SEVERITY_ICONS
    env.globals["summary_marker"] = Markup(SUMMARY_MARKER)
    env.globals["inline_marker"] = lambda fp: Markup(inline_marker(fp))
    return env


def note(value: object) -> Markup:
    """A note of the summary (plain text from a `*.txt.j2` template or the code) as Markdown: the
    settings and names it quotes in backticks (`audit: off`) become code spans, the words around
    them escaped prose, so a reader sees code, not escaped backticks. Notes built as Markdown stay
    as they are."""
    if isinstance(value, Markup):
        return value
    return markdown.quoted(value, prose=True)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@lru_cache(maxsize=1)
def text_environment() -> Environment:
    """The same templates for plain text (`*.txt.j2`): values printed as they are, because the text
    is escaped where it is shown (a summary note, escaped when the summary prints it) or is never
    read as Markdown (a check run's title)."""
    env = Environment(loader=environment().loader, autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                      bytecode_cache=environment().bytecode_cache)
    env.filters["counted"] = counted
    return env


def render_text(template: str, **context: Any) -> str:
    """One plain sentence or line from a `*.txt.j2` template, without the surrounding blank space."""
    return text_environment().get_template(template).render(**context).strip()


def render_bounded(template: str, limit: int, **context: Any) -> str:
    """Render within `limit` characters: shorten rows first, then list fewer, saying how many are left out.

    The rows' text is shortened and the pre-existing findings are only counted (`compact`) before
    any row is dropped; then lists are cut whole-row (binary search on how many rows each list
    shows), so no finding is cut mid-sentence; only when even empty lists do not fit is the text cut.
    """
    full = render(template, **context)
    if len(full) <= limit:
        return full
    for row_text_limit in (80, 40, 0):
        compact = render(template, compact=True, row_text_limit=row_text_limit, **context)
        if len(compact) <= limit:
            return compact
    context = {**context, "compact": True, "row_text_limit": 0}
    low, high, best = 0, 10_000, render(template, list_limit=0, **context)
    while low <= high:
        middle = (low + high) // 2
        text = render(template, list_limit=middle, **context)
        if len(text) <= limit:
            best, low = text, middle + 1
        else:
            high = middle - 1
    return markdown.truncate(best, limit, "_Cut to fit GitHub's size limit; the job summary and the SARIF "
                                          "report list every finding._")
