"""Starting the dependency audit's process first thing in a pull request review.

The process spends about 0.4 s importing pip-audit. A review has little else to wait for once
its head is analysed, so the process starts before the review's own imports (and, in the action,
before PyGithub's import and the API's list of changed files) when git lists dependency files in
the head. This module imports only git and file-name rules, so that the start is early. A full
scan does not start it early: it keeps both cores busy, and an early start measured slower there
(bench/full_scan.py); its audit starts when the pins are known.
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.code.dependency_names import is_dependency_file_name
from reviewer.review import git


def warm_up_audit(root: Path, head_rev: str | None) -> None:
    """Start the audit's process when the head (`head_rev`, or the checkout's index when None)
    tracks a dependency file; once per run (`pip_audit_engine.warm_up`)."""
    try:
        # a commit's listing is the one its tree is read with next (git.list_revision keeps it)
        names = (git.tracked_names(root, None) if head_rev is None
                 else [os.fsdecode(path) for path in git.list_revision(root, head_rev, sizes=False)])
    except git.GitError:
        return
    if any(is_dependency_file_name(name.rpartition("/")[2]) for name in names):
        from reviewer.analyzers.pip_audit_engine import warm_up

        warm_up()
