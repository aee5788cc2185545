"""The words of sentences people read: counted nouns, and sentences kept in `templates/`.

Code passes values; the words come from a macro of a template under `templates/`, so changing a
sentence is a change to a template. Two kinds:

- `sentence`: plain text (a note of the summary), escaped by whoever places it in Markdown;
- `finding_message`: a finding's Markdown message (`templates/findings/<family>.md.j2`), where
  every `str` value is escaped as Markdown text and `Markup` (Markdown this project built, code
  spans from `markdown.code`) is printed as it is, as in the templates of `publish/render.py`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reviewer import markdown
from reviewer.template_cache import bytecode_cache


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun that agrees with it; `plural` when it is not `singular` + "s"."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"


def template_dirs() -> list[Path]:
    """Where the templates are: `templates/` beside `reviewer/` in a source checkout (and the
    Docker image), or the `reviewer.templates` package data of an installed wheel."""
    package = Path(__file__).resolve().parent
    return [path for path in (package.parent / "templates", package / "templates") if path.is_dir()]


def markdown_value(value: object) -> object:
    """What a Markdown template prints (a finding's message, a comment, the summary): Markup as it is, numbers as digits, other text escaped."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return markdown.text(value)


def _capital(value: str) -> str:
    """The text with its first character upper-cased (the rest as it is: names keep their case)."""
    if type(value) is Markup:       # the same Markup, without Markup's escaping slice, upper and +
        text = str(value)
        return Markup(text[:1].upper() + text[1:])
    return value[:1].upper() + value[1:]


@lru_cache(maxsize=2)
def _environment(for_markdown: bool = False) -> Environment:
    # Plain text is escaped where it is placed; a finding's message is Markdown, escaped here.
    # Templates do not change during a run: no `stat` of the file at each of its hundreds of uses.
    env = Environment(loader=FileSystemLoader([str(path) for path in template_dirs()]), autoescape=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                      finalize=markdown_value if for_markdown else None, bytecode_cache=bytecode_cache())
    env.filters["counted"] = counted
    env.filters["capital"] = _capital
    if for_markdown:
        env.filters["code"] = markdown.code
        env.filters["trusted"] = Markup
        env.filters["quoted"] = _quoted_prose
    return env


def _quoted_prose(value: object) -> Markup:
    """Our words around names quoted in backticks ("CDK `addToRolePolicy`"): the names as code
    spans, the words as text, so the message never shows escaped backticks."""
    return markdown.quoted(value, prose=True)


def environment(for_markdown: bool = False) -> Environment:
    """The environment of `sentence` and `text`, or of `finding_message` when `for_markdown`."""
    return _environment(for_markdown)


def forget_templates() -> None:
    """Read the templates again on next use (after `template_dirs` changed)."""
    _environment.cache_clear()
    _macro.cache_clear()
    _messages.clear()


def text(template: str, **values: object) -> str:
    """`template` rendered with `values`, as plain text (a Mermaid drawing, a list of sentences)."""
    return _environment().get_template(template).render(**values)


def sentence(template: str, name: str, **values: object) -> str:
    """What the macro `name` of `template` says with `values`, without its surrounding whitespace
    (said once for the same plain values, as `finding_message`)."""
    return _said(False, template, name, values)


def finding_message(family: str, name: str, **values: object) -> str:
    """The Markdown message that macro `name` of `templates/findings/<family>.md.j2` writes with
    `values`: `str` values escaped as Markdown text, `Markup` ones printed as they are.

    A macro's words depend only on its values: a message already written for the same plain
    values (text, numbers, dates, tuples of them: `_plain_key`) is not written again.
    """
    return _said(True, f"findings/{family}.md.j2", name, values)


def _said(for_markdown: bool, template: str, name: str, values: dict[str, object]) -> str:
    """What macro `name` of `template` says with `values`, kept when they are all plain."""
    key = _plain_key(for_markdown, template, name, values)
    if key is None:
        return str(_macro(for_markdown, template, name)(**values)).strip()
    said = _messages.get(key)
    if said is None:
        if len(_messages) >= MAX_REMEMBERED_MESSAGES:
            _messages.clear()
        said = _messages[key] = str(_macro(for_markdown, template, name)(**values)).strip()
    return said


@lru_cache(maxsize=None)
def _macro(for_markdown: bool, template: str, name: str) -> Callable[..., Any]:
    """Macro `name` of `template` in the environment of `sentence` or of `finding_message`, looked up once."""
    return getattr(_environment(for_markdown).get_template(template).module, name)


# Sentences and messages kept by `_said` (a run writes a few thousand), and what a value may be to
# be part of their key: the exact type is in the key, since Markup and str of the same text are
# equal but print differently (and True == 1). Long text and long lists are written each time.
MAX_REMEMBERED_MESSAGES = 4096
_messages: dict[tuple[object, ...], str] = {}
_PLAIN_TYPES = frozenset({str, Markup, int, bool, type(None), dt.date})
_MAX_KEY_TEXT = 1000
_MAX_KEY_ITEMS = 50


def _plain(value: object) -> bool:
    """A number, a truth value, a date, None or a text not too long to keep."""
    kind = type(value)
    return kind in _PLAIN_TYPES and (not isinstance(value, str) or len(value) <= _MAX_KEY_TEXT)


def _plain_key(for_markdown: bool, template: str, name: str, values: dict[str, object]) -> tuple[object, ...] | None:
    """The key of a message whose values are all plain, or None (a list of dataclasses, a dict)."""
    parts: list[tuple[str, type, object]] = []
    for value_name, value in values.items():
        if _plain(value):
            parts.append((value_name, type(value), value))
        elif isinstance(value, (tuple, list)) and len(value) <= _MAX_KEY_ITEMS and all(map(_plain, value)):
            parts.append((value_name, type(value), tuple((type(item), item) for item in value)))
        else:
            return None
    parts.sort(key=lambda part: part[0])
    return (for_markdown, template, name, *parts)
