"""Starting the engines' processes first thing in a pull request review.

The dependency audit's process spends about 0.3 s importing pip-audit, and bandit's about 0.15 s
importing bandit and its plugins. A review has little else to wait for once its head is
analysed, so both start before the review's own imports (in the CLI, before its settings; in
the action, before PyGithub's import and the API's list of changed files): the audit's when git
lists dependency files in the head, bandit's worker when it lists Python files. This module
imports only git and file-name rules, so that the start is early. A full scan does not start the
audit early: it keeps both cores busy, and an early start measured slower there
(bench/full_scan.py); its audit starts when the pins are known, and its bandit workers are
forked by the scan (`scan._prepare_full_scan`).
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.code.dependency_names import is_dependency_file_name
from reviewer.review import git


def _head_names(root: Path, head_rev: str | None) -> list[str] | None:
    """The files the head tracks (the checkout's index when `head_rev` is None); None outside git."""
    try:
        # a commit's listing is the one its tree is read with next (git.list_revision keeps it)
        return (git.tracked_names(root, None) if head_rev is None
                else [os.fsdecode(path) for path in git.list_revision(root, head_rev, sizes=False)])
    except git.GitError:
        return None


def _start_audit(names: list[str]) -> None:
    if any(is_dependency_file_name(name.rpartition("/")[2]) for name in names):
        from reviewer.analyzers.pip_audit_engine import warm_up

        warm_up()


def warm_up_audit(root: Path, head_rev: str | None) -> None:
    """Start the audit's process when the head (`head_rev`, or the checkout's index when None)
    tracks a dependency file; once per run (`pip_audit_engine.warm_up`)."""
    names = _head_names(root, head_rev)
    if names is not None:
        _start_audit(names)


def warm_up_engines(root: Path, head_rev: str | None, audit: bool) -> None:
    """The review's early starts: the audit's process when `audit` is on, then bandit's worker
    when the head tracks Python files (`bandit_workers.start_review_worker`).

    The audit goes first: it is the longer of the two to get ready (a new interpreter importing
    pip-audit, about 0.3 s of CPU), and importing `pip_audit_engine` costs little, while the
    worker's fork waits for `bandit_workers`'s imports. Started after the review's settings
    were read, the audit was still importing when the review asked it, and the review waited.
    The worker forked next holds a copy of the audit's pipes: the audit reads its request up to
    the end of its line, and stops waiting for it when the review's process is gone
    (reviewer.audit_worker)."""
    names = _head_names(root, head_rev)
    if names is None:
        return
    if audit:
        _start_audit(names)
    if any(name.endswith(".py") for name in names):
        from reviewer.analyzers.bandit_workers import start_review_worker

        start_review_worker()                 # forked before any thread of the review starts


def stop_early_engines() -> None:
    """Stop bandit's review worker once the review's scans are done (a warm audit process no
    audit took is stopped at exit by `pip_audit_engine`)."""
    import sys

    engine = sys.modules.get("reviewer.analyzers.bandit_workers")
    if engine is not None:
        engine.stop_review_worker()
