"""`git.wait_for_exit`: the review's wait for a git process it started in the background.

Python's `Popen.wait(timeout)` polls with sleeps that double up to 50 ms; the review waits on a
pidfd instead, which is ready the moment the process ends. The deadline still holds.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from reviewer.review import git

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pidfd is Linux's")


def _refuse_sleep(seconds: float) -> None:
    raise AssertionError(f"polled with a sleep of {seconds} s")


def test_the_exit_code_comes_back_without_polling(monkeypatch):
    process = subprocess.Popen(["sh", "-c", "sleep 0.2; exit 3"])
    monkeypatch.setattr(time, "sleep", _refuse_sleep)
    assert git.wait_for_exit(process, timeout=60) == 3


def test_the_deadline_still_holds():
    process = subprocess.Popen(["sleep", "30"])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            git.wait_for_exit(process, timeout=0.2)
        assert process.poll() is None                       # still running: the caller kills it
    finally:
        process.kill()
        process.wait()


def test_a_process_already_collected_gives_its_code():
    process = subprocess.Popen(["sh", "-c", "exit 4"])
    process.wait()
    assert git.wait_for_exit(process, timeout=5) == 4
