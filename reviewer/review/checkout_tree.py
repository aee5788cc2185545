"""The checkout on disk, with git telling which of its files hold none of a format's markers.

The action reviews the checkout as the head (`reviewer.review.change`). Reading every source file
of a monorepo to find the few that name the CDK cost a third of a second of CPU at 1,200
functions; one `git grep` over the tracked files, as they are on disk, answers in a twentieth of
that. Everything else is the `DirectoryTree`'s: listing, links, reading. What git does not search
(untracked, ignored or skip-worktree files, a checkout below the top of its repository, a file
that is not a plain regular file on disk) is never taken as lacking a marker: it is read.
"""

from __future__ import annotations

import os
import stat
from typing import Callable

from reviewer.review import git
from reviewer.review.revision_tree import grep_pathspecs
from reviewer.run_limits import run_limits
from reviewer.workspace import DirectoryTree


class CheckoutTree(DirectoryTree):
    """A `DirectoryTree` whose `lacking` asks git (see the module's docstring)."""

    def lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None) -> frozenset[str]:
        return self.start_lacking(rels, needles, limit)()

    def start_lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None
                      ) -> Callable[[], frozenset[str]]:
        """`lacking`, with git started now: the returned callable waits for its answer."""
        if not rels or not needles:
            return frozenset
        try:
            with run_limits().shielded():
                tracked = git.checkout_files(self.root)
                searched = grep_pathspecs([rel for rel in rels if rel in tracked])
                if searched is None:
                    return frozenset
                candidates, pathspecs = searched
                holding = git.files_containing(self.root, None, list(needles), pathspecs)
        except git.GitError:
            return frozenset

        def answer() -> frozenset[str]:
            try:
                with run_limits().shielded():
                    found = holding()
            except git.GitError:
                return frozenset()
            return self._lacking(candidates, found, limit)

        return answer

    def _lacking(self, candidates: list[str], found: set[str], limit: int | None) -> frozenset[str]:
        lacking = set()
        for rel in candidates:
            if rel in found:
                continue
            if limit is None:
                lacking.add(rel)                   # the workspace listed it as a regular file
                continue
            try:
                status = os.lstat(self.root / rel)
            except OSError:
                continue
            if stat.S_ISREG(status.st_mode) and status.st_size <= limit:
                lacking.add(rel)
        return frozenset(lacking)
