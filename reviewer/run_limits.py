"""The run-wide deadline and memory ceiling: an overrun ends the analysis, never the review.

Byte budgets bound each value the review evaluates, but no budget can be proven to cover every
input an adversary writes. So a run also has a deadline (and, in the action, a memory ceiling).
When the deadline passes, the code running inside a boundary (reviewer.isolation) is interrupted
(SIGALRM, on the main thread only), every later boundary is skipped at once, and one LR900
finding at error severity says what was not analysed: every finding so far is kept, and a review
that did not finish never passes silently (it fails closed; `fail-on: never` still exits 0).

The deadline counts the time the run could work (`RunClock`): wall time less the time the main
thread sat runnable, waiting for a processor other programs held. On a runner busy with other
jobs a real monorepo used 7-14 s of processor time in 45 s of wall time and failed for no
finding; an input that makes the review work (or wait on git or a worker) still spends the
deadline at wall-clock pace. A hard bound of HARD_LIMIT_FACTOR times the deadline, in wall time,
holds however busy the machine is.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from reviewer import markdown
from reviewer.rules import LR900
from reviewer.findings import Finding, Severity

# The action's default: the maintainers' bound for one review is a minute, and a review that has
# not finished its analysis after this long is stopped with what it has.
DEFAULT_TIME_LIMIT_SECONDS = 45.0
# A real monorepo of thousands of files takes longer than a small hostile one, honestly: the
# default deadline grows by this much per file the repository lists, up to MAX_EXTRA_SECONDS
# (13,700 files: about 27 s more). A limit set in the environment is kept exactly.
SECONDS_PER_LISTED_FILE = 0.002
MAX_EXTRA_SECONDS = 60.0
TIME_LIMIT_VARIABLE = "LAMBDA_REVIEW_TIME_LIMIT"
# In the action (a container of its own), the address space the review may use.
DEFAULT_MEMORY_LIMIT_BYTES = 3 * 1024 ** 3
MAX_NAMED_PATHS = 5
AFTER_DEADLINE_INTERVAL = 0.05
# However busy the machine, the analysis stops after this many times its deadline in wall time.
HARD_LIMIT_FACTOR = 3.0
# Linux's scheduler statistics of the main thread: time on a processor, time waiting runnable for
# one (both in nanoseconds), timeslices. Elsewhere the run's clock is the wall clock.
SCHEDSTAT = Path("/proc/self/schedstat")


def runnable_wait_seconds(schedstat: Path = SCHEDSTAT) -> float:
    """How long the main thread has waited, runnable, for a processor (0 where Linux does not say)."""
    try:
        return int(schedstat.read_text().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


class RunClock:
    """Seconds the run has had to work: wall time since `start` less the time the main thread
    waited, runnable, for a processor (see the module's docstring)."""

    def __init__(self, wall: Callable[[], float] = time.monotonic,
                 runnable_wait: Callable[[], float] = runnable_wait_seconds) -> None:
        self._wall, self._runnable_wait = wall, runnable_wait
        self._wall_at_start = self._wait_at_start = 0.0

    def start(self) -> None:
        self._wall_at_start, self._wait_at_start = self._wall(), self._runnable_wait()

    def wall_seconds(self) -> float:
        return self._wall() - self._wall_at_start

    def working_seconds(self) -> float:
        waited = max(0.0, self._runnable_wait() - self._wait_at_start)
        return max(0.0, self.wall_seconds() - waited)


class RunLimitExceeded(BaseException):
    """The deadline passed inside a boundary. A BaseException, so that code catching Exception
    around one value never swallows it: only a boundary stops it."""


class RunLimits:
    """The deadline of this run and what it left unanalysed."""

    def __init__(self, clock: RunClock | None = None) -> None:
        self.clock = clock or RunClock()
        # Seconds of the run's working time (`RunClock`) after which it stops; None: no deadline.
        self.deadline: float | None = None
        self.seconds = 0.0
        # Boundaries open on the main thread; the alarm interrupts only inside one. Boundaries
        # change it with plain attribute arithmetic (no call the alarm could interrupt).
        self.depth = 0
        # Exchanges that must not stop half-way (a request and its answer on git's pipe): the
        # alarm waits for its next tick once they are done.
        self.shields = 0
        self.skipped: list[str] = []
        self.memory_exhausted: list[str] = []
        self._armed = False
        self._base_seconds = 0.0
        self._scales = False

    def start(self, seconds: float | None, scales_with_size: bool = False) -> None:
        """Count `seconds` from now (None or 0: no deadline). `scales_with_size`: the default
        deadline, which `allow_for_files` may lengthen for a large repository."""
        self.stop()
        if not seconds or seconds <= 0:
            self.deadline = None
            return
        self.seconds = self._base_seconds = seconds
        self.clock.start()
        self._scales = scales_with_size
        self.deadline = seconds
        self._arm(seconds)

    def _arm(self, seconds: float) -> None:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, self._on_alarm)
            # After the deadline the alarm repeats, so a boundary entered later is stopped too.
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), AFTER_DEADLINE_INTERVAL)
            self._armed = True

    def allow_for_files(self, count: int) -> None:
        """Lengthen the default deadline for a repository of `count` listed files (see
        SECONDS_PER_LISTED_FILE); a deadline set by the user is left as it is."""
        if self.deadline is None or not self._scales or not self._armed:
            return
        seconds = self._base_seconds + min(count * SECONDS_PER_LISTED_FILE, MAX_EXTRA_SECONDS)
        if seconds <= self.deadline or self.expired():
            return
        self.seconds = self.deadline = seconds
        self._arm(self._remaining())

    def disarm(self) -> None:
        """The analysis is over (publishing is not bounded by this deadline): no more alarms."""
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            self._armed = False

    def stop(self) -> None:
        """The run is over: disarm the alarm and forget the deadline and what it skipped."""
        self.disarm()
        self.deadline = None
        self.skipped, self.memory_exhausted = [], []

    def _on_alarm(self, signum: int, frame: object) -> None:
        if not self.expired():
            # The wall clock reached the deadline, the run's working time has not (a busy
            # machine): look again when it could have.
            self._arm(self._remaining())
            return
        if self.depth > 0 and self.shields == 0:
            raise RunLimitExceeded()
        # Outside a boundary: the next boundary sees the deadline has passed and skips its work.

    def _remaining(self) -> float:
        """Wall seconds until the deadline could pass: the working time left, as the working
        clock never runs faster than the wall clock, capped by the hard wall-clock bound."""
        assert self.deadline is not None
        working_left = self.deadline - self.clock.working_seconds()
        hard_left = self.deadline * HARD_LIMIT_FACTOR - self.clock.wall_seconds()
        return max(AFTER_DEADLINE_INTERVAL, min(working_left, hard_left))

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """The body is never interrupted by the deadline (a stream that must stay in step)."""
        self.shields += 1
        try:
            yield
        finally:
            self.shields -= 1

    def expired(self) -> bool:
        """Whether the deadline passed: in working time, or in wall time at its hard bound."""
        if self.deadline is None:
            return False
        wall = self.clock.wall_seconds()
        if wall < self.deadline:
            return False            # working time is never more than wall time
        return wall >= self.deadline * HARD_LIMIT_FACTOR or self.clock.working_seconds() >= self.deadline

    def note_skipped(self, what: str) -> None:
        self.skipped.append(what)

    def note_memory(self, what: str) -> None:
        self.memory_exhausted.append(what)

    def findings(self) -> list[Finding]:
        """One LR900 error when the deadline or the memory ceiling left something unanalysed."""
        found = []
        if self.skipped:
            found.append(limit_notice(
                f"the review's time limit ({self.seconds:g} s) passed", self.skipped))
        if self.memory_exhausted:
            found.append(limit_notice("the review's memory ceiling was reached", self.memory_exhausted))
        return found


def limit_notice(reason: str, unanalysed: list[str]) -> Finding:
    """LR900 at error severity: the review did not finish, so it must not pass silently."""
    # Files are named in code spans; checks ("the recursion check") in words.
    named = ", ".join(markdown.text(what) if what.startswith("the ") else str(markdown.code(what))
                      for what in unanalysed[:MAX_NAMED_PATHS])
    more = f" and {len(unanalysed) - MAX_NAMED_PATHS:,} more" if len(unanalysed) > MAX_NAMED_PATHS else ""
    return LR900.finding(
        (f"The review stopped early because {markdown.text(reason)}: {named}{more} were not "
         "analysed. Every finding found before that is reported; the review did not finish, so "
         "it does not pass. Split very large or generated files out of the repository's "
         "infrastructure, or raise the limit (`LAMBDA_REVIEW_TIME_LIMIT`, in seconds)."),
        next((what for what in unanalysed if not what.startswith("the ")), "."), 1, severity=Severity.ERROR,
        evidence=f"run limit: {reason}",
    )


_LIMITS = RunLimits()


def run_limits() -> RunLimits:
    """The limits of this process's run."""
    return _LIMITS


def time_limit_is_default() -> bool:
    """Whether the deadline is the default one (no `LAMBDA_REVIEW_TIME_LIMIT` given)."""
    return not os.environ.get(TIME_LIMIT_VARIABLE, "").strip()


def time_limit_from_environment(default: float | None = DEFAULT_TIME_LIMIT_SECONDS) -> float | None:
    """`LAMBDA_REVIEW_TIME_LIMIT` (seconds; 0 switches the deadline off), else `default`."""
    raw = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        return default


def set_memory_ceiling(limit: int = DEFAULT_MEMORY_LIMIT_BYTES) -> None:
    """Cap this process's address space (the action's container): an allocation beyond it raises
    MemoryError inside a boundary, which reports it, instead of the machine swapping or killing."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass
