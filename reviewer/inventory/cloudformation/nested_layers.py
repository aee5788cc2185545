"""The local layers a parent template hands to the functions of a nested stack.

A large SAM app often keeps its layers in a stack of their own and passes them to every other
nested stack as a parameter:

    # template.yaml (the root)
    LayersStack: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: ./layers.yaml}}
    ApiStack:
      Type: AWS::CloudFormation::Stack
      Properties:
        TemplateURL: ./api.yaml
        Parameters:
          CommonLayers: !Join [",", [!GetAtt LayersStack.Outputs.Utils, !Ref LocalLayer]]
    # api.yaml
    Parameters: {CommonLayers: {Type: CommaDelimitedList}}
    Globals: {Function: {Layers: !Ref CommonLayers}}

Read alone, `api.yaml`'s functions name no layer, so their imports from the layer's modules were
taken for a library's, and a change to those modules did not count as touching them (a review
said the change touched none of the functions). Here a child's `Layers` entry that refers to one
of its parameters is followed to what each parent passes: a layer resource of the parent, a
nested stack's output that refers to one (`!GetAtt Stack.Outputs.Name`), or a parameter the
parent itself was given, joined or listed. Each hop is recorded among the function's locations,
so a review that leaves a template out of its base (reviewer.inventory.carry_over) sees that the
function depends on the parent's and the layer stack's text too.

Every template and value here is the repository's, and templates can name each other in a cycle
(`a.yaml` nests `b.yaml`, which nests `a.yaml`) or pass a parameter as a list of references to
their own parameter. Each parameter and output is therefore followed once per function (a second
visit adds no folder the first did not), each function's following stops after `MAX_STEPS`
values, and functions of one template sharing a `Layers` entry share its answer: the work stays
linear in what the templates write, never the product of their lists down the nesting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.inventory.cloudformation.layers import MAX_LAYERS, layer_entries, layer_folder
from reviewer.located import LocatedMap, line_of
from reviewer.model import Function, Location
from reviewer.workspace import Workspace

MAX_HOPS = 6   # parameter → parent → output → ...: nesting deeper than this is not followed
MAX_STEPS = 2000   # values followed for one function's layers: more is no real app's

# The template a nested stack resource of a parent names (None when it is not a local one).
ChildOf = Callable[[str, Any], str | None]


class NestedLayers:
    """Resolves the layers parents pass to their nested templates' functions."""

    def __init__(self, workspace: Workspace, documents: dict[str, Any],
                 parents: dict[str, list[tuple[str, str]]], child_of: ChildOf) -> None:
        self.workspace = workspace
        self.documents = documents
        self.parents = parents
        self.child_of = child_of
        # (template, parameter) → the folders and places its `!Ref` stands for, once per run
        self._answers: dict[tuple[str, str], tuple[list[str], list[Location]]] = {}
        # what the current function's following has visited, and how many values it read
        self._visited: set[tuple[str, str, str]] = set()
        self._steps = 0

    def attach(self, functions: list[Function]) -> None:
        """Add the folders of the layers passed down from parents to each nested function."""
        for function in functions:
            template = function.location.path
            if function.format not in ("sam", "cloudformation") or template not in self.parents:
                continue
            document = self.documents.get(template)
            if not isinstance(document, LocatedMap):
                continue
            entries = layer_entries(document, function.name)
            if not entries:
                continue
            places: list[Location] = []
            folders = list(function.layer_paths)
            for entry in entries:
                found, where = self._entry(entry, template)
                places.extend(where)
                for folder in found:
                    if folder not in folders and len(folders) < MAX_LAYERS:
                        folders.append(folder)
            if len(folders) > len(function.layer_paths):
                function.layer_paths = tuple(folders)
                for index, place in enumerate(places):
                    function.locations[f"Layers.Passed.{index}"] = place

    def _entry(self, entry: Any, template: str) -> tuple[list[str], list[Location]]:
        """The folders and places of one `Layers` entry of a function of `template`, answered once
        for every function of the template that writes it."""
        name = _ref(entry)
        if name is None:
            return [], []
        key = (template, name)
        if key not in self._answers:
            self._visited, self._steps = set(), 0
            places: list[Location] = []
            self._answers[key] = (self._from_parameter(entry, template, places, 0), places)
        return self._answers[key]

    def _first_visit(self, kind: str, template: str, name: str) -> bool:
        """Whether this parameter or output is followed for the first time for this entry, within
        the entry's allowance of steps (a second visit, round a cycle or from a repeated
        reference, would add nothing new)."""
        key = (kind, template, name)
        self._steps += 1
        if key in self._visited or self._steps > MAX_STEPS:
            return False
        self._visited.add(key)
        return True

    def _from_parameter(self, entry: Any, template: str, places: list[Location], hops: int) -> list[str]:
        """The folders a `!Ref Parameter` of `template` stands for, from every parent that passes it."""
        name = _ref(entry)
        document = self.documents.get(template)
        if name is None or hops > MAX_HOPS or not isinstance(document, LocatedMap):
            return []
        if not self._first_visit("parameter", template, name):
            return []
        if not isinstance(document.get("Parameters"), LocatedMap) or name not in document["Parameters"]:
            return []
        folders: list[str] = []
        for parent, stack_id in self.parents.get(template, []):
            resources = _resources(self.documents.get(parent))
            stack = resources.get(stack_id)
            properties = stack.get("Properties") if isinstance(stack, LocatedMap) else None
            passed = properties.get("Parameters") if isinstance(properties, LocatedMap) else None
            if not isinstance(passed, LocatedMap) or name not in passed:
                continue
            places.append(Location(parent, passed.line_of(name)))
            folders.extend(self._value(passed[name], parent, places, hops + 1))
        return folders

    def _value(self, value: Any, template: str, places: list[Location], hops: int) -> list[str]:
        """The layer folders a value written in `template` names (see the module's docstring)."""
        self._steps += 1
        if hops > MAX_HOPS or self._steps > MAX_STEPS:
            return []
        if isinstance(value, list):
            return [folder for item in value for folder in self._value(item, template, places, hops)]
        if not isinstance(value, dict) or len(value) != 1:
            return []
        (function, argument), = value.items()
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            return self._value(argument[1], template, places, hops)
        if function == "Ref":
            resource = _resources(self.documents.get(template)).get(str(argument))
            if resource is not None:
                folder = layer_folder(resource, template, self.workspace)
                if folder is None:
                    return []
                places.append(Location(template, line_of(resource, 1)))
                return [folder]
            return self._from_parameter(value, template, places, hops)
        if function == "Fn::GetAtt" and isinstance(argument, list) and len(argument) == 2:
            return self._output(str(argument[0]), str(argument[1]), template, places, hops)
        return []

    def _output(self, stack_id: str, attribute: str, template: str, places: list[Location], hops: int) -> list[str]:
        """`!GetAtt Stack.Outputs.Name`: the value of that output in the stack's template."""
        if not attribute.startswith("Outputs.") or not self._first_visit("output", f"{template}#{stack_id}", attribute):
            return []
        child = self.child_of(template, _resources(self.documents.get(template)).get(stack_id))
        outputs = _mapping(self.documents.get(child)).get("Outputs") if child else None
        output = outputs.get(attribute.removeprefix("Outputs.")) if isinstance(outputs, LocatedMap) else None
        if child is None or not isinstance(output, LocatedMap) or "Value" not in output:
            return []
        places.append(Location(child, output.line_of("Value")))
        return self._value(output["Value"], child, places, hops + 1)


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return str(value["Ref"])
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _resources(document: Any) -> dict[str, Any]:
    return _mapping(_mapping(document).get("Resources"))


__all__ = ["NestedLayers"]
