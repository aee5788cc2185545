"""The inventory: every Lambda function the repository declares, whatever the IaC format."""

from __future__ import annotations

from contextlib import suppress
from functools import partial

from reviewer.inventory.annotations_templates import without_generated_duplicates
from reviewer.inventory.cloudformation.read import CloudFormationFormat
from reviewer.inventory.container.context_copies import ship_copied_files
from reviewer.inventory.container.linking import claim_linked_dockerfiles
from reviewer.inventory.container.read import ContainerImageFormat
from reviewer.inventory.deferred import deferred_formats
from reviewer.inventory.interface import InventoryFormat, InventoryResult
from reviewer.inventory.local_test_templates import without_local_harnesses
from reviewer.isolation import boundary, file_crash_notice
from reviewer.workspace import Workspace

# CDK, Serverless and Terraform readers are imported only for a workspace with their files.
_CDK, _SERVERLESS, _TERRAFORM = deferred_formats()
FORMATS: tuple[InventoryFormat, ...] = (CloudFormationFormat(), _CDK, ContainerImageFormat(), _SERVERLESS, _TERRAFORM)


def declares_functions(rel: str, text: str) -> bool:
    """Whether some format reads the text of `rel`, which does not parse, as declaring functions."""
    return any(fmt.declares_functions(rel, text) for fmt in FORMATS)


def _record_crash(result: InventoryResult, workspace: Workspace, reader: str, exc: BaseException) -> None:
    result.notices.append(file_crash_notice(workspace.last_read or ".", exc, reader))


def _last_read(workspace: Workspace, reader: str) -> str:
    return workspace.last_read or f"the {reader} inventory"


def build_inventory(workspace: Workspace) -> InventoryResult:
    """Run every format reader over the workspace; functions come out sorted by place."""
    result = InventoryResult()
    # Searches started before the inventory answer questions asked after it (the analyzers').
    kept = workspace.started_requests()
    for fmt in FORMATS:
        # A format may start slow outside work now (a git search) that its scan then collects;
        # whatever fails here, the scan asks again and reports.
        prepare = getattr(fmt, "prepare", None)
        if prepare is not None:
            with suppress(Exception):
                prepare(workspace)
    try:
        _scan_formats(workspace, result)
    finally:
        workspace.settle_started(keep=kept)
    # A Dockerfile that a declared function builds from is listed once, under that function.
    result.functions = claim_linked_dockerfiles(result.functions)
    # A .NET project's Annotations template is not deployed when a CDK app builds the project.
    result.functions = without_generated_duplicates(workspace, result.functions)
    # A SAM template kept only for `sam local` is not deployed when another tool deploys its code.
    result.functions = without_local_harnesses(result.functions, result.documents)
    # An image holds only the files of its build context that its Dockerfile copies.
    ship_copied_files(workspace, result.functions)
    result.functions.sort(key=lambda fn: (fn.location.path, fn.location.line, fn.name))
    return result


def _scan_formats(workspace: Workspace, result: InventoryResult) -> None:
    for fmt in FORMATS:
        # Each format reads its files inside boundaries of its own; this one catches the rest
        # (a crash between files), naming the file the format read last.
        workspace.last_read = None
        part: list[InventoryResult] = []
        with boundary(partial(_record_crash, result, workspace, fmt.name),
                      partial(_last_read, workspace, fmt.name)):
            part.append(fmt.scan(workspace))
        if part:
            result.extend(part[0])


__all__ = ["build_inventory", "declares_functions", "InventoryResult", "FORMATS"]
