"""`Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded as CloudFormation would.

A template may declare its functions through a loop instead of one by one:

    Resources:
      Fn::ForEach::Services:
        - Name
        - !Ref ServiceNames            # CommaDelimitedList, Default "Users,Orders"
        - ${Name}Function:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: ./services/${Name}, Handler: app.handler, Runtime: python3.12}

CloudFormation (and `sam build`) turn this into `UsersFunction` and `OrdersFunction`. Without the
expansion the loop is a list where a resource belongs, and the functions it declares would be
missing from the review. Each generated resource keeps the lines of the text it comes from: every
`UsersFunction` and `OrdersFunction` finding points at the `${Name}Function:` line that declares both.

Only collections the template states are expanded: a literal list, or a `Ref` to a parameter
whose `Default` gives the list. A loop over anything else (an import, a lookup) is left out, as
before, since which resources it makes is decided at deploy time.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.inventory.cloudformation.reference import literal_text
from reviewer.located import LocatedList, LocatedMap, LocatedStr

PREFIX = "Fn::ForEach::"
# Resources a template's loops may generate: CloudFormation's own limit on a template's resources.
MAX_GENERATED = 500
MAX_NESTING = 5

_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def has_loops(resources: LocatedMap) -> bool:
    """Whether the `Resources` mapping has any `Fn::ForEach::` entry (most templates have none)."""
    return any(isinstance(key, str) and key.startswith(PREFIX) for key in resources)


def expand_resources(resources: LocatedMap, parameters: Any) -> LocatedMap:
    """A copy of `Resources` with every loop replaced by the resources it generates, in place."""
    budget = [MAX_GENERATED]
    expanded = _expand_entries(resources, parameters if isinstance(parameters, LocatedMap) else {}, 0, budget)
    return expanded


def _expand_entries(entries: LocatedMap, parameters: Any, depth: int, budget: list[int]) -> LocatedMap:
    result = _like(entries)
    for key, value in entries.items():
        if not (isinstance(key, str) and key.startswith(PREFIX)):
            _put(result, key, value, entries.line_of(key))
            continue
        if depth >= MAX_NESTING:
            continue
        for name, generated, line in _iterations(value, parameters, depth, budget):
            _put(result, name, generated, line)
    return result


def _iterations(loop: Any, parameters: Any, depth: int, budget: list[int]) -> list[tuple[str, Any, int]]:
    """(logical id, resource, line) for every resource one loop generates."""
    if not isinstance(loop, list) or len(loop) != 3 or not isinstance(loop[2], LocatedMap):
        return []
    identifier = literal_text(loop[0])
    collection = _collection(loop[1], parameters)
    if not identifier or collection is None:
        return []
    body: LocatedMap = loop[2]
    generated: list[tuple[str, Any, int]] = []
    for item in collection:
        substituted = _substitute(body, identifier, item)
        inner = _expand_entries(substituted, parameters, depth + 1, budget)
        for name, resource in inner.items():
            if budget[0] <= 0:
                return generated
            budget[0] -= 1
            generated.append((name, resource, inner.line_of(name)))
    return generated


def _collection(value: Any, parameters: Any) -> list[str] | None:
    """The loop's values: a literal list, or the `Default` of the parameter a `Ref` names."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        parameter = parameters.get(str(value["Ref"]))
        value = parameter.get("Default") if isinstance(parameter, dict) else None
        if isinstance(value, str):   # a CommaDelimitedList's default is one comma-separated string
            return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        return None
    items = [literal_text(item) for item in value]
    if any(item is None for item in items):
        return None
    return [item for item in items if item is not None]


def _substitute(value: Any, identifier: str, item: str) -> Any:
    """`value` with the loop's identifier replaced: `${Id}` and `&{Id}` (the item without its
    non-alphanumeric characters) in keys and strings, and `{"Ref": Id}` by the item itself."""
    if isinstance(value, LocatedMap):
        if set(value) == {"Ref"} and literal_text(value["Ref"]) == identifier:
            return _text_like(item, value.line, value.line)
        result = _like(value)
        for key, inner in value.items():
            _put(result, _replace(str(key), identifier, item), _substitute(inner, identifier, item),
                 value.line_of(key))
        return result
    if isinstance(value, LocatedList):
        items = LocatedList(_substitute(inner, identifier, item) for inner in value)
        items.line, items.item_lines = value.line, list(value.item_lines)
        return items
    if isinstance(value, str):
        replaced = _replace(value, identifier, item)
        if replaced == value:
            return value
        line = getattr(value, "line", 1)
        return _text_like(replaced, line, getattr(value, "end_line", line))
    return value


def _replace(text: str, identifier: str, item: str) -> str:
    if "{" not in text:
        return text
    return text.replace("${" + identifier + "}", item).replace("&{" + identifier + "}",
                                                                _NOT_ALPHANUMERIC.sub("", item))


def _like(source: LocatedMap) -> LocatedMap:
    result = LocatedMap()
    result.line, result.key_lines = source.line, {}
    return result


def _put(target: LocatedMap, key: str, value: Any, line: int) -> None:
    target[key] = value
    target.key_lines[key] = line


def _text_like(text: str, line: int, end_line: int) -> LocatedStr:
    """A new string with the lines of the text it replaces (loaded strings share theirs)."""
    located = LocatedStr(text)
    located.__dict__ = {"line": line, "end_line": end_line}
    return located


__all__ = ["expand_resources", "has_loops", "PREFIX"]
