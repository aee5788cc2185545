"""Terragrunt units (`terragrunt.hcl`) that run a module folder of the repository.

A unit's `terraform { source = "../../../aws//create_metrics_lambda" }` names the module it runs:
Terragrunt copies the source (the part before `//`, so the module's relative paths to other
folders keep working) into a cache folder, copies the unit's own files (its `lambda/` code, its
`.tfvars`) into the module folder of that copy, and runs Terraform there, setting every `inputs`
entry as a `TF_VAR_` variable. So a module folder a unit runs is a root module once per unit:
its relative paths (`source_file = "lambda/x.js"`) name a file of the unit, or of the module
folder when the unit has none of that name, and its variables take the unit's inputs where no
`.tfvars` file sets them (Terraform reads environment variables before those files).

Only local sources are followed (a relative path, or one built from `get_terragrunt_dir()`); a
remote one (`git::`, `tfr://`) runs code this repository does not hold. A unit without a source
runs the Terraform files of its own folder, with its inputs. `inputs` are read from the
unit and from the files it includes (`include { path = find_in_parent_folders() }`), the unit's
own overriding an included file's, as Terragrunt's shallow merge does; an input written as an
expression Terragrunt computes (`dependency.x.outputs.y`, `get_env(...)`) stays unknown.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Callable

from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.located import LocatedMap
from reviewer.workspace import Workspace

TERRAGRUNT_FILE = "terragrunt.hcl"
MAX_UNITS = 500
MAX_INCLUDES = 4
MAX_BLOCKS = 200
_REMOTE_MARKERS = ("::", "://")

Parse = Callable[[str], "tuple[LocatedMap, list[Block]] | None"]


@dataclass
class TerragruntUnit:
    """One `terragrunt.hcl` that runs a module folder of the repository."""

    directory: str
    # The `source` line (0 for a unit that runs the Terraform files of its own folder).
    path: str
    line: int
    module_directory: str
    # Each input's value as written, and the file that writes it (the unit's or an included one's).
    inputs: dict[str, tuple[Any, str]] = field(default_factory=dict)


def read_units(workspace: Workspace, parse: Parse) -> list[TerragruntUnit]:
    """Every unit of the workspace whose `terraform.source` is a local module folder."""
    units = []
    for rel in list(workspace.iter_files((TERRAGRUNT_FILE,)))[:MAX_UNITS]:
        if PurePosixPath(rel).name != TERRAGRUNT_FILE:
            continue
        parsed = parse(rel)
        if parsed is None:
            continue
        unit = _unit(workspace, rel, parsed, parse)
        if unit is not None:
            units.append(unit)
    return units


def _unit(workspace: Workspace, rel: str, parsed: tuple[LocatedMap, list[Block]], parse: Parse
          ) -> TerragruntUnit | None:
    directory = str(PurePosixPath(rel).parent)
    included = [found for found in (_included(workspace, directory, block, parse)
                                    for block in parsed[1][:MAX_BLOCKS] if block.type == "include")
                if found is not None][:MAX_INCLUDES]
    # the unit's own terraform block first: it overrides the one of a file it includes
    sources = [block for _, blocks, _ in [(*parsed, rel), *included] for block in blocks[:MAX_BLOCKS]
               if block.type == "terraform" and "source" in block.attributes]
    # without a source, Terragrunt runs Terraform in the unit's own folder
    module = _module_directory(workspace, directory, sources[0].attributes["source"]) if sources else directory
    if module is None:
        return None
    inputs: dict[str, tuple[Any, str]] = {}
    for attributes, _, written_in in [*reversed(included), (*parsed, rel)]:  # the unit's own last: they win
        for name, value in _input_entries(attributes.get("inputs")).items():
            inputs[name] = (value, written_in)
    if not sources:
        return TerragruntUnit(directory, rel, 0, module, inputs) if inputs else None
    return TerragruntUnit(directory, sources[0].path, sources[0].line_of("source"), module, inputs)


def _included(workspace: Workspace, directory: str, block: Block, parse: Parse
              ) -> tuple[LocatedMap, list[Block], str] | None:
    """The file an `include` block names, parsed: `find_in_parent_folders()` (the nearest
    `terragrunt.hcl` above the unit, or the file named), a relative path, or one built from
    `get_terragrunt_dir()`."""
    path = _path(workspace, directory, block.get("path"))
    if path is None or not workspace.exists(path) or workspace.is_dir(path):
        return None
    parsed = parse(path)
    return (parsed[0], parsed[1], path) if parsed is not None else None


def _path(workspace: Workspace, directory: str, value: Any) -> str | None:
    """A repo-relative path a Terragrunt expression names, relative to the unit's folder."""
    if isinstance(value, str):
        return workspace.resolve(posixpath.join(directory, value) if directory not in ("", ".") else value)
    if not isinstance(value, Expression):
        return None
    if value.kind == "call" and value.name == "find_in_parent_folders":
        name = value.args[0] if value.args and isinstance(value.args[0], str) else TERRAGRUNT_FILE
        return _in_parent_folders(workspace, directory, name)
    if value.kind == "template" and value.args:
        first, rest = value.args[0], value.args[1:]
        if isinstance(first, Expression) and first.kind == "call" and first.name == "get_terragrunt_dir" \
                and all(isinstance(part, str) for part in rest):
            return _path(workspace, directory, "./" + "".join(str(part) for part in rest).lstrip("/"))
    return None


def _in_parent_folders(workspace: Workspace, directory: str, name: str) -> str | None:
    """`find_in_parent_folders(name)`: the nearest file of that name in a folder above the unit's."""
    current = PurePosixPath(directory)
    for parent in current.parents:
        candidate = workspace.resolve(str(parent / name)) if str(parent) != "." else workspace.resolve(name)
        if candidate is not None and workspace.exists(candidate) and not workspace.is_dir(candidate):
            return candidate
    return None


def _module_directory(workspace: Workspace, directory: str, source: Any) -> str | None:
    """The module folder a local `source` names (`../../../aws//create_metrics_lambda`); None for
    a remote source or a folder the repository does not hold."""
    path = _source_text(source)
    if path is None or any(marker in path for marker in _REMOTE_MARKERS):
        return None
    path = path.split("?", 1)[0].replace("//", "/")
    if not (path.startswith("./") or path.startswith("../")):
        return None
    resolved = _path(workspace, directory, path)
    return resolved if resolved is not None and workspace.is_dir(resolved) else None


def _source_text(source: Any) -> str | None:
    """A source as written, with `${get_terragrunt_dir()}` as the unit's folder (`.`)."""
    if isinstance(source, str):
        return source
    if isinstance(source, Expression) and source.kind == "template" and source.args:
        first = source.args[0]
        if isinstance(first, Expression) and first.kind == "call" and first.name == "get_terragrunt_dir" \
                and all(isinstance(part, str) for part in source.args[1:]):
            return "./" + "".join(str(part) for part in source.args[1:]).lstrip("/")
    return None


def _input_entries(value: Any) -> dict[str, Any]:
    """The entries of an `inputs` value: an object, or `merge()` of objects (later ones win)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, Expression) and value.kind == "call" and value.name == "merge":
        merged: dict[str, Any] = {}
        for argument in value.args[:16]:
            if isinstance(argument, dict):
                merged.update(argument)
        return merged
    return {}


__all__ = ["TERRAGRUNT_FILE", "TerragruntUnit", "read_units"]
