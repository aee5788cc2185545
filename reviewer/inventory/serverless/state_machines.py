"""The state machines of a Serverless service (the serverless-step-functions plugin's
`stepFunctions.stateMachines`) whose tasks invoke its functions, and what starts them.

A state machine invokes a function through its role, with no permission to show it, so without
this a function only a workflow runs counts as one the account invokes directly
(`analyzers/untrusted_writers.py`). A task names the function in its `Resource` (or the
`FunctionName` of its `Parameters` or `Arguments`, `arn:aws:states:::lambda:invoke`) as the
plugin allows:

- `Fn::GetAtt: [HelloLambdaFunction, Arn]`, `!GetAtt hello.Arn` or `!Ref`: the function's
  CloudFormation logical id, or its key under `functions` (the plugin turns it into that id);
- an ARN or a name, `arn:aws:lambda:...:function:${self:service}-${sls:stage}-hello`: the
  function's deployed name, or, when a variable stays unresolved (`${opt:stage}`), a name that
  ends with `-hello` after it.

What starts a state machine is its own `events`: `http` (an API, whose callers write the input),
`schedule`, and `eventBridge`/`cloudwatchEvent` (a schedule when it has a `schedule` and no
`pattern`).
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.serverless.service import ServiceBase, as_mapping
from reviewer.inventory.state_machine_tasks import invoking_fields
from reviewer.located import LocatedMap
from reviewer.model import Function, ResourceRef, Trigger

KIND = "stepfunctions"
MAX_STATE_MACHINES = 200
_STARTERS = {"http": "api", "httpApi": "api", "schedule": "schedule", "eventBridge": "eventbridge",
             "cloudwatchEvent": "eventbridge"}


class ServiceStateMachines(ServiceBase):
    """Adds a `stepfunctions` trigger to each function a state machine of the service invokes."""

    def _state_machines(self, functions: list[Function]) -> None:
        steps = self.resolved(self.document.get("stepFunctions"))
        machines = as_mapping(steps).get("stateMachines") if isinstance(steps, LocatedMap) else None
        machines = self.resolved(machines) if isinstance(machines, str) else machines
        if not isinstance(machines, LocatedMap) or not functions:
            return
        for name, config in list(machines.items())[:MAX_STATE_MACHINES]:
            config = as_mapping(config)
            invoked = _invoked(config.get("definition"), functions)
            if not invoked:
                continue
            started = _starters(config.get("events"))
            for function, line, qualified in invoked:
                function.triggers.append(Trigger(KIND, self.at(config, line), ResourceRef("name", str(name)), {
                    "name": f"stepFunctions.stateMachines.{name}", "machine": str(name),
                    "starters": started, "qualified": qualified}))


def _invoked(definition: Any, functions: list[Function]) -> list[tuple[Function, int, bool]]:
    """(function, line, qualified) of each function the definition's tasks name, once each;
    qualified only when every task names a version or an alias."""
    found: dict[str, tuple[Function, int, bool]] = {}
    for node, key, value in invoking_fields(definition):
        named = _function_named(value, functions)
        if named is not None:
            function, qualified = named
            known = found.get(function.name)
            found[function.name] = (function, known[1] if known else node.line_of(key),
                                    qualified and (known is None or known[2]))
    return list(found.values())


def _function_named(value: Any, functions: list[Function]) -> tuple[Function, bool] | None:
    """The function of the service a task's `Resource`/`FunctionName` names, and whether it names
    a version or an alias of it."""
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        target = argument[0] if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument \
            else argument.split(".", 1)[0] if intrinsic in ("Fn::GetAtt", "Ref") and isinstance(argument, str) \
            else None
        if target is None:
            return None
        function = next((fn for fn in functions if str(target) in (fn.properties.get("logical_id"), fn.name)), None)
        return (function, False) if function is not None else None
    if not isinstance(value, str):
        return None
    name = value.split(":function:", 1)[1] if value.startswith("arn:") and ":function:" in value else value
    if value.startswith("arn:") and name is value:
        return None                          # another service's ARN: `arn:aws:states:::lambda:invoke`
    qualifier = ""
    if ":" in name.rpartition("}")[2]:
        name, _, qualifier = name.rpartition(":")
    unresolved = "${" in name or "#{" in name
    for function in functions:
        if name == function.physical_name or unresolved and name.rpartition("}")[2] == "-" + function.name:
            return function, bool(qualifier)
    return None


def _starters(events: Any) -> list[str]:
    """The kinds of what a state machine's `events` say starts it; empty when it has none."""
    found: list[str] = []
    for event in events if isinstance(events, list) else ():
        if not isinstance(event, dict) or len(event) != 1:
            continue
        (kind, settings), = event.items()
        starter = _STARTERS.get(str(kind), "other")
        if starter == "eventbridge" and isinstance(settings, dict) and "schedule" in settings \
                and "pattern" not in settings and "event" not in settings:
            starter = "schedule"
        found.append(starter)
    return found
