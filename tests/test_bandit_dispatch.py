"""How a scan's chunks reach bandit's workers: one core held back for the scan's own process
until it only waits (reviewer/analyzers/bandit_dispatch.py)."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

import pytest

from reviewer.analyzers import bandit_dispatch
from reviewer.analyzers.bandit_dispatch import ChunkDispatch, use_every_core


class HeldPool:
    """Stands in for the process pool: every chunk handed over waits until the test finishes it."""

    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.handed: list[str] = []
        self.pending: dict[str, Future[Any]] = {}
        self.refuse = refuse

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        name = args[-1]
        if name in self.refuse:
            raise BrokenProcessPool("the pool broke")
        self.handed.append(name)
        future: Future[Any] = Future()
        self.pending[name] = future
        return future

    def finish(self, name: str) -> None:
        self.pending.pop(name).set_result(f"report of {name}")

    def running(self) -> list[str]:
        return sorted(self.pending)


@pytest.fixture(autouse=True)
def no_dispatch_left_behind():
    yield
    use_every_core()
    assert bandit_dispatch._holding_back == []


def test_one_chunk_at_a_time_while_the_scan_works_then_every_chunk():
    pool = HeldPool()
    dispatch = ChunkDispatch(pool, str.upper, (), ["a", "b", "c", "d"], limit=1)  # type: ignore[arg-type]
    dispatch.start()
    assert pool.handed == ["a"]
    pool.finish("a")                                  # the next one follows as each is done
    assert pool.handed == ["a", "b"] and pool.running() == ["b"]
    use_every_core()                                  # the scan's process only waits now
    assert pool.handed == ["a", "b", "c", "d"] and pool.running() == ["b", "c", "d"]
    for name in ("b", "c", "d"):
        pool.finish(name)
    assert [future.result() for future in dispatch.futures] == [f"report of {name}" for name in "abcd"]
    assert all(dispatch.chunk(index) == [] for index in range(4))    # each chunk let go once its report is in


def test_every_chunk_at_once_when_the_limit_allows():
    pool = HeldPool()
    ChunkDispatch(pool, str.upper, (), ["a", "b"], limit=2).start()  # type: ignore[arg-type]
    assert pool.handed == ["a", "b"]
    assert bandit_dispatch._holding_back == []        # nothing held back: nothing to open later


def test_a_chunk_the_pool_refuses_ends_with_its_error_and_the_rest_go_on():
    pool = HeldPool(refuse={"b"})
    dispatch = ChunkDispatch(pool, str.upper, (), ["a", "b", "c"], limit=1)  # type: ignore[arg-type]
    dispatch.start()
    pool.finish("a")
    assert isinstance(dispatch.futures[1].exception(), BrokenProcessPool)
    assert dispatch.chunk(1) == "b"                   # kept: the caller scans it in its own process
    assert pool.handed == ["a", "c"]
    pool.finish("c")
    assert dispatch.futures[2].result() == "report of c"


def test_a_pool_that_refuses_the_first_chunk_raises_to_the_caller():
    pool = HeldPool(refuse={"a"})
    with pytest.raises(BrokenProcessPool):
        ChunkDispatch(pool, str.upper, (), ["a", "b"], limit=1).start()  # type: ignore[arg-type]
    assert bandit_dispatch._holding_back == []


def test_the_scan_opens_every_core_when_it_starts_waiting(monkeypatch):
    """start_analyzers' collect: the engines are waited for only after this process's own analyzers."""
    from reviewer.analyzers import run
    from reviewer.analyzers.interface import AnalysisContext

    opened: list[bool] = []
    monkeypatch.setattr(run, "use_every_core", lambda: opened.append(True))

    class Own:
        name = "own"

        def analyze(self, context: AnalysisContext) -> list:
            assert not opened                         # still held back while it runs
            return []

    class Context:
        after_pass = None
        engine_status: dict = {}
        workspace = type("W", (), {"last_read": None})()
        inventory = type("I", (), {"functions": []})()

    collect = run.start_analyzers(Context(), [Own()])  # type: ignore[arg-type,list-item]
    assert not opened
    collect()
    assert opened == [True]
