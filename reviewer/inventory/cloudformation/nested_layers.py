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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.inventory.cloudformation.layers import MAX_LAYERS, layer_entries, layer_folder
from reviewer.located import LocatedMap, line_of
from reviewer.model import Function, Location
from reviewer.workspace import Workspace

MAX_HOPS = 6   # parameter → parent → output → ...: nesting deeper than this is not followed

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
                for folder in self._from_parameter(entry, template, places, 0):
                    if folder not in folders and len(folders) < MAX_LAYERS:
                        folders.append(folder)
            if len(folders) > len(function.layer_paths):
                function.layer_paths = tuple(folders)
                for index, place in enumerate(places):
                    function.locations[f"Layers.Passed.{index}"] = place

    def _from_parameter(self, entry: Any, template: str, places: list[Location], hops: int) -> list[str]:
        """The folders a `!Ref Parameter` of `template` stands for, from every parent that passes it."""
        name = _ref(entry)
        document = self.documents.get(template)
        if name is None or hops > MAX_HOPS or not isinstance(document, LocatedMap):
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
        if hops > MAX_HOPS:
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
        if not attribute.startswith("Outputs."):
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
