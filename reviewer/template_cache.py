"""Compiled templates kept between runs: a Jinja bytecode cache that only this user can write.

Jinja turns every template into Python code the first time a process loads it, which cost a
review about 0.25 s of CPU in every run for the same, unchanged templates. The compiled code is
kept in a directory per user and per version (`$LAMBDA_REVIEW_CACHE_DIR`, else
`$XDG_CACHE_HOME/lambda-review`, else `~/.cache/lambda-review`; `LAMBDA_REVIEW_CACHE_DIR=off`
turns it off), one file per template and environment:

- a file is used only while it was compiled from the same source (Jinja keeps the source's
  checksum in it) by an environment with the same compile-time settings (the key names them), so
  an edited template or a changed environment is compiled again, never served stale;
- the files are Python code objects and pickles, so they are read only from a directory that
  is not a symlink, belongs to this user (or root) and that nobody else may write to, and only
  when the file itself is such; the directory is held open and the files opened relative to it,
  so swapping it after the check changes nothing;
- never inside the checkout under review (`distrust`, called by the faces): a pull request
  writes files there as this user, so a workflow that points `XDG_CACHE_HOME` into its
  workspace would otherwise read compiled code the pull request committed;
- anything unusable (a read-only home, another owner, open permissions, a full disk) means
  compiling as before: the cache never fails a run.

The action's image ships the cache already filled (`python -m reviewer.template_warmup`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from reviewer import __version__

CACHE_DIR_VARIABLE = "LAMBDA_REVIEW_CACHE_DIR"
# The values of CACHE_DIR_VARIABLE that turn the cache off.
OFF_VALUES = frozenset({"off", "0", "false", "no", "none"})
# A compiled template is a few KB; anything much larger is not ours.
MAX_FILE_BYTES = 4 * 1024 * 1024
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


def versioned_directory(root: Path) -> Path:
    """The directory of this version of the package, of Jinja and of Python: an upgrade starts
    from an empty one instead of overwriting the files another installed version uses."""
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return root / f"templates-{__version__}-jinja{jinja2.__version__}-py{python}"


def bytecode_cache() -> BytecodeCache | None:
    """The cache to give a Jinja `Environment`, or None (compile every time) when there is no
    usable directory."""
    root = cache_root()
    if root is None or not _supported():
        return None
    path = str(versioned_directory(root))
    return None if _open_directory(path) is None else TrustedDirectoryCache(path)


def distrust(checkout: Path) -> None:
    """Never use a cache inside `checkout` (the repository under review) in this process."""
    real = os.path.realpath(checkout)
    _distrusted.append(real)
    for path in [path for path in _held if _is_under(os.path.realpath(path), real)]:
        del _held[path]                       # left open: a render on another thread may be using it


def _is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _supported() -> bool:
    """Opening files relative to a held directory, without following links, needs POSIX."""
    return (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "geteuid")
            and {os.open, os.rename, os.unlink} <= os.supports_dir_fd)   # os.replace: as os.rename


def _trusted(status: os.stat_result) -> bool:
    """Owned by this user or root, and writable by nobody else."""
    return status.st_uid in (os.geteuid(), 0) and not status.st_mode & _NO_OTHERS_WRITE


def _open_directory(path: str) -> int | None:
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


def forget_directories() -> None:
    """Let go of the directories held open, so the next use checks them again (tests: a new process)."""
    for path in list(_held):
        os.close(_held.pop(path))


def environment_fingerprint(environment: Environment) -> str:
    """Everything of `environment` that shapes the code Jinja compiles (its lexer's settings,
    autoescape, finalize, the filters and tests and how they are called), so that two
    environments, or one whose settings changed, never share a compiled template."""
    def called_how(function: Any) -> str:
        return str(getattr(function, "jinja_pass_arg", None))

    autoescape = environment.autoescape
    finalize = environment.finalize
    settings = (
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.is_async,
        environment.sandboxed, type(environment).__qualname__, environment.code_generator_class.__qualname__,
        autoescape if isinstance(autoescape, bool) else getattr(autoescape, "__qualname__", "callable"),
        None if finalize is None else called_how(finalize),
        sorted(environment.extensions),
        sorted((name, called_how(function)) for name, function in environment.filters.items()),
        sorted((name, called_how(function)) for name, function in environment.tests.items()),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()


class TrustedDirectoryCache(BytecodeCache):
    """Jinja's bytecode cache over a held directory (see the module's docstring for the rules)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.loaded = 0                       # templates served from the cache (tests count them)

    @property
    def directory(self) -> int | None:
        """The held directory, or None once it is let go of (`distrust`, `forget_directories`)."""
        return _held.get(self.path)

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = hashlib.sha256("\0".join((environment_fingerprint(environment), name, filename or ""))
                             .encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        directory = self.directory
        if directory is None:
            return
        try:
            descriptor = os.open(_file_name(bucket), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=directory)
        except OSError:
            return
        with os.fdopen(descriptor, "rb") as file:
            try:
                status = os.fstat(descriptor)
                if stat.S_ISREG(status.st_mode) and _trusted(status) and status.st_size <= MAX_FILE_BYTES:
                    bucket.load_bytecode(file)
            except Exception:  # noqa: BLE001 - a damaged file means compiling again, never a failed run
                bucket.reset()
        if bucket.code is not None:
            self.loaded += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Written whole to a private temporary file, then renamed: a reader never sees half a file."""
        directory = self.directory
        if directory is None:
            return
        final = _file_name(bucket)
        temporary = f".{final}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            data = bucket.bytecode_to_string()
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                                 0o600, dir_fd=directory)
        except (OSError, TypeError, ValueError):  # a read-only directory: the next run compiles again
            return
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, final, src_dir_fd=directory, dst_dir_fd=directory)
        except OSError:
            try:
                os.unlink(temporary, dir_fd=directory)
            except OSError:
                pass

    def clear(self) -> None:
        directory = self.directory
        if directory is None:
            return
        for name in os.listdir(directory):
            if name.endswith(".jinja"):
                try:
                    os.unlink(name, dir_fd=directory)
                except OSError:
                    pass


def _file_name(bucket: Bucket) -> str:
    return f"{bucket.key}.jinja"
