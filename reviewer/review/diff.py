"""Commentable lines of a pull request, from GitHub's per-file patches or from `git diff`.

GitHub rejects a whole review when one comment points outside the diff, so every inline comment
is checked against these hunks before it is posted. RIGHT-side lines (added and context lines,
numbered in the new file) are commentable; a multi-line comment must stay inside one hunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchedFile


_REDACTED = "<value hidden by lambda-review>"
_KEY_PREFIX = re.compile(r"^([+ -]?\s*[^:=\s][^:=]*[:=]\s*)")


def _redact(text: str) -> str:
    """`+  DB_PASSWORD: hunter2` → `+  DB_PASSWORD: <value hidden by lambda-review>`."""
    match = _KEY_PREFIX.match(text)
    if match:
        return match.group(1) + _REDACTED
    return text[:1] + _REDACTED


@dataclass
class FileDiff:
    """One changed file: its hunks as (first, last) new-file line ranges, and its added lines."""

    path: str
    hunks: list[tuple[int, int]] = field(default_factory=list)
    added: set[int] = field(default_factory=set)
    commentable: bool = True
    context: dict[int, list[tuple[int | None, str]]] = field(default_factory=dict, repr=False)
    # Each hunk's old-file lines (first, last) and where the lines after it move by; the old
    # file's lines the hunk keeps (context lines), old → new: `new_line` reads them.
    old_hunks: list[tuple[int, int, int]] = field(default_factory=list, repr=False)
    kept: dict[int, int] = field(default_factory=dict, repr=False)

    def excerpt(self, line: int, around: int = 3, redacted: frozenset[int] = frozenset(),
                start_line: int | None = None) -> list[str]:
        """The diff lines of the hunk around `line` (from `start_line` for a multi-line comment),
        prefixed +, - or space, for previews.

        Removed lines are shown where they sit: those between the first and last line shown, and
        the run just before the first (the old half of a replaced line). A removed line elsewhere
        in the hunk would read as part of the commented lines when it is not.
        Lines in `redacted` (new-file numbers, such as those holding a plain secret) keep their
        key but not their value, so a preview never repeats what it warns about.
        """
        hunk = self.hunk_of(line)
        if hunk is None:
            return []
        rows = self.context.get(hunk, [])
        first_wanted = (start_line if start_line is not None else line) - around
        shown = [index for index, (number, _) in enumerate(rows)
                 if number is not None and first_wanted <= number <= line + around]
        if not shown:
            return []
        first, last = shown[0], shown[-1]
        while first > 0 and rows[first - 1][0] is None:
            first -= 1
        return [_redact(text) if number in redacted else text for number, text in rows[first:last + 1]]

    def new_line(self, old: int) -> int | None:
        """Where line `old` of the old file is in the new one; None when the change removed or
        replaced it, or when the diff does not say (a file without a patch)."""
        if not self.commentable:
            return None
        shift = 0
        for first, last, after in self.old_hunks:
            if old < first:
                break
            if old <= last:
                return self.kept.get(old)
            shift = after
        return old + shift

    def hunk_of(self, line: int) -> int | None:
        for index, (first, last) in enumerate(self.hunks):
            if first <= line <= last:
                return index
        return None

    def can_comment(self, line: int, start_line: int | None = None) -> bool:
        hunk = self.hunk_of(line)
        if not self.commentable or hunk is None:
            return False
        return start_line is None or self.hunk_of(start_line) == hunk


@dataclass
class DiffMap:
    """Every changed file of a change, by its new path."""

    files: dict[str, FileDiff] = field(default_factory=dict)
    # Paths the change deletes, and the old paths of renamed files: nothing to comment on, but
    # the functions that shipped them are touched by the change all the same.
    removed: set[str] = field(default_factory=set)
    # Renamed files, old path → new path: a finding the base had at the old path is the same
    # finding at the new one (reviewer.review.renames).
    renamed: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> FileDiff | None:
        return self.files.get(path)

    def is_added(self, path: str, line: int) -> bool:
        diff = self.files.get(path)
        return diff is not None and line in diff.added

    @property
    def paths(self) -> set[str]:
        return set(self.files)


def _file_diff_from_patched(path: str, patched_file: PatchedFile) -> FileDiff:
    diff = FileDiff(path)
    for hunk in patched_file:
        lines = [line.target_line_no for line in hunk if line.target_line_no]
        if lines:
            diff.context[len(diff.hunks)] = [
                (line.target_line_no, f"{line.line_type}{line.value.rstrip(chr(10))}") for line in hunk
                if line.target_line_no or line.is_removed
            ]
            diff.hunks.append((min(lines), max(lines)))
        diff.added.update(line.target_line_no for line in hunk
                          if line.is_added and line.target_line_no is not None)  # an added line always has one
        # a side of no lines is numbered by the line before it (`@@ -5,0 +6,2 @@` adds after line 5)
        old_first = hunk.source_start + (0 if hunk.source_length else 1)
        new_first = hunk.target_start + (0 if hunk.target_length else 1)
        diff.old_hunks.append((old_first, old_first + hunk.source_length - 1,
                               new_first + hunk.target_length - old_first - hunk.source_length))
        diff.kept.update((line.source_line_no, line.target_line_no) for line in hunk
                         if line.is_context and line.source_line_no and line.target_line_no)
    return diff


def file_diff_from_github_patch(path: str, patch: str | None) -> FileDiff:
    """GitHub's `patch` field has no ---/+++ header; without a patch nothing is commentable."""
    if not patch:
        return FileDiff(path, commentable=False)
    try:
        patch_set = PatchSet(f"--- a/{path}\n+++ b/{path}\n{patch}\n")
    except UnidiffParseError:
        return FileDiff(path, commentable=False)
    if not len(patch_set):
        return FileDiff(path, commentable=False)
    return _file_diff_from_patched(path, patch_set[0])


def diff_map_from_unified(text: str) -> DiffMap:
    """A whole `git diff` output; deleted files are left out (nothing on the new side)."""
    result = DiffMap()
    try:
        patch_set = PatchSet(text)
    except UnidiffParseError:
        return result
    for patched_file in patch_set:
        source = (patched_file.source_file or "").removeprefix("a/")
        if patched_file.is_removed_file:
            result.removed.add(source or patched_file.path)
            continue
        path = patched_file.path
        if source and source != "/dev/null" and source != path:
            result.removed.add(source)
            if patched_file.is_rename:
                result.renamed[source] = path
        if patched_file.is_binary_file:
            result.files[path] = FileDiff(path, commentable=False)
            continue
        result.files[path] = _file_diff_from_patched(path, patched_file)
    return result
