"""Reading other revisions from git objects, never touching the workspace.

A revision is exported blob by blob (`git ls-tree` lists the tree, `git cat-file --batch` streams
the contents), not with `git archive`: archive obeys the revision's own `.gitattributes`, so a
pull request could hide files from its review with `export-ignore` or rewrite them with
`export-subst`. Only regular files are written; symbolic links are never created (the review never
follows one), and those that lead outside the repository are returned so the scan can say so.
Diffs run with external diff drivers and text conversion switched off.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path, PurePosixPath


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


_LINK_MODE = b"120000"
_COPY_CHUNK = 1024 * 1024


# What an export holds: each regular file or link by its path, with (object id, mode).
Listing = dict[bytes, tuple[bytes, bytes]]


def list_revision(root: Path, rev: str) -> Listing:
    """The blobs of `rev` (files and links) by path; submodules and unsafe names are left out."""
    commit = resolve(root, rev)
    listing: Listing = {}
    for record in _git(root, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        fields = meta.split(b" ")
        if not tab or len(fields) != 3 or fields[1] != b"blob" or not _safe_tree_path(path):
            continue                                       # submodules (commit entries), malformed names
        listing[path] = (fields[2], fields[0])
    return listing


def export_revision(root: Path, rev: str, destination: Path,
                    previous: Listing | None = None) -> tuple[list[str], Listing]:
    """Write the files of `rev` into `destination`; return (links leading outside, what it holds).

    `destination` is empty, or holds the export whose listing is `previous`: then only the files
    that differ are removed or rewritten, so a pull request's base costs what its change touched
    rather than a second export of the repository. Symbolic links are never created; those whose
    target leaves the repository are returned. Entries whose path could leave `destination` are
    skipped.
    """
    commit = resolve(root, rev)
    listing = list_revision(root, commit)
    if previous is not None:
        _remove_changed(destination, previous, listing)
    wanted = [(object_id, mode, path) for path, (object_id, mode) in listing.items()
              if mode == _LINK_MODE or previous is None or previous.get(path) != (object_id, mode)]
    return _write_blobs(root, commit, wanted, destination), listing


def _remove_changed(destination: Path, previous: Listing, listing: Listing) -> None:
    """Delete the files of `previous` that `listing` drops or changes, and directories left empty."""
    base = os.fsencode(destination)
    emptied: set[bytes] = set()
    for path, entry in previous.items():
        if listing.get(path) == entry or not entry[1].startswith(b"100"):
            continue
        try:
            os.remove(os.path.join(base, path))
        except FileNotFoundError:
            pass
        emptied.add(os.path.dirname(path))
    for directory in sorted(emptied, key=len, reverse=True):
        while directory:
            try:
                os.rmdir(os.path.join(base, directory))
            except OSError:
                break                                      # not empty (or already gone): stop climbing
            directory = os.path.dirname(directory)


def _write_blobs(root: Path, commit: str, files: list[tuple[bytes, bytes, bytes]], destination: Path) -> list[str]:
    """Stream `files` (object id, mode, path) out of `git cat-file --batch`; links are only read."""
    escaping: list[str] = []
    if not files:
        return escaping
    command = ["git", "-c", "safe.directory=*", "-C", str(root), "cat-file", "--batch"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None

    def feed() -> None:
        try:
            for object_id, _, _ in files:
                process.stdin.write(object_id + b"\n")  # type: ignore[union-attr]
            process.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    base = os.fsencode(destination)
    try:
        for object_id, mode, path in files:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(f"git cat-file could not read {os.fsdecode(path)!r} of {commit[:12]}")
            size = int(header[2])
            if mode == _LINK_MODE:
                target = process.stdout.read(size)
                if _link_leaves(path, target):
                    escaping.append(os.fsdecode(path))
            elif mode.startswith(b"100"):                  # 100644, 100755: regular files
                _copy_blob(process.stdout, size, os.path.join(base, path))
            else:
                process.stdout.read(size)
            process.stdout.read(1)                         # the newline after each object
    except (OSError, ValueError) as exc:
        raise GitError(f"the files of {commit[:12]} could not be exported: {exc}") from None
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        writer.join(timeout=5)
    return escaping


def _safe_tree_path(path: bytes) -> bool:
    """A tree path that stays inside the export directory (git refuses others; a forged tree might not)."""
    parts = path.split(b"/")
    return bool(path) and not path.startswith(b"/") and all(
        part not in (b"", b".", b"..") and part.lower() != b".git" for part in parts)


def _link_leaves(path: bytes, target: bytes) -> bool:
    """Whether a symbolic link at `path` with `target` points outside the repository root."""
    if target.startswith(b"/"):
        return True
    depth = 0
    for part in PurePosixPath(os.fsdecode(path)).parent.parts + PurePosixPath(os.fsdecode(target)).parts:
        if part in ("", "."):
            continue
        depth = depth - 1 if part == ".." else depth + 1
        if depth < 0:
            return True
    return False


def _copy_blob(stream, size: int, target: bytes) -> None:  # type: ignore[no-untyped-def]
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        remaining = size
        while remaining:
            chunk = stream.read(min(_COPY_CHUNK, remaining))
            if not chunk:
                raise ValueError("the object stream ended early")
            handle.write(chunk)
            remaining -= len(chunk)


def unified_diff(root: Path, base: str, head: str, max_file_size: int | None = None) -> str:
    """`git diff base head` as text, without external drivers or text conversion.

    Files larger than `max_file_size` are diffed as binary (`core.bigFileThreshold`): the review
    skips them anyway, and a 50 MB file would otherwise mean 50 MB of patch text to parse.
    """
    threshold = ["-c", f"core.bigFileThreshold={max_file_size}"] if max_file_size else []
    output = _git(root, *threshold, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--unified=3",
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


def file_at(root: Path, rev: str, path: str, limit: int = 1024 * 1024) -> str | None:
    """The text of `path` in commit `rev`, or None when it is absent, too large or not text."""
    if path.startswith(("-", "/")) or ".." in path.split("/"):
        return None
    try:
        commit = resolve(root, rev)
        size = int(_git(root, "cat-file", "-s", f"{commit}:{path}").strip() or 0)
        if size > limit:
            return None
        return _git(root, "cat-file", "blob", f"{commit}:{path}").decode("utf-8")
    except (GitError, ValueError, UnicodeDecodeError):
        return None
