"""Which declaration files stand alone, so that a review's base can take their functions from the head.

A pull request review reads the base commit to tell new findings from pre-existing ones. A
template whose bytes are the same on both sides declares the same functions on both sides, and
its template-level findings are the same, but only when nothing outside the file shapes what it
declares. This module says which files are that simple, with format knowledge kept here:

- only CloudFormation/SAM templates qualify: Terraform modules, CDK apps and Serverless includes
  span files, so their functions are always read on both sides;
- a template that nests applications or stacks, and one a template of the repository nests (its
  functions know their parent's chain, `Parent/Child`), span files too: the parent reads its
  child in the base whatever the listing leaves out;
- every place a function records (its declaration, properties, triggers, routes, permissions,
  policies) and every file its declaration reads (`Function.declaration_inputs`) must lie in the
  template itself or in the function's own code path;
- the folders of a function's local layers (`Function.layer_paths`), whose modules its code
  imports, and what its image copies onto the task root (`Function.task_root_copies`) count as
  its code: `code_folders` names them with the code path;
- container-image functions read their Dockerfile and are left out.

reviewer.review.carry_over decides, from the change, which of these files are carried over.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from reviewer.inventory.build_output import in_cdk_output
from reviewer.inventory.cloudformation.read import NESTED_PATH_PROPERTY
from reviewer.inventory.cloudformation.read import SUFFIXES as TEMPLATE_SUFFIXES
from reviewer.inventory.interface import MAX_TOTAL_YAML_BYTES, InventoryResult
from reviewer.located import LocatedMap
from reviewer.model import Function, Location

TEMPLATE_FORMATS = frozenset({"sam", "cloudformation"})
# Resources that make a template read another one (reviewer.inventory.cloudformation.read).
NESTING_TYPES = frozenset({"AWS::Serverless::Application", "AWS::CloudFormation::Stack"})
# The files whose text counts against the per-scan YAML allowance (parse_yaml): CloudFormation
# templates and Serverless files share these suffixes.
BUDGETED_SUFFIXES = TEMPLATE_SUFFIXES
YAML_ALLOWANCE = MAX_TOTAL_YAML_BYTES


def standalone_templates(inventory: InventoryResult) -> dict[str, list[Function]]:
    """Templates whose functions depend on nothing but the template's text (and, for the paths it
    names, the functions' code paths), each with its functions."""
    by_path: dict[str, list[Function]] = defaultdict(list)
    for function in inventory.functions:
        by_path[function.location.path].append(function)
    standalone: dict[str, list[Function]] = {}
    for path, functions in by_path.items():
        document = inventory.documents.get(path)
        if in_cdk_output(path) or not isinstance(document, LocatedMap) or _nests(document):
            continue
        if all(_standalone_function(function) for function in functions):
            standalone[path] = functions
    return standalone


def deployment_inputs(template: str) -> tuple[str, ...]:
    """Files beside a template that decide what its functions deploy without being part of it
    (the SAM CLI configuration whose `parameter_overrides` replace its defaults): a change to one
    changes the template's functions."""
    from reviewer.inventory.cloudformation.samconfig import configuration_paths

    return configuration_paths(template)


def _nests(document: LocatedMap) -> bool:
    resources = document.get("Resources")
    if not isinstance(resources, LocatedMap):
        return True
    return any(isinstance(resource, LocatedMap) and resource.get("Type") in NESTING_TYPES
               for resource in resources.values())


def _standalone_function(function: Function) -> bool:
    return (function.format in TEMPLATE_FORMATS and "/" not in function.name
            and NESTED_PATH_PROPERTY not in function.properties
            and function.package_type.lower() == "zip" and function.task_root is None)


def code_folders(function: Function) -> tuple[str, ...]:
    """The repository paths a function's code is read from: its code path, the folders its
    layers put on the import path and what its image copies onto the task root, as the inventory
    records them."""
    return tuple(path for path in (function.code_path, *function.layer_paths,
                                   *(copied for copied, _ in function.task_root_copies),
                                   *function.image_dependency_files) if path)


def recorded_paths(function: Function) -> set[str]:
    """Every file a function's inventory facts point at (any Location it holds, however nested),
    and the files its declaration reads (`Function.declaration_inputs`)."""
    paths: set[str] = set(function.declaration_inputs)
    for name in _field_names(type(function)):
        _collect_paths(getattr(function, name), 0, paths)
    return paths


# Values as written (read for what they say, never for places): a trigger's `attributes` hold its
# declaration, `environment` and `properties` the function's.
_RAW_FIELDS = frozenset({"properties", "environment", "attributes"})


# The fields `_collect_paths` walks, by dataclass (asked of every function of a review's head).
_WALKED_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _WALKED_FIELDS.get(cls)
    if names is None:
        names = _WALKED_FIELDS[cls] = tuple(field.name for field in dataclasses.fields(cls)
                                            if field.name not in _RAW_FIELDS)
    return names


# What `_collect_paths` does with a value, by its type (asked of every value of every function).
_SKIP, _PLACE, _MAPPING, _ITEMS, _FIELDS = range(1, 6)
_HANDLING: dict[type, int] = {}


def _handling(cls: type) -> int:
    """The branch `_collect_paths` takes for instances of `cls`, worked out once per type."""
    handling = _HANDLING.get(cls)
    if handling is None:
        if issubclass(cls, (str, int, float, bool, type(None))):
            handling = _SKIP
        elif issubclass(cls, Location):
            handling = _PLACE
        elif issubclass(cls, dict):
            handling = _MAPPING
        elif issubclass(cls, (list, tuple, set, frozenset)):
            handling = _ITEMS
        elif dataclasses.is_dataclass(cls) and not issubclass(cls, type):
            handling = _FIELDS
        else:
            handling = _SKIP
        _HANDLING[cls] = handling
    return handling


def _collect_paths(value: Any, depth: int, paths: set[str]) -> None:
    """The path of every Location in `value`, down to six levels, added to `paths`."""
    if depth > 6:
        return
    cls = type(value)
    handling = _HANDLING.get(cls) or _handling(cls)
    if handling == _SKIP:
        return
    if handling == _PLACE:
        paths.add(value.path)
    elif handling == _MAPPING:
        for item in value.values():
            _collect_paths(item, depth + 1, paths)
    elif handling == _ITEMS:
        for item in value:
            _collect_paths(item, depth + 1, paths)
    else:
        for name in _field_names(cls):
            _collect_paths(getattr(value, name), depth + 1, paths)
