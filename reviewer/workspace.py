"""Bounded, link-safe reading of the checked-out repository.

The repository under review is untrusted. Every analyzer reads files through this class, which
never follows a symbolic link, refuses files larger than `max_file_size`, and turns binary or
non-UTF-8 content into a notice instead of an exception. What it skipped is reported, never lost.

Where the files come from is a `FileTree`: the checkout on disk (`DirectoryTree`), or a commit's
git objects read on demand (`reviewer.review.revision_tree`), so that reviewing another revision
writes nothing to disk. Every rule above is applied here, the same for both.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Protocol

from reviewer import markdown
from reviewer.content_cache import ContentCache
from reviewer.rules import LR901, LR902, LR903, LR904
from reviewer.findings import Finding

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
LINK_OUTSIDE_REASON = "it is a symbolic link that leads outside the workspace"

# Build output, vendored dependencies and tool state: never the source a reviewer owns. `.yarn`
# holds Yarn's own release (`releases/yarn-4.x.cjs`, megabytes), plugins and dependency cache.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "__pycache__",
    ".aws-sam", ".serverless", ".terraform", ".mypy_cache", ".pytest_cache", ".hypothesis", ".yarn",
})


def skipped_directory(name: str) -> bool:
    """Whether the walk leaves a directory out: build output and tool state (`SKIPPED_DIRECTORIES`),
    or a project generator's template, whose name is a placeholder still to be filled
    (`{{cookiecutter.project_slug}}`, copier's `{{ name }}`): what it holds is rendered into another
    project before anything is deployed, so its runtimes and roles are no deployment's."""
    return name in SKIPPED_DIRECTORIES or ("{{" in name and "}}" in name)


class UnreadableFile(Exception):
    """The file was not read; the notice explains why."""

    def __init__(self, notice: Finding) -> None:
        super().__init__(notice.message)
        self.notice = notice


class OversizedFile(UnreadableFile):
    """The file is larger than max-file-size: its start can still be looked at (`read_start`)
    by a format that reads files by their suffix, to tell whether it is one of its own."""


class FileTree(Protocol):
    """What a Workspace reads: directory listings, where links lead, and file contents."""

    def entries(self, directory: str) -> dict[str, str]:
        """The names directly in `directory` ("" is the root) by kind: "file", "dir", "link" or
        "other"; empty when it is not a directory. The workspace never asks about a directory
        reached through a link."""
        ...

    def link_leaves(self, rel: str) -> bool:
        """Whether the link at `rel` (an entry of kind "link") points outside the tree."""
        ...

    def lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None) -> frozenset[str]:
        """Which of these regular files certainly hold none of `needles` and are at most `limit`
        bytes (any size when None), when the tree can tell without handing their bytes over; it
        may name none."""
        ...

    def read(self, rel: str, limit: int) -> bytes:
        """The bytes of the file at `rel`; UnreadableFile when it is not a regular file, larger
        than `limit`, or cannot be read."""
        ...

    def prefetch(self, rels: list[str], limit: int) -> None:
        """A hint: these regular files are about to be read."""
        ...

    def read_start(self, rel: str, size: int) -> bytes:
        """The first `size` bytes (at most) of the regular file at `rel`, whatever its size;
        UnreadableFile when it cannot be read."""
        ...


class DirectoryTree:
    """The checkout on disk: one scandir per directory, links reported by where they resolve."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entries(self, directory: str) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            with os.scandir(self.root / directory if directory else self.root) as listing:
                for entry in listing:
                    found[entry.name] = ("link" if entry.is_symlink()
                                         else "dir" if entry.is_dir(follow_symlinks=False)
                                         else "file" if entry.is_file(follow_symlinks=False) else "other")
        except OSError:
            pass                                     # not a directory, or gone: nothing is there
        return found

    def link_leaves(self, rel: str) -> bool:
        return not Path(os.path.realpath(self.root / rel)).is_relative_to(self.root)

    def prefetch(self, rels: list[str], limit: int) -> None:
        """Nothing to gain: the operating system reads ahead."""

    def lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None) -> frozenset[str]:
        """Telling would mean reading each file: the reader reads them."""
        return frozenset()

    def read(self, rel: str, limit: int) -> bytes:
        path = self.root / rel
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                # A FIFO would block the read forever; a device could be endless.
                raise UnreadableFile(skipped_notice(rel, "it is not a regular file"))
            if status.st_size > limit:
                raise OversizedFile(too_large_notice(rel, status.st_size, limit))
            with path.open("rb") as handle:
                return handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it could not be read ({exc.strerror or 'I/O error'})")) from exc

    def read_start(self, rel: str, size: int) -> bytes:
        path = self.root / rel
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                raise UnreadableFile(skipped_notice(rel, "it is not a regular file"))
            with path.open("rb") as handle:
                return handle.read(size)
        except OSError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it could not be read ({exc.strerror or 'I/O error'})")) from exc


@dataclass
class Workspace:
    """The repository at `root` (its checkout, or `tree` when given); paths handed out are
    repo-relative POSIX strings."""

    root: Path
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    exclude: tuple[str, ...] = ()
    scope: str = "."
    notices: list[Finding] = field(default_factory=list)
    # Parsed templates and modules by content hash; a review passes one cache to the head and
    # base scans so identical files are parsed once per run.
    parsed: ContentCache = field(default_factory=ContentCache, repr=False)
    _text_cache: dict[str, str] = field(default_factory=dict, repr=False)
    # The checkout does not change during a scan: the tree is walked once, each path checked once.
    _listing: list[str] | None = field(default=None, repr=False)
    _full_listing: list[str] = field(default_factory=list, repr=False)   # with the `hidden` files
    _link_on_path: dict[str, bool] = field(default_factory=dict, repr=False)
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)
    _reached_kinds: dict[str, str | None] = field(default_factory=dict, repr=False)
    # Each directory listed once ("file", "dir", "link" or "other" by name): resolving a module
    # name asks about many paths that do not exist, and one scandir answers them all.
    _entries: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    # What each kind of parsing has used of its per-scan allowance (`spend`).
    _spent: dict[str, int] = field(default_factory=dict, repr=False)
    # Where the files are read from; None: the directory at `root`.
    tree: FileTree | None = field(default=None, repr=False)
    # Inline suppression markers by path, each file read and tokenized once (reviewer.suppress).
    suppression_markers: dict[str, Any] = field(default_factory=dict, repr=False)
    # The file read last: what a crash boundary names when the reader did not say.
    last_read: str | None = field(default=None, repr=False)
    # Files and directories left out of the listing (they can still be read): a review's base
    # leaves out what it carries over unchanged from the head (reviewer.review.carry_over).
    hidden: frozenset[str] = field(default=frozenset(), repr=False)
    # The kinds of parsing whose allowance (`spend`) refused a file in this scan.
    refused: set[str] = field(default_factory=set, repr=False)
    # `lacking` answers started ahead (`start_lacking`) by the request they answer: a tree's git
    # search runs while the scan reads the other formats' files.
    _started: dict[tuple[Any, ...], tuple[Any, Callable[[], frozenset[str]]]] = field(default_factory=dict,
                                                                                      repr=False)
    # The listing's regular files under their normal names (`_plain_file` without asking), and the
    # listing by the suffixes asked of `iter_files` (each format asks for its own, some twice).
    _walked_files: set[str] = field(default_factory=set, repr=False)
    _by_suffixes: dict[tuple[tuple[str, ...], bool], list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        if self.tree is None:
            self.tree = DirectoryTree(self.root)

    @property
    def _files(self) -> FileTree:
        assert self.tree is not None
        return self.tree

    def iter_files(self, suffixes: tuple[str, ...] | None = None, hidden_too: bool = False) -> Iterator[str]:
        """Regular files under the root, sorted, skipping links, build output and excludes.
        `hidden_too`: with the `hidden` ones, in their places, for a question about what the
        repository holds (which file of a module's name defines a handler), whose answer must not
        depend on what a review's base leaves out."""
        if self._listing is None:
            self._full_listing = []
            self._listing = list(self._walk())
        listing = self._full_listing if hidden_too and self.hidden else self._listing
        if suffixes is None:
            yield from listing
            return
        chosen = self._by_suffixes.get((suffixes, hidden_too))
        if chosen is None:
            chosen = self._by_suffixes[(suffixes, hidden_too)] = [
                rel for rel in listing if rel.rpartition("/")[2].lower().endswith(suffixes)]
        yield from chosen

    def _walk(self) -> Iterator[str]:
        """Pre-order, names sorted: a directory's files, then each subdirectory in turn."""
        scope = self.resolve(self.scope)
        if scope is None or self._reached(scope) != "dir":
            return                                   # outside, missing, a file, or reached through a link
        # (directory, whether it is hidden): a hidden one's files go to `_full_listing` only, unnamed
        pending = [("" if scope == "." else scope, False)]
        while pending:
            directory, in_hidden = pending.pop()
            entries = self._entries_of(directory)
            prefix = directory + "/" if directory else ""
            subdirectories = []
            for name in sorted(entries):
                rel, kind = prefix + name, entries[name]
                hidden = in_hidden or rel in self.hidden
                if not name.isascii() and not _decodable(name):
                    # Every report and API call carries paths as UTF-8: the file is named, not read.
                    if not hidden:
                        self.notices.append(skipped_notice(readable_name(rel), "its name is not valid UTF-8"))
                    continue
                if kind == "dir":
                    if not skipped_directory(name):
                        subdirectories.append((rel, hidden))
                elif kind == "link":
                    if not skipped_directory(name) and not self.is_excluded(rel) and not hidden:
                        self._note_link(rel)
                elif not self.is_excluded(rel):
                    if kind == "file" and "\\" not in rel:
                        self._walked_files.add(rel)      # reached through directories only: no link on its path
                    if self.hidden:
                        self._full_listing.append(rel)
                    if not hidden:
                        yield rel                    # a FIFO or device too: reading it says why it was not
            pending.extend(reversed(subdirectories))

    def is_excluded(self, rel: str) -> bool:
        return bool(self.exclude) and any(fnmatch.fnmatch(rel, pattern) for pattern in self.exclude)

    def is_link(self, rel: str) -> bool:
        """Whether `rel` is a symbolic link, which the review never follows; one that leads
        outside the workspace leaves an LR902 notice naming it."""
        if not self.is_symlink(rel):
            return False
        self._note_link(self.resolve(rel) or rel)
        return True

    def crosses_link(self, rel: str) -> bool:
        """Whether `rel` or a directory on its path is a symbolic link."""
        return self._has_link_on_path(rel)

    def entries(self, directory: str) -> dict[str, str]:
        """The names directly in `directory` by kind ("file", "dir", "link", "other"); empty when
        it is not a directory reached through no link."""
        return self._entries_of(self.resolve(directory) or ".") if self.is_dir(directory) else {}

    def _note_link(self, rel: str) -> None:
        """Links are never followed; one leading outside the workspace is reported."""
        if self._files.link_leaves(rel):
            self.notices.append(skipped_notice(rel, LINK_OUTSIDE_REASON))

    def resolve(self, rel: str) -> str | None:
        """Normalise a repo-relative path; None when it leaves the workspace."""
        if rel not in self._resolved:
            self._resolved[rel] = self._resolve(rel)
        return self._resolved[rel]

    def _resolve(self, rel: str) -> str | None:
        if rel and rel[0] != "/" and "\\" not in rel:
            plain = rel.split("/")
            if "" not in plain and "." not in plain and ".." not in plain:
                return rel                           # already normal: nothing for PurePosixPath to do
        parts: list[str] = []
        for part in PurePosixPath(rel.replace("\\", "/")).parts:
            if part in ("", "."):
                continue
            if part == "/":
                return None
            if part == "..":
                if not parts:
                    return None
                parts.pop()
                continue
            parts.append(part)
        return "/".join(parts) or "."

    def exists(self, rel: str) -> bool:
        return self._reached(rel) is not None

    def is_dir(self, rel: str) -> bool:
        return self._reached(rel) == "dir"

    def _reached(self, rel: str) -> str | None:
        """What `rel` is when no link lies on its path ("file", "dir", "other"), else None."""
        if rel not in self._reached_kinds:
            normal = self.resolve(rel)
            kind: str | None = None
            if normal is not None and not self._has_link_on_path(rel):
                kind = self._kind(normal) if normal == rel else self._kind_through(rel)
            self._reached_kinds[rel] = None if kind == "link" else kind
        return self._reached_kinds[rel]

    def _kind_through(self, rel: str) -> str | None:
        """What a path with `.` or `..` in it reaches: `a/../b` needs `a` to be a directory."""
        parts: list[str] = []
        for part in rel.replace("\\", "/").split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if self._kind("/".join(parts)) != "dir":
                    return None
                parts.pop()
            else:
                parts.append(part)
        return self._kind("/".join(parts) or ".")

    def is_symlink(self, rel: str) -> bool:
        """Whether `rel` itself is a symbolic link (in a directory reached without one)."""
        parent = rel.rstrip("/").rpartition("/")[0]
        normal = self.resolve(rel)
        return normal is not None and not (parent and self._has_link_on_path(parent)) and self._kind(normal) == "link"

    def _has_link_on_path(self, rel: str) -> bool:
        """Walked from the root down, iteratively: a path under thousands of directories must not
        exhaust the interpreter's recursion limit."""
        known = self._link_on_path.get(rel)
        if known is not None:
            return known
        chain = [rel]                                    # rel, its parent, its grandparent, ...
        while True:
            parent = chain[-1].rstrip("/").rpartition("/")[0]
            if not parent or parent in self._link_on_path:
                break
            chain.append(parent)
        for path in reversed(chain):
            parent, _, name = path.rstrip("/").rpartition("/")
            if path in ("", ".") or not name:
                known = False
            else:
                # The parent is known first, so the directory listed below is reached by no link.
                normal = self.resolve(path)              # None: it leaves the workspace
                known = (bool(parent) and self._link_on_path[parent]) or (
                    name not in (".", "..") and normal is not None and self._kind(normal) == "link")
            self._link_on_path[path] = known
        return self._link_on_path[rel]

    def _kind(self, rel: str) -> str | None:
        """What the directory listing of `rel`'s parent says it is; None when it is not there.

        Callers make sure no link lies on the parent's path (the listing would follow it).
        """
        if rel in ("", "."):
            return "dir"                                 # the root itself
        parent, _, name = rel.rstrip("/").rpartition("/")
        return self._listed_entries(parent).get(name)

    def _listed_entries(self, directory: str) -> dict[str, str]:
        """`_entries_of(directory)`, listing a directory only when its parent's listing says it
        is one: following a module name asks about thousands of folders that do not exist
        (`json/`, `boto3/` beside every handler), and their parents' listings already say so
        without a failed scandir each. Iterative: a path can be thousands of folders deep."""
        directory = "" if directory == "." else directory
        unlisted: list[str] = []
        while directory and directory not in self._entries:
            unlisted.append(directory)
            directory = directory.rpartition("/")[0]
        entries = self._entries_of(directory)
        for path in reversed(unlisted):
            if entries.get(path.rpartition("/")[2]) != "dir":
                return {}                                # missing, a file or a link: nothing listed in it
            entries = self._entries_of(path)
        return entries

    def _entries_of(self, directory: str) -> dict[str, str]:
        directory = "" if directory == "." else directory
        entries = self._entries.get(directory)
        if entries is None:
            entries = self._entries[directory] = self._files.entries(directory)
        return entries

    def spend(self, kind: str, size: int, limit: int) -> bool:
        """Count `size` against this scan's allowance for `kind`; False once it would exceed `limit`."""
        spent = self._spent.get(kind, 0)
        if spent + size > limit:
            self.refused.add(kind)
            return False
        self._spent[kind] = spent + size
        return True

    def prefetch(self, rels: list[str]) -> None:
        """A hint that these files are read next (an inventory format reading every template or
        source file), so a tree that pays per request can fetch them together."""
        wanted = [rel for rel in rels if rel not in self._text_cache and self._plain_file(rel)]
        if wanted:
            self._files.prefetch(wanted, self.max_file_size)

    def lacking(self, rels: list[str], needles: tuple[str, ...], any_size: bool = False) -> frozenset[str]:
        """Which of `rels` hold none of `needles` (ASCII markers), when the tree can tell without
        handing their bytes over (a git revision); it may name none. `read_text` of one of them
        returns a text without the needles or refuses it as binary or not UTF-8 (LR901), never for
        its path, nor for its size unless `any_size` (then files above max-file-size may be named):
        a format that reads a file only to look for its markers need not read it."""
        request: tuple[tuple[str, ...], tuple[bytes, ...], int | None] | None
        started = self._started.pop((tuple(rels), needles, any_size), None)
        if started is None:
            request = self._lacking_request(rels, needles, any_size)
            covered = self._covered_by_started(request) if request is not None else None
            if covered is not None:
                return covered
        else:
            # What decided which files were asked about stays true, except that a file may have
            # been read since (its text is held): then the question is another one.
            (files, encoded, limit), answer = started
            unread = tuple(rel for rel in files if rel not in self._text_cache)
            if unread == files:
                return answer()
            answer()                                    # its process ends; asked afresh below
            request = (unread, encoded, limit) if unread else None
        if request is None:
            return frozenset()
        files, encoded, limit = request
        return self._files.lacking(list(files), encoded, limit)

    def start_lacking(self, rels: list[str], needles: tuple[str, ...], any_size: bool = False) -> None:
        """Start answering `lacking(rels, needles, any_size)` now when the tree can work on it in
        the background (a git search): the same call later collects that answer. A later call
        that asks anything else, or about a file read since, is answered afresh."""
        start = getattr(self._files, "start_lacking", None)
        key = (tuple(rels), needles, any_size)
        if start is None or key in self._started:
            return
        request = self._lacking_request(rels, needles, any_size)
        if request is not None:
            files, encoded, limit = request
            self._started[key] = (request, start(list(files), encoded, limit))

    def _covered_by_started(self, request: tuple[tuple[str, ...], tuple[bytes, ...], int | None]
                            ) -> frozenset[str] | None:
        """The answer to `request` from a search started for more files with the same needles and
        size bound (each file's answer is its own, and a file unread now was unread when it
        started), or None when no such search was started. The search is used up."""
        files, encoded, limit = request
        asked = set(files)
        for key, ((started_files, started_encoded, started_limit), answer) in self._started.items():
            if started_encoded == encoded and started_limit == limit and asked.issubset(started_files):
                del self._started[key]
                return answer() & asked
        return None

    def started_requests(self) -> frozenset[tuple[Any, ...]]:
        """The requests started and not yet asked for (what `settle_started` can be told to keep)."""
        return frozenset(self._started)

    def settle_started(self, keep: frozenset[tuple[Any, ...]] = frozenset()) -> None:
        """Collect (and drop) the answers started but never asked for, so their processes end;
        those in `keep` stay for a later question."""
        for key in [key for key in self._started if key not in keep]:
            self._started.pop(key)[1]()

    def _plain_file(self, rel: str) -> bool:
        """Whether `rel` is a regular file under its normal name with no link on its path: what a
        tree can be asked about by name. The listing's files are (the walk enters directories only)."""
        return rel in self._walked_files or (self.resolve(rel) == rel and not self._has_link_on_path(rel)
                                             and self._reached(rel) == "file")

    def _lacking_request(self, rels: list[str], needles: tuple[str, ...], any_size: bool
                         ) -> tuple[tuple[str, ...], tuple[bytes, ...], int | None] | None:
        files = tuple(rel for rel in rels if rel not in self._text_cache and self._plain_file(rel))
        if not files or not needles:
            return None
        return files, tuple(needle.encode("ascii") for needle in needles), None if any_size else self.max_file_size

    def read_text(self, rel: str) -> str:
        """The file's text, or UnreadableFile carrying an LR901/LR902 notice that names it."""
        self.last_read = rel
        if rel in self._text_cache:
            return self._text_cache[rel]
        if self.resolve(rel) is None:
            raise UnreadableFile(skipped_notice(rel, "its path leads outside the workspace"))
        if self._has_link_on_path(rel):
            raise UnreadableFile(skipped_notice(rel, "it is a symbolic link, which the review never follows"))
        kind = self._reached(rel)
        if kind is None:
            raise UnreadableFile(unparsed_notice(rel, "it could not be read (No such file or directory)"))
        if kind != "file":
            # A FIFO would block the read forever; a device could be endless.
            raise UnreadableFile(skipped_notice(rel, "it is not a regular file"))
        data = self._files.read(self.resolve(rel) or rel, self.max_file_size)
        if b"\x00" in data:
            raise UnreadableFile(unparsed_notice(rel, "it holds binary content"))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it is not valid UTF-8 (byte {exc.start})")) from exc
        self._text_cache[rel] = text
        return text

    def read_start(self, rel: str, size: int) -> str:
        """The text of the first `size` bytes of a file `read_text` refused as larger than
        max-file-size (OversizedFile), bytes that are not UTF-8 dropped: enough for a format
        that reads files by their suffix to look for its markers before reporting the file,
        without reading all of it. UnreadableFile as `read_text` raises it for anything else."""
        if self.resolve(rel) is None or self._has_link_on_path(rel) or self._reached(rel) != "file":
            return self.read_text(rel)                   # raises the notice that says why
        data = self._files.read_start(self.resolve(rel) or rel, size)
        if b"\x00" in data:
            raise UnreadableFile(unparsed_notice(rel, "it holds binary content"))
        return data.decode("utf-8-sig", "ignore")


def _decodable(name: str) -> bool:
    """Whether a name listed by the operating system is text (undecodable bytes arrive as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable_name(rel: str) -> str:
    """`rel` with each byte that is not UTF-8 shown as U+FFFD."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unparsed_notice(path: str, reason: str, line: int = 1) -> Finding:
    """LR901: a file that looks like infrastructure code could not be parsed."""
    return LR901.finding(
        (f"{markdown.code(path)} was not reviewed because {markdown.text(reason)}. "
         "Any function it declares is missing from this review."),
        path, max(1, line), evidence=reason,
    )


def newer_grammar_notice(path: str, version: str, running: str, line: int = 1) -> Finding:
    """LR903: a Python file written for a newer grammar than the reviewer's interpreter reads."""
    reason = f"it uses Python {version} syntax and this review runs on Python {running}"
    return LR903.finding(
        (f"{markdown.code(path)} was not analysed because {markdown.text(reason)}. "
         f"Run the action's image (it reads newer syntax) or a Python {markdown.text(version)} "
         "host to review it."),
        path, max(1, line), evidence=reason,
    )


def too_large_notice(path: str, size: int, limit: int) -> Finding:
    return skipped_notice(path, f"it is {size:,} bytes, larger than max-file-size ({limit:,} bytes)")


def skipped_notice(path: str, reason: str) -> Finding:
    """LR902: a file left unread on purpose, to keep the review bounded and inside the workspace."""
    return LR902.finding(
        (f"{markdown.code(path)} was skipped because {markdown.text(reason)}. "
         "Anything it declares is missing from this review."),
        path, 1, evidence=reason,
    )


def unread_declaration_notice(path: str, line: int, form: str, setting: str | None = None,
                              missing: str | None = None, absent: bool = False) -> Finding:
    """LR904: a Lambda function declared in a form static reading cannot follow; never silent.

    `setting` names the one value left unknown (`functions.hello`) when the reader knows it, and
    `missing` (our own words, any code in it quoted in backticks) says what is unknown when that
    is not a value (how many instances a `count` makes), so the notice does not suggest that more (the runtime) is missing than is.
    `absent`: what the declaration names is not in the repository at all (a module folder moved or
    deleted), which is why it is unread, rather than a value only running the code would give.
    """
    missing = (markdown.quoted(missing, prose=True) if missing else
               f"the value of {markdown.code(setting)} is missing from this review" if setting else
               "what depends on it (the runtime, for one) is missing from this review")
    return LR904.finding(
        (f"{markdown.code(path)} declares a Lambda function in a form the review cannot read "
         f"statically: {markdown.quoted(form)}. "
         f"{'The review reads only what the repository holds' if absent else 'The review never runs the code'}"
         f", so {missing}."),
        path, max(1, line), evidence=form,
    )
