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
