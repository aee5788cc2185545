"""Terraform's `replace(text, "/[^a-zA-Z0-9]+/", "_")` when the pattern is one character class.

A `/.../` pattern is a regular expression (RE2). Modules use it to make a name safe for a
folder, a bucket or a function (`lambda_name_underscore = replace(lower(var.name),
"/[^a-zA-Z0-9]+/", "_")`), and the code folder then follows from that name. A pattern written in
the repository is never compiled: only one bracket class (its ranges, single characters and the
`\\d`, `\\w`, `\\s` escapes, negated or not) or one such escape, optionally repeated with `+`, is
understood, and matched here character by character, in one pass over the text. Anything else
(alternatives, anchors, groups, `*`, a `$1` in the replacement) stays unknown to the caller.
"""

from __future__ import annotations

from typing import Callable

MAX_PATTERN_CHARS = 200
# RE2's Perl classes, as ranges; the upper-case escape is the negation.
_ESCAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "d": (("0", "9"),),
    "w": (("0", "9"), ("A", "Z"), ("a", "z"), ("_", "_")),
    "s": (("\t", "\n"), ("\f", "\r"), (" ", " ")),
}


def class_replace(text: str, pattern: str, replacement: str) -> str | None:
    """`text` with every match of the `/.../` `pattern` replaced, or None when the pattern is not
    one character class (or the replacement refers to a group)."""
    if "$" in replacement or len(pattern) > MAX_PATTERN_CHARS:
        return None
    body = pattern[1:-1] if len(pattern) >= 2 and pattern[0] == "/" and pattern[-1] == "/" else None
    if not body:
        return None
    repeated = body.endswith("+") and not body.endswith("\\+")
    matches = _character_class(body[:-1] if repeated else body)
    if matches is None:
        return None
    out: list[str] = []
    in_match = False
    for char in text:
        if not matches(char):
            out.append(char)
            in_match = False
        elif not (repeated and in_match):
            out.append(replacement)
            in_match = True
    return "".join(out)


def _character_class(body: str) -> Callable[[str], bool] | None:
    """Whether a character belongs to `[...]`, `[^...]`, `\\d`, `\\W`...; None for another pattern."""
    if len(body) == 2 and body[0] == "\\" and body[1].lower() in _ESCAPES:
        return _member(_ESCAPES[body[1].lower()], negated=body[1].isupper())
    if len(body) < 3 or body[0] != "[" or body[-1] != "]":
        return None
    inner = body[1:-1]
    negated = inner.startswith("^")
    listed = _ranges(inner[1:] if negated else inner)
    return _member(listed, negated) if listed is not None else None


def _ranges(inner: str) -> tuple[tuple[str, str], ...] | None:
    """The ranges a class's inside lists: `a-z`, single characters, escapes; None for a nested
    class (`[[:alpha:]]`), an escape that is no character or class, or an empty class."""
    items: list[tuple[str, str]] = []
    index = 0
    while index < len(inner):
        char = inner[index]
        if char in "[]":
            return None
        if char == "\\":
            if index + 1 >= len(inner):
                return None
            escaped = inner[index + 1]
            if escaped in _ESCAPES:
                items.extend(_ESCAPES[escaped])
                index += 2
                continue
            if escaped.isalnum():
                return None  # `\D`, `\pL`, `\x41` inside a class: not read here
            char, index = escaped, index + 1
        if index + 2 < len(inner) and inner[index + 1] == "-" and inner[index + 2] not in "\\[]":
            if inner[index + 2] < char:
                return None
            items.append((char, inner[index + 2]))
            index += 3
            continue
        items.append((char, char))
        index += 1
    return tuple(items) if items else None


def _member(ranges: tuple[tuple[str, str], ...], negated: bool) -> Callable[[str], bool]:
    def matches(char: str) -> bool:
        return any(low <= char <= high for low, high in ranges) != negated
    return matches


__all__ = ["class_replace"]
