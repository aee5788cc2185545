"""The compiled methods of the package's dataclasses, kept between runs.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` and the rest as source text and
compiles it while the module is imported: on Python 3.11 that is one `compile` per method, about
700 for the 140 dataclasses a review imports, and 0.16 s of every run's start-up (a third of
its imports; a one-function review of a 120-function monorepo takes about 1.1 s in all). The text
depends only on the class (its fields, defaults' names, options), so the compiled code of one
run serves the next.

`install` puts a caching `exec` into the `dataclasses` module's namespace (where its name is
looked up before the builtin's): the text a dataclass hands it is compiled only when the cache
holds no code for exactly that text, and run as `exec` would. Nothing of `dataclasses` itself is
replaced, so a Python whose dataclasses build their methods another way (3.13 compiles a class's
methods in one text) is served the same way, and one that no longer calls `exec` is simply not
served. The code is compiled as `exec` compiles it from `dataclasses` (no `__future__` flags,
file name `<string>`, the interpreter's optimization level), and the file is named by the
package's version and the interpreter's bytecode (its cache tag and magic number), so code is
never served to an interpreter that would compile the text differently.

The file holds code objects, which run: it is read and written by the rules of
`cache_directory.py` (a directory this user owns that nobody else can write to, never in the
checkout under review, so the faces call `install` after `distrust`). `save` writes what this run
compiled, merged with what the file holds, once at the end of a run; the action's image ships the
file filled (`python -m reviewer.template_warmup`).
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import marshal
import sys
import threading
import types
from importlib.util import MAGIC_NUMBER
from typing import Any

from reviewer import __version__
from reviewer.cache_directory import cache_root, held_directory, open_directory, read_file, supported, write_file

# About 0.5 MB for the package's dataclasses; anything much larger is not ours.
MAX_FILE_BYTES = 8 * 1024 * 1024
# Named by what shapes the compiled code: the review's version, the interpreter (its cache tag and
# bytecode magic number, which change with any release whose code objects differ) and `-O`.
_FILE_NAME_FORMAT = "dataclass-methods-{version}-{tag}-{magic}-o{optimize}.marshal"


class _Cache:
    """The codes read from the file and those this run compiled, by the digest of their text."""

    def __init__(self, directory: str, stored: dict[bytes, types.CodeType]) -> None:
        self.directory = directory
        self.stored = stored
        self.compiled: dict[bytes, types.CodeType] = {}
        self.served = 0                       # codes taken from the file
        self.lock = threading.Lock()

    def code(self, text: str) -> types.CodeType:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        with self.lock:
            code = self.stored.get(key)
            if code is not None:
                self.served += 1
                return code
            code = self.compiled.get(key)     # two classes of one shape write the same text
        if code is None:
            code = compile(text, "<string>", "exec", dont_inherit=True)
            with self.lock:
                code = self.compiled.setdefault(key, code)
        return code


_installed: list[_Cache] = []


def file_name() -> str:
    return _FILE_NAME_FORMAT.format(version=__version__, tag=sys.implementation.cache_tag,
                                    magic=MAGIC_NUMBER.hex(), optimize=sys.flags.optimize)


def install() -> bool:
    """Serve the methods of dataclasses created from now on from the cache; whether it is in use
    (no usable directory, caching turned off, or `dataclasses` already given an `exec` of someone
    else's: compiled as before). Once per process."""
    if _installed:
        return True
    root = cache_root()
    if root is None or not supported() or "exec" in vars(dataclasses):
        return False
    path = str(root)
    directory = open_directory(path)
    if directory is None:
        return False
    cache = _Cache(path, _read_codes(directory))

    def cached_exec(source: Any, globals: dict | None = None, locals: Any = None, /) -> None:
        if isinstance(source, str):
            source = cache.code(source)
        builtins.exec(source, globals, locals)

    dataclasses.exec = cached_exec         # type: ignore[attr-defined]
    _installed.append(cache)
    return True


def save() -> int:
    """Write the codes this run compiled, merged with those the file holds now (another run may
    have written it meanwhile); how many were new. Nothing is written when none were."""
    if not _installed:
        return 0
    cache = _installed[0]
    with cache.lock:
        compiled = dict(cache.compiled)
    directory = held_directory(cache.directory)
    if not compiled or directory is None:
        return 0
    merged = {**_read_codes(directory), **compiled}
    if not write_file(directory, file_name(), marshal.dumps(merged)):
        return 0
    with cache.lock:
        cache.stored.update(compiled)
        for key in compiled:
            cache.compiled.pop(key, None)
    return len(compiled)


def served() -> int:
    """How many methods this process took from the cache rather than compiling (tests count them)."""
    return _installed[0].served if _installed else 0


def _read_codes(directory: int) -> dict[bytes, types.CodeType]:
    data = read_file(directory, file_name(), MAX_FILE_BYTES)
    if data is None:
        return {}
    try:
        codes = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}                            # damaged: compiled again, and written whole at the end
    if not isinstance(codes, dict):
        return {}
    return {key: code for key, code in codes.items()
            if isinstance(key, bytes) and isinstance(code, types.CodeType)}
