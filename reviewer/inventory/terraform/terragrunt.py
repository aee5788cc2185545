"""Terragrunt units (`terragrunt.hcl`) that run a module folder of the repository.

A unit's `terraform { source = "../../../aws//create_metrics_lambda" }` names the module it runs:
Terragrunt copies the source (the part before `//`, so the module's relative paths to other
folders keep working) into a cache folder, copies the unit's own files (its `lambda/` code, its
`.tfvars`) into the module folder of that copy, and runs Terraform there, setting every `inputs`
entry as a `TF_VAR_` variable. So a module folder a unit runs is a root module once per unit:
its relative paths (`source_file = "lambda/x.js"`) name a file of the unit, or of the module
folder when the unit has none of that name, and its variables take the unit's inputs where no
`.tfvars` file sets them (Terraform reads environment variables before those files).

Only local sources are followed (a relative path, or one built from `get_terragrunt_dir()` or
`get_repo_root()`); a remote one (`git::`, `tfr://`) runs code this repository does not hold. The
source may be written in a file the unit includes (`_envcommon/app.hcl`, shared by each
environment's unit), as the inputs may. A unit without a source runs the Terraform files of its
own folder, with its inputs. `inputs` are read from the unit and from the files it includes
(`include { path = find_in_parent_folders() }`), the unit's own overriding an included file's, as
Terragrunt's shallow merge does; an input written as an expression Terragrunt computes
(`dependency.x.outputs.y`, `get_env(...)`, `local.x`) stays unknown.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, fields
from pathlib import PurePosixPath
from typing import Any, Callable

from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.located import LocatedMap
from reviewer.model import Function, Location
from reviewer.workspace import UnreadableFile, Workspace

TERRAGRUNT_FILE = "terragrunt.hcl"
MAX_UNITS = 500
MAX_INCLUDES = 4
MAX_BLOCKS = 200
MAX_LINES = 5_000
# A function's fields that say where it is declared and named, not what it deploys.
_PLACES = frozenset({"name", "location", "properties", "declaration_inputs", "name_scope", "loop_coverage"})
# A `source` attribute, and the local paths written in it (`"../../../aws//x"`, a condition's branch).
_SOURCE_LINE = re.compile(r"\s*source\s*=")
_LOCAL_PATH = re.compile(r'"(\$\{get_terragrunt_dir\(\)\}/|\$\{get_repo_root\(\)\}/|\.\.?/)([^"$\n]{0,300})"')
# How a source built from the repository's root is spelled once read (`_source_text`).
_REPO_ROOT = "${get_repo_root()}/"
_UNIT_FOLDER = "${get_terragrunt_dir()}/"
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


def read_units(workspace: Workspace, parse: Parse, module_directories: set[str]) -> list[TerragruntUnit]:
    """Every unit of the workspace that runs one of `module_directories` (the folders read as
    Terraform): only a unit whose text names such a folder as a local source, or that lies in
    one, is parsed (a live repository has hundreds of units, most of them for other services)."""
    units = []
    shared = _shared_sources(workspace)
    for rel in list(workspace.iter_files((TERRAGRUNT_FILE,)))[:MAX_UNITS]:
        if PurePosixPath(rel).name != TERRAGRUNT_FILE or not _may_run(workspace, rel, module_directories, shared):
            continue
        parsed = parse(rel)
        if parsed is None:
            continue
        unit = _unit(workspace, rel, parsed, parse)
        if unit is not None:
            units.append(unit)
    return units


def _shared_sources(workspace: Workspace) -> set[str]:
    """The names of the Terragrunt files other than units (`_envcommon/app.hcl`) that write a local
    `source`: a unit that includes one runs what it names, though its own text names no folder."""
    names = set()
    for rel in list(workspace.iter_files((".hcl",)))[:MAX_UNITS]:
        name = PurePosixPath(rel).name
        if name == TERRAGRUNT_FILE or name in names:
            continue
        try:
            text = workspace.read_text(rel)
        except UnreadableFile:
            continue
        if any(_SOURCE_LINE.match(line) and _LOCAL_PATH.search(line) for line in text.splitlines()[:MAX_LINES]):
            names.add(name)
    return names


def _may_run(workspace: Workspace, rel: str, module_directories: set[str], shared: set[str]) -> bool:
    """Whether a unit's text says it runs one of the folders: it lies in one, a `source` of it
    names one (either branch of a condition, `"../../../aws//x"`), or it names a file it may
    include that writes a local `source` (`shared`)."""
    directory = str(PurePosixPath(rel).parent)
    if directory in module_directories:
        return True
    try:
        text = workspace.read_text(rel)
    except UnreadableFile:
        return False
    if "include" in text and any(name in text for name in shared):
        return True
    for line in text.splitlines()[:MAX_LINES]:
        if _SOURCE_LINE.match(line) is None:
            continue
        for start, rest in _LOCAL_PATH.findall(line)[:4]:
            folder = _module_directory(workspace, directory, start + rest)
            if folder is not None and folder in module_directories:
                return True
    return False


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
    if path is not None and path.startswith(_UNIT_FOLDER):
        path = "./" + path[len(_UNIT_FOLDER):].lstrip("/")
    if path is not None and path.startswith(_REPO_ROOT):
        # `${get_repo_root()}/infrastructure//src/app`: a folder of the repository, wherever the unit is
        path, directory = "./" + path[len(_REPO_ROOT):].lstrip("/"), ""
    if path is None or not _is_local(path):
        return None
    path = path.split("?", 1)[0].replace("//", "/")
    resolved = _path(workspace, directory, path)
    return resolved if resolved is not None and workspace.is_dir(resolved) else None


def _source_text(source: Any, depth: int = 0) -> str | None:
    """A source as written (`${get_terragrunt_dir()}/` and `${get_repo_root()}/` kept as the
    prefixes `_module_directory` reads); of a condition, its local branch (`env == "production" ?
    "git::...//aws/x" : "../../../aws//x"`: the environments that run the repository's own folder)."""
    if isinstance(source, str):
        return source
    if isinstance(source, Expression) and source.kind == "template" and len(source.args) == 1 and depth < 4:
        return _source_text(source.args[0], depth + 1)  # "${condition ? a : b}"
    if isinstance(source, Expression) and source.kind == "conditional" and len(source.args) == 3 and depth < 4:
        branches = [_source_text(branch, depth + 1) for branch in source.args[1:]]
        local = [branch for branch in branches if branch is not None and _is_local(branch)]
        return local[0] if len(local) == 1 else None
    if isinstance(source, Expression) and source.kind == "template" and source.args:
        first = source.args[0]
        if isinstance(first, Expression) and first.kind == "call" and not first.args \
                and first.name in ("get_terragrunt_dir", "get_repo_root") \
                and all(isinstance(part, str) for part in source.args[1:]):
            start = _UNIT_FOLDER if first.name == "get_terragrunt_dir" else _REPO_ROOT
            return start + "".join(str(part) for part in source.args[1:]).lstrip("/")
    return None


def merge_deployments(functions: dict[tuple[str, str], Function], units: dict[str, list[TerragruntUnit]]
                      ) -> dict[tuple[str, str], Function]:
    """One function for a module folder's declaration that every unit running it deploys alike
    (the same runtime, handler, code, environment, triggers and access: units that differ only by
    inputs the review does not read), named and located in the module folder as a root of its
    own is, with each unit's files among those that make it; units that deploy it differently (their
    own code, their own runtime input) keep a function each."""
    by_declaration: dict[tuple[str, str], list[tuple[str, str]]] = {}
    directory_of = {unit.directory: module for module, listed in units.items() for unit in listed}
    for key in functions:
        module = directory_of.get(key[0])
        if module is not None and len(units[module]) > 1:
            by_declaration.setdefault((module, key[1]), []).append(key)
    merged = dict(functions)
    for (module, address), keys in by_declaration.items():
        if len(keys) != len(units[module]) or len({_deployed(functions[key]) for key in keys}) != 1:
            continue
        first = functions[keys[0]]
        for key in keys:
            del merged[key]
        declared = first.properties.get("resource_location")
        inputs = {path for key in keys for path in (*functions[key].declaration_inputs, functions[key].location.path)}
        if isinstance(declared, Location):
            first.location = declared
        first.declaration_inputs = tuple(sorted(inputs - {first.location.path}))
        first.properties["terraform_root"] = module
        first.properties["terragrunt_units"] = sorted(key[0] for key in keys)
        merged[(module, address)] = first
    return merged


def _deployed(function: Function) -> str:
    """What a function deploys, apart from where it is declared and named: equal for two units
    that deploy a module folder's declaration alike."""
    return repr([getattr(function, item.name) for item in fields(function) if item.name not in _PLACES])


def _is_local(path: str) -> bool:
    return path.startswith(("./", "../", _UNIT_FOLDER, _REPO_ROOT)) and not any(marker in path for marker in _REMOTE_MARKERS)


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


__all__ = ["TERRAGRUNT_FILE", "TerragruntUnit", "merge_deployments", "read_units"]
