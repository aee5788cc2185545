"""Analyzers, one module per concern. Each is imported only when it runs, to keep start-up cheap."""

from __future__ import annotations

from reviewer.analyzers.interface import AnalysisContext, Analyzer
from reviewer.model import Finding


def default_analyzers() -> list[Analyzer]:
    from reviewer.analyzers.runtimes import RuntimeLifecycleAnalyzer

    analyzers: list[Analyzer] = [RuntimeLifecycleAnalyzer()]
    from reviewer.analyzers.recursion import RecursionAnalyzer

    analyzers.append(RecursionAnalyzer())
    from reviewer.analyzers.bandit_engine import BanditAnalyzer
    from reviewer.analyzers.dependencies import DependencyAuditAnalyzer

    analyzers += [BanditAnalyzer(), DependencyAuditAnalyzer()]
    from reviewer.analyzers.deployment import DeploymentAnalyzer
    from reviewer.analyzers.exposure import ExposureAnalyzer
    from reviewer.analyzers.iam import RolePermissionsAnalyzer
    from reviewer.analyzers.secrets import PlainSecretAnalyzer
    from reviewer.analyzers.tmp_storage import TmpStorageAnalyzer

    analyzers += [RolePermissionsAnalyzer(), ExposureAnalyzer(), PlainSecretAnalyzer(), DeploymentAnalyzer(),
                  TmpStorageAnalyzer()]
    return analyzers


def run_analyzers(context: AnalysisContext, analyzers: list[Analyzer] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for analyzer in analyzers if analyzers is not None else default_analyzers():
        findings.extend(analyzer.analyze(context))
    return findings
