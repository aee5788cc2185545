"""What a parameter of a nested template stands for: the values its parents pass it.

A multi-stack SAM app often declares its tables, queues and buckets in one nested stack and hands
them to the stack of the functions that use them as parameters:

    # template.yaml (the root)
    DDBStack: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: ./ddb.yaml}}
    StreamProcessorStack:
      Type: AWS::CloudFormation::Stack
      Properties:
        TemplateURL: ./stream_processor.yaml
        Parameters:
          JobTableName: !GetAtt DDBStack.Outputs.JobTable
          JobTableStreamArn: !GetAtt DDBStack.Outputs.JobTableStreamArn
    # ddb.yaml
    Outputs:
      JobTable: {Value: !Ref JobTable}
      JobTableStreamArn: {Value: !GetAtt JobTable.StreamArn}
    # stream_processor.yaml: triggered by !Ref JobTableStreamArn, writes to !Ref JobTableName

Read alone, the child's parameters have no value, so the loop check could not tell whether the
function writes to the table whose stream triggers it. Here a parameter is followed to what each
parent passes: a value written in the parent (a resource of it, a name), a nested stack's output
(`!GetAtt Stack.Outputs.Name`, followed into that stack's template), a parameter the parent itself
was given, or each branch of an `Fn::If` of these. Each answer is the template the value is
written in and the value, which the caller resolves there as it would any value of that template.

Every template and value here is the repository's, and templates can name each other in a cycle.
Each (template, parameter) and (stack, output) is followed once per question, a question stops
after `MAX_STEPS` values or `MAX_HOPS` templates, and each answer is kept for the run: the work
stays linear in what the templates write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.inventory.cloudformation.conditions import NO_VALUE, alternatives, is_choice
from reviewer.located import LocatedMap
from reviewer.model import Location

MAX_HOPS = 6       # parameter → parent → output → ...: nesting deeper than this is not followed
MAX_STEPS = 200    # values followed for one parameter: more is no real app's
MAX_ANSWERS = 8    # values one parameter may stand for (parents × branches)


@dataclass(frozen=True)
class PassedValue:
    """A value a parameter stands for: written in the template at `path`, reached through `via`
    (the parent's line that passes it, each output's line), or its default when a parent passes
    nothing (`default` set, `value` the default)."""

    path: str
    value: Any
    via: tuple[Location, ...]
    parameter: str
    passed_at: Location | None = None


class NestedParameters:
    """Answers what the parameters of nested templates stand for, from the links of a scan
    (child template → the parents and the stack resources that name it)."""

    def __init__(self, documents: dict[str, Any], parents: dict[str, list[tuple[str, str]]]) -> None:
        self.documents = documents
        self.parents = parents
        self.children = {(parent, stack_id): child for child, links in parents.items() for parent, stack_id in links}
        self._answers: dict[tuple[str, str], list[PassedValue] | None] = {}
        self._visited: set[tuple[str, str, str]] = set()
        self._steps = 0

    def passed(self, template: str, name: str) -> list[PassedValue] | None:
        """The values parameter `name` of `template` stands for as its parents pass it; None when
        no parent passes it (a root template's parameter, one every parent leaves to its default),
        or when some value could not be followed within the bounds."""
        key = (template, name)
        if key not in self._answers:
            self._visited, self._steps = set(), 0
            found = self._from_parameter(template, name, (), 0)
            passes = found is not None and any(answer.passed_at is not None for answer in found)
            self._answers[key] = found if passes and found and len(found) <= MAX_ANSWERS else None
        return self._answers[key]

    def _first_visit(self, kind: str, where: str, name: str) -> bool:
        key = (kind, where, name)
        self._steps += 1
        if key in self._visited or self._steps > MAX_STEPS:
            return False
        self._visited.add(key)
        return True

    def _from_parameter(self, template: str, name: str, via: tuple[Location, ...],
                        hops: int) -> list[PassedValue] | None:
        """What each parent passes for the parameter; its default where a parent passes nothing.
        None when a value cannot be followed (a cycle, too deep): the answer would be partial."""
        if hops > MAX_HOPS or not self._first_visit("parameter", template, name):
            return None
        parameter = _mapping(_mapping(self.documents.get(template)).get("Parameters")).get(name)
        found: list[PassedValue] = []
        for parent, stack_id in self.parents.get(template, []):
            stack = _mapping(_mapping(_mapping(self.documents.get(parent)).get("Resources")).get(stack_id))
            passed = _mapping(stack.get("Properties")).get("Parameters")
            if isinstance(passed, dict) and name in passed:
                line = passed.line_of(name) if isinstance(passed, LocatedMap) else 1
                place = Location(parent, line)
                values = self._value(passed[name], parent, (*via, place), hops + 1)
                if values is None:
                    return None
                found.extend(PassedValue(value.path, value.value, value.via, name, place) for value in values)
            elif isinstance(parameter, dict) and isinstance(parameter.get("Default"), (str, int)):
                found.append(PassedValue(template, str(parameter["Default"]), via, name))
            # else: a parent that passes nothing for a parameter with no default does not deploy
        return found

    def _value(self, value: Any, template: str, via: tuple[Location, ...], hops: int) -> list[PassedValue] | None:
        """The values `value`, written in `template`, comes to."""
        self._steps += 1
        if hops > MAX_HOPS or self._steps > MAX_STEPS:
            return None
        if is_choice(value):
            branches = alternatives(value)
            if branches is None:
                return None
            found: list[PassedValue] = []
            for branch in branches:
                if branch is NO_VALUE:
                    continue
                values = self._value(branch, template, via, hops)
                if values is None:
                    return None
                found.extend(values)
            return found
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            parameters = _mapping(_mapping(self.documents.get(template)).get("Parameters"))
            resources = _mapping(_mapping(self.documents.get(template)).get("Resources"))
            if (intrinsic == "Ref" and isinstance(argument, str) and argument in parameters
                    and argument not in resources and not argument.startswith("AWS::") and template in self.parents):
                return self._from_parameter(template, argument, via, hops)
            if intrinsic == "Fn::GetAtt":
                stack_id, attribute = _get_att(argument)
                if attribute.startswith("Outputs.") and (template, stack_id) in self.children:
                    return self._output(template, stack_id, attribute.removeprefix("Outputs."), via, hops)
        return [PassedValue(template, value, via, "")]

    def _output(self, template: str, stack_id: str, name: str, via: tuple[Location, ...],
                hops: int) -> list[PassedValue] | None:
        """`!GetAtt Stack.Outputs.Name`: the value of that output in the stack's template."""
        if not self._first_visit("output", f"{template}#{stack_id}", name):
            return None
        child = self.children[(template, stack_id)]
        output = _mapping(_mapping(self.documents.get(child)).get("Outputs")).get(name)
        if not isinstance(output, dict) or "Value" not in output:
            return None
        line = output.line_of("Value") if isinstance(output, LocatedMap) else 1
        return self._value(output["Value"], child, (*via, Location(child, line)), hops + 1)


def _get_att(argument: Any) -> tuple[str, str]:
    """`[Stack, Outputs.Name]` or `"Stack.Outputs.Name"` (the short form's string)."""
    if isinstance(argument, list) and len(argument) == 2:
        return str(argument[0]), str(argument[1])
    if isinstance(argument, str) and "." in argument:
        stack_id, _, attribute = argument.partition(".")
        return stack_id, attribute
    return "", ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


__all__ = ["NestedParameters", "PassedValue"]
