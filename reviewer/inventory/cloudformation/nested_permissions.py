"""The invoke permissions a nested stack grants to a function another nested stack declares.

A multi-stack SAM app often keeps its functions in one nested stack and grants API Gateway the
right to invoke them in another, to which the parent passes each function's ARN:

    # template.yaml (the root)
    LambdaFunctions: {Type: AWS::Serverless::Application, Properties: {Location: functions.yaml}}
    ApiPermissions:
      Type: AWS::Serverless::Application
      Properties:
        Location: permissions.yaml
        Parameters:
          RegisterTenantFunctionArn: !GetAtt LambdaFunctions.Outputs.RegisterTenantFunctionArn
    # functions.yaml
    Outputs: {RegisterTenantFunctionArn: {Value: !GetAtt RegisterTenantFunction.Arn}}
    # permissions.yaml
    RegisterTenantPermission:
      Type: AWS::Lambda::Permission
      Properties: {FunctionName: !Ref RegisterTenantFunctionArn, Principal: apigateway.amazonaws.com}

Read alone, `functions.yaml` says nothing of what invokes its functions, so the checks that depend
on the trigger (whether a handler's `Host` header is the caller's, for LR306) could not tell an
API's function from a load balancer's. Here a permission's `FunctionName` that refers to a
parameter of its template is followed to what each parent passes: a function of the parent, a
nested stack's output that refers to one (`!GetAtt Stack.Outputs.Name`), or a parameter the parent
itself was given; the permission is then the function's, at its own line.

Every template and value here is the repository's, and templates can name each other in a cycle.
Each (template, parameter) and (stack, output) is followed once per permission, and a permission's
following stops after `MAX_STEPS` values or `MAX_HOPS` templates: the work stays linear in what the
templates write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.inventory.cloudformation.guardrails import invoke_permission, permission_cases
from reviewer.inventory.interface import literal_arn
from reviewer.located import LocatedMap
from reviewer.model import Function

LAMBDA_PERMISSION = "AWS::Lambda::Permission"
MAX_HOPS = 6       # parameter → parent → output → ...: nesting deeper than this is not followed
MAX_STEPS = 200    # values followed for one permission's function: more is no real app's

# The template a nested stack resource of a parent names (None when it is not a local one).
ChildOf = Callable[[str, Any], str | None]


class NestedPermissions:
    """Gives each function the invoke permissions other nested stacks grant it through parameters."""

    def __init__(self, documents: dict[str, Any], parents: dict[str, list[tuple[str, str]]],
                 child_of: ChildOf) -> None:
        self.documents = documents
        self.parents = parents
        self.child_of = child_of
        self._functions: dict[tuple[str, str], Function] = {}
        self._visited: set[tuple[str, str, str]] = set()
        self._steps = 0

    def attach(self, functions: list[Function]) -> None:
        self._functions = {(function.location.path, function.name): function for function in functions
                           if function.format in ("sam", "cloudformation")}
        for template in list(self.parents):
            document = self.documents.get(template)
            parameters = _mapping(document).get("Parameters") if isinstance(document, LocatedMap) else None
            if not isinstance(parameters, LocatedMap):
                continue
            for resource in _resources(document).values():
                if not isinstance(resource, LocatedMap) or resource.get("Type") != LAMBDA_PERMISSION:
                    continue
                properties = resource.get("Properties")
                name = _ref(properties.get("FunctionName")) if isinstance(properties, LocatedMap) else None
                if name is None or name not in parameters or not isinstance(properties, LocatedMap):
                    continue        # a function of the template itself: reviewer.inventory.cloudformation.guardrails
                self._visited, self._steps = set(), 0
                named = {id(function): function for function in self._from_parameter(template, name, 0)}
                for function in named.values():       # two parents passing one function: one grant
                    for case in permission_cases(properties):
                        source_arn = case.get("SourceArn")
                        permission = invoke_permission(
                            case, template, None, literal_arn(source_arn) if isinstance(source_arn, str) else None,
                            parameters, properties)
                        if permission not in function.permissions:
                            function.permissions.append(permission)

    def _first_visit(self, kind: str, template: str, name: str) -> bool:
        key = (kind, template, name)
        self._steps += 1
        if key in self._visited or self._steps > MAX_STEPS:
            return False
        self._visited.add(key)
        return True

    def _from_parameter(self, template: str, name: str, hops: int) -> list[Function]:
        """The functions a parameter of `template` names, from every parent that passes it."""
        if hops > MAX_HOPS or not self._first_visit("parameter", template, name):
            return []
        found: list[Function] = []
        for parent, stack_id in self.parents.get(template, []):
            stack = _resources(self.documents.get(parent)).get(stack_id)
            properties = stack.get("Properties") if isinstance(stack, dict) else None
            passed = properties.get("Parameters") if isinstance(properties, dict) else None
            if isinstance(passed, dict) and name in passed:
                found.extend(self._value(passed[name], parent, hops + 1))
        return found

    def _value(self, value: Any, template: str, hops: int) -> list[Function]:
        """The function a value written in `template` names: `!Ref Fn`, `!GetAtt Fn.Arn`,
        `!GetAtt Stack.Outputs.Name`, or `!Ref Parameter` passed on from above."""
        self._steps += 1
        if hops > MAX_HOPS or self._steps > MAX_STEPS or not isinstance(value, dict) or len(value) != 1:
            return []
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref" and isinstance(argument, str):
            function = self._functions.get((template, argument))
            if function is not None:
                return [function]
            parameters = _mapping(_mapping(self.documents.get(template)).get("Parameters"))
            return self._from_parameter(template, argument, hops) if argument in parameters else []
        if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and len(argument) == 2:
            logical, attribute = str(argument[0]), str(argument[1])
            if attribute == "Arn" and (template, logical) in self._functions:
                return [self._functions[(template, logical)]]
            if attribute.startswith("Outputs."):
                return self._output(template, logical, attribute.removeprefix("Outputs."), hops)
        return []

    def _output(self, template: str, stack_id: str, name: str, hops: int) -> list[Function]:
        """`!GetAtt Stack.Outputs.Name`: what that output of the stack's template names."""
        if not self._first_visit("output", f"{template}#{stack_id}", name):
            return []
        child = self.child_of(template, _resources(self.documents.get(template)).get(stack_id))
        output = _mapping(_mapping(self.documents.get(child)).get("Outputs")).get(name) if child else None
        if child is None or not isinstance(output, dict) or "Value" not in output:
            return []
        return self._value(output["Value"], child, hops + 1)


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str):
        return value["Ref"]
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _resources(document: Any) -> dict[str, Any]:
    return _mapping(_mapping(document).get("Resources"))


__all__ = ["NestedPermissions"]
