"""Jinja2 rendering of every text a person reads, with untrusted values escaped by default.

Any value a template prints is escaped as Markdown text unless it is already `Markup`: the `code`,
`cell` and `suggestion` filters produce Markup from untrusted values, and `trusted` marks Markdown
that this project built (finding messages, whose untrusted parts were escaped when they were made).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reviewer import markdown

SUMMARY_MARKER = "<!-- lambda-review:summary -->"
INLINE_MARKER_PREFIX = "<!-- lambda-review:inline fp="
SEVERITY_ICONS = {"error": "🔴", "warning": "🟠", "notice": "🔵"}


def inline_marker(fingerprint: str) -> str:
    return f"{INLINE_MARKER_PREFIX}{fingerprint} -->"


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return markdown.text(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    package = Path(__file__).resolve().parents[1]
    # A source checkout (and the Docker image) has templates/ beside reviewer/; an installed
    # wheel carries them as the reviewer.templates package data.
    candidates = [package.parent / "templates", package / "templates"]
    loader = FileSystemLoader([str(path) for path in candidates if path.is_dir()])
    env = Environment(loader=loader, autoescape=False, finalize=_finalize, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["code"] = markdown.code
    env.filters["cell"] = markdown.table_cell
    env.filters["trusted"] = Markup
    env.filters["suggestion"] = lambda text: markdown.block(text, "suggestion")
    env.globals["icons"] = SEVERITY_ICONS
    env.globals["summary_marker"] = Markup(SUMMARY_MARKER)
    env.globals["inline_marker"] = lambda fp: Markup(inline_marker(fp))
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
