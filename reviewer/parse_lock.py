"""One thread at a time in `ast.parse`, for every parser of the process (bandit's included).

CPython 3.11 keeps the AST constructor's recursion depth in state that every thread shares, so
two threads converting syntax trees at once can fail with `SystemError: AST constructor
recursion depth mismatch` (python/cpython#106905). A review parses Python on several threads:
its analyzers, and bandit scanning a few files in this process beside them. The error struck at
random under load and turned a review into a crash (exit 2), so `install` routes every
`ast.parse` in the process through one lock; the parse itself is unchanged, and the lock is held
only while one module is parsed.
"""

from __future__ import annotations

import ast
import os
import threading
from typing import Any

_LOCK = threading.Lock()
_unlocked_parse = ast.parse

# bandit's worker processes are forked from this process: a fork while another thread parses
# would give the child a lock held forever, and its first parse would hang. Forking waits for
# the parse in progress and the child starts with the lock free.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_LOCK.acquire, after_in_parent=_LOCK.release, after_in_child=_LOCK.release)


def _parse(*args: Any, **kwargs: Any) -> Any:
    with _LOCK:
        return _unlocked_parse(*args, **kwargs)


def install() -> None:
    """Make `ast.parse` take the lock (idempotent; bandit looks the function up at each call)."""
    ast.parse = _parse
