"""Every `ast.parse` of a scan's process goes through one lock (reviewer/parse_lock.py).

Without it, CPython 3.11 could fail a review at random with `SystemError: AST constructor
recursion depth mismatch` when two threads (an analyzer, bandit on a few files) parsed at once.
"""

from __future__ import annotations

import ast
import io
import threading
from pathlib import Path

from reviewer import parse_lock
from reviewer.cli import main


def test_a_scan_routes_every_parse_through_the_lock(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    main(["scan", str(tmp_path), "--format", "json", "--fail-on", "never", "--osv-url", "http://127.0.0.1:9/v1/query"],
         stdout=io.StringIO(), stderr=io.StringIO())
    finished = threading.Event()

    def parse_elsewhere() -> None:
        ast.parse("x = 1")      # looked up at call time, as bandit does
        finished.set()

    with parse_lock._LOCK:
        worker = threading.Thread(target=parse_elsewhere)
        worker.start()
        assert not finished.wait(0.3), "a parse ran while another thread held the parse lock"
    worker.join(5)
    assert finished.is_set()
    assert isinstance(ast.parse("y = 2"), ast.Module)


def test_a_process_forked_while_another_thread_parses_can_parse() -> None:
    import os

    parse_lock.install()
    started, release = threading.Event(), threading.Event()

    def slow_parse() -> None:
        with parse_lock._LOCK:       # as a parse in progress holds it
            started.set()
            release.wait(5)

    holder = threading.Thread(target=slow_parse)
    holder.start()
    started.wait(5)
    threading.Timer(0.2, release.set).start()   # the fork waits for the parse in progress
    pid = os.fork()
    if pid == 0:
        try:
            import signal

            signal.alarm(5)          # a child whose lock stayed held would hang: killed instead
            ast.parse("z = 3")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    holder.join(5)
    assert os.waitstatus_to_exitcode(status) == 0
