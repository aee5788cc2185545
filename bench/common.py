"""What the bench scripts share: the generated tree, the loopback OSV stand-in, a wall clock.

Nothing here touches the network: pip-audit is pointed at tests/osv_standin.py on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench"), str(REPO)]

from generate_monorepo import generate  # noqa: E402
from osv_standin import OsvStandin, RunningOsv  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
LAMBDA_REVIEW = [PYTHON, "-m", "reviewer"]
REFERENCE_DATE = "2025-06-01"


def machine() -> str:
    """One line naming the machine: cores, memory, Python."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    code = run([PYTHON, "-c", "import reviewer; print(reviewer.__file__)"]).stdout.strip()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{cores} cores, {memory:.0f} GiB, Python {platform.python_version()} ({platform.system()}); "
            f"load average before the run {load}; code measured: {Path(code).parent}")


def monorepo_arguments(doc: str) -> argparse.Namespace:
    """`--runs` and `--seed` of a script that measures the generated monorepo; prints the machine."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--functions", type=int, default=120, help="size of the generated monorepo")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    return args


@contextmanager
def generated_tree(seed: int = 8, functions: int = 120) -> Iterator[tuple[Path, dict[str, int]]]:
    with tempfile.TemporaryDirectory(prefix="lr-bench-") as directory:
        root = Path(directory) / "monorepo"
        counts = generate(root, seed, functions)
        yield root, counts


@contextmanager
def osv() -> Iterator[RunningOsv]:
    with RunningOsv(OsvStandin()) as running:
        yield running


@dataclass
class Timed:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0     # user + system seconds of the command and every process it started


def run(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Timed:
    """Wall-clock time of one command, start-up included (that is what a user waits for)."""
    environment = dict(os.environ, **(env or {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Not from the repository root: `python -c`/`-m` put the working directory first on sys.path,
    # which would import ./reviewer whatever PYTHONPATH says.
    completed = subprocess.run(list(command), cwd=cwd or tempfile.gettempdir(), env=environment,
                               capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(seconds, completed.returncode, completed.stdout, completed.stderr, cpu)


def best_of(times: int, command: Sequence[str], **kwargs) -> Timed:  # type: ignore[no-untyped-def]
    """The fastest of `times` runs: the machine may be shared, and noise only ever adds time."""
    runs = [run(command, **kwargs) for _ in range(times)]
    return min(runs, key=lambda timed: timed.seconds)


def scan_command(root: Path, osv_url: str, *extra: str) -> list[str]:
    return [*LAMBDA_REVIEW, "scan", str(root), "--osv-url", osv_url, "--reference-date", REFERENCE_DATE,
            "--fail-on", "never", "--format", "json", *extra]


def bandit_command(root: Path, output: Path) -> list[str]:
    return [str(BIN / "bandit"), "-r", str(root), "-q", "-f", "json", "-o", str(output)]


def check(timed: Timed, what: str) -> None:
    if timed.returncode not in (0, 1):
        sys.exit(f"{what} failed with status {timed.returncode}:\n{timed.stderr[-2000:]}")
