"""Analyzers, one module per concern. Each is imported only when it runs, to keep start-up cheap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.analyzers.interface import AnalysisContext, Analyzer
from reviewer.model import Finding

if TYPE_CHECKING:
    from reviewer.progress import Progress


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


def run_analyzers(context: AnalysisContext, analyzers: list[Analyzer] | None = None,
                  progress: "Progress | None" = None) -> list[Finding]:
    """Every analyzer's findings, in analyzer order.

    An analyzer that mostly waits (`background = True`: the dependency audit waits on the
    vulnerability service, bandit on its worker processes) runs on its own thread from the
    start, while the others run here; on a machine with spare cores the scan then takes about
    as long as its longest part rather than the sum of them.
    """
    chosen = analyzers if analyzers is not None else default_analyzers()
    if progress is not None:
        progress.analyzers(len(chosen))

    def run(analyzer: Analyzer) -> list[Finding]:
        if progress is not None:
            progress.started(analyzer.name)
        found = list(analyzer.analyze(context))
        if progress is not None:
            progress.finished(analyzer.name)
        return found

    waiting = [analyzer for analyzer in chosen if getattr(analyzer, "background", False)]
    results: dict[int, list[Finding]] = {}
    if waiting:
        from concurrent.futures import ThreadPoolExecutor

        # The workspace walk happens before any thread starts; everything after only reads it.
        for _ in context.workspace.iter_files():
            break
        with ThreadPoolExecutor(max_workers=len(waiting), thread_name_prefix="analyzer") as pool:
            futures = {id(analyzer): pool.submit(run, analyzer) for analyzer in waiting}
            for analyzer in chosen:
                if id(analyzer) not in futures:
                    results[id(analyzer)] = run(analyzer)
            for key, future in futures.items():
                results[key] = future.result()
    else:
        for analyzer in chosen:
            results[id(analyzer)] = run(analyzer)
    return [finding for analyzer in chosen for finding in results[id(analyzer)]]
