"""What every IaC format reader produces, so rules never care which format declared a function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewer.model import Finding, Function
from reviewer.workspace import Workspace


@dataclass
class InventoryResult:
    """Functions found, notices about files that could not be read, and the parsed documents."""

    functions: list[Function] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)

    def extend(self, other: "InventoryResult") -> None:
        self.functions.extend(other.functions)
        self.notices.extend(other.notices)
        self.documents.update(other.documents)


class InventoryFormat(Protocol):
    """One IaC format: finds its files in the workspace and reads the functions they declare."""

    name: str

    def scan(self, workspace: Workspace) -> InventoryResult: ...
