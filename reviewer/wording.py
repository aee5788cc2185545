"""Counted nouns for sentences people read: "1 finding", "2 findings", never "1 findings"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun that agrees with it; `plural` when it is not `singular` + "s"."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"
