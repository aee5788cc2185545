"""The contract of an analyzer: inventory and workspace in, findings out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from reviewer.config import Settings
from reviewer.inventory.interface import InventoryResult
from reviewer.model import Finding
from reviewer.workspace import Workspace


@dataclass
class AnalysisContext:
    workspace: Workspace
    inventory: InventoryResult
    settings: Settings


class Analyzer(Protocol):
    """One concern (runtimes, recursion, guardrails, engines); knows nothing of GitHub or rendering."""

    name: str

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]: ...
