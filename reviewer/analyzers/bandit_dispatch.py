"""How a scan's chunks of files reach bandit's worker processes: one core is left to the scan's
own process while it still has analyzers to run, every core once it has none.

A full scan's process is its own critical path: after the inventory it reads every function's
code for the loop, `/tmp`, route and untrusted-input checks (17 s of CPU at 1,200 functions of
the bench monorepo), while bandit's workers scan the same files (37 s). With every chunk handed
over at once, the two workers and the scan's process shared the 2 cores, a third each short;
the workers were done first and the scan's process then ran alone, one core idle, for its last
few seconds. Held to one worker fewer than there are cores (`limit`) until the scan's process
says it has nothing left to do but wait (`use_every_core`), the workers fill the cores the scan's
process leaves free, and the last chunks are shared by every worker while it waits. A machine
busy with other work gains too: the scan's process competes with one worker, not two.

Chunks are handed over one at a time as the running ones finish (each finished chunk's callback
hands over the next), so nothing waits on a thread of its own. A chunk that cannot be handed over
(the pool broke or was shut down) ends with that error, as a chunk whose worker died does: the
caller scans it in its own process.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import Executor, Future
from typing import Any, Callable

__all__ = ["ChunkDispatch", "use_every_core"]

# Dispatches still holding a core back, until their scan's process calls `use_every_core`.
_holding_back: list[ChunkDispatch] = []
_registry_lock = threading.Lock()


def use_every_core() -> None:
    """The scan's process has no analyzer of its own left to run: every chunk may go to a worker now."""
    with _registry_lock:
        dispatches = list(_holding_back)
        _holding_back.clear()
    for dispatch in dispatches:
        dispatch.open()


class ChunkDispatch:
    """Hands `chunks` to `pool` (`run(*leading, chunk)` in a worker), at most `limit` running at a
    time until `open` or `use_every_core`; `futures[i]` settles with chunk i's result or error."""

    def __init__(self, pool: Executor, run: Callable[..., Any], leading: tuple[Any, ...], chunks: list[Any],
                 limit: int) -> None:
        self._pool = pool
        self._run = run
        self._leading = leading
        self._chunks = chunks
        self._limit = max(1, limit)
        self._next = 0
        self._running = 0
        self._lock = threading.Lock()
        self.futures: list[Future[Any]] = [Future() for _ in chunks]

    def start(self) -> None:
        """Hand over the first chunks; raises what the pool raises on the very first one (the
        caller then scans every file itself)."""
        self._fill(first=True)
        with self._lock:
            holding_back = self._next < len(self._chunks)
        if holding_back:
            with _registry_lock:
                _holding_back.append(self)

    def open(self) -> None:
        """Every chunk not yet handed over, now."""
        with self._lock:
            self._limit = len(self._chunks)
        self._fill()

    def _fill(self, first: bool = False) -> None:
        while True:
            with self._lock:
                if self._next >= len(self._chunks):
                    self._forget()
                    return
                if self._running >= self._limit:
                    return
                index = self._next
                self._next += 1
                self._running += 1
            try:
                future = self._pool.submit(self._run, *self._leading, self._chunks[index])
            except (OSError, RuntimeError) as exc:
                if first and index == 0:
                    raise
                self._settle(index, exc)
                continue
            future.add_done_callback(functools.partial(self._finished, index))

    def _forget(self) -> None:
        """Every chunk is handed over: nothing left for `use_every_core` to open."""
        with _registry_lock:
            if self in _holding_back:
                _holding_back.remove(self)

    def _finished(self, index: int, done: Future[Any]) -> None:
        if done.cancelled():
            self._settle(index, RuntimeError("the chunk was cancelled"))
        elif (error := done.exception()) is not None:
            self._settle(index, error)
        else:
            self._chunks[index] = []            # its files are needed no more (only a failed chunk's are)
            self._settle(index, None, done.result())
        self._fill()

    def _settle(self, index: int, error: BaseException | None, result: Any = None) -> None:
        with self._lock:
            self._running -= 1
        proxy = self.futures[index]
        if error is not None:
            proxy.set_exception(error)
        else:
            proxy.set_result(result)

    def chunk(self, index: int) -> Any:
        """Chunk `index`'s files (empty once its result is in)."""
        return self._chunks[index]
