"""The per-user directory of what a run keeps for the next one, and the rules for trusting it.

Two caches live there: Jinja's compiled templates (`template_cache.py`) and the compiled methods
of the package's dataclasses (`method_cache.py`). Both hold Python code objects or pickles, which
a run executes, so both follow the same rules:

- the directory is `$LAMBDA_REVIEW_CACHE_DIR` (an absolute path; `off` turns caching off), else
  `$XDG_CACHE_HOME/lambda-review`, else `~/.cache/lambda-review`;
- a directory or file is used only when it is not a symlink, belongs to this user (or root) and
  nobody else may write to it; the directory is held open and files are opened relative to it,
  so swapping it after the check changes nothing;
- never inside the checkout under review (`distrust`, called by the faces before anything is
  read from a cache): a pull request writes files there as this user, so a workflow that points
  `XDG_CACHE_HOME` into its workspace would otherwise run code the pull request committed;
- files are written whole to a private temporary file, then renamed: a reader never sees half a
  file; anything unusable (a read-only home, another owner, open permissions, a full disk) means
  working without the cache, never a failed run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_DIR_VARIABLE = "LAMBDA_REVIEW_CACHE_DIR"
# The values of CACHE_DIR_VARIABLE that turn the cache off.
OFF_VALUES = frozenset({"off", "0", "false", "no", "none"})
_NO_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
# The cache directories this process opened and checked, by path.
_held: dict[str, int] = {}
# Folders no cache is read from or written to (real paths): the checkouts under review.
_distrusted: list[str] = []


def cache_root() -> Path | None:
    """Where this user's cache lives, or None when it is turned off or no home is known."""
    configured = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    if configured.lower() in OFF_VALUES:
        return None
    if configured:
        # Only an absolute path: a relative one would name a folder of the checkout under review.
        return Path(configured) if os.path.isabs(configured) else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "lambda-review"
    try:
        return Path.home() / ".cache" / "lambda-review"
    except RuntimeError:                      # no home directory to speak of
        return None


def distrust(checkout: Path) -> None:
    """Never use a cache inside `checkout` (the repository under review) in this process."""
    real = os.path.realpath(checkout)
    _distrusted.append(real)
    for path in [path for path in _held if _is_under(os.path.realpath(path), real)]:
        del _held[path]                       # left open: a render on another thread may be using it


def _is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def supported() -> bool:
    """Opening files relative to a held directory, without following links, needs POSIX."""
    return (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "geteuid")
            and {os.open, os.rename, os.unlink} <= os.supports_dir_fd)   # os.replace: as os.rename


def _trusted(status: os.stat_result) -> bool:
    """Owned by this user or root, and writable by nobody else."""
    return status.st_uid in (os.geteuid(), 0) and not status.st_mode & _NO_OTHERS_WRITE


def open_directory(path: str) -> int | None:
    """The directory, created private when missing, held open; None when it is not one this
    user can trust (checked once per path and process: later swaps of the path change nothing)."""
    if path in _held:
        return _held[path]
    if any(_is_under(os.path.realpath(path), folder) for folder in _distrusted):
        return None
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        pass                                  # a read-only home may still hold a filled cache
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:                           # missing, a symlink, not a directory, not readable
        return None
    try:
        status = os.fstat(descriptor)
    except OSError:
        status = None
    if status is None or not stat.S_ISDIR(status.st_mode) or not _trusted(status):
        os.close(descriptor)
        return None
    _held[path] = descriptor
    return descriptor


def held_directory(path: str) -> int | None:
    """The directory `open_directory` holds for `path`, or None once it was let go of
    (`distrust`, `forget_directories`)."""
    return _held.get(path)


def forget_directories() -> None:
    """Let go of the directories held open, so the next use checks them again (tests: a new process)."""
    for path in list(_held):
        os.close(_held.pop(path))


def read_file(directory: int, name: str, max_bytes: int) -> bytes | None:
    """A file of the held directory, or None when it is missing, a link, not a regular file,
    not trusted (see the module's docstring) or larger than `max_bytes`."""
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)         # before fdopen, which refuses a directory with an error
        if not (stat.S_ISREG(status.st_mode) and _trusted(status) and status.st_size <= max_bytes):
            os.close(descriptor)
            return None
        with os.fdopen(descriptor, "rb") as file:
            return file.read(max_bytes + 1)[:max_bytes]
    except OSError:
        return None


def write_file(directory: int, name: str, data: bytes) -> bool:
    """Write `name` in the held directory whole (a private temporary file, then renamed);
    whether it was written."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                             0o600, dir_fd=directory)
    except OSError:                           # a read-only directory: the next run works without it
        return False
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
        return True
    except OSError:
        try:
            os.unlink(temporary, dir_fd=directory)
        except OSError:
            pass
        return False
