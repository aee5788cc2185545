"""Parsed files (and bandit's reports) by content hash, so one run reads each distinct text once.

A pull-request review scans the head and then the base commit, and most files are identical in
both: with one cache shared by the two scans, the base reuses the head's parsed templates and
Python modules. Within one scan, every analyzer that reads a handler module gets the same tree.

Parsed values are shared, so they are read-only by contract: a reader that needs a changed
document builds a new one (as Serverless variable resolution does).
"""

from __future__ import annotations

import ast
import hashlib
import threading
from collections import Counter
from concurrent.futures import Future
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")
_MISSING = object()


class ContentCache:
    """Values computed from a file's text, keyed by (kind, sha256 of the text).

    An exception raised by the parse is remembered too and raised again, so a malformed file
    costs one failed parse per run, and each scan still reports it under its own path.
    """

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], tuple[bool, Any]] = {}
        self._derived: dict[tuple[str, Hashable], Any] = {}
        self._lock = threading.Lock()
        # Parses actually run, per kind: what the tests (and bench/) count.
        self.parses: Counter[str] = Counter()
        self.hits: Counter[str] = Counter()

    def get(self, kind: str, text: str, parse: Callable[[str], T]) -> T:
        key = (kind, self.digest(text))
        with self._lock:
            entry = self._values.get(key)
        if entry is None:
            self.parses[kind] += 1
            try:
                entry = (True, parse(text))
            except Exception as exc:  # noqa: BLE001 - remembered and raised again, unchanged
                entry = (False, exc)
            with self._lock:
                entry = self._values.setdefault(key, entry)
        else:
            self.hits[kind] += 1
        ok, value = entry
        if not ok:
            raise value
        return value

    def derived(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed only from parsed values of this cache (so `key` can hold them).

        The key must name everything the value depends on (the trees themselves, which hash by
        identity and are kept alive here, and the paths and names that go into the result).
        """
        with self._lock:
            entry = self._derived.get((kind, key), _MISSING)
        if entry is not _MISSING:
            self.hits[kind] += 1
            return entry
        self.parses[kind] += 1
        value = compute()
        with self._lock:
            return self._derived.setdefault((kind, key), value)

    def claim(self, kind: str, key: Hashable, value: T) -> T:
        """Store `value` under (kind, key) unless something is there already; what is stored.

        Work done outside this interpreter claims its key with a future before it starts, so
        another scan of the run waits for that work instead of repeating it.
        """
        with self._lock:
            stored = self._derived.setdefault((kind, key), value)
        (self.parses if stored is value else self.hits)[kind] += 1
        return stored

    def in_flight(self, kind: str) -> list[Future[Any]]:
        """The futures `claim`ed under `kind` whose work is not done yet."""
        with self._lock:
            return [value for (stored, _), value in self._derived.items()
                    if stored == kind and isinstance(value, Future) and not value.done()]

    @staticmethod
    def digest(text: str) -> str:
        """The sha256 of a text, as the cache keys texts."""
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def yaml(self, text: str) -> Any:
        """reviewer.located.load_yaml, once per distinct text (DocumentError is raised again)."""
        from reviewer.located import load_yaml

        return self.get("yaml", text, load_yaml)

    def python(self, text: str) -> ast.Module:
        """ast.parse, once per distinct text (SyntaxError, ValueError, RecursionError raised again)."""
        return self.get("python", text, ast.parse)
