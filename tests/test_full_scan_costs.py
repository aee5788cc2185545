"""What keeps a full scan cheap: bandit's workers forked before the inventory, no tokenizing for
`# nosec` in files without it, the page cache warmed ahead of the reads (issue 23)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from reviewer.analyzers import bandit_workers
from reviewer.analyzers.bandit_profile import BanditProfile
from reviewer.analyzers.bandit_workers import scan_chunk, scan_files
from reviewer.config import Settings

RISKY = ("import subprocess\n\n\ndef run_{n}(cmd):\n    return subprocess.call(cmd, shell=True){comment}\n"
         + "\n".join(f"VALUE_{i} = {i}" for i in range(600)) + "\n")
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/worker/
      Handler: app.handler
      Runtime: python3.12
"""


def _tokens_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the tokens bandit reads from each file it tokenizes."""
    from bandit.core import manager

    real = manager.tokenize.tokenize
    counts: list[int] = []

    class Counting:
        tokenize = staticmethod(lambda readline: _count(real(readline)))
        TokenError = manager.tokenize.TokenError
        COMMENT = manager.tokenize.COMMENT

    def _count(tokens):
        counts.append(0)
        for token in tokens:
            counts[-1] += 1
            yield token

    monkeypatch.setattr(manager, "tokenize", Counting)
    return counts


def test_a_file_without_nosec_is_not_tokenized_and_a_nosec_comment_still_silences(monkeypatch):
    counts = _tokens_read(monkeypatch)
    plain = ("plain.py", RISKY.format(n=1, comment="").encode())
    silenced = ("silenced.py", RISKY.format(n=2, comment="  # nosec B602").encode())

    reports = {report.path: report for report in scan_chunk(BanditProfile(), [plain, silenced])}

    assert [issue.test_id for issue in reports["plain.py"].issues if issue.test_id == "B602"] == ["B602"]
    assert not [issue for issue in reports["silenced.py"].issues if issue.test_id == "B602"]
    assert [count > 0 for count in counts] == [True]          # only the file that says nosec


def _function_tree(root: Path, modules: int) -> Path:
    code = root / "src" / "worker"
    code.mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    imports = "".join(f"import module_{number}  # noqa: F401\n" for number in range(modules))
    (code / "app.py").write_text(imports + "\n\ndef handler(event, context):\n    return event\n", encoding="utf-8")
    for number in range(modules):
        (code / f"module_{number}.py").write_text(RISKY.format(n=number, comment=""), encoding="utf-8")
    return root


def test_a_full_scan_forks_bandits_workers_before_its_inventory_and_uses_them(tmp_path, monkeypatch):
    from reviewer import scan

    events: list[str] = []

    class RecordingPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            events.append("pool forked")
            super().__init__(*args, **kwargs)

    real_inventory = scan.build_inventory

    def inventory(workspace):
        events.append("inventory")
        return real_inventory(workspace)

    monkeypatch.setattr(bandit_workers, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    monkeypatch.setattr(scan, "build_inventory", inventory)
    root = _function_tree(tmp_path / "repo", 40)
    settings = Settings(audit=False, reference_date=dt.date(2026, 1, 1))

    result = scan.scan_checkout(root, settings)

    assert events == ["pool forked", "inventory"]
    shell = sorted(f.path for f in result.findings if f.rule_id == "bandit/B602")
    assert shell == sorted(f"src/worker/module_{number}.py" for number in range(40))
    assert bandit_workers._prestarted == []


def test_workers_forked_early_that_bandit_does_not_need_are_stopped(monkeypatch):
    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    bandit_workers.prestart_workers()
    [pool] = bandit_workers._prestarted
    pids = [process.pid for process in pool._processes.values()]
    assert len(pids) == 2

    reports = scan_files(BanditProfile(), [("one.py", b"import subprocess\n")])   # too few: this core

    assert [report.path for report in reports] == ["one.py"]
    assert bandit_workers._prestarted == []
    # The pool's own thread reaps the workers (joining them from here too would race it for waitpid).
    deadline = time.monotonic() + 20
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in pids)


def _running(pid: int) -> bool:
    """Whether the process is there and not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_readahead_advises_source_files_and_never_opens_links_fifos_or_large_files(tmp_path, monkeypatch):
    from reviewer import readahead

    advised: list[str] = []
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, offset, length, advice: advised.append(
        os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))))
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "template.yaml").write_text("Resources: {}\n", encoding="utf-8")
    (tmp_path / "big.py").write_text("x = 1\n" * 100, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "link.py").symlink_to(tmp_path / "app.py")
    os.mkfifo(tmp_path / "pipe.py")
    rels = ["app.py", "big.py", "link.py", "logo.png", "pipe.py", "template.yaml", "gone.py"]

    readahead.start_readahead(tmp_path, rels, max_size=100)
    for thread in threading.enumerate():
        if thread.name == "readahead":
            thread.join(10)

    assert sorted(advised) == ["app.py", "template.yaml"]
