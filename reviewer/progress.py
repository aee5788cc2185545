"""Where a long scan is: one live status line on a terminal, one final line everywhere else.

A scan of a large monorepo takes a while, and a person at a terminal wants to see it move: the
status line (on stderr, rewritten in place) says how many functions and files are in the review
and which analyzers and engines are running. A CI log is a file, not a screen: there (stderr not a
terminal, or `GITHUB_ACTIONS=true`) nothing is written until the one final line.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Callable, Mapping, TextIO

_CLEAR_LINE = "\r\x1b[K"
# A terminal line is rewritten at most this often; faster is flicker, not information.
MIN_REDRAW_SECONDS = 0.1


def is_live(stream: TextIO | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether `stream` is a person's terminal (not a CI log, not a file or pipe)."""
    environ = os.environ if environ is None else environ
    if stream is None or environ.get("GITHUB_ACTIONS", "").lower() == "true":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):   # closed or file-like without isatty
        return False


class Progress:
    """Counts of one run (functions, files, engines) shown while it runs; `finish` prints the last line.

    Analyzers may run on several threads (the dependency audit waits on the network while the
    rest goes on), so every update takes a lock.
    """

    def __init__(self, stream: TextIO | None = None, environ: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.live = is_live(stream, environ)
        self._clock = clock
        self._started = clock()
        self._last_draw = float("-inf")
        self._lock = threading.Lock()
        self.phase = ""
        self.functions = 0
        self.files = 0
        self.running: list[str] = []
        self.done: list[str] = []
        self.total = 0
        self.details: dict[str, str] = {}
        self.inventoried = False

    # -- what the scan reports --------------------------------------------------------------------

    def begin(self, phase: str) -> None:
        """A new scan of the run starts (`head`, `base`, or the whole checkout)."""
        with self._lock:
            self.phase, self.running, self.done, self.total, self.details = phase, [], [], 0, {}
            self.inventoried = False
        self._draw(force=True)

    def inventory(self, functions: int, files: int) -> None:
        with self._lock:
            self.functions, self.files, self.inventoried = functions, files, True
        self._draw(force=True)

    def detail(self, name: str, text: str) -> None:
        """What a running analyzer works on (`480 files`, `85 releases`)."""
        with self._lock:
            self.details[name] = text
        self._draw(force=True)

    def analyzers(self, total: int) -> None:
        with self._lock:
            self.total = total
        self._draw()

    def started(self, name: str) -> None:
        with self._lock:
            self.running.append(name)
        self._draw()

    def finished(self, name: str, phase: str | None = None) -> None:
        """`name` is done; one that belongs to an earlier `phase` (the head's audit answering
        while a review analyses the base) no longer counts on the line."""
        with self._lock:
            if phase is not None and phase != self.phase:
                return
            if name in self.running:
                self.running.remove(name)
            self.done.append(name)
        self._draw()

    def finish(self, summary: str) -> None:
        """The one line every run prints, on a terminal or in a CI log."""
        if self.stream is None:
            return
        elapsed = self._clock() - self._started
        line = f"lambda-review: {summary} in {elapsed:.1f}s\n"
        with self._lock:
            self.stream.write((_CLEAR_LINE if self.live else "") + line)
            self.stream.flush()

    # -- drawing ----------------------------------------------------------------------------------

    def status(self) -> str:
        """The live line: phase, functions, files, analyzers done, what is running."""
        head = f"lambda-review{f' ({self.phase})' if self.phase else ''}:"
        if not self.inventoried:
            return f"{head} reading the inventory"
        parts = [head, f"{self.functions:,} function{'s' if self.functions != 1 else ''},",
                 f"{self.files:,} file{'s' if self.files != 1 else ''}"]
        if self.total:
            parts.append(f"· analyzers {len(self.done)}/{self.total}")
        if self.running:
            parts.append("· running " + ", ".join(
                f"{name} ({self.details[name]})" if name in self.details else name for name in self.running))
        return " ".join(parts)

    def _draw(self, force: bool = False) -> None:
        if not self.live or self.stream is None:
            return
        with self._lock:
            now = self._clock()
            if not force and now - self._last_draw < MIN_REDRAW_SECONDS:
                return
            self._last_draw = now
            # A line wider than the terminal wraps, and `\r` then rewrites only its last part.
            width = shutil.get_terminal_size(fallback=(100, 24)).columns - 1
            self.stream.write(_CLEAR_LINE + self.status()[:max(20, width)])
            self.stream.flush()


class Silent(Progress):
    """No output at all: library callers and tests that do not ask for progress."""

    def __init__(self) -> None:
        super().__init__(stream=None)
