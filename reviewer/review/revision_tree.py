"""A commit's files, read from git objects on demand: a `FileTree` for the Workspace.

Reviewing a pull request reads two revisions, and the CLI's `review --head` reads a third that
is not checked out. Writing them to a temporary directory cost a file creation per file (0.8 ms
each on a slow disk: a fifth to a third of a review of the bench monorepo) for files the review
mostly only lists. Here the tree is listed once (`git ls-tree`, trees only: sizes are asked for
the files about to be read) and a file's bytes are asked of one `git cat-file --batch` process
when an analyzer reads it.

What it holds is what the old export held: regular files and symbolic links of the commit's tree
(submodules and names that could not be checked out are left out), read from objects rather than
`git archive`, which would obey the revision's own `.gitattributes`. A link is never followed:
its target is read only to tell whether it leads outside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Callable

from reviewer.review import git
from reviewer.run_limits import run_limits
from reviewer.workspace import (SKIPPED_DIRECTORIES, OversizedFile, UnreadableFile, skipped_directory, too_large_notice,
                                unparsed_notice)

# A link's target is a path: anything longer is not one the review needs to judge.
MAX_LINK_TARGET = 4096
# What `prefetch` holds at most before the files are read (the workspace keeps their text after).
PREFETCH_BYTES = 64 * 1024 * 1024
PREFETCH_BATCH = 256
# `lacking` names each suffix in its `git grep` pathspec: past this many, it does not try.
MAX_GREP_SUFFIXES = 64
# Up to this many files, `lacking` names each in the pathspec rather than searching by suffix.
MAX_NAMED_PATHS = 500
_ABSENT = (b"", b"", 0)
# Blob sizes git gave, by (repository, object id), for every tree of the run: an id names the same
# bytes for good, and a review's base asks about the templates the head already asked about.
_KNOWN_SIZES: dict[tuple[str, bytes], int] = {}
MAX_KNOWN_SIZES = 1_000_000


def grep_pathspecs(rels: list[str]) -> tuple[list[str], list[str]] | None:
    """(the files a `git grep` of these pathspecs searches, the pathspecs): few files are named
    each, many by their suffixes (every file with one of them, which may be more); None when
    there is nothing to search or too many suffixes to name."""
    if not rels:
        return None
    if len(rels) <= MAX_NAMED_PATHS:                    # few (a review's base): each named
        return rels, [f":(top,literal){rel}" for rel in rels]
    suffixes = {"." + name.rpartition(".")[2].lower() for rel in rels if "." in (name := rel.rpartition("/")[2])}
    if len(suffixes) > MAX_GREP_SUFFIXES:
        return None
    # git would search the folders the workspace never lists too (a committed node_modules/).
    skipped = [f":(top,exclude,glob)**/{name}/**" for name in sorted(SKIPPED_DIRECTORIES)]
    return ([rel for rel in rels if "." in rel.rpartition("/")[2] and not _in_skipped_directory(rel)],
            [f":(top,icase)*{suffix}" for suffix in sorted(suffixes)] + skipped)


def _in_skipped_directory(rel: str) -> bool:
    return any(skipped_directory(part) for part in rel.split("/")[:-1])


class RevisionTree:
    """The files of `rev` in the repository at `root`; close it (or use `with`) to stop git."""

    def __init__(self, root: Path, rev: str) -> None:
        self.commit = git.resolve(root, rev)
        self._root = root
        self._blobs: dict[str, tuple[bytes, bytes, int]] = {}
        self._directories: dict[str, dict[str, str]] = {"": {}}
        # git's listing as it came (sizes unknown), by path in bytes: what `changed_since` compares
        self._listing = git.list_revision(root, self.commit, sizes=False)
        blobs, directories, fsdecode = self._blobs, self._directories, os.fsdecode
        for path, blob in self._listing.items():
            rel = fsdecode(path)
            blobs[rel] = blob
            mode = blob[1]
            kind = "link" if mode == git.LINK_MODE else "file" if mode.startswith(b"100") else "other"
            parent, _, name = rel.rpartition("/")
            if parent in directories:                    # `_add` of a file in a folder already seen
                directories[parent][name] = kind
            else:
                self._add(rel, kind)
        self._reader = git.BlobReader(root)
        self._fetched: dict[str, tuple[int, bytes | None]] = {}

    def _add(self, rel: str, kind: str) -> None:
        parent, _, name = rel.rpartition("/")
        if parent not in self._directories:
            self._directories[parent] = {}
            self._add(parent, "dir")
        self._directories[parent][name] = kind

    def blobs(self) -> dict[str, tuple[bytes, bytes]]:
        """Each file and link of the commit by path, with its (object id, mode): what a change compares."""
        return {rel: (object_id, mode) for rel, (object_id, mode, _) in self._blobs.items()}

    def changed_since(self, other: RevisionTree) -> set[str]:
        """The paths whose object or mode differ between the two commits, or that one lacks: one
        comparison of the two listings' (path, object id, mode) entries as sets."""
        return {os.fsdecode(path) for path, _ in self._listing.items() ^ other._listing.items()}

    def total_size(self, suffixes: tuple[str, ...]) -> int:
        """The bytes of the commit's files whose names end with one of `suffixes`."""
        rels = [rel for rel, (_, mode, _) in self._blobs.items()
                if mode.startswith(b"100") and rel.lower().endswith(suffixes)]
        self._learn_sizes(rels)
        return sum(max(self._blobs[rel][2], 0) for rel in rels)

    def _learn_sizes(self, rels: list[str]) -> None:
        """Ask git for the sizes the listing left out (it lists trees only), in one exchange."""
        self._start_learning_sizes(rels)()

    def _start_learning_sizes(self, rels: list[str]) -> Callable[[], None]:
        """`_learn_sizes`, with git started now: the sizes are in once the returned callable returns."""
        unknown: list[str] = []
        repository = str(self._root)
        for rel in rels:
            object_id, mode, size = self._blobs.get(rel, _ABSENT)
            if size == git.UNKNOWN_SIZE:
                known = _KNOWN_SIZES.get((repository, object_id))
                if known is None:
                    unknown.append(rel)
                else:
                    self._blobs[rel] = (object_id, mode, known)
        if not unknown:
            return lambda: None
        try:
            with run_limits().shielded():
                answer = git.start_blob_sizes(self._root, [self._blobs[rel][0] for rel in unknown])
        except git.GitError:
            return lambda: None                          # each read still says what it found

        def learn() -> None:
            try:
                with run_limits().shielded():
                    sizes = answer()
            except git.GitError:
                return
            if len(_KNOWN_SIZES) + len(sizes) > MAX_KNOWN_SIZES:
                _KNOWN_SIZES.clear()
            _KNOWN_SIZES.update(((repository, object_id), size) for object_id, size in sizes.items())
            for rel in unknown:
                object_id, mode, _ = self._blobs[rel]
                if object_id in sizes:
                    self._blobs[rel] = (object_id, mode, sizes[object_id])

        return learn

    def entries(self, directory: str) -> dict[str, str]:
        return dict(self._directories.get(directory, {}))

    def link_leaves(self, rel: str) -> bool:
        object_id, mode, _ = self._blobs.get(rel, _ABSENT)
        if mode != git.LINK_MODE:
            return False
        try:
            with run_limits().shielded():
                _, target = self._reader.read(object_id, MAX_LINK_TARGET)
        except git.GitError:
            return True                              # unreadable: reported as leading outside, never followed
        return target is None or git.link_leaves(rel.encode("utf-8", "surrogateescape"), target)

    def prefetch(self, rels: list[str], limit: int) -> None:
        """Ask git for these files in one exchange per PREFETCH_BATCH rather than one per read:
        a round trip to the other process costs about as much as parsing a small file. What is
        held unread stays under PREFETCH_BYTES (sizes asked of git first, for these files only); the
        rest is read when asked for."""
        self._learn_sizes([rel for rel in rels if rel not in self._fetched])
        held = sum(len(data or b"") for _, data in self._fetched.values())
        batch: list[str] = []
        for rel in rels:
            object_id, mode, size = self._blobs.get(rel, _ABSENT)
            if rel in self._fetched or not mode.startswith(b"100") or size > limit:
                continue
            if held + size > PREFETCH_BYTES:
                break
            held += size
            batch.append(rel)
            if len(batch) == PREFETCH_BATCH:
                self._fetch(batch, limit)
                batch = []
        self._fetch(batch, limit)

    def lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None) -> frozenset[str]:
        """Which of these regular files hold none of `needles` and are at most `limit` bytes (any
        size when None): one
        `git grep` over the commit instead of handing every file's bytes over (an inventory format
        that reads a file only to look for its markers skips these). Empty when git cannot tell."""
        return self.start_lacking(rels, needles, limit)()

    def start_lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None
                      ) -> Callable[[], frozenset[str]]:
        """`lacking`, with git started now: the returned callable waits for its answer."""
        rels = [rel for rel in rels if self._blobs.get(rel, _ABSENT)[1].startswith(b"100")]
        searched = grep_pathspecs(rels) if needles else None
        if searched is None:
            return frozenset
        rels, pathspecs = searched
        try:
            with run_limits().shielded():
                holding = git.files_containing(self._root, self.commit, list(needles), pathspecs)
        except git.GitError:
            return frozenset
        # the sizes are asked for while git searches (what is learnt stays true whatever else is read)
        learnt = self._start_learning_sizes(rels) if limit is not None else None

        def answer() -> frozenset[str]:
            try:
                with run_limits().shielded():
                    if learnt is not None:
                        learnt()
                    found = holding()
            except git.GitError:
                return frozenset()
            return frozenset(rel for rel in rels if rel not in found
                             and (limit is None or 0 <= self._blobs[rel][2] <= limit))

        return answer

    def _fetch(self, batch: list[str], limit: int) -> None:
        if not batch:
            return
        try:
            with run_limits().shielded():           # a request and its answers stay in step
                answers = self._reader.read_many([self._blobs[rel][0] for rel in batch], limit)
        except git.GitError:
            return                                       # only a hint: each read will say what failed
        for rel, answer in zip(batch, answers, strict=True):
            if answer is not None:
                self._fetched[rel] = answer

    def read(self, rel: str, limit: int) -> bytes:
        object_id, mode, size = self._blobs.get(rel, _ABSENT)
        if not mode.startswith(b"100"):
            raise UnreadableFile(unparsed_notice(rel, "it could not be read (No such file or directory)"))
        if size > limit:                                 # refused by its known size: nothing is read
            raise OversizedFile(too_large_notice(rel, size, limit))
        try:
            fetched = self._fetched.pop(rel, None)        # fetched with the same limit, or read now
            if fetched is None:
                with run_limits().shielded():
                    fetched = self._reader.read(object_id, limit)
            size, data = fetched
        except git.GitError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it could not be read from git ({exc})")) from None
        if data is None:
            raise OversizedFile(too_large_notice(rel, size, limit))
        return data

    def read_start(self, rel: str, size: int) -> bytes:
        object_id, mode, _ = self._blobs.get(rel, _ABSENT)
        if not mode.startswith(b"100"):
            raise UnreadableFile(unparsed_notice(rel, "it could not be read (No such file or directory)"))
        try:
            with run_limits().shielded():
                return self._reader.read_start(object_id, size)
        except git.GitError as exc:
            raise UnreadableFile(unparsed_notice(rel, f"it could not be read from git ({exc})")) from None

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> RevisionTree:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
