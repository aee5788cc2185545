"""Boundaries that keep one bad file or one failing analyzer from stopping the whole review.

Everything the review reads comes from an untrusted pull request, and no reader can be proven
free of every crash an adversary can find. So each file an inventory format reads, and each
analyzer, runs inside a boundary: an exception there becomes a finding about that file (LR901)
or that analyzer (LR900), and the rest of the review is still posted. A run that overruns its
deadline (reviewer.run_limits) stops at the next boundary, with every finding so far kept.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, ContextManager, Iterator

from reviewer import markdown
from reviewer.rules import LR900, LR901
from reviewer.findings import Finding
from reviewer.run_limits import RunLimitExceeded, limit_notice, run_limits

# An exception's text can quote the file; the finding keeps only its start.
MAX_REASON_CHARS = 160


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > MAX_REASON_CHARS:
        text = text[:MAX_REASON_CHARS] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def file_crash_notice(path: str, exc: BaseException, reader: str) -> Finding:
    """LR901: the file could not be read by `reader`; the review went on without it."""
    reason = f"the {reader} reader stopped on it ({_reason(exc)})"
    return LR901.finding(
        (f"{markdown.code(path)} was not reviewed because {markdown.text(reason)}. "
         "Any function it declares is missing from this review; the rest of the review went on."),
        path, 1, evidence=f"{reader} reader stopped: {type(exc).__name__}",
    )


def analyzer_crash_notice(analyzer: str, exc: BaseException, path: str | None) -> Finding:
    """LR900: one analyzer stopped; its findings are missing, the others' are kept."""
    where = f" while reading {markdown.code(path)}" if path else ""
    return LR900.finding(
        (f"The {markdown.text(analyzer)} check stopped{where} "
         f"({markdown.text(_reason(exc))}). Its findings are missing from this review; "
         "every other check ran."),
        path or ".", 1, evidence=f"{analyzer} stopped: {type(exc).__name__}",
    )


@contextmanager
def boundary(on_crash: Callable[[BaseException], None], unanalysed: Callable[[], str]) -> Iterator[None]:
    """Run the body; any exception is handed to `on_crash` and goes no further.

    Once the run's deadline has passed, the body is interrupted, or not started at all, and
    `unanalysed()` (a path, or "the X check") is recorded by the run's limits, which report
    everything left unanalysed in one LR900 error. Running out of memory is recorded alike.
    """
    limits = run_limits()
    # The alarm may interrupt any call: until `depth` counts this boundary, an interruption belongs
    # to the boundary around this one; from then on, to this one (no call in between).
    on_main = threading.current_thread() is threading.main_thread()
    if on_main:
        limits.depth += 1
    try:
        try:
            yield
        finally:
            if on_main:
                limits.depth -= 1
    except RunLimitExceeded:
        limits.note_skipped(unanalysed())
    except MemoryError:
        limits.note_memory(unanalysed())
    except Exception as exc:   # noqa: BLE001 - the boundary's purpose (RecursionError included)
        on_crash(exc)


def file_boundary(path: str, notices: list[Finding], reader: str) -> ContextManager[None]:
    """One file's reading; any exception becomes an LR901 notice naming `path`."""
    return boundary(lambda exc: notices.append(file_crash_notice(path, exc, reader)), lambda: path)


__all__ = ["file_boundary", "file_crash_notice", "analyzer_crash_notice", "limit_notice"]
