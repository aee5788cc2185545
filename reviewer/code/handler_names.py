"""Whether a function's name says it is a handler, for the Python and JavaScript readers alike.

`handler` must be a word of the name (`handler`, `mainHandler`, `lambda_handler`, `handler_v2`),
not only its letters: `handleRdsMigrations`, `handlers_map` or `unhandled_error` are helpers the
handler calls with its own values, and reading their first parameter as the event would report
what the code passes them.
"""

from __future__ import annotations

import re

# The words of a camelCase, PascalCase or snake_case name: `mainHandler` → main, Handler;
# `APIHandler` → API, Handler; `handleRdsMigrations` → handle, Rds, Migrations; `handlers_map` →
# handlers, map.
NAME_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
HANDLER_WORD = "handler"


def names_a_handler(name: str) -> bool:
    """Whether `handler` is a word of the name."""
    return any(word.lower() == HANDLER_WORD for word in NAME_WORDS.findall(name))
