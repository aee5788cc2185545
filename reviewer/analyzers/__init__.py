"""Analyzers, one module per concern. Each is imported only when it runs, to keep start-up cheap."""

from __future__ import annotations

from reviewer.analyzers.interface import AnalysisContext, Analyzer
from reviewer.model import Finding


def default_analyzers() -> list[Analyzer]:
    from reviewer.analyzers.runtimes import RuntimeLifecycleAnalyzer

    return [RuntimeLifecycleAnalyzer()]


def run_analyzers(context: AnalysisContext, analyzers: list[Analyzer] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for analyzer in analyzers if analyzers is not None else default_analyzers():
        findings.extend(analyzer.analyze(context))
    return findings
