"""bandit leaves the main process: a pull request review scans its few focused files in a worker
forked at its start (`bandit_workers.start_review_worker`), and a full scan's workers load bandit
themselves (`_prepare_worker`), so neither process that reads the repository loads bandit (but
for a full scan of a repository's few files).

The commands run in a fresh interpreter, as a user runs them, and report `sys.modules` after;
the same review with the worker refused (one core) must say exactly the same.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from scenario import first_commit, git

from reviewer.analyzers import bandit_workers
from reviewer.analyzers.bandit_profile import BanditProfile
from reviewer.analyzers.bandit_workers import scan_chunk

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: orders/
"""
HANDLER = "import subprocess\n\n\ndef handler(event, context):\n    return subprocess.run(event['cmd'], shell=True)\n"
CHANGED = HANDLER + "\n\ndef legacy(blob):\n    import pickle\n    return pickle.loads(blob)\n"


def _pull_request(root: Path) -> tuple[str, str]:
    (root / "orders").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "orders" / "app.py").write_text(HANDLER)
    base = first_commit(root)
    (root / "orders" / "app.py").write_text(CHANGED)
    git(root, "commit", "-q", "-am", "head")
    return base, git(root, "rev-parse", "HEAD").strip()


def _review(root: Path, base: str, head: str, one_core: bool) -> dict:
    """The review's JSON report, whether the worker ran, and whether this process loaded bandit."""
    program = textwrap.dedent(f"""
        import io, json, sys
        from reviewer.analyzers import bandit_workers
        if {one_core!r}:
            bandit_workers._worker_count = lambda: 1
        forked = []
        start = bandit_workers.start_review_worker
        def counted():
            start()
            forked.extend(bandit_workers._review_worker)
        bandit_workers.start_review_worker = counted
        from reviewer.cli import main
        out = io.StringIO()
        main(["review", {str(root)!r}, "--base", {base!r}, "--head", {head!r}, "--format", "json",
              "--osv-url", "http://127.0.0.1:9/v1/query", "--reference-date", "2026-01-01", "--fail-on", "never"],
             stdout=out, stderr=io.StringIO())
        print(json.dumps({{"report": json.loads(out.getvalue()), "forked": bool(forked),
                           "bandit_loaded": "bandit" in sys.modules}}))
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                               cwd=Path(__file__).parent)
    return json.loads(completed.stdout.splitlines()[-1])


def test_the_review_scans_in_its_worker_and_reports_what_it_reported_without_one(tmp_path):
    base, head = _pull_request(tmp_path / "repo")

    with_worker = _review(tmp_path / "repo", base, head, one_core=False)
    without = _review(tmp_path / "repo", base, head, one_core=True)

    assert with_worker["forked"] and not without["forked"]
    assert not with_worker["bandit_loaded"]           # bandit ran, but only in the worker
    assert without["bandit_loaded"]                   # the same files, scanned in the review's process
    findings = [finding for finding in with_worker["report"]["findings"] if finding["engine"] == "bandit"]
    assert {finding["rule_id"] for finding in findings} >= {"bandit/B404", "bandit/B301"}   # B602 becomes LR306 (tainted)
    assert all(finding["help_url"].startswith("https://bandit.readthedocs.io/") for finding in findings)
    assert with_worker["report"] == without["report"]


def test_files_handed_to_a_worker_that_died_are_scanned_in_the_review(monkeypatch):
    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    files = [("app.py", HANDLER)]
    bandit_workers.start_review_worker()
    try:
        [pool] = bandit_workers._review_worker
        for process in list(pool._processes.values()):       # noqa: SLF001 - the worker dies
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        reports = bandit_workers.start_scan(BanditProfile(), files)()
    finally:
        bandit_workers.stop_review_worker()
    assert bandit_workers._review_worker == []
    assert reports == scan_chunk(BanditProfile(), files)
    assert [issue.test_id for issue in reports[0].issues] == ["B404", "B602"]


def test_a_full_scan_leaves_bandit_to_its_workers(tmp_path):
    root = tmp_path / "repo"
    (root / "orders").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    helpers = [f"helper{number}" for number in range(40)]
    (root / "orders" / "app.py").write_text("".join(f"import {name}\n" for name in helpers) + HANDLER)
    body = "".join(f"\n\ndef step{number}(value):\n    return value * {number}\n" for number in range(300))
    for name in helpers:   # enough distinct Python for the parallel scan (bandit_workers.PARALLEL_MIN_BYTES)
        (root / "orders" / f"{name}.py").write_text(f"import pickle\n\nNAME = {name!r}\n" + body)
    program = textwrap.dedent(f"""
        import io, json, sys
        from reviewer.cli import main
        out = io.StringIO()
        main(["scan", {str(root)!r}, "--format", "json", "--osv-url", "http://127.0.0.1:9/v1/query",
              "--reference-date", "2026-01-01", "--fail-on", "never"], stdout=out, stderr=io.StringIO())
        print(json.dumps({{"report": json.loads(out.getvalue()), "bandit_loaded": "bandit" in sys.modules}}))
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                               cwd=Path(__file__).parent)
    answer = json.loads(completed.stdout.splitlines()[-1])

    assert not answer["bandit_loaded"]
    imports = [finding for finding in answer["report"]["findings"] if finding["rule_id"] == "bandit/B403"]
    assert len(imports) == 40                       # every helper's `import pickle`, found by the workers
    assert all(finding["help_url"].startswith("https://bandit.readthedocs.io/") for finding in imports)


def _busy_for_an_hour(marker: str) -> None:
    """A task that says it started, then runs far past any test (a scan bandit is still on)."""
    import time

    Path(marker).write_text("started")
    time.sleep(3600)


def test_stopping_the_review_worker_ends_a_scan_still_running(monkeypatch, tmp_path):
    """When the run's deadline stopped the review while bandit was still on a file, the worker is
    ended: a graceful shutdown would keep the process from exiting until that file was done."""
    import time

    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    bandit_workers.start_review_worker()
    [pool] = bandit_workers._review_worker
    [process] = list(pool._processes.values())                   # noqa: SLF001 - the worker itself
    marker = tmp_path / "started"
    busy = pool.submit(_busy_for_an_hour, str(marker))
    for _ in range(600):                                           # the task is running (60 s at most)
        if marker.exists():
            break
        time.sleep(0.1)
    assert marker.exists()
    bandit_workers.stop_review_worker()
    process.join(timeout=60)
    assert not process.is_alive() and bandit_workers._review_worker == []
    assert busy.exception(timeout=60) is not None                 # its caller hears that it failed


def test_a_stopped_worker_s_pool_has_closed_its_pipes_before_the_interpreter_exits(monkeypatch):
    """Python 3.11's exit hook wakes every pool's manager thread through a pipe that thread may be
    closing at that moment (an `OSError: [Errno 9] Bad file descriptor` traceback after a successful
    review): stopping the worker waits until the manager has closed it."""
    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    bandit_workers.start_review_worker()
    [pool] = bandit_workers._review_worker
    manager = pool._executor_manager_thread                        # noqa: SLF001 - the thread at issue
    bandit_workers.stop_review_worker()
    assert manager is not None and not manager.is_alive()
