"""Running the analyzers: which run (`default_analyzers`), the engines started first, every
analyzer's findings collected, one analyzer's crash kept to one notice.

Each analyzer module is imported only when it runs, to keep start-up cheap.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Callable

from reviewer.analyzers.bandit_dispatch import use_every_core
from reviewer.analyzers.function_pass import run_function_pass
from reviewer.analyzers.interface import AnalysisContext, Analyzer, EngineStatus, StartedAnalyzer
from reviewer.isolation import analyzer_crash_notice, boundary
from reviewer.findings import Finding

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
    from reviewer.analyzers.routes import RouteAuthorizationAnalyzer
    from reviewer.analyzers.untrusted_input import UntrustedInputAnalyzer

    analyzers += [RolePermissionsAnalyzer(), ExposureAnalyzer(), PlainSecretAnalyzer(), DeploymentAnalyzer(),
                  TmpStorageAnalyzer(), RouteAuthorizationAnalyzer(), UntrustedInputAnalyzer()]
    return analyzers


def start_analyzers(context: AnalysisContext, analyzers: list[Analyzer] | None = None,
                    progress: "Progress | None" = None) -> Callable[[], list[Finding]]:
    """Run the analyzers that work in this interpreter; the callable waits for the engines and
    gives every analyzer's findings, in analyzer order.

    An analyzer whose work runs outside this interpreter (`start`: bandit's worker processes,
    the dependency audit's process) is started first, here, and finished on a thread of its own
    while the others run on this one; on a machine with spare cores the scan then takes about
    as long as its longest part rather than the sum of them. Starting happens on this thread
    before the others run: a thread that reads files and imports while this one computes waits
    for the interpreter lock at every step. Returning before the engines are done lets a review
    analyse the base commit while the head's audit is still waiting on the network.

    Between the engines' start and the other analyzers, the analyzers that read handler code
    read it function by function (reviewer.analyzers.function_pass), so no function's syntax
    trees need outlive its turn; what an engine chooses from that reading (bandit: the files each
    function ships) it does right after (`context.after_function_pass`).
    """
    chosen = analyzers if analyzers is not None else default_analyzers()
    phase = progress.phase if progress is not None else ""
    if progress is not None:
        progress.analyzers(len(chosen))

    def run(analyzer: Analyzer) -> list[Finding]:
        if progress is not None:
            progress.started(analyzer.name)
        found = isolated(analyzer, lambda: list(analyzer.analyze(context)))
        if progress is not None:
            progress.finished(analyzer.name, phase)
        return found

    def finish(analyzer: Analyzer, pending: Callable[[], list[Finding]]) -> list[Finding]:
        found = isolated(analyzer, pending)
        if progress is not None:
            progress.finished(analyzer.name, phase)
        return found

    def isolated(analyzer: Analyzer, work: Callable[[], list[Finding]]) -> list[Finding]:
        """One analyzer's findings; when it stops on an exception, one LR900 notice instead, naming
        the file it read last, and the other analyzers go on (reviewer.isolation). An engine that
        stops so did not run: its status says so, with that notice."""
        found: list[Finding] = []
        context.workspace.last_read = None

        def crashed(exc: BaseException) -> None:
            notice = analyzer_crash_notice(analyzer.name, exc, context.workspace.last_read)
            found.append(notice)
            engine = getattr(analyzer, "engine", None)
            if isinstance(engine, str):
                context.engine_status[engine] = EngineStatus("failed", f"{type(exc).__name__}: {exc}", notice=notice)

        with boundary(crashed, lambda: f"the {analyzer.name} check"):
            found = work()
        return found

    started: dict[int, Callable[[], list[Finding]]] = {}
    context.after_pass = []
    try:
        for analyzer in chosen:
            if isinstance(analyzer, StartedAnalyzer):
                if progress is not None:
                    progress.started(analyzer.name)
                started[id(analyzer)] = analyzer.start(context)
        run_function_pass(context, chosen)
        for work in context.after_pass:
            work()
    finally:
        context.after_pass = None
    results: dict[int, list[Finding]] = {}
    futures: dict[int, Future[list[Finding]]] = {}
    pool: ThreadPoolExecutor | None = None
    if started:
        pool = ThreadPoolExecutor(max_workers=len(started), thread_name_prefix="analyzer")
        futures = {key: pool.submit(finish, analyzer, started[key])
                   for analyzer in chosen if (key := id(analyzer)) in started}
    try:
        for analyzer in chosen:
            if id(analyzer) not in started:
                results[id(analyzer)] = run(analyzer)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=True)          # the engines' threads end before the error goes up
        raise

    def collect() -> list[Finding]:
        use_every_core()          # this process only waits from here: bandit's workers may take its core
        try:
            for key, future in futures.items():
                results[key] = future.result()
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        return [finding for analyzer in chosen for finding in results[id(analyzer)]]

    return collect
