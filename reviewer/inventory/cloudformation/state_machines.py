"""The state machines of a SAM or CloudFormation template whose tasks invoke a function, and what starts them.

A state machine invokes a function through its role (`LambdaInvokePolicy`, a statement allowing
`lambda:InvokeFunction`), with no `AWS::Lambda::Permission` to show it, so without this a function
only a workflow runs counts as invoked by no one (`analyzers/untrusted_writers.py`). The template
names the function in one of three places:

- `DefinitionSubstitutions` (SAM's `AWS::Serverless::StateMachine`, and CloudFormation's too):
  `QueryUsageFunctionArn: !GetAtt QueryUsageFunction.Arn`, the `${QueryUsageFunctionArn}` of a
  definition kept in a file (`DefinitionUri`) or written inline;
- an inline `Definition`: a task's `Resource`, or the `FunctionName` of its `Parameters` or
  `Arguments` (`arn:aws:states:::lambda:invoke`), written as `!GetAtt`, `!Ref` or an ARN;
- a `DefinitionString` built with `Fn::Sub` (`${Worker.Arn}` in the text, or the variables of its
  second argument) or `Fn::Join` (`!GetAtt Worker.Arn` among the pieces).

A function named through its version or alias (`!Ref Worker.Version`, `${Worker.Arn}:live`, an
`AWS::Lambda::Alias` of it) is invoked qualified. What starts a state machine is read from its own
`Events` (SAM) and from the rules, schedules and pipes of the template whose target names it;
an API integration calling `StartExecution` is not read (it names the state machine in a
mapping template's text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reviewer.inventory.state_machine_tasks import MAX_DEFINITION_NODES, invoking_fields
from reviewer.located import LocatedMap

STATE_MACHINE_TYPES = frozenset({"AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"})
_SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]{1,255})((?:\.[A-Za-z0-9]{1,64}){0,2})\}(:?)")
# What a SAM state machine's `Events` entry, or a resource targeting it, says starts it.
_SAM_STARTERS = {"Schedule": "schedule", "ScheduleV2": "schedule", "Api": "api", "HttpApi": "api",
                 "EventBridgeRule": "eventbridge", "CloudWatchEvent": "eventbridge"}


def named_functions(properties: LocatedMap) -> Iterator[tuple[Any, int, bool]]:
    """(value, line, qualified) of each value of a state machine's definition that may name an
    invoked function, as `Ref`, `Fn::GetAtt`, `Fn::Sub` or a literal ARN (see the module docstring)."""
    substitutions = properties.get("DefinitionSubstitutions")
    if isinstance(substitutions, LocatedMap):
        for key, value in substitutions.items():
            yield value, substitutions.line_of(key), _qualified(value)
    definition = properties.get("Definition")
    if isinstance(definition, LocatedMap):
        yield from _definition_values(definition)
    text = properties.get("DefinitionString")
    if isinstance(text, (LocatedMap, str)):
        line = properties.line_of("DefinitionString")
        for value, qualified in _string_values(text):
            yield value, line, qualified


def starters(logical_id: str, properties: LocatedMap, resources: LocatedMap) -> list[str]:
    """The kinds of what the template says starts the state machine `logical_id`: `schedule`,
    `api`, `eventbridge` or `other`; empty when it declares none."""
    found: list[str] = []
    events = properties.get("Events")
    if isinstance(events, LocatedMap):
        for event in events.values():
            kind = _SAM_STARTERS.get(str(_get(event, "Type")), "other")
            if kind == "eventbridge" and _get(_get(event, "Properties"), "Pattern") is None:
                kind = "other"
            found.append(kind)
    for resource in resources.values():
        kind = _get(resource, "Type")
        props = _get(resource, "Properties")
        if kind == "AWS::Events::Rule":
            targets = _get(props, "Targets")
            if isinstance(targets, list) and any(_names(_get(target, "Arn"), logical_id) for target in targets):
                scheduled = _get(props, "ScheduleExpression") is not None and _get(props, "EventPattern") is None
                found.append("schedule" if scheduled else "eventbridge")
        elif kind == "AWS::Scheduler::Schedule" and _names(_get(_get(props, "Target"), "Arn"), logical_id):
            found.append("schedule")
        elif kind == "AWS::Pipes::Pipe" and _names(_get(props, "Target"), logical_id):
            found.append("other")
    return found


def _definition_values(definition: LocatedMap) -> Iterator[tuple[Any, int, bool]]:
    """The `Resource` and `FunctionName` values of an inline definition (intrinsics not walked into)."""
    for node, key, value in invoking_fields(definition, descend=lambda value: not _is_intrinsic(value)):
        if value is not None and not (isinstance(value, LocatedMap) and _is_data(value)):
            yield value, node.line_of(key), _qualified(value)


def _string_values(text: Any) -> Iterator[tuple[Any, bool]]:
    """What a `DefinitionString` names: `${Name}`/`${Name.Arn}` of a `Fn::Sub` text (as a `Ref`),
    the values of its variables, or the intrinsic pieces of a `Fn::Join`."""
    if isinstance(text, str):
        yield from _sub_text(text, set())
        return
    if not isinstance(text, dict) or len(text) != 1:
        return
    (intrinsic, argument), = text.items()
    if intrinsic == "Fn::Sub" and isinstance(argument, str):
        yield from _sub_text(argument, set())
    elif intrinsic == "Fn::Sub" and isinstance(argument, list) and len(argument) == 2 \
            and isinstance(argument[0], str) and isinstance(argument[1], dict):
        variables = argument[1]
        yield from _sub_text(argument[0], {str(name) for name in variables})
        for value in variables.values():
            yield value, _qualified(value)
    elif intrinsic == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
            and isinstance(argument[1], list):
        for piece in argument[1][:MAX_DEFINITION_NODES]:
            if isinstance(piece, dict):
                yield piece, _qualified(piece)


def _sub_text(text: str, variables: set[str]) -> Iterator[tuple[Any, bool]]:
    """Each `${Name...}` of a `Fn::Sub` text that names a resource (not one of `variables`), as a `Ref`."""
    for match in _SUB_VARIABLE.finditer(text):
        name = match.group(1)
        if name in variables:
            continue
        qualified = bool(match.group(3)) or match.group(2) in (".Version", ".Alias")
        yield {"Ref": name + (match.group(2) if qualified else "")}, qualified


def _qualified(value: Any) -> bool:
    """Whether a value names a version or an alias (`!Ref Fn.Version`, `!Sub "${Fn.Arn}:live"`)."""
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref" and isinstance(argument, str):
            return argument.endswith((".Version", ".Alias"))
        if intrinsic == "Fn::Sub" and isinstance(argument, str):
            return not argument.rstrip().endswith("}")
    if isinstance(value, str) and value.startswith("arn:") and ":function:" in value:
        return value.split(":function:", 1)[1].count(":") > 0
    return False


def _names(value: Any, logical_id: str) -> bool:
    """Whether a target's ARN names the state machine `logical_id` (`!Ref`, `!GetAtt .Arn`, `!Sub`)."""
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref":
            return argument == logical_id
        if intrinsic == "Fn::GetAtt":
            first = argument[0] if isinstance(argument, list) and argument else argument
            return str(first).split(".")[0] == logical_id
        if intrinsic == "Fn::Sub" and isinstance(argument, str):
            return argument.strip() in (f"${{{logical_id}}}", f"${{{logical_id}.Arn}}")
    return False


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _INTRINSICS


def _is_data(value: LocatedMap) -> bool:
    """A mapping that is no intrinsic: a task's `Parameters`-like data, not a function's name."""
    return not _is_intrinsic(value)


_INTRINSICS = frozenset({"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::ImportValue", "Fn::Select"})


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None
