"""Which Python a file needs, when the interpreter running the review cannot parse it.

`ast` (and bandit, which uses it) parses with the grammar of the Python it runs on. A handler of a
`python3.14` function may use syntax that Python 3.11 or 3.13 rejects: PEP 701 f-strings (3.12),
PEP 695 type parameters and `type` aliases (3.12), PEP 696 type-parameter defaults (3.13), PEP 750
template strings and PEP 758 `except` without parentheses (3.14). Calling such a file "not valid
Python" would be wrong, so when parsing fails we look at its tokens (the standard tokenizer, which
is far more forgiving than the parser) for those constructs and name the version they need.

Only a construct newer than the running interpreter counts; anything else stays a syntax error.
"""

from __future__ import annotations

import io
import sys
import tokenize
from typing import Iterator

RUNNING = sys.version_info[:2]

# Tokens read before giving up: the markers of new syntax show up early in any real file.
MAX_TOKENS = 200_000


def needed_version(source: str) -> tuple[int, int] | None:
    """The newest-grammar Python this source asks for, when that is newer than the running one.

    None means nothing newer was recognised: a parse failure is then a real syntax error.
    """
    newest: tuple[int, int] | None = None
    for version in _markers(source):
        if version > RUNNING and (newest is None or version > newest):
            newest = version
    return newest


def version_label(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    readline = io.StringIO(source).readline
    count = 0
    try:
        for token in tokenize.generate_tokens(readline):
            count += 1
            if count > MAX_TOKENS:
                return
            yield token
    except (tokenize.TokenError, IndentationError, SyntaxError, ValueError, RecursionError):
        return


def _markers(source: str) -> Iterator[tuple[int, int]]:
    """The grammar versions the constructs found in `source` need (3.12+), in source order."""
    statement: list[tokenize.TokenInfo] = []   # the first significant tokens of the current statement
    previous: tokenize.TokenInfo | None = None
    for token in _tokens(source):
        kind = token.type
        if kind in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
            continue
        if kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or (
            kind == tokenize.OP and token.string in (";", ":") and len(statement) < 3
        ):
            statement.clear()
            previous = token
            continue
        if kind == tokenize.STRING:
            if sys.version_info < (3, 12) and _is_split_fstring(token.string):
                yield (3, 12)
            if previous is not None and _is_template_prefix(previous, token):
                yield (3, 14)
        if len(statement) < 3:
            statement.append(token)
            if len(statement) == 3:
                yield from _statement_markers(statement)
        previous = token


def _statement_markers(first_three: list[tokenize.TokenInfo]) -> Iterator[tuple[int, int]]:
    """`type X = ...`, `def f[T]`, `class C[T]`, `except A, B:` at the start of a statement."""
    first, second, third = first_three
    if first.type != tokenize.NAME or second.type != tokenize.NAME:
        return
    if first.string == "type" and third.type == tokenize.OP and third.string in ("=", "["):
        yield (3, 12)
    elif first.string in ("def", "class") and third.type == tokenize.OP and third.string == "[":
        yield (3, 12)
    elif first.string == "except" and third.type == tokenize.OP and third.string == ",":
        yield (3, 14)


def _is_template_prefix(previous: tokenize.TokenInfo, string: tokenize.TokenInfo) -> bool:
    """`t"..."` read by an older tokenizer: a NAME `t` (or `rt`/`tr`) touching a string."""
    return (
        previous.type == tokenize.NAME
        and previous.string.lower() in ("t", "rt", "tr")
        and previous.end == string.start
    )


def _is_split_fstring(text: str) -> bool:
    """An f-string the 3.11 tokenizer cut short: a nested quote of the same kind (PEP 701).

    `f"{x["a"]}"` tokenizes on 3.11 as `f"{x["`, `a`, `"]}"`: the first piece opens more
    replacement fields than it closes.
    """
    prefix_end = 0
    while prefix_end < len(text) and text[prefix_end] not in "'\"":
        prefix_end += 1
    prefix = text[:prefix_end].lower()
    if "f" not in prefix:
        return False
    body = text[prefix_end:]
    depth = 0
    index = 0
    while index < len(body):
        char = body[index]
        if char in "{}" and body[index : index + 2] in ("{{", "}}") and depth == 0:
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        index += 1
    return depth > 0
