"""Bounded, link-safe reading of the checked-out repository.

The repository under review is untrusted. Every analyzer reads files through this class, which
never follows a symbolic link, refuses files larger than `max_file_size`, and turns binary or
non-UTF-8 content into a notice instead of an exception. What it skipped is reported, never lost.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from reviewer import markdown
from reviewer.content_cache import ContentCache
from reviewer.model import Finding, Severity

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
LINK_OUTSIDE_REASON = "it is a symbolic link that leads outside the workspace"

# Build output, vendored dependencies and tool state: never the source a reviewer owns.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "__pycache__",
    ".aws-sam", ".serverless", ".terraform", ".mypy_cache", ".pytest_cache", ".hypothesis",
})


class UnreadableFile(Exception):
    """The file was not read; the notice explains why."""

    def __init__(self, notice: Finding) -> None:
        super().__init__(notice.message)
        self.notice = notice


@dataclass
class Workspace:
    """The repository checkout at `root`; paths handed out are repo-relative POSIX strings."""

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
    _link_on_path: dict[str, bool] = field(default_factory=dict, repr=False)
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)
    _reached_kinds: dict[str, str | None] = field(default_factory=dict, repr=False)
    # Each directory listed once ("file", "dir", "link" or "other" by name): resolving a module
    # name asks about many paths that do not exist, and one scandir answers them all.
    _entries: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    # What each kind of parsing has used of its per-scan allowance (`spend`).
    _spent: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    def iter_files(self, suffixes: tuple[str, ...] | None = None) -> Iterator[str]:
        """Regular files under the root, sorted, skipping links, build output and excludes."""
        if self._listing is None:
            self._listing = list(self._walk())
        for rel in self._listing:
            if suffixes is None or rel.rpartition("/")[2].lower().endswith(suffixes):
                yield rel

    def _walk(self) -> Iterator[str]:
        start = self.root / self.scope
        if self._has_link_on_path(self.scope):
            return
        root = str(self.root)
        for directory, subdirs, files in os.walk(start, followlinks=False):
            subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRECTORIES
                                and not self._is_link(Path(directory, d)))
            prefix = os.path.relpath(directory, root).replace(os.sep, "/")
            prefix = "" if prefix == "." else prefix + "/"
            for name in sorted(files):
                rel = prefix + name
                if self.is_excluded(rel):
                    continue
                if self._is_link(Path(directory, name)):
                    continue
                yield rel

    def is_excluded(self, rel: str) -> bool:
        return any(fnmatch.fnmatch(rel, pattern) for pattern in self.exclude)

    def is_link(self, rel: str) -> bool:
        """Whether `rel` is a symbolic link, which the review never follows; one that leads
        outside the workspace leaves an LR902 notice naming it."""
        return self._is_link(self.root / rel)

    def _is_link(self, absolute: Path) -> bool:
        """Links are never followed; one leading outside the workspace is reported once."""
        if not absolute.is_symlink():
            return False
        target = Path(os.path.realpath(absolute))
        if not target.is_relative_to(self.root):
            rel = absolute.relative_to(self.root).as_posix()
            self.notices.append(skipped_notice(rel, LINK_OUTSIDE_REASON))
        return True

    def resolve(self, rel: str) -> str | None:
        """Normalise a repo-relative path; None when it leaves the workspace."""
        if rel not in self._resolved:
            self._resolved[rel] = self._resolve(rel)
        return self._resolved[rel]

    def _resolve(self, rel: str) -> str | None:
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
                if normal == rel:
                    kind = self._kind(rel)
                else:                                    # `.` or `..` in it: the file system resolves them
                    path = self.root / rel
                    kind = "dir" if path.is_dir() else "file" if path.exists() else None
            self._reached_kinds[rel] = None if kind == "link" else kind
        return self._reached_kinds[rel]

    def is_symlink(self, rel: str) -> bool:
        """Whether `rel` itself is a symbolic link (in a directory reached without one)."""
        parent = rel.rstrip("/").rpartition("/")[0]
        normal = self.resolve(rel)
        return normal is not None and not (parent and self._has_link_on_path(parent)) and self._kind(normal) == "link"

    def _has_link_on_path(self, rel: str) -> bool:
        known = self._link_on_path.get(rel)
        if known is None:
            parent, _, name = rel.rstrip("/").rpartition("/")
            if rel in ("", ".") or not name:
                known = False
            else:
                # The parent is checked first, so the directory listed below is reached by no link.
                normal = self.resolve(rel)                   # None: it leaves the workspace
                known = (bool(parent) and self._has_link_on_path(parent)) or (
                    name not in (".", "..") and normal is not None and self._kind(normal) == "link")
            self._link_on_path[rel] = known
        return known

    def _kind(self, rel: str) -> str | None:
        """What the directory listing of `rel`'s parent says it is; None when it is not there.

        Callers make sure no link lies on the parent's path (the listing would follow it).
        """
        if rel in ("", "."):
            return "dir"                                 # the root itself
        parent, _, name = rel.rstrip("/").rpartition("/")
        entries = self._entries.get(parent)
        if entries is None:
            entries = {}
            try:
                with os.scandir(self.root / parent if parent else self.root) as listing:
                    for entry in listing:
                        entries[entry.name] = ("link" if entry.is_symlink()
                                               else "dir" if entry.is_dir(follow_symlinks=False)
                                               else "file" if entry.is_file(follow_symlinks=False) else "other")
            except OSError:
                pass                                     # not a directory, or gone: nothing is there
            self._entries[parent] = entries
        return entries.get(name)

    def spend(self, kind: str, size: int, limit: int) -> bool:
        """Count `size` against this scan's allowance for `kind`; False once it would exceed `limit`."""
        spent = self._spent.get(kind, 0)
        if spent + size > limit:
            return False
        self._spent[kind] = spent + size
        return True

    def read_text(self, rel: str) -> str:
        """The file's text, or UnreadableFile carrying an LR901/LR902 notice that names it."""
        if rel in self._text_cache:
            return self._text_cache[rel]
        if self.resolve(rel) is None:
            raise UnreadableFile(skipped_notice(rel, "its path leads outside the workspace"))
        path = self.root / rel
        if self._has_link_on_path(rel):
            raise UnreadableFile(skipped_notice(rel, "it is a symbolic link, which the review never follows"))
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                # A FIFO would block the read forever; a device could be endless.
                raise UnreadableFile(skipped_notice(rel, "it is not a regular file"))
            size = status.st_size
            if size > self.max_file_size:
                raise UnreadableFile(skipped_notice(
                    rel, f"it is {size:,} bytes, larger than max-file-size ({self.max_file_size:,} bytes)"))
            with path.open("rb") as handle:
                data = handle.read(self.max_file_size + 1)
        except OSError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it could not be read ({exc.strerror or 'I/O error'})")) from exc
        if b"\x00" in data:
            raise UnreadableFile(unparsed_notice(rel, "it holds binary content"))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it is not valid UTF-8 (byte {exc.start})")) from exc
        self._text_cache[rel] = text
        return text


def unparsed_notice(path: str, reason: str, line: int = 1) -> Finding:
    """LR901: a file that looks like infrastructure code could not be parsed."""
    return Finding(
        rule_id="LR901", severity=Severity.NOTICE, title="A file could not be parsed",
        message=(f"{markdown.code(path)} was not reviewed because {markdown.text(reason)}. "
                 "Any function it declares is missing from this review."),
        path=path, line=max(1, line), evidence=reason,
    )


def skipped_notice(path: str, reason: str) -> Finding:
    """LR902: a file left unread on purpose, to keep the review bounded and inside the workspace."""
    return Finding(
        rule_id="LR902", severity=Severity.NOTICE, title="A file was skipped to keep the review bounded",
        message=(f"{markdown.code(path)} was skipped because {markdown.text(reason)}. "
                 "Anything it declares is missing from this review."),
        path=path, line=1, evidence=reason,
    )
