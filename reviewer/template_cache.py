"""Compiled templates kept between runs: a Jinja bytecode cache that only this user can write.

Jinja turns every template into Python code the first time a process loads it, which cost a
review about 0.25 s of CPU in every run for the same, unchanged templates. The compiled code is
kept in a directory per user and per version (`$LAMBDA_REVIEW_CACHE_DIR`, else
`$XDG_CACHE_HOME/lambda-review`, else `~/.cache/lambda-review`; `LAMBDA_REVIEW_CACHE_DIR=off`
turns it off), one file per template and environment:

- a file is used only while it was compiled from the same source (Jinja keeps the source's
  checksum in it) by an environment with the same compile-time settings (the key names them), so
  an edited template or a changed environment is compiled again, never served stale;
- the files are Python code objects and pickles, so the directory and its files are trusted, and
  written, by the rules of `cache_directory.py` (this user's, nobody else's to write, never in
  the checkout under review); an unusable cache means compiling as before, never a failed run.

The action's image ships the cache already filled (`python -m reviewer.template_warmup`).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from reviewer import __version__
from reviewer.cache_directory import (CACHE_DIR_VARIABLE, OFF_VALUES, cache_root, distrust, forget_directories,
                                      held_directory, open_directory, read_file, supported, write_file)

__all__ = ["CACHE_DIR_VARIABLE", "OFF_VALUES", "TrustedDirectoryCache", "bytecode_cache", "cache_root", "distrust",
           "environment_fingerprint", "forget_directories", "versioned_directory"]

# A compiled template is a few KB; anything much larger is not ours.
MAX_FILE_BYTES = 4 * 1024 * 1024


def versioned_directory(root: Path) -> Path:
    """The directory of this version of the package, of Jinja and of Python: an upgrade starts
    from an empty one instead of overwriting the files another installed version uses."""
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return root / f"templates-{__version__}-jinja{jinja2.__version__}-py{python}"


def bytecode_cache() -> BytecodeCache | None:
    """The cache to give a Jinja `Environment`, or None (compile every time) when there is no
    usable directory."""
    root = cache_root()
    if root is None or not supported():
        return None
    path = str(versioned_directory(root))
    return None if open_directory(path) is None else TrustedDirectoryCache(path)


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
        return held_directory(self.path)

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
        data = read_file(directory, _file_name(bucket), MAX_FILE_BYTES)
        if data is None:
            return
        try:
            bucket.load_bytecode(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - a damaged file means compiling again, never a failed run
            bucket.reset()
        if bucket.code is not None:
            self.loaded += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        directory = self.directory
        if directory is None:
            return
        try:
            data = bucket.bytecode_to_string()
        except (TypeError, ValueError):
            return
        write_file(directory, _file_name(bucket), data)

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
