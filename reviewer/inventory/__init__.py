"""The inventory: every Lambda function the repository declares, whatever the IaC format."""

from __future__ import annotations

from reviewer.inventory.cdk import CdkFormat
from reviewer.inventory.cloudformation import CloudFormationFormat
from reviewer.inventory.container import ContainerImageFormat, claim_linked_dockerfiles
from reviewer.inventory.interface import InventoryFormat, InventoryResult
from reviewer.inventory.serverless import ServerlessFormat
from reviewer.inventory.terraform import TerraformFormat
from reviewer.workspace import Workspace

FORMATS: tuple[InventoryFormat, ...] = (CloudFormationFormat(), CdkFormat(), ContainerImageFormat(),
                                        ServerlessFormat(), TerraformFormat())


def build_inventory(workspace: Workspace) -> InventoryResult:
    """Run every format reader over the workspace; functions come out sorted by place."""
    result = InventoryResult()
    for fmt in FORMATS:
        result.extend(fmt.scan(workspace))
    # A Dockerfile that a declared function builds from is listed once, under that function.
    result.functions = claim_linked_dockerfiles(result.functions)
    result.functions.sort(key=lambda fn: (fn.location.path, fn.location.line, fn.name))
    return result


__all__ = ["build_inventory", "InventoryResult", "FORMATS"]
