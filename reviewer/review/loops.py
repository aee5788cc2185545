"""Recursion loops as Mermaid flowcharts for the summary (GitHub renders ```mermaid blocks).

Node ids are ours (`n0`, `n1`...); every label is quoted and escaped by `markdown.mermaid_label`,
so a resource or function name from the pull request cannot leave its label or the code block.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from reviewer import markdown, wording
from reviewer.findings import Finding, Loop, LoopNode

MAX_DIAGRAMS = 10


@dataclass(frozen=True)
class LoopDiagram:
    """One loop finding, drawn: `diagram` is the Mermaid source (safe to print as is)."""

    rule_id: str
    severity: str
    function: str
    location: str
    path: str
    diagram: Markup
    new: bool


@dataclass(frozen=True)
class DrawnNode:
    """A box of the drawing: our id, its kind (function or resource), its escaped label."""

    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class DrawnEdge:
    """An arrow of the drawing, between two of our ids, with its escaped label."""

    source: str
    target: str
    label: str


def mermaid(loop: Loop) -> Markup:
    """`flowchart LR` with one node per function or resource and one arrow per step, drawn by
    `templates/mermaid.txt.j2` from the nodes and edges; every label escaped here first."""
    ids: dict[LoopNode, str] = {}
    nodes: list[DrawnNode] = []
    for edge in loop.edges:
        for node in (edge.source, edge.target):
            if node not in ids:
                ids[node] = f"n{len(ids)}"
                nodes.append(DrawnNode(ids[node], node.kind, markdown.mermaid_label(node.label)))
    edges = [DrawnEdge(ids[edge.source], ids[edge.target],
                       markdown.mermaid_label(f"{edge.action}, {edge.location.path}:{edge.location.line}", limit=120))
             for edge in loop.edges]
    return Markup(wording.text("mermaid.txt.j2", nodes=nodes, edges=edges).rstrip("\n"))


def _path(loop: Loop) -> str:
    if not loop.edges:
        return ""
    names = [loop.edges[0].source.label] + [edge.target.label for edge in loop.edges]
    return " → ".join(names)


def loop_diagrams(findings: list[Finding], new: list[Finding] | None = None) -> list[LoopDiagram]:
    """The loops of `findings`, most severe first; at most MAX_DIAGRAMS."""
    new_fingerprints = {finding.fingerprint for finding in new or []}
    diagrams = []
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.loop is None:
            continue
        diagrams.append(LoopDiagram(
            rule_id=finding.rule_id, severity=finding.severity.value, function=finding.function or "",
            location=f"{finding.path}:{finding.line}", path=_path(finding.loop), diagram=mermaid(finding.loop),
            new=finding.fingerprint in new_fingerprints,
        ))
    return diagrams[:MAX_DIAGRAMS]
