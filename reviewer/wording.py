"""The words of sentences people read: counted nouns, and sentences kept in `templates/`.

A sentence built here is plain text (a note, a finding's message part): its words come from a
macro of a template under `templates/`, its values are passed in, and whoever places it in
Markdown escapes it there (`markdown.text`). Changing a sentence is a change to a template.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun that agrees with it; `plural` when it is not `singular` + "s"."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"


def template_dirs() -> list[Path]:
    """Where the templates are: `templates/` beside `reviewer/` in a source checkout (and the
    Docker image), or the `reviewer.templates` package data of an installed wheel."""
    package = Path(__file__).resolve().parent
    return [path for path in (package.parent / "templates", package / "templates") if path.is_dir()]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text: nothing is escaped here, since the sentence is escaped where it is placed.
    env = Environment(loader=FileSystemLoader([str(path) for path in template_dirs()]), autoescape=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["counted"] = counted
    return env


def text(template: str, **values: object) -> str:
    """`template` rendered with `values`, as plain text (a Mermaid drawing, a list of sentences)."""
    return _environment().get_template(template).render(**values)


def sentence(template: str, name: str, **values: object) -> str:
    """What the macro `name` of `template` says with `values`, without its surrounding whitespace."""
    macro = getattr(_environment().get_template(template).module, name)
    return str(macro(**values)).strip()
