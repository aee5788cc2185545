"""Settings of the review's own process, applied by its entry points (`lambda-review`, the action).

A scan builds and drops millions of small objects (syntax trees of every module, located YAML
nodes), and CPython's cyclic garbage collector, by default, runs after every 700 allocations and
walks every live object on each full pass: on the bench monorepo that was 540 collections, four
of them full, and about a fifth of the review process's CPU time. Nothing the review builds relies
on prompt collection of cycles, and the process is short-lived, so the collector runs after 50,000
allocations instead (the approach mypy takes for the same kind of work). bandit's worker
processes inherit the setting when they are forked. The peak memory of a scan of the bench tree
did not change (about 90 MB either way).

At exit, CPython runs full collections while it tears the modules down, and each walks every
object still alive: a scan of the bench monorepo leaves about 250,000 (parsed modules and
templates, the run's caches), and those walks took 0.35-0.45 s after the scan had printed its
report; a review of one handler's change lost 0.1 s the same way. Nothing they could reclaim
matters to a process that is ending, so the executables hide the survivors from the collector
just before exiting (`gc.freeze`); objects are still released and exit handlers still run.
"""

from __future__ import annotations

import gc
import sys

ALLOCATIONS_BETWEEN_COLLECTIONS = 50_000
YOUNG_COLLECTIONS_PER_MIDDLE = 20
MIDDLE_COLLECTIONS_PER_FULL = 100


def tune_garbage_collector() -> None:
    """Collect less often (see the module's docstring); only CPython has these thresholds."""
    if sys.implementation.name == "cpython":
        gc.set_threshold(ALLOCATIONS_BETWEEN_COLLECTIONS, YOUNG_COLLECTIONS_PER_MIDDLE,
                         MIDDLE_COLLECTIONS_PER_FULL)


def skip_final_collections() -> None:
    """Keep the interpreter's shutdown from walking every surviving object (see the module's
    docstring). Only for a process about to exit: frozen objects are never collected after."""
    gc.freeze()
