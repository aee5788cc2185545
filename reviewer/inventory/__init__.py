"""The inventory: every Lambda function the repository declares, whatever the IaC format."""

from __future__ import annotations

from reviewer.inventory.cloudformation import CloudFormationFormat
from reviewer.inventory.interface import InventoryFormat, InventoryResult
from reviewer.workspace import Workspace

FORMATS: tuple[InventoryFormat, ...] = (CloudFormationFormat(),)


def build_inventory(workspace: Workspace) -> InventoryResult:
    """Run every format reader over the workspace; functions come out sorted by place."""
    result = InventoryResult()
    for fmt in FORMATS:
        result.extend(fmt.scan(workspace))
    result.functions.sort(key=lambda fn: (fn.location.path, fn.location.line, fn.name))
    return result


__all__ = ["build_inventory", "InventoryResult", "FORMATS"]
