"""Measure bandit serial vs. spread over the cores, to set PARALLEL_MIN_FILES.

    .venv/bin/python bench/bandit_parallel.py [N ...]

Scans the first N Python files of the installed site-packages (real code of real size) both
ways and prints the wall-clock times. Nothing here is used by the review itself.
"""

from __future__ import annotations

import sys
import sysconfig
import time
from pathlib import Path

from reviewer.analyzers import bandit_workers
from reviewer.analyzers.bandit_profile import BanditProfile
from reviewer.analyzers.bandit_workers import scan_chunk, scan_files


def corpus(limit: int) -> list[tuple[str, bytes]]:
    root = Path(sysconfig.get_paths()["purelib"])
    files = []
    for path in sorted(root.rglob("*.py")):
        data = path.read_bytes()
        if 200 < len(data) < 60_000:
            files.append((path.relative_to(root).as_posix(), data))
        if len(files) >= limit:
            break
    return files


def main(sizes: list[int]) -> None:
    profile = BanditProfile()
    scan_chunk(profile, corpus(2))           # warm the plugin loading in this process
    print(f"cores: {bandit_workers._worker_count()}")
    for size in sizes:
        files = corpus(size)
        bandit_workers.PARALLEL_MIN_FILES = bandit_workers.PARALLEL_MIN_BYTES = 0
        serial_times, parallel_times = [], []
        for _ in range(3):   # best of three: the machine may be shared
            started = time.perf_counter()
            serial = scan_chunk(profile, files)
            middle = time.perf_counter()
            parallel = scan_files(profile, files)
            ended = time.perf_counter()
            serial_times.append(middle - started)
            parallel_times.append(ended - middle)
            assert sum(len(r.issues) for r in serial) == sum(len(r.issues) for r in parallel)
        kib = sum(len(data) for _, data in files) // 1024
        print(f"{size:5d} files ({kib:6d} KiB): serial {min(serial_times):6.2f}s  "
              f"parallel {min(parallel_times):6.2f}s")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [8, 16, 32, 64, 300])
