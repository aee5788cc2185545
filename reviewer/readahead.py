"""Ask the kernel to read a checkout's source files into its page cache, many at a time.

A scan reads thousands of files one after another on one thread. On a cold disk cache (a CI
runner's fresh checkout, a large monorepo read for the first time) each read waits for the disk
in turn, and the scan used about half of its wall time on the processor. The kernel reads ahead
within a file, never across files; `posix_fadvise(WILLNEED)` on each file the scan is about to
read queues those reads at once, on a few background threads that only open, advise and close
(the opens are what waits on the directory metadata). Nothing is read into this process, and
the files are read later through the Workspace, with its checks, as before.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

# What the inventory and the analyzers read: templates, code, requirements and settings.
READ_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".tf", ".txt", ".toml", ".cfg", ".ts", ".js", ".mjs",
                 ".cjs", ".java", ".kt", ".cs", ".go")
THREADS = 4


def start_readahead(root: Path, rels: list[str], max_size: int) -> None:
    """Queue the reads of `rels` (repo-relative paths of regular files) on daemon threads."""
    if not hasattr(os, "posix_fadvise"):
        return
    chosen = [rel for rel in rels if rel.lower().endswith(READ_SUFFIXES)]
    for index in range(min(THREADS, len(chosen))):
        threading.Thread(target=_advise, args=(root, chosen[index::THREADS], max_size),
                         name="readahead", daemon=True).start()


def _advise(root: Path, rels: list[str], max_size: int) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    for rel in rels:
        path = os.path.join(root, rel)
        try:
            status = os.lstat(path)
            if not stat.S_ISREG(status.st_mode) or status.st_size > max_size:
                continue                      # links, FIFOs and devices are never opened
            descriptor = os.open(path, flags)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(descriptor)
