"""A Python 3.12 file read by an older interpreter: the same program in 3.11 grammar, line for line.

The review runs where its user runs it: the action's image reads the newest grammar, a developer's
Python 3.11 does not. A handler written for `python3.12` and later often uses PEP 701 f-strings
(`f"{event["key"]}"`) and now and then PEP 695 type parameters and `type` aliases. What the review
reads in a handler (which calls are made, with which values) does not depend on that grammar, so
rather than skipping the file (LR903) its text is rewritten into the older grammar without moving
a line:

- a string inside an f-string's replacement field that reuses the f-string's quote takes the other
  quote (`f"{event['key']}"`), which keeps every column;
- `type Alias[T] = expr` becomes `Alias = expr`, and `def f[T](...)`, `class C[T](...)` lose their
  type parameters (written on one line).

Anything else (a backslash or a comment inside a replacement field, a nested string that holds
both quotes, type parameters over several lines, 3.13 and 3.14 syntax) gives None: the file stays
unparsed and its LR903 notice says why. The text is never run.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize

# Characters of source scanned before giving up (a handler is far smaller).
MAX_CHARS = 2_000_000
_QUOTES = "'\""
_PREFIX_LETTERS = frozenset("rRbBuUfF")


class _Unsupported(Exception):
    """A construct the rewriting does not cover: the file stays unparsed."""


def parse_python(text: str) -> ast.Module:
    """`ast.parse`, and on a Python older than 3.12 the 3.11 rewriting of a file that needs the
    newer grammar; the first SyntaxError is raised again when the rewriting does not parse either
    (its LR903 or LR901 notice then says why)."""
    try:
        return ast.parse(text)
    except SyntaxError:
        if sys.version_info >= (3, 12):
            raise
        older = downgrade(text)
        if older is None:
            raise
        try:
            return ast.parse(older)
        except SyntaxError:
            pass
        raise


def downgrade(source: str) -> str | None:
    """`source` in Python 3.11 grammar with every line in place, or None when it cannot be."""
    if len(source) > MAX_CHARS:
        return None
    try:
        return _without_type_parameters(_Strings(source).rewrite())
    except (_Unsupported, tokenize.TokenError, IndentationError, SyntaxError, ValueError, RecursionError):
        return None


class _Strings:
    """One pass over the source that copies it, rewriting nested quotes inside f-strings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.index = 0

    def rewrite(self) -> str:
        source = self.source
        while self.index < len(source):
            char = source[self.index]
            if char == "#":
                end = source.find("\n", self.index)
                end = len(source) if end < 0 else end
                self.out.append(source[self.index:end])
                self.index = end
            elif char in _QUOTES or (char in _PREFIX_LETTERS and self._string_follows()):
                self.out.append(self._string(enclosing=()))
            else:
                self.out.append(char)
                self.index += 1
        return "".join(self.out)

    def _string_follows(self) -> bool:
        """Whether a string prefix (`f`, `rb`, `Fr`...) starts at `index`, not a name ending so."""
        source, start = self.source, self.index
        if start > 0 and (source[start - 1].isalnum() or source[start - 1] == "_"):
            return False
        end = start
        while end < len(source) and end - start < 3 and source[end] in _PREFIX_LETTERS:
            end += 1
        return end < len(source) and source[end] in _QUOTES

    def _string(self, enclosing: tuple[str, ...]) -> str:
        """The string at `index` (prefix included), rewritten; `enclosing` holds the delimiters
        of the f-strings whose replacement fields hold it, outermost first (none at the top)."""
        source = self.source
        start = self.index
        while source[self.index] in _PREFIX_LETTERS:
            self.index += 1
        prefix = source[start:self.index]
        written = source[self.index]
        triple = source.startswith(written * 3, self.index)
        quote = _quote_for(written, triple, enclosing)
        delimiter = quote * 3 if triple else quote
        self.index += len(delimiter)
        closing = written * 3 if triple else written
        inner = (*enclosing, delimiter) if enclosing or "f" in prefix.lower() else ()
        if len(inner) > 3:
            raise _Unsupported("f-strings nested too deeply")
        body = self._fstring_body(closing, inner) if "f" in prefix.lower() else \
            self._plain_body(closing, triple, inner)
        return prefix + delimiter + body + delimiter

    def _plain_body(self, closing: str, triple: bool, enclosing: tuple[str, ...]) -> str:
        """A string's text up to its closing quote (consumed, not returned). Inside a replacement
        field (`enclosing` not empty) it may hold no quote that would end an enclosing string."""
        source = self.source
        begin = self.index
        while True:
            if self.index >= len(source):
                raise _Unsupported("an unterminated string")
            char = source[self.index]
            if char == "\\":
                if enclosing:
                    raise _Unsupported("a backslash inside a replacement field")
                self.index += 2
                continue
            if char == "\n" and not triple:
                raise _Unsupported("a line break in a one-line string")
            if source.startswith(closing, self.index):
                text = source[begin:self.index]
                self.index += len(closing)
                if enclosing and _ends_one(text, enclosing):
                    raise _Unsupported("a nested string holding a quote that ends an enclosing one")
                return text
            self.index += 1

    def _fstring_body(self, closing: str, enclosing: tuple[str, ...]) -> str:
        """An f-string's text and replacement fields up to its closing quote (consumed, not
        returned); `enclosing` ends with its own rewritten delimiter."""
        source = self.source
        parts: list[str] = []
        nested = len(enclosing) > 1
        while True:
            if self.index >= len(source):
                raise _Unsupported("an unterminated f-string")
            char = source[self.index]
            if char == "\\":
                if nested:
                    raise _Unsupported("a backslash inside a replacement field")
                parts.append(source[self.index:self.index + 2])
                self.index += 2
            elif source.startswith(closing, self.index):
                self.index += len(closing)
                text = "".join(parts)
                return text
            elif char == "\n" and len(closing) == 1:
                raise _Unsupported("a line break in a one-line f-string")
            elif source.startswith("{{", self.index) or source.startswith("}}", self.index):
                parts.append(source[self.index:self.index + 2])
                self.index += 2
            elif char == "{":
                parts.append(self._field(enclosing))
            else:
                if nested and _ends_one(char, enclosing):
                    raise _Unsupported("a nested f-string holding a quote that ends an enclosing one")
                parts.append(char)
                self.index += 1

    def _field(self, enclosing: tuple[str, ...]) -> str:
        """`{expression!r:spec}` with its nested strings rewritten, from `{` to its `}`."""
        source = self.source
        parts = ["{"]
        self.index += 1
        nesting = 0
        while True:
            if self.index >= len(source):
                raise _Unsupported("an unterminated replacement field")
            char = source[self.index]
            if char in "\\#":
                raise _Unsupported("a backslash or comment inside a replacement field")
            if char == "\n" and len(enclosing[-1]) == 1:
                raise _Unsupported("a line break inside a one-line f-string's field")
            if char in _QUOTES or (char in _PREFIX_LETTERS and self._string_follows()):
                parts.append(self._string(enclosing))
                continue
            if char in "([{":
                nesting += 1
            elif char in ")]" or (char == "}" and nesting > 0):
                nesting -= 1
            elif char == "}":
                self.index += 1
                parts.append("}")
                return "".join(parts)
            elif char == ":" and nesting == 0 and not source.startswith(":=", self.index):
                parts.append(":")
                self.index += 1
                parts.append(self._format_spec(enclosing))
                return "".join(parts)
            parts.append(char)
            self.index += 1

    def _format_spec(self, enclosing: tuple[str, ...]) -> str:
        """A format spec up to the field's `}`: text, with nested `{fields}`."""
        source = self.source
        parts: list[str] = []
        while True:
            if self.index >= len(source) or source[self.index] in _QUOTES:
                raise _Unsupported("an unterminated format spec")
            char = source[self.index]
            if char == "{":
                parts.append(self._field(enclosing))
            elif char == "}":
                self.index += 1
                return "".join(parts) + "}"
            else:
                parts.append(char)
                self.index += 1


def _quote_for(written: str, triple: bool, enclosing: tuple[str, ...]) -> str:
    """The quote a string keeps, or the other one when its own would end an enclosing string."""
    taken = {d for d in enclosing if len(d) == 1} | {d[0] for d in enclosing if triple and len(d) == 3}
    if written not in taken:
        return written
    other = "'" if written == '"' else '"'
    if other in taken or triple:
        raise _Unsupported("no quote left for a nested string")
    return other


def _ends_one(text: str, enclosing: tuple[str, ...]) -> bool:
    """Whether `text` holds a quote (or triple quote) that would end one of the enclosing strings."""
    return any((d in text) for d in enclosing)


def _without_type_parameters(source: str) -> str:
    """`type X[T] = v` → `X = v`; `def f[T](...)` / `class C[T]` → without `[T]` (one line each)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    cuts: list[tuple[tuple[int, int], tuple[int, int]]] = []   # (start, end) positions to remove
    starts = _statement_starts(tokens)
    for index in starts:
        first = tokens[index]
        if first.type != tokenize.NAME:
            continue
        if first.string == "async" and index + 1 < len(tokens) and tokens[index + 1].string == "def":
            index += 1
            first = tokens[index]
        name = tokens[index + 1] if index + 1 < len(tokens) else None
        after = tokens[index + 2] if index + 2 < len(tokens) else None
        if name is None or after is None or name.type != tokenize.NAME or after.type != tokenize.OP:
            continue
        if first.string == "type" and after.string in ("=", "["):
            cuts.append((first.start, name.start))
        elif not (first.string in ("def", "class") and after.string == "["):
            continue
        if after.string == "[":
            close = _matching_bracket(tokens, index + 2)
            if tokens[close].end[0] != after.start[0]:
                raise _Unsupported("type parameters over several lines")
            cuts.append((after.start, tokens[close].end))
    return _cut(source, cuts)


def _statement_starts(tokens: list[tokenize.TokenInfo]) -> list[int]:
    """Indexes of the first token of every statement (after NEWLINE, INDENT, DEDENT and `;`)."""
    starts: list[int] = []
    expecting = True
    for index, token in enumerate(tokens):
        if token.type in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
            continue
        if token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or (
                token.type == tokenize.OP and token.string == ";"):
            expecting = True
            continue
        if expecting:
            starts.append(index)
            expecting = False
    return starts


def _matching_bracket(tokens: list[tokenize.TokenInfo], opening: int) -> int:
    depth = 0
    for index in range(opening, len(tokens)):
        token = tokens[index]
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
            if depth == 0:
                return index
    raise _Unsupported("an unclosed bracket")


def _cut(source: str, cuts: list[tuple[tuple[int, int], tuple[int, int]]]) -> str:
    """`source` without the given (line, column) ranges, each within one line."""
    if not cuts:
        return source
    lines = source.splitlines(keepends=True)
    for (line, start), (end_line, end) in sorted(cuts, reverse=True):
        if line != end_line:
            raise _Unsupported("a cut over several lines")
        text = lines[line - 1]
        lines[line - 1] = text[:start] + text[end:]
    return "".join(lines)


__all__ = ["downgrade", "parse_python"]
