"""The statements a CloudFormation policy document may deploy when it chooses them by `Fn::If`.

A template deployed with and without an input often writes the part of a role's policy that
depends on it as a choice: `Resource: !If [SetKmsKeys, !Ref KmsKeyList, "*"]` (`*` unless the
deployment names its keys), or a whole statement `- !If [UseVpc, {Effect: Allow, ...}, !Ref
AWS::NoValue]` that exists only in some deployments. Read as written, the choice is no text:
`Resource` would be `<Fn::If>` (never `*`, so a write on every resource goes unseen) and a whole
statement chosen so would have no actions at all. This module reads each statement as each case
its conditions may deploy (reviewer.inventory.cloudformation.conditions), with the conditions'
values under which it does, so a check judges every statement that may deploy and its words say
when (`when the template's condition SetKmsKeys is false`).

A statement is chosen in two steps: the item of `Statement` itself (a chain of `Fn::If` whose
branches are statements or `AWS::NoValue`), then, within the statement chosen, the values of the
keys that decide what it grants (`Action`, `Resource`, their `Not` forms, `Effect`, `Condition`),
each written as a choice or as a list some of whose items are (`Resource: [!If [...]]`). A case
whose two steps need one condition both true and false cannot deploy and is left out.

Bounded: `conditions` follows at most `MAX_CONDITIONS` conditions per step (a statement hanging on
more is read as written), and a document expands to at most `MAX_CASES` statements.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.cloudformation.conditions import (
    NO_VALUE, alternatives, assignments, choice_paths, choose, condition_names, is_choice,
)
from reviewer.located import LocatedList, LocatedMap

# Each way a statement deploys: the conditions it passes and how each is decided; `()` for one
# that deploys whatever they are.
Ways = tuple[tuple[tuple[str, bool], ...], ...]

# The keys of a statement whose choice decides what it grants.
STATEMENT_KEYS = ("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")
MAX_CASES = 500


def document_cases(document: LocatedMap) -> tuple[LocatedMap, list[Ways]]:
    """`document` with each statement of `Statement` replaced by the cases it may deploy, and the
    ways each case deploys, in the same order (a statement written with no choice is one case that
    always deploys). `Statement` itself may be a choice (`!If [UseVpc, [...], [...]]`). A document
    with no choice comes back as it is."""
    statements = document.get("Statement")
    written = _statement_items(statements)
    if not is_choice(statements) and not any(_has_choice(item) for item, _, _ in written):
        return document, [() for item, _, _ in written if isinstance(item, dict)]
    items = LocatedList()
    items.line, items.item_lines = getattr(statements, "line", document.line), []
    found: list[Ways] = []
    for item, line, outer in written:
        for case, inner in statement_cases(item):
            deploys = both_ways(outer, inner)
            if len(items) >= MAX_CASES or deploys is None:
                continue
            items.append(case)
            items.item_lines.append(getattr(case, "line", line) or line)
            found.append(deploys)
    expanded = LocatedMap(document)
    expanded.line, expanded.key_lines = document.line, document.key_lines
    expanded["Statement"] = items
    return expanded, found


def _statement_items(statements: Any) -> list[tuple[Any, int, Ways]]:
    """The items of `Statement` (one mapping, a list, or a choice between them), each with its line
    and the ways the choice of `Statement` keeps it (`()` when `Statement` is no choice)."""
    found: list[tuple[Any, int, Ways]] = []
    for value, ways in item_cases(statements):
        line = getattr(value, "line", 0) or getattr(statements, "line", 0)
        if isinstance(value, dict):
            found.append((value, line, ways))
        elif isinstance(value, list):
            lines = list(getattr(value, "item_lines", []))
            found.extend((item, lines[index] if index < len(lines) else line, ways)
                         for index, item in enumerate(value[:MAX_CASES]))
    return found[:MAX_CASES]


def item_cases(item: Any) -> list[tuple[Any, Ways]]:
    """The values one item of a list (a statement, a policy, a managed policy's ARN) may deploy as,
    each with the ways it does, `AWS::NoValue` left out; an item that is no choice, or hangs on too
    many conditions, as it is written."""
    chosen_items = alternatives(item) if is_choice(item) else None
    if chosen_items is None:
        return [(item, ())]
    return [(chosen, choice_paths(item, chosen)) for chosen in chosen_items if chosen is not NO_VALUE]


def statement_cases(item: Any) -> list[tuple[LocatedMap, Ways]]:
    """The statements one item of `Statement` may deploy, each with the ways it does; none for an
    item that is `AWS::NoValue` in every case, or no mapping."""
    found: list[tuple[LocatedMap, Ways]] = []
    for chosen, outer in item_cases(item):
        if not isinstance(chosen, LocatedMap):
            continue
        for case, inner in _key_cases(chosen):
            deploys = both_ways(outer, inner)
            if deploys is not None:
                found.append((case, deploys))
    return found


def _key_cases(statement: LocatedMap) -> list[tuple[LocatedMap, Ways]]:
    """`statement` as each way of deciding the conditions of its granting keys leaves it, each
    distinct statement with the ways it comes about."""
    names = condition_names(_choices(statement))
    if not names:
        return [(statement, ())]
    cases: list[tuple[LocatedMap, list[dict[str, bool]]]] = []
    every = assignments(names)
    for assignment in every:
        case = _decided(statement, assignment)
        for known, chosen_by in cases:
            if known == case:
                chosen_by.append(assignment)
                break
        else:
            cases.append((case, [assignment]))
    return [(case, () if len(chosen_by) == len(every) else _ways(names, chosen_by)) for case, chosen_by in cases]


def _choices(statement: LocatedMap) -> list[Any]:
    """The values of the granting keys that are choices, a list's items among them."""
    found: list[Any] = []
    for key in STATEMENT_KEYS:
        value = statement.get(key)
        if is_choice(value):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value[:MAX_CASES] if is_choice(item))
    return found


def _decided(statement: LocatedMap, assignment: dict[str, bool]) -> LocatedMap:
    """`statement` with the choices of its granting keys decided by `assignment`, a key (or a list's
    item) that is `AWS::NoValue` left out, every line kept."""
    case = LocatedMap(statement)
    case.line, case.key_lines = statement.line, statement.key_lines
    for key in STATEMENT_KEYS:
        value = statement.get(key)
        if is_choice(value):
            chosen = choose(value, assignment)
            if chosen is NO_VALUE:
                del case[key]
            else:
                case[key] = chosen
        elif isinstance(value, list) and any(is_choice(item) for item in value[:MAX_CASES]):
            case[key] = _decided_list(value, assignment)
    return case


def _decided_list(value: list[Any], assignment: dict[str, bool]) -> LocatedList:
    lines = list(getattr(value, "item_lines", []))
    decided = LocatedList()
    decided.line, decided.item_lines = getattr(value, "line", 0), []
    for index, item in enumerate(value[:MAX_CASES]):
        chosen = choose(item, assignment) if is_choice(item) else item
        if chosen is NO_VALUE:
            continue
        decided.append(chosen)
        if index < len(lines):
            decided.item_lines.append(lines[index])
    return decided


def _ways(names: list[str], chosen_by: list[dict[str, bool]]) -> Ways:
    """The ways of deciding `names` that `chosen_by` lists, said as one conjunction of the
    conditions' values when one says them exactly (`A` false, whatever `B`), else each in full."""
    fixed = tuple((name, chosen_by[0][name]) for name in names
                  if all(assignment[name] == chosen_by[0][name] for assignment in chosen_by))
    if len(chosen_by) * 2 ** len(fixed) == 2 ** len(names):
        return (fixed,)
    return tuple(tuple((name, assignment[name]) for name in names) for assignment in chosen_by)


def both_ways(outer: Ways, inner: Ways) -> Ways | None:
    """The ways a case deploys when its statement is chosen in one of the `outer` ways and its keys
    in one of the `inner`: each pair that decides no condition both ways; None when none does."""
    if not outer or not inner:
        return outer or inner
    found: list[tuple[tuple[str, bool], ...]] = []
    for first in outer:
        for second in inner:
            decided = dict(first)
            if any(decided.get(name, value) != value for name, value in second):
                continue
            way = first + tuple(step for step in second if step[0] not in decided)
            if way not in found:
                found.append(way)
    return tuple(found) or None


def _has_choice(item: Any) -> bool:
    return is_choice(item) or (isinstance(item, LocatedMap) and bool(_choices(item)))


__all__ = ["Ways", "STATEMENT_KEYS", "document_cases", "item_cases", "statement_cases", "both_ways"]
