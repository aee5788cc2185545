"""Wall time, CPU and peak memory of one command and every process it starts (Linux /proc).

Peak memory is the largest sum of VmRSS over the command's whole process tree, polled every
20 ms: a scan's bandit workers and its audit process count as much as the scan itself. A page
shared by a parent and its forked child is counted in both, as `ps` and the kernel's VmRSS count
it; that is the figure the issue's memory goal (400 MB at 3,000 functions) is stated in.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

POLL_SECONDS = 0.02


@dataclass
class Measured:
    seconds: float
    cpu: float             # user + system seconds of the command and every process it started
    peak_mb: float         # the largest VmRSS sum over the process tree, in MB (10^6 bytes)
    returncode: int
    stdout: str
    stderr: str


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    return int(stat[stat.rindex(b")") + 2:].split()[1])


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory:
    """Polls the VmRSS of a process and its descendants until `stop`; `peak_kb` is the largest sum."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kb = 0
        self._ours = {root}
        self._others: set[int] = set()     # pids seen once and not in the tree (their parent is fixed at birth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="tree-memory", daemon=True)

    def start(self) -> "TreeMemory":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(POLL_SECONDS)

    def _sample(self) -> None:
        pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in sorted(pids - self._ours - self._others):   # parents have smaller pids, mostly
            parent = _parent_of(pid)
            (self._ours if parent in self._ours else self._others).add(pid)
        self._ours &= pids | {self.root}
        self._others &= pids
        self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in self._ours))


def measure(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run `command` to its end (start-up included) and measure it with its whole process tree."""
    environment = dict(os.environ, **(env or {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Not from the repository root: `python -m` puts the working directory first on sys.path.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(list(command), cwd=cwd or tempfile.gettempdir(), env=environment,
                                   stdout=out, stderr=err)
        memory = TreeMemory(process.pid).start()
        returncode = process.wait()
        seconds = time.perf_counter() - started
        memory.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, cpu, memory.peak_kb * 1024 / 1e6, returncode, stdout, stderr)
