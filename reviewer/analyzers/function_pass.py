"""The code analyzers' reading, function by function: every analyzer's step for one function
before the next function's.

Each analyzer that reads handler code (bandit's choice of files, recursion, /tmp storage,
untrusted input) would otherwise read every function's code in turn, and the syntax trees of a
3,000-function monorepo (900 MB) would have to be kept from the first analyzer to the last, or
parsed again by each. Here one function's modules are parsed once, every analyzer takes what it
needs from them (small results: writes, hits, shipped files), and the run's parse cache lets the
trees go once later functions need the room (reviewer.content_cache). The analyzers' findings
are unchanged: each still builds them in its own `analyze`, in its own order, from these results.
"""

from __future__ import annotations

import threading
from typing import Iterable

from reviewer.analyzers.interface import AnalysisContext, Analyzer, PreparedAnalyzer
from reviewer.run_limits import RunLimitExceeded, run_limits


def run_function_pass(context: AnalysisContext, analyzers: Iterable[Analyzer]) -> None:
    """Every analyzer's `prepare`, for each function the scan analyses, in inventory order.

    A step that raises is not called again: its analyzer's `analyze` meets the same error on the
    same function and reports it (LR900), as it would without this pass. Once the run's deadline
    passes, the pass stops; the analyzers' own boundaries then say what was left unanalysed.
    """
    steps = [analyzer for analyzer in analyzers if isinstance(analyzer, PreparedAnalyzer)]
    if not steps:
        return
    limits = run_limits()
    on_main = threading.current_thread() is threading.main_thread()
    stopped: set[int] = set()
    if on_main:
        limits.depth += 1           # the deadline's alarm interrupts the pass (reviewer.isolation)
    try:
        try:
            for function in context.focused_functions:
                for analyzer in steps:
                    if id(analyzer) in stopped:
                        continue
                    try:
                        analyzer.prepare(context, function)
                    except Exception:  # noqa: BLE001 - `analyze` meets it again and reports it
                        stopped.add(id(analyzer))
        finally:
            if on_main:
                limits.depth -= 1
    except RunLimitExceeded:
        pass
