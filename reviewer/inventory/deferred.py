"""Format readers imported only when a workspace holds files they may read.

Importing every reader cost each run about 50 modules (the CDK's tree-sitter readers, the
Serverless script reader, the HCL parser and Terraform's evaluation), a tenth of a second that a
one-function review of a SAM repository spent on readers with nothing to read. Each deferred
format answers first, from a light module of its own (its file names and markers), whether the
workspace holds anything it reads; only then is its reader imported, and it is handed what that
answer found (the listing, git's search for markers) so that nothing is asked twice. The answer
errs on the side of reading: a file the light module cannot tell about imports the reader.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from reviewer.inventory.cdk import app_files as cdk_files
from reviewer.inventory.interface import InventoryFormat, InventoryResult
from reviewer.inventory.serverless import configs as serverless_files
from reviewer.inventory.terraform import configuration_files as terraform_files
from reviewer.workspace import Workspace

# What a format's reader needs handed to its `scan` after the question (empty: nothing), or None
# when the workspace holds nothing the reader reads.
Probe = Callable[[Workspace], "tuple[Any, ...] | None"]


class DeferredFormat:
    """An InventoryFormat whose reader (`module`.`class_name`) is imported on first use."""

    def __init__(self, name: str, module: str, class_name: str, probe: Probe,
                 declares: Callable[[str, str], bool], prepare: Callable[[Workspace], None] | None = None) -> None:
        self.name = name
        self._module, self._class_name = module, class_name
        self._probe, self._declares, self._prepare = probe, declares, prepare
        self._reader: Any = None

    def reader(self) -> Any:
        if self._reader is None:
            self._reader = getattr(importlib.import_module(self._module), self._class_name)()
        return self._reader

    def prepare(self, workspace: Workspace) -> None:
        """Start what the probe will collect (a git search) while other formats read."""
        if self._prepare is not None:
            self._prepare(workspace)

    def scan(self, workspace: Workspace) -> InventoryResult:
        found = self._probe(workspace)
        return InventoryResult() if found is None else self.reader().scan(workspace, *found)

    def declares_functions(self, rel: str, text: str) -> bool:
        return self._declares(rel, text)


def _cdk_probe(workspace: Workspace) -> tuple[Any, ...] | None:
    listed = cdk_files.listed_app_files(workspace)
    return (listed,) if cdk_files.may_declare_functions(workspace, listed) else None


def _serverless_probe(workspace: Workspace) -> tuple[Any, ...] | None:
    services = serverless_files.service_files(workspace)
    return (services,) if services else None


def _terraform_probe(workspace: Workspace) -> tuple[Any, ...] | None:
    return () if terraform_files.has_configurations(workspace) else None


def deferred_formats() -> tuple[InventoryFormat, ...]:
    """The CDK, Serverless and Terraform formats, in the inventory's order."""
    return (
        DeferredFormat("cdk", "reviewer.inventory.cdk.read", "CdkFormat", _cdk_probe,
                       cdk_files.declares_functions, cdk_files.start_listing),
        DeferredFormat("serverless", "reviewer.inventory.serverless.read", "ServerlessFormat", _serverless_probe,
                       serverless_files.declares_functions),
        DeferredFormat("terraform", "reviewer.inventory.terraform.read", "TerraformFormat", _terraform_probe,
                       terraform_files.declares_functions),
    )
