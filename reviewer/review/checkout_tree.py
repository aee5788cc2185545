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

from reviewer.review import git
from reviewer.review.revision_tree import grep_pathspecs
from reviewer.run_limits import run_limits
from reviewer.workspace import DirectoryTree


class CheckoutTree(DirectoryTree):
    """A `DirectoryTree` whose `lacking` asks git (see the module's docstring)."""

    def lacking(self, rels: list[str], needles: tuple[bytes, ...], limit: int | None) -> frozenset[str]:
        if not rels or not needles:
            return frozenset()
        try:
            with run_limits().shielded():
                tracked = git.checkout_files(self.root)
                searched = grep_pathspecs([rel for rel in rels if rel in tracked])
                if searched is None:
                    return frozenset()
                candidates, pathspecs = searched
                found = git.files_containing(self.root, None, list(needles), pathspecs)()
        except git.GitError:
            return frozenset()
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
