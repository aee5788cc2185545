"""One serverless.yml read with its variables resolved: what every part of the reader builds on."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.interface import InventoryResult
from reviewer.inventory.serverless.includes import included_document, included_file, is_file_variable, named_files
from reviewer.inventory.serverless.lift import construct_reference, constructs, uses_lift
from reviewer.inventory.serverless.reference import reference_of
from reviewer.inventory.serverless.variables import VariableResolver
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.model import (
    Location,
    PolicyStatement,
    ResourceRef,
)
from reviewer.workspace import Workspace


class ServiceBase:
    """One serverless.yml and its variable resolver."""

    def __init__(self, workspace: Workspace, path: str, document: LocatedMap, result: InventoryResult) -> None:
        self.workspace = workspace
        self.path = path
        self.document = document
        self.result = result
        self.directory = str(PurePosixPath(path).parent)
        # the files `${file(...)}` names, read or not: inputs of every function of the service
        self.included_files = named_files(workspace, self.directory, document)
        self.variables = VariableResolver(document, self.included)
        provider = document.get("provider")
        if is_file_variable(provider):
            # `provider: ${file(config/provider.yml):provider}`: its runtime and role are read there.
            included = self.included(str(provider))
            provider = included if isinstance(included, LocatedMap) else provider
        # a value computed by a serverless.ts, or a variable the review did not follow
        self.provider_unfollowed = isinstance(provider, str) and "${" in provider
        self.provider = as_mapping(provider)
        self.provider_name = self.text(self.provider.get("name")) if isinstance(provider, LocatedMap) else \
            self.text(provider)
        self.template: LocatedMap | None = None
        # serverless-lift's constructs, by id: the resources `${construct:...}` names (`lift.py`)
        self.lift_constructs = constructs(document) if uses_lift(plugin_names(document)) else {}
        self._statement_cache: dict[tuple[int, str], tuple[Any, list[PolicyStatement]]] = {}

    def included(self, value: str) -> Any:
        """`${file(./functions.yml)}` or `${file(../common.yml):provider.runtime}`: the document or
        part it names (`includes.included_document`), or None; the file counts as an input of the
        service's functions either way, as a change to it may change what they are."""
        rel = included_file(self.workspace, self.directory, value)
        if rel is not None:
            self.included_files.add(rel)
        return included_document(self.workspace, self.directory, value)

    def at(self, owner: Any, line: int, end_line: int | None = None) -> Location:
        """Where a value of `owner` was written: this file, or the module a serverless.ts imported it from."""
        path = getattr(owner, "source_path", None)
        return Location(path if isinstance(path, str) else self.path, line, end_line)

    def text(self, value: Any) -> str | None:
        """A scalar with its variables resolved; None when it is not a scalar or stays unresolved."""
        resolution = self.variables.resolve(value)
        if not resolution.resolved or resolution.value is None or isinstance(resolution.value, (dict, list)):
            return None
        if isinstance(resolution.value, bool):
            return "true" if resolution.value else "false"
        return str(resolution.value)

    def deployed_name(self, key: str, config: LocatedMap) -> tuple[str | None, bool]:
        """The name a function deploys under, and whether it was computed rather than written:
        its own `name:`, else the Framework's `<service>-<stage>-<key>`, the stage being
        `provider.stage` (or the fallback it writes, `${opt:stage, 'dev'}`), `dev` when none is
        set. `--stage` at deploy time may change it, as `-var` changes a Terraform default, so a
        computed name serves recursion (code that invokes `orders-dev-process` by name) and
        not the account tie-in. None when a part depends on the deployment (`${sls:stage}`)."""
        if "name" in config:
            written = config.get("name")
            name = self.text(written)
            return (name, isinstance(written, str) and "${" in written) if name else (None, False)
        service = self.document.get("service")
        service_name = self.text(service.get("name") if isinstance(service, LocatedMap) else service)
        stage = self.text(self.provider["stage"]) if "stage" in self.provider else "dev"
        if not service_name or not stage or "${" in service_name + stage:
            return None, False
        return f"{service_name}-{stage}-{key}", True

    def reference(self, value: Any) -> ResourceRef | None:
        """The resource a value names (`reference.reference_of`), or a Lift construct's
        (`${construct:uploads.bucketName}`)."""
        return construct_reference(value, self.path, self.lift_constructs) or reference_of(value)

    def resolved(self, value: Any) -> Any:
        """A value with every variable inside resolved where possible (mappings and lists too)."""
        if isinstance(value, (LocatedMap, LocatedList)):
            return self.variables.resolve_tree(value)[0]
        resolution = self.variables.resolve(value)
        if isinstance(resolution.value, (LocatedMap, LocatedList)):
            return self.variables.resolve_tree(resolution.value)[0]
        return resolution.value


def plugin_names(document: LocatedMap) -> tuple[str, ...]:
    """The service's `plugins:` (a list, or `{modules: [...]}`): they may rewrite what it declares."""
    value = document.get("plugins")
    if isinstance(value, LocatedMap):
        value = value.get("modules")
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value[:50] if isinstance(item, str))


def as_mapping(value: Any) -> LocatedMap:
    if isinstance(value, LocatedMap):
        return value
    empty = LocatedMap()
    empty.line, empty.key_lines = getattr(value, "line", 1), {}
    return empty


def text_of(value: Any) -> str:
    """A value as policy or display text: literals as written, `!Ref X` → `${X}`, `!GetAtt X.Y` → `${X.Y}`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return "${" + str(argument) + "}"
        if function == "Fn::GetAtt":
            parts = argument if isinstance(argument, list) else str(argument).split(".", 1)
            return "${" + ".".join(str(part) for part in parts) + "}"
        if function == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            if isinstance(text, str):
                return str(text)
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                and isinstance(argument[1], list):
            return str(argument[0]).join(text_of(part) for part in argument[1])
        return f"<{function}>"
    if isinstance(value, (dict, list)):
        return "<computed>"
    return str(value)


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def plain_value(value: Any, depth: int = 0) -> Any:
    """A located value as plain JSON-like Python (bounded); strings stay str."""
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {str(k): plain_value(v, depth + 1) for k, v in list(value.items())[:1000]}
    if isinstance(value, list):
        return [plain_value(v, depth + 1) for v in value[:1000]]
    if isinstance(value, LocatedStr):
        return str(value)
    return value


def alphanumeric_name(name: str) -> str:
    cleaned = re.sub(r"[^0-9A-Za-z]", "", name)
    return cleaned[:1].upper() + cleaned[1:]
