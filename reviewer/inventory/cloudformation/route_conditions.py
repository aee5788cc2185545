"""Who may call a route whose authorization a template chooses by `Fn::If`, judged in each case.

A template deployed with and without sign-in writes the route's authorization as a choice:
`AuthorizationType: !If [UseJwtAuth, JWT, NONE]` with `AuthorizerId: !If [UseJwtAuth, !Ref
Authorizer, !Ref AWS::NoValue]`, or `AuthorizationType: !If [UseIdP, CUSTOM, COGNITO_USER_POOLS]`.
Read as written, the choice is no text and so `NONE`: an authorised route would be reported open,
and an `AuthorizerId` that is left out in one case would hide an open one. Each way of deciding the
conditions the route's values hang on (reviewer.inventory.cloudformation.conditions) is judged
apart: the route is open when some case leaves it open, and then it says in which cases, as a
conjunction of the conditions' values when one says them exactly (`UseJwtAuth` false), else only
the conditions that choose. A value still a choice after choosing (a chain deeper than conditions
follows, or more conditions than it reads) is not known to be open, so it counts as authorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from reviewer.inventory.cloudformation.conditions import NO_VALUE, assignments, choose, condition_names, is_choice

# What authorises a route whose authorization is a choice this reader does not follow.
UNDECIDED = "chosen by conditions"


@dataclass(frozen=True)
class Access:
    """How one case of a route is authorised: `authorizer` None when nothing authorises it."""

    authorizer: str | None
    declared_public: bool = False
    api_key_required: bool = False


@dataclass(frozen=True)
class RouteAccess:
    """The route's access over every case: the most open case's, with the cases it is open in
    (`open_when`: each condition and its value, when they say them exactly; `open_by`: the
    conditions that choose, empty when the route is open in every case or in none)."""

    access: Access
    open_when: tuple[tuple[str, bool], ...] = ()
    open_by: tuple[str, ...] = ()


def route_access(values: Mapping[str, Any], judge: Callable[[dict[str, Any]], Access]) -> RouteAccess:
    """`judge` applied to `values` as each way of deciding their conditions leaves them (a value
    `AWS::NoValue` in a case is None), the cases combined as `RouteAccess` says."""
    names = condition_names(values.values())
    if names is None:
        return RouteAccess(Access(UNDECIDED))
    cases: list[tuple[dict[str, bool], Access]] = []
    for assignment in assignments(names):
        chosen = {key: choose(value, assignment) for key, value in values.items()}
        if any(is_choice(value) for value in chosen.values()):
            cases.append((assignment, Access(UNDECIDED)))
            continue
        cases.append((assignment, judge({key: None if value is NO_VALUE else value
                                         for key, value in chosen.items()})))
    open_cases = [(assignment, access) for assignment, access in cases if access.authorizer is None]
    if not open_cases:
        return RouteAccess(cases[0][1])
    most_open = min((access for _, access in open_cases), key=_exposure_rank)
    if len(open_cases) == len(cases):
        return RouteAccess(most_open)
    return RouteAccess(most_open, _conjunction(names, [assignment for assignment, _ in open_cases]), tuple(names))


def _exposure_rank(access: Access) -> int:
    """0 for a route anyone may call unannounced, 1 for one that only asks an API key, 2 for one declared public."""
    return 2 if access.declared_public else 1 if access.api_key_required else 0


def _conjunction(names: list[str], chosen: list[dict[str, bool]]) -> tuple[tuple[str, bool], ...]:
    """The conditions' values that hold in exactly the cases `chosen` (`UseAuth` false), or ()
    when no conjunction says them (open in three cases of four)."""
    fixed = tuple((name, chosen[0][name]) for name in names
                  if all(assignment[name] == chosen[0][name] for assignment in chosen))
    return fixed if len(chosen) * 2 ** len(fixed) == 2 ** len(names) else ()


__all__ = ["UNDECIDED", "Access", "RouteAccess", "route_access"]
