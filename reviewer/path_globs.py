"""Glob patterns over repository paths, matched in time linear in the path: never a regular
expression with nested wildcards.

A package setting written by the repository (`package.patterns: ['*a*a*a*a*a*b']`) is hostile
input. Turned into a backtracking regular expression, each `*` multiplies the ways a path can be
split: five of them against a 400-character path took seconds, ten never finished, for every
file of the service. Here a pattern is a tuple of segments (`src/**/*.py` → `("src", "**",
"*.py")`): `**` stands for any number of whole segments, matched by dynamic programming over
(pattern segment, path segment); within a segment, `*`, `?` and `[...]` are matched by the
greedy two-pointer method that returns to the last `*` only, so a segment costs at most the
product of the two lengths. Dot files are matched like any other (the Serverless Framework's
micromatch is run with `dot: true`).
"""

from __future__ import annotations

from functools import lru_cache

Glob = tuple[str, ...]          # path segments; "**" any number of whole segments


def matches(glob: Glob, path: str) -> bool:
    """Whether the relative `path` is matched whole by `glob`."""
    parts = path.split("/")
    # reachable[j]: the pattern's segments read so far can match the path's first j segments
    reachable = [True] + [False] * len(parts)
    for segment in glob:
        if segment == "**":
            for j in range(1, len(parts) + 1):      # any number of whole segments, none included
                reachable[j] = reachable[j] or reachable[j - 1]
            continue
        following = [False] * (len(parts) + 1)
        for j in range(len(parts)):
            if reachable[j] and segment_matches(segment, parts[j]):
                following[j + 1] = True
        reachable = following
        if not any(reachable):
            return False
    return reachable[len(parts)]


def segment_matches(pattern: str, name: str) -> bool:
    """One path segment against one pattern segment: `*` any run of characters, `?` one,
    `[abc]`, `[a-z]` and `[!abc]` one of a class (validated by `is_valid_segment`)."""
    tokens = _tokens(pattern)
    p = n = 0
    star_at, star_name = -1, 0
    while n < len(name):
        if p < len(tokens) and tokens[p] != "*" and _one(tokens[p], name[n]):
            p += 1
            n += 1
        elif p < len(tokens) and tokens[p] == "*":
            star_at, star_name = p, n
            p += 1
        elif star_at >= 0:                 # let the last `*` take one more character
            p = star_at + 1
            star_name += 1
            n = star_name
        else:
            return False
    while p < len(tokens) and tokens[p] == "*":
        p += 1
    return p == len(tokens)


def is_valid_segment(pattern: str) -> bool:
    """Whether every `[` of the segment opens a class this module reads."""
    try:
        _tokens(pattern)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1024)
def _tokens(pattern: str) -> tuple[str | tuple[bool, str], ...]:
    """"*", a literal character, "?" as (True, "") (any one), or (negated, class body)."""
    out: list[str | tuple[bool, str]] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if not out or out[-1] != "*":
                out.append("*")
        elif char == "?":
            out.append((True, ""))
        elif char == "[":
            end = pattern.find("]", index + 2)
            if end < 0:
                raise ValueError(f"unterminated class in {pattern!r}")
            inner = pattern[index + 1:end]
            negated = inner[:1] in ("!", "^")
            body = inner[1:] if negated else inner
            if not body or "[" in body:
                raise ValueError(f"a class this reader does not take in {pattern!r}")
            out.append((negated, body))
            index = end
        else:
            out.append(char)
        index += 1
    return tuple(out)


def _one(token: str | tuple[bool, str], char: str) -> bool:
    if isinstance(token, str):
        return token == char
    negated, body = token
    if not body:                         # `?`
        return True
    return _in_class(body, char) != negated


def _in_class(body: str, char: str) -> bool:
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            if body[index] <= char <= body[index + 2]:
                return True
            index += 3
            continue
        if body[index] == char:
            return True
        index += 1
    return False


__all__ = ["Glob", "is_valid_segment", "matches", "segment_matches"]
