"""Serverless Framework variables (`${...}`), resolved only where the file itself holds the answer.

`${self:custom.runtime}` and `${self:provider.stage}` point inside the same file and are resolved
(recursively, with a depth limit and cycle detection), and so is `${file(../common.yml):provider.runtime}`,
a part of a YAML or JSON file of the repository (a monorepo's services share their runtime and
stage that way), whose own variables resolve against the service, as Serverless resolves them.
Every other source (`${opt:stage}`, `${env:X}`, `${ssm:/path}`, `${sls:stage}`, `${cf:...}`,
`${param:...}`...) depends on the deployment and stays unresolved: the text keeps the variable as written, and the
resolution lists it, so a reader can say "depends on ${opt:stage}" instead of guessing.

A fallback written in the file (`${opt:runtime, 'python3.12'}`, `${env:X, self:custom.x}`) is
what deploys when the deployment gives nothing else: it is used as the value, the way a
CloudFormation parameter's `Default` is, and `fallback_of` remembers which source it stands in for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reviewer.located import LocatedList, LocatedMap, LocatedStr

MAX_DEPTH = 10
MAX_STEPS = 200_000
MAX_TEXT = 10_000
MAX_TREE_NODES = 50_000
TOO_LONG = f" (unknown: too long, more than {MAX_TEXT:,} characters)"


@dataclass
class Resolution:
    """A resolved value, the line of the literal it came from (`path`: the file, when another
    file than the service's holds it), and what stayed unresolved."""

    value: Any
    line: int | None = None
    unresolved: list[str] = field(default_factory=list)
    fallback_of: str | None = None
    path: str | None = None

    @property
    def resolved(self) -> bool:
        return not self.unresolved

    def reason(self) -> str:
        return "depends on " + ", ".join(self.unresolved[:3]) if self.unresolved else ""


class VariableResolver:
    """Resolves `${self:...}` against one parsed serverless.yml, and `${file(...)}` through
    `include` (the text of the variable → the document or part it names, None when it names none);
    bounded in depth and work."""

    def __init__(self, document: LocatedMap, include: Callable[[str], Any] | None = None) -> None:
        self.document = document
        self.include = include
        self._files: dict[str, Any] = {}     # each `file(...)` source read once
        self.steps = 0
        # Top-level resolutions, keyed by object identity; the object is kept so the id stays its own.
        self._done: dict[int, tuple[Any, Resolution]] = {}
        self._trees: dict[int, tuple[Any, tuple[Any, list[str]]]] = {}
        self._addresses: dict[str, Resolution] = {}

    def resolve(self, value: Any, depth: int = 0, seen: frozenset[str] = frozenset()) -> Resolution:
        """Resolve the variables of one value (strings only; mappings and lists are returned as they are)."""
        line = getattr(value, "line", None)
        if not isinstance(value, str) or "${" not in value:
            return Resolution(value, line, path=getattr(value, "source_path", None))
        if depth == 0 and not seen and id(value) in self._done and self._done[id(value)][0] is value:
            cached = self._done[id(value)][1]
            return Resolution(cached.value, cached.line, list(cached.unresolved), cached.fallback_of, cached.path)
        self.steps += 1
        if depth > MAX_DEPTH:
            return Resolution(str(value), line, [_truncate(str(value)) + " (nested too deeply)"])
        if self.steps > MAX_STEPS:
            return Resolution(str(value), line, [_truncate(str(value)) + " (too many variables in the file)"])
        result = self._resolve(value, line, depth, seen)
        if depth == 0 and not seen:
            self._done[id(value)] = (value, result)
        return result

    def _resolve(self, value: Any, line: int | None, depth: int, seen: frozenset[str]) -> Resolution:
        spans = _variable_spans(str(value))
        if not spans:
            return Resolution(value, line)
        if len(spans) == 1 and spans[0] == (0, len(value)):
            # The whole value is one variable: it may resolve to a mapping, a list or a number.
            result = self._variable(str(value)[2:-1], depth, seen)
            if result.line is None:
                result.line, result.path = line, getattr(value, "source_path", None)
            return result
        pieces: list[str] = []
        unresolved: list[str] = []
        fallback_of = None
        cursor = 0
        size = 0
        for start, end in spans:
            pieces.append(value[cursor:start])
            inner = self._variable(value[start + 2:end - 1], depth, seen)
            unresolved.extend(inner.unresolved)
            fallback_of = fallback_of or inner.fallback_of
            if inner.unresolved:
                pieces.append(str(inner.value) if isinstance(inner.value, str) else value[start:end])
            elif isinstance(inner.value, (dict, list)) or inner.value is None:
                pieces.append(value[start:end])  # a mapping cannot be spliced into text
                unresolved.append(_truncate(value[start:end]))
            else:
                pieces.append(_as_text(inner.value, value[start:end]))
            size += len(pieces[-2]) + len(pieces[-1])
            if size > MAX_TEXT:
                # Never built: `${self:…}` fanned out over a few levels would make gigabytes.
                return Resolution(_truncate(str(value)), line, [_truncate(str(value)) + TOO_LONG])
            cursor = end
        pieces.append(value[cursor:])
        text = "".join(pieces)[:MAX_TEXT]
        located = LocatedStr(text)
        located.line = line or 1
        located.end_line = getattr(value, "end_line", located.line)
        _keep_source(value, located)
        return Resolution(located, line, unresolved, fallback_of, getattr(value, "source_path", None))

    def _variable(self, expression: str, depth: int, seen: frozenset[str]) -> Resolution:
        """One `${...}` body: sources separated by top-level commas, the first that resolves wins."""
        sources = _split_sources(expression)
        first: Resolution | None = None
        for source in sources:
            result = self._source(source.strip(), depth, seen)
            if result.resolved and result.value is not None:
                if first is not None:
                    result.fallback_of = first.unresolved[0]
                return result
            if first is None and result.unresolved:
                first = result
        if first is not None and isinstance(first.value, str) and len(sources) == 1:
            return first  # partly resolved text: `orders-${sls:stage}-uploads`
        reason = first.unresolved[0] if first is not None else _truncate("${" + expression + "}")
        return Resolution("${" + expression + "}", None, [reason])

    def _source(self, source: str, depth: int, seen: frozenset[str]) -> Resolution:
        if len(source) >= 2 and source[0] == source[-1] and source[0] in "'\"":
            return Resolution(source[1:-1])
        if _is_number(source):
            # Kept as text when Python's int would refuse or balloon (`1e5`, 5,000 digits).
            plain_int = source.lstrip("-").isascii() and source.lstrip("-").isdecimal() and len(source) <= 18
            return Resolution(int(source) if plain_int else float(source) if len(source) <= 32 else source)
        if source in ("true", "false"):
            return Resolution(source == "true")
        if source.startswith("${") and source.endswith("}"):
            return self.resolve(source, depth + 1, seen)
        if "${" in source:  # a nested variable inside the address: ${self:custom.${opt:stage}}
            address = self.resolve(source, depth + 1, seen)
            if not address.resolved or not isinstance(address.value, str):
                return Resolution(None, None, address.unresolved or [_truncate("${" + source + "}")])
            source = str(address.value)
        if source.startswith("self:"):
            return self._self(source[len("self:"):], depth, seen)
        if source.startswith("file(") and self.include is not None:
            return self._file(source, depth, seen)
        return Resolution(None, None, [_truncate("${" + source + "}")])

    def _file(self, source: str, depth: int, seen: frozenset[str]) -> Resolution:
        """`file(../common.yml):provider.runtime` → that value of that file, its own variables
        resolved in turn (a file naming itself stops at the depth limit)."""
        if source not in self._files and self.include is not None:
            self._files[source] = self.include("${" + source + "}")
        included = self._files.get(source)
        if included is None:
            return Resolution(None, None, [_truncate("${" + source + "}")])
        return self.resolve(included, depth + 1, seen)

    def _self(self, address: str, depth: int, seen: frozenset[str]) -> Resolution:
        """`self:custom.runtime` → the value at custom.runtime in this file (resolved in turn).

        Memoised by address: a value that resolved once has no cycle below it, so it resolves the
        same wherever it is used, and `${self:…}` fan-out costs one resolution per address."""
        if address in seen:
            return Resolution(None, None, ["${self:" + address + "} (refers to itself)"])
        known = self._addresses.get(address)
        if known is not None:
            return Resolution(known.value, known.line, [], known.fallback_of, known.path)
        result = self._self_uncached(address, depth, seen)
        if result.resolved:
            self._addresses[address] = result
        return result

    def _self_uncached(self, address: str, depth: int, seen: frozenset[str]) -> Resolution:
        current: Any = self.document
        line: int | None = None
        for part in [p for p in address.split(".") if p != ""]:
            if isinstance(current, str) and "${" in current:
                # a part kept elsewhere: `custom: ${file(../common.yml):custom}`, then `self:custom.domain`
                through = self.resolve(current, depth + 1, seen | {address})
                if not through.resolved:
                    return Resolution(None, None, through.unresolved)
                current = through.value
            if isinstance(current, LocatedMap) and part in current:
                line = current.line_of(part)
                current = current[part]
            elif isinstance(current, dict) and part in current:
                current = current[part]
            elif isinstance(current, list) and part.isascii() and part.isdecimal() and int(part) < len(current):
                current = current[int(part)]
            else:
                return Resolution(None, None, ["${self:" + address + "} (not in this file)"])
        result = self.resolve(current, depth + 1, seen | {address})
        if result.line is None or not isinstance(current, str):
            result.line = getattr(current, "line", None) or line
            result.path = getattr(current, "source_path", None)
        return result

    def resolve_tree(self, value: Any) -> tuple[Any, list[str]]:
        """A copy of a mapping/list with every string's variables resolved; lines are kept."""
        if id(value) in self._trees and self._trees[id(value)][0] is value:
            return self._trees[id(value)][1]
        budget = [MAX_TREE_NODES]
        unresolved: list[str] = []
        result = self._tree(value, 0, budget, unresolved), unresolved
        if isinstance(value, (LocatedMap, LocatedList)):
            self._trees[id(value)] = (value, result)
        return result

    def _tree(self, value: Any, depth: int, budget: list[int], unresolved: list[str]) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 100:
            return value
        if isinstance(value, LocatedMap):
            copy = LocatedMap()
            copy.line, copy.key_lines = value.line, dict(value.key_lines)
            _keep_source(value, copy)
            for key, item in value.items():
                copy[key] = self._tree(item, depth + 1, budget, unresolved)
            return copy
        if isinstance(value, LocatedList):
            items = LocatedList(self._tree(item, depth + 1, budget, unresolved) for item in value)
            items.line, items.item_lines = value.line, list(value.item_lines)
            _keep_source(value, items)
            return items
        if isinstance(value, str) and "${" in value:
            result = self.resolve(value)
            unresolved.extend(result.unresolved)
            return result.value
        return value


def _keep_source(original: Any, copy: Any) -> None:
    """A resolved copy keeps the file its original was written in (`${file(...)}`, a serverless.ts
    module), so a location read from the copy points into that file, not the service's."""
    source = getattr(original, "source_path", None)
    if source is not None:
        copy.source_path = source


def _variable_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level `${...}`, nesting-aware; unterminated ones are ignored."""
    spans = []
    index = 0
    limit = min(len(text), MAX_TEXT)
    while index < limit:
        start = text.find("${", index, limit)
        if start < 0:
            break
        depth, cursor = 0, start
        end = -1
        while cursor < limit:
            if text.startswith("${", cursor):
                depth += 1
                cursor += 2
                continue
            if text[cursor] == "}":
                depth -= 1
                if depth == 0:
                    end = cursor + 1
                    break
            cursor += 1
        if end < 0:
            break
        spans.append((start, end))
        index = end
    return spans


def _split_sources(expression: str) -> list[str]:
    """`opt:stage, self:provider.stage, 'dev'` → three sources (commas inside quotes or ${} stay)."""
    sources, current, depth, quote = [], [], 0, ""
    index = 0
    while index < len(expression):
        char = expression[index]
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif expression.startswith("${", index):
            depth += 1
            current.append("${")
            index += 2
            continue
        elif char == "}" and depth:
            depth -= 1
            current.append(char)
        elif char == "(":
            depth += 1
            current.append(char)
        elif char == ")" and depth:
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            sources.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    sources.append("".join(current))
    return [source for source in sources if source.strip()]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return bool(text) and text[0] in "-0123456789"


def _as_text(value: Any, original: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (dict, list)):
        return original
    return str(value)


def _truncate(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"


__all__ = ["VariableResolver", "Resolution"]
