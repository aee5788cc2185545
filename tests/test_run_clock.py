"""The run's deadline counts the time the run could work: a busy machine does not spend it, a hard
wall-clock bound still holds (reviewer/run_limits.py)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from reviewer.isolation import boundary
from reviewer.run_limits import (HARD_LIMIT_FACTOR, RunClock, RunLimitExceeded, RunLimits, run_limits,
                                 runnable_wait_seconds)


class FakeTimes:
    """A wall clock and a runnable-wait counter the test moves by hand."""

    def __init__(self) -> None:
        self.wall = 1000.0
        self.waited = 7.0

    def clock(self) -> RunClock:
        return RunClock(wall=lambda: self.wall, runnable_wait=lambda: self.waited)


@pytest.fixture
def times():
    return FakeTimes()


@pytest.fixture
def limits(times):
    limits = RunLimits(times.clock())
    limits.start(45.0)
    yield limits
    limits.stop()


def test_time_spent_waiting_for_a_busy_processor_does_not_count(times, limits):
    times.wall += 50.0
    times.waited += 10.0                    # 40 s of work in 50 s of wall time
    assert not limits.expired()
    times.wall += 6.0                       # 46 s of work
    assert limits.expired()


def test_without_waits_the_deadline_is_the_wall_clock(times, limits):
    times.wall += 44.9
    assert not limits.expired()
    times.wall += 0.1
    assert limits.expired()


def test_however_busy_the_machine_the_hard_bound_holds(times, limits):
    times.wall += 45.0 * HARD_LIMIT_FACTOR - 0.1
    times.waited += 45.0 * HARD_LIMIT_FACTOR - 10.0
    assert not limits.expired()
    times.wall += 0.1
    assert limits.expired()


def test_an_alarm_before_the_working_deadline_waits_for_it_instead_of_stopping(times, limits):
    times.wall += 45.0
    times.waited += 5.0                     # 40 s of work: 5 s are left
    limits.depth += 1
    try:
        limits._on_alarm(signal.SIGALRM, None)          # no RunLimitExceeded
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4.0 < left <= 5.0
        times.wall += 5.0
        with pytest.raises(RunLimitExceeded):
            limits._on_alarm(signal.SIGALRM, None)
    finally:
        limits.depth -= 1


def test_a_larger_repository_lengthens_the_working_deadline(times):
    limits = RunLimits(times.clock())
    limits.start(45.0, scales_with_size=True)
    try:
        times.wall += 50.0
        times.waited += 10.0
        limits.allow_for_files(10_000)      # 20 s more
        assert limits.seconds == 65.0 and not limits.expired()
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 24.0 < left <= 25.0          # 25 s of work are left
    finally:
        limits.stop()


@pytest.mark.parametrize(("text", "seconds"), [("12 2500000000 3\n", 2.5), ("garbage", 0.0), ("", 0.0)])
def test_the_runnable_wait_is_read_from_the_schedulers_statistics(tmp_path, text, seconds):
    schedstat = tmp_path / "schedstat"
    schedstat.write_text(text)
    assert runnable_wait_seconds(schedstat) == seconds
    assert runnable_wait_seconds(tmp_path / "absent") == 0.0


def test_this_machines_clock_never_runs_ahead_of_the_wall_clock():
    clock = RunClock()
    clock.start()
    sum(range(200_000))
    assert 0.0 <= clock.working_seconds() <= clock.wall_seconds()
    assert runnable_wait_seconds() >= 0.0 if Path("/proc/self/schedstat").exists() else True


def _run_until_stopped(monkeypatch, share_waited: float, seconds: float) -> tuple[list[str], RunClock]:
    """A boundary that never ends on its own, under a deadline of `seconds`, on a machine where the
    main thread waits runnable for `share_waited` of the wall time."""
    start = time.monotonic()
    clock = RunClock(runnable_wait=lambda: (time.monotonic() - start) * share_waited)
    limits = run_limits()
    monkeypatch.setattr(limits, "clock", clock)
    crashes: list[BaseException] = []
    limits.start(seconds)
    try:
        with boundary(crashes.append, lambda: "endless.yaml"):
            while True:
                time.sleep(0.01)
        skipped = list(limits.skipped)
    finally:
        limits.stop()
    assert not crashes
    return skipped, clock


def test_the_alarm_stops_a_boundary_once_the_working_time_has_passed(monkeypatch):
    skipped, clock = _run_until_stopped(monkeypatch, share_waited=0.5, seconds=0.2)
    assert skipped == ["endless.yaml"]
    assert clock.working_seconds() >= 0.2
    assert clock.wall_seconds() >= 0.4     # half of the wall time was a busy machine's


def test_the_alarm_stops_a_boundary_at_the_hard_bound_on_a_machine_too_busy_to_work(monkeypatch):
    skipped, clock = _run_until_stopped(monkeypatch, share_waited=0.95, seconds=0.2)
    assert skipped == ["endless.yaml"]
    assert clock.wall_seconds() >= 0.2 * HARD_LIMIT_FACTOR
    assert clock.working_seconds() < 0.2
