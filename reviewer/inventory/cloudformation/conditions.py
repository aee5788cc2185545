"""The values a CloudFormation property given by `Fn::If` can take.

A template that deploys to several partitions or stages writes the value that differs as a
choice: `Principal: !If [IsAWSChina, logs.amazonaws.com.cn, logs.amazonaws.com]`,
`EventSourceArn: !If [UseKinesis, !GetAtt Stream.Arn, !GetAtt Queue.Arn]`. Which branch deploys
depends on the condition, which depends on what the deployment passes: the reader does not guess
it. It reads the value as each branch it can be, so a check judges every value that may deploy,
and a message names that value rather than `Fn::If`.

Several properties of one resource often hang on the same condition (a China principal and a
China `SourceArn`): `cases` chooses every condition once for the whole resource, so no mix that
cannot deploy is judged. `AWS::NoValue` in a branch leaves the property out in that case.

Bounded: a chain of nested `Fn::If` is followed `MAX_DEPTH` deep, and a resource whose chosen
properties hang on more than `MAX_CONDITIONS` conditions is read as written (2**3 cases at most).
"""

from __future__ import annotations

import itertools
from typing import Any, Iterable, Mapping

from reviewer.located import LocatedMap

MAX_CONDITIONS = 3
MAX_DEPTH = 4


class _NoValue:
    """`!Ref AWS::NoValue`: the property is left out."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def is_choice(value: Any) -> bool:
    """`{"Fn::If": [condition, when_true, when_false]}` written as CloudFormation reads it."""
    if not (isinstance(value, dict) and len(value) == 1 and "Fn::If" in value):
        return False
    argument = value["Fn::If"]
    return isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)


def condition_names(values: Iterable[Any]) -> list[str] | None:
    """The conditions the `Fn::If` chains of `values` choose by, in the order written; None when
    there are more than `MAX_CONDITIONS` (too many cases to read each)."""
    names: list[str] = []
    pending = [(value, 0) for value in values]
    while pending:
        value, depth = pending.pop()
        if depth >= MAX_DEPTH or not is_choice(value):
            continue
        condition, when_true, when_false = value["Fn::If"]
        if condition not in names:
            names.append(condition)
            if len(names) > MAX_CONDITIONS:
                return None
        pending.extend(((when_false, depth + 1), (when_true, depth + 1)))
    return names


def choose(value: Any, assignment: Mapping[str, bool]) -> Any:
    """`value` with its `Fn::If` chain followed as `assignment` decides; `NO_VALUE` for
    `!Ref AWS::NoValue`. A condition `assignment` does not decide leaves the choice as written."""
    for _ in range(MAX_DEPTH):
        if not is_choice(value) or value["Fn::If"][0] not in assignment:
            break
        condition, when_true, when_false = value["Fn::If"]
        value = when_true if assignment[condition] else when_false
    if isinstance(value, dict) and len(value) == 1 and value.get("Ref") == "AWS::NoValue":
        return NO_VALUE
    return value


def assignments(names: list[str]) -> list[dict[str, bool]]:
    """Every way of deciding the conditions `names`, the first with all of them true."""
    return [dict(zip(names, decided, strict=True))
            for decided in itertools.product((True, False), repeat=len(names))]


def alternatives(value: Any) -> list[Any] | None:
    """The distinct values a property written as `value` can take (`NO_VALUE` among them), in the
    order its branches are written; None when it hangs on too many conditions."""
    names = condition_names([value])
    if names is None:
        return None
    found: list[Any] = []
    for assignment in assignments(names):
        chosen = choose(value, assignment)
        if not any(chosen is known or chosen == known for known in found):
            found.append(chosen)
    return found


def cases(properties: LocatedMap, keys: tuple[str, ...]) -> list[LocatedMap]:
    """The properties of one resource as each way of deciding the conditions of its `keys` leaves
    them (a key whose branch is `AWS::NoValue` left out), every line kept; `[properties]` when none
    of them is a choice, or they hang on too many conditions."""
    names = condition_names(properties.get(key) for key in keys)
    if not names:
        return [properties]
    found: list[LocatedMap] = []
    for assignment in assignments(names):
        case = LocatedMap(properties)
        case.line, case.key_lines = properties.line, properties.key_lines
        for key in keys:
            if key not in properties:
                continue
            chosen = choose(properties[key], assignment)
            if chosen is NO_VALUE:
                del case[key]
            else:
                case[key] = chosen
        if case not in found:
            found.append(case)
    return found


def choice_paths(value: Any, chosen: Any) -> tuple[tuple[tuple[str, bool], ...], ...]:
    """The ways `value`'s `Fn::If` chain comes to `chosen`, each the conditions it passes and how
    each is decided (`(("AllowPublic", True),)`), so words can say when a value deploys; `()` when
    every way comes to it (or `value` is no choice, or hangs on too many conditions)."""
    names = condition_names([value])
    if not names:
        return ()
    paths: list[tuple[tuple[str, bool], ...]] = []
    every = True
    for assignment in assignments(names):
        result = choose(value, assignment)
        if not (result is chosen or result == chosen):
            every = False
            continue
        path, current = [], value
        for _ in range(MAX_DEPTH):
            if not is_choice(current) or current["Fn::If"][0] not in assignment:
                break
            condition, when_true, when_false = current["Fn::If"]
            path.append((condition, assignment[condition]))
            current = when_true if assignment[condition] else when_false
        if tuple(path) not in paths:
            paths.append(tuple(path))
    return () if every else tuple(paths)


def choice_words(value: Any) -> str:
    """The conditions a choice hangs on, for a reason: `the condition IsProd`, `the conditions A and B`."""
    names = condition_names([value]) or []
    if len(names) == 1:
        return f"the condition {names[0]}"
    return "the conditions " + (", ".join(names[:-1]) + " and " + names[-1] if names else "of the template")


__all__ = ["NO_VALUE", "is_choice", "condition_names", "choose", "assignments", "alternatives", "cases", "choice_paths",
           "choice_words"]
