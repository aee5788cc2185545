"""Reading other revisions from git objects, never touching the workspace.

A revision is exported with `git archive` and extracted with tarfile's `data` filter, so links
that lead outside the target directory, device files and absolute paths are refused. Diffs run
with external diff drivers and text conversion switched off.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message is one line for the user."""


def _git(root: Path, *args: str, binary: bool = False) -> bytes:
    command = ["git", "-c", "safe.directory=*", "-c", "core.fsmonitor=false", "-C", str(root), *args]
    try:
        completed = subprocess.run(command, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} could not run: {exc}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(completed.returncode)}")
    return completed.stdout


def resolve(root: Path, rev: str) -> str:
    """The full commit id of `rev`; GitError when the commit is not in the local repository."""
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()


def has_commit(root: Path, rev: str) -> bool:
    try:
        resolve(root, rev)
    except GitError:
        return False
    return True


def head_commit(root: Path) -> str | None:
    try:
        return resolve(root, "HEAD")
    except GitError:
        return None


def export_revision(root: Path, rev: str, destination: Path) -> None:
    """Write the tree of `rev` into `destination` (which must exist and be empty)."""
    commit = resolve(root, rev)
    command = ["git", "-c", "safe.directory=*", "-C", str(root), "archive", "--format=tar", commit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            archive.extractall(destination, filter="data")
    except (tarfile.TarError, OSError) as exc:
        process.kill()
        raise GitError(f"git archive of {commit[:12]} could not be extracted: {exc}") from None
    finally:
        stderr = process.stderr.read() if process.stderr else b""
        process.wait()
    if process.returncode != 0:
        raise GitError(f"git archive failed: {stderr.decode('utf-8', 'replace').strip()[:200]}")


def unified_diff(root: Path, base: str, head: str) -> str:
    """`git diff base head` as text, without external drivers or text conversion."""
    output = _git(root, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--unified=3",
                  resolve(root, base), resolve(root, head))
    return output.decode("utf-8", "replace")


def fetch_commit(root: Path, sha: str) -> bool:
    """Try to fetch one commit a shallow clone lacks (the base of a pull request); False on failure."""
    if not all(ch in "0123456789abcdef" for ch in sha.lower()) or len(sha) < 7:
        return False
    try:
        _git(root, "fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", sha)
    except GitError:
        return False
    return has_commit(root, sha)
