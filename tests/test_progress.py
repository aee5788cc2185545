"""Long scans show where they are on a terminal, and say one line in a CI log.

The terminal is a stream whose `isatty()` answers True, as a real one does; the CI log is what
GitHub Actions gives (GITHUB_ACTIONS=true, and a pipe rather than a terminal).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.progress import Progress

FIXTURE = Path(__file__).parent / "fixtures" / "performance" / "sam-three-teams"
CLOSED_OSV = "http://127.0.0.1:9/v1/query"      # the audit fails at once; nothing leaves the machine


class Terminal(io.StringIO):
    """What a person's terminal looks like to the program."""

    def isatty(self) -> bool:
        return True


def scan(stderr: io.StringIO) -> str:
    code = main(["scan", str(FIXTURE), "--format", "json", "--osv-url", CLOSED_OSV, "--reference-date",
                 "2026-01-01"], stdout=io.StringIO(), stderr=stderr)
    assert code in (0, 1)
    return stderr.getvalue()


def test_terminal_shows_functions_files_and_running_analyzers(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    shown = scan(Terminal())

    frames = [frame for frame in shown.split("\r\x1b[K") if frame]
    assert any(frame.startswith("lambda-review: 3 functions, ") for frame in frames)
    assert any("running bandit (3 files)" in frame for frame in frames)
    assert frames[-1].startswith("lambda-review: scanned 3 functions: ") and frames[-1].endswith("s\n")
    assert all("\n" not in frame for frame in frames[:-1])      # the status line is rewritten in place


def test_ci_log_gets_only_the_final_line(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")

    logged = scan(Terminal())

    assert logged.count("\n") == 1 and "\r" not in logged and "\x1b" not in logged
    assert logged.startswith("lambda-review: scanned 3 functions: ")


def test_output_to_a_pipe_gets_only_the_final_line(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    logged = scan(io.StringIO())

    assert logged.count("\n") == 1 and "\r" not in logged
    assert logged.startswith("lambda-review: scanned 3 functions: ")


def test_review_names_the_scan_it_is_in():
    ticks = iter(range(100))
    terminal = Terminal()
    progress = Progress(terminal, environ={}, clock=lambda: next(ticks))

    progress.begin("base")
    progress.inventory(120, 1_105)
    progress.analyzers(9)
    progress.started("bandit")
    progress.detail("bandit", "480 files")
    progress.finish("reviewed 120 functions: 2 new of 300 findings")

    frames = [frame for frame in terminal.getvalue().split("\r\x1b[K") if frame]
    assert frames[0] == "lambda-review (base): reading the inventory"
    assert "lambda-review (base): 120 functions, 1,105 files · analyzers 0/9 · running bandit (480 files)" in frames
    assert frames[-1] == "lambda-review: reviewed 120 functions: 2 new of 300 findings in 6.0s\n"


@pytest.mark.parametrize("stream", [None, io.StringIO()])
def test_nothing_but_the_final_line_without_a_terminal(stream):
    progress = Progress(stream, environ={})
    progress.begin("head")
    progress.inventory(3, 10)
    progress.started("bandit")
    assert not progress.live
    assert (stream.getvalue() if stream else "") == ""


def test_redraws_are_limited_on_a_terminal():
    now = [0.0]
    terminal = Terminal()
    progress = Progress(terminal, environ={}, clock=lambda: now[0])
    progress.inventory(3, 10)
    for name in ("runtimes", "recursion", "iam", "secrets"):   # all within one tenth of a second
        progress.started(name)
        progress.finished(name)
    assert terminal.getvalue().count("\r") == 1
    now[0] = 1.0
    progress.started("bandit")
    assert terminal.getvalue().count("\r") == 2


def test_the_heads_engines_finishing_during_the_base_scan_do_not_count_on_its_line():
    progress = Progress(Terminal(), environ={}, clock=lambda: 0.0)
    progress.begin("head")
    progress.started("dependencies")
    progress.begin("base")                       # the review moved on while the head's audit waits
    progress.inventory(120, 1_105)
    progress.analyzers(2)
    progress.started("dependencies")

    progress.finished("dependencies", "head")
    assert progress.status().endswith("analyzers 0/2 · running dependencies")
    progress.finished("dependencies", "base")
    assert progress.status().endswith("analyzers 1/2")
