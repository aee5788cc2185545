"""Parsed files (and bandit's reports) by content hash, so one run reads each distinct text once.

A pull-request review scans the head and then the base commit, and most files are identical in
both: with one cache shared by the two scans, the base reuses the head's parsed templates and
Python modules. Within one scan, every analyzer that reads a handler module gets the same tree.

Parsed values are shared, so they are read-only by contract: a reader that needs a changed
document builds a new one (as Serverless variable resolution does).

Syntax trees of code (`held` values: Python modules, JavaScript files) are large (about 50 bytes
of tree per byte of source: 900 MB for the 12,500 modules of a 3,000-function monorepo), so they
are not kept for the run: they stay while their sources add up to at most `budget` bytes, the
least recently used dropped first, and a `derived` value whose key holds a tree is dropped with
it. The code analyzers read one function at a time (reviewer.analyzers.function_pass) and keep
only small results, so a tree is parsed again only when a later function ships the module after
it fell out (a layer shared by many functions is used by each of them, and so stays).
"""

from __future__ import annotations

import ast
import hashlib
import threading
from collections import Counter, OrderedDict
from concurrent.futures import Future
from typing import Any, Callable, Hashable, TypeVar

from reviewer.python_downgrade import parse_python

T = TypeVar("T")
_MISSING = object()
# Source bytes whose trees (and the values derived from them) are kept at once: about 25 MB of
# Python syntax trees, hundreds of modules, far more than one function's code.
DEFAULT_HELD_BYTES = 128 * 1024
# Source bytes of the trees that several paths share (copies of one module), kept apart.
DEFAULT_SHARED_BYTES = 128 * 1024
# Kinds whose values are syntax trees, kept within the budget rather than for the whole run.
HELD_KINDS = frozenset({"python"})
# The derived kind that keeps the text of each held Python tree (`ContentCache.source_of`).
SOURCE_TEXT = "source-text"


class ContentCache:
    """Values computed from a file's text, keyed by (kind, sha256 of the text).

    An exception raised by the parse is remembered too and raised again, so a malformed file
    costs one failed parse per run, and each scan still reports it under its own path.
    """

    def __init__(self, budget: int = DEFAULT_HELD_BYTES, shared_budget: int = DEFAULT_SHARED_BYTES) -> None:
        self._values: dict[tuple[str, str], tuple[bool, Any]] = {}
        self._derived: dict[tuple[str, Hashable], Any] = {}
        self._lock = threading.Lock()
        # Parses actually run, per kind: what the tests (and bench/) count.
        self.parses: Counter[str] = Counter()
        self.hits: Counter[str] = Counter()
        # Held values (trees), least recently used first: key -> (entry, source bytes); those of
        # one user, and (True) those shared by several.
        self.budget, self.shared_budget = budget, shared_budget
        self._segments: dict[bool, OrderedDict[tuple[str, Hashable], tuple[tuple[bool, Any], int]]] = {
            False: OrderedDict(), True: OrderedDict()}
        self._bytes = {False: 0, True: 0}
        self._first_user: dict[tuple[str, Hashable], str] = {}
        self._shared_keys: set[tuple[str, Hashable]] = set()
        self._held_keys: dict[int, tuple[str, Hashable]] = {}                  # id(value) -> its key
        # Held key -> the derived keys that hold it, and back: a derived value goes with the first
        # of its trees to go, and no list keeps its key (which holds the other trees) after that.
        self._dependents: dict[tuple[str, Hashable], set[tuple[str, Hashable]]] = {}
        self._depends_on: dict[tuple[str, Hashable], set[tuple[str, Hashable]]] = {}
        self.evictions: Counter[str] = Counter()
        self.most_held = 0          # the most held values alive at once (what the tests bound)

    def get(self, kind: str, text: str, parse: Callable[[str], T]) -> T:
        if kind in HELD_KINDS:
            return self.held(kind, self.digest(text), len(text), lambda: parse(text))
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

    def held(self, kind: str, key: Hashable, size: int, build: Callable[[], T], user: str | None = None) -> T:
        """A large value (a syntax tree) built from content that `key` names, kept while the
        sources of the held values add up to at most `budget` bytes (`size`: this one's).

        The least recently used are dropped first, with every `derived` value whose key holds
        them; the newest is always kept, however large. A value asked for by a second `user`
        (a module copied into several functions' folders: the same text at another path) is
        kept apart, within `shared_budget`, so the files that each function ships alone do not
        push it out between the functions that share it. An exception `build` raises is kept
        and raised again, like `get`'s.
        """
        full = (kind, key)
        with self._lock:
            shared = self._note_user(full, user)
            found = self._take(full, shared)
        if found is None:
            self.parses[kind] += 1
            try:
                entry: tuple[bool, Any] = (True, build())
            except Exception as exc:  # noqa: BLE001 - remembered and raised again, unchanged
                entry = (False, exc)
            with self._lock:
                found = self._take(full, shared)
                if found is None:
                    found = (entry, size)
                    self._segments[shared][full] = found
                    self._bytes[shared] += size
                    self._held_keys[id(entry[1])] = full
                    self._evict(shared)
                    self.most_held = max(self.most_held, len(self._segments[False]) + len(self._segments[True]))
        else:
            self.hits[kind] += 1
        ok, value = found[0]
        if not ok:
            raise value
        return value

    def _note_user(self, full: tuple[str, Hashable], user: str | None) -> bool:
        """Whether the value is shared: asked for by more than one user (kept in a small record)."""
        if user is not None and full not in self._shared_keys:
            if self._first_user.setdefault(full, user) != user:
                self._shared_keys.add(full)
                del self._first_user[full]
        return full in self._shared_keys

    def _take(self, full: tuple[str, Hashable], shared: bool) -> tuple[tuple[bool, Any], int] | None:
        """A held entry, now the most recently used of its segment (moved to the shared one when
        it has just become shared)."""
        found = self._segments[shared].get(full)
        if found is not None:
            self._segments[shared].move_to_end(full)
            return found
        found = self._segments[not shared].pop(full, None)
        if found is not None:
            self._bytes[not shared] -= found[1]
            self._segments[shared][full] = found
            self._bytes[shared] += found[1]
            self._evict(shared)
        return found

    def _evict(self, shared: bool) -> None:
        """Drop the least recently used held values of a segment over its budget (and what was
        derived from them)."""
        segment = self._segments[shared]
        budget = self.shared_budget if shared else self.budget
        while self._bytes[shared] > budget and len(segment) > 1:
            full, ((_, value), size) = segment.popitem(last=False)
            self._bytes[shared] -= size
            del self._held_keys[id(value)]
            for dependent in self._dependents.pop(full, ()):
                dropped = self._derived.pop(dependent, None)
                release = getattr(dropped, "release", None)
                if callable(release):
                    release()
                for other in self._depends_on.pop(dependent, ()):
                    if other != full:
                        self._dependents[other].discard(dependent)
            self.evictions[full[0]] += 1

    def held_count(self, kind: str) -> int:
        """How many values of `kind` are held now."""
        with self._lock:
            return sum(1 for segment in self._segments.values() for stored, _ in segment if stored == kind)

    def derived(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed only from parsed values of this cache (so `key` can hold them).

        The key must name everything the value depends on (the trees themselves, which hash by
        identity, and the paths and names that go into the result). A value whose key holds
        `held` trees is dropped when the first of them is; one whose key holds a syntax tree
        this cache no longer holds is computed and not kept (keeping it would keep the tree).
        """
        with self._lock:
            entry = self._derived.get((kind, key), _MISSING)
        if entry is not _MISSING:
            self.hits[kind] += 1
            return entry
        self.parses[kind] += 1
        value = compute()
        with self._lock:
            depends_on, keepable = self._held_parts(key)
            if not keepable:
                return value
            stored = self._derived.setdefault((kind, key), value)
            if stored is value and depends_on:
                self._depends_on[(kind, key)] = depends_on
                for full in depends_on:
                    self._dependents.setdefault(full, set()).add((kind, key))
            return stored

    def _held_parts(self, key: Hashable) -> tuple[set[tuple[str, Hashable]], bool]:
        """The held values a derived key holds (within tuples), and whether it holds no tree
        that is not held any more."""
        found: set[tuple[str, Hashable]] = set()
        pending: list[Any] = [key]
        while pending:
            part = pending.pop()
            if isinstance(part, (tuple, frozenset)):
                pending.extend(part)
                continue
            if isinstance(part, (str, int, float, bool, type(None))):
                continue
            full = self._held_keys.get(id(part))
            if full is not None:
                found.add(full)
            elif isinstance(part, ast.AST):
                return found, False
        return found, True

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

    def python(self, text: str, user: str | None = None) -> ast.Module:
        """ast.parse, once per distinct text while the tree is held (SyntaxError, ValueError,
        RecursionError raised again); `user`: the path the text was read from (see `held`)."""
        tree = self.held("python", self.digest(text), len(text), lambda: parse_python(text), user)
        self.derived(SOURCE_TEXT, tree, lambda: text)       # dropped with the tree (`source_of`)
        return tree

    def source_of(self, tree: ast.AST) -> str | None:
        """The text a held syntax tree was parsed from, while the tree is held: a reader can
        look for the words it needs in the text (a C-speed search) before it walks the tree."""
        with self._lock:
            value = self._derived.get((SOURCE_TEXT, tree), _MISSING)
        return value if isinstance(value, str) else None
