"""What `text.replace(pattern, new)` and `text.replaceAll(pattern, new)` produce in JavaScript.

The Python evaluator follows `key.replace(old, new)` so the recursion analyzer can tell that a
key rewritten from `.raw` to `.txt` no longer matches a `.raw` suffix filter. JavaScript has
three shapes with different reach, and each maps onto what the analyzer already understands:

- `replaceAll("old", new)` and `/old/g`: every occurrence, exactly like Python's `str.replace`.
- `/old$/`: only an `old` at the very end, which says how the result ends just as well.
- `replace("old", new)` and `/old/`: only the first occurrence. A key holding `old` earlier
  (`a.raw/b.raw`) keeps its end for one more round, but every round removes one occurrence, so
  the writes stop after as many rounds as the original key had: no unbounded loop. It is read
  like Python's `replace`, so the common single-occurrence rewrite is not reported as a loop.

Only plain patterns are read: a string, or a regular expression literal made of literal
characters (escaped punctuation allowed) with an optional trailing `$` and the `g`/`u` flags.
Anything else returns None, and the caller keeps its previous reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer import source_trees as st
from reviewer.code.values import EVENT, Part, StaticValue

_METACHARACTERS = frozenset("^$.*+?()[]{}|\\/")
_ALLOWED_FLAGS = frozenset("gu")


@dataclass(frozen=True)
class Pattern:
    """A plain replacement pattern. reach: "all", "end" (anchored by `$`) or "first"."""

    old: str
    reach: str


def regex_pattern(node: Any) -> Pattern | None:
    """A `regex` node such as `/\\.raw$/` as a plain pattern, or None when it uses regex features."""
    pattern_node = node.child_by_field_name("pattern")
    flags_node = node.child_by_field_name("flags")
    flags = st.text(flags_node) if flags_node is not None else ""
    if pattern_node is None or not set(flags) <= _ALLOWED_FLAGS:
        return None
    source = st.text(pattern_node)
    anchored = source.endswith("$") and not source.endswith("\\$")
    if anchored:
        source = source[:-1]
    literal: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            escaped = source[position + 1:position + 2]
            if not escaped or escaped.isalnum() or escaped == "_":   # \d, \w, \b, \1 ... are classes
                return None
            literal.append(escaped)
            position += 2
            continue
        if char in _METACHARACTERS:
            return None
        literal.append(char)
        position += 1
    old = "".join(literal)
    if not old:
        return None
    return Pattern(old, "end" if anchored else ("all" if "g" in flags else "first"))


def string_pattern(old: str, method: str) -> Pattern:
    return Pattern(old, "all" if method == "replaceAll" else "first")


def replaced(receiver: StaticValue, pattern: Pattern, new: str) -> StaticValue | None:
    """The value after the replacement, or None when it cannot be said better than the caller's
    default. `new` must not use `$` substitutions (the caller checks)."""
    if receiver.is_literal:
        text = receiver.text
        if pattern.reach == "all":
            return StaticValue.literal(text.replace(pattern.old, new))
        if pattern.reach == "end":
            return StaticValue.literal(text[:-len(pattern.old)] + new if text.endswith(pattern.old) else text)
        return StaticValue.literal(text.replace(pattern.old, new, 1))
    if len(receiver.parts) != 1 or receiver.parts[0].kind != EVENT or receiver.parts[0].keeps != "both":
        return None
    return StaticValue((Part(EVENT, receiver.parts[0].text, keeps="replaced", replaced=(pattern.old, new)),))
