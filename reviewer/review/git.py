"""Reading other revisions from git objects, never touching the workspace.

A revision is read blob by blob (`git ls-tree` lists the tree, one `git cat-file --batch` process
answers for the contents), not with `git archive`: archive obeys the revision's own
`.gitattributes`, so a pull request could hide files from its review with `export-ignore` or
rewrite them with `export-subst`. Nothing is written to disk (`reviewer.review.revision_tree`).
Diffs run with external diff drivers and text conversion switched off.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from typing import IO, Callable


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


# Full commit ids already found in a repository: an id names the same commit for good, and a
# review asks about its two commits a dozen times (each a `git rev-parse` process).
_KNOWN_COMMITS: set[tuple[str, str]] = set()
_FULL_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def resolve(root: Path, rev: str) -> str:
    """The full commit id of `rev`; GitError when the commit is not in the local repository."""
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    if (str(root), rev) in _KNOWN_COMMITS:
        return rev
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    if _FULL_ID.fullmatch(commit):
        _KNOWN_COMMITS.add((str(root), commit))
    return commit


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


LINK_MODE = b"120000"
_READ_CHUNK = 1024 * 1024


# A revision's tree: each regular file or link by its path, with (object id, mode, size in bytes).
Listing = dict[bytes, tuple[bytes, bytes, int]]


def tracked_names(root: Path, rev: str | None) -> list[str]:
    """The paths of `rev`'s tree, or of the index when `rev` is None (no blob is read)."""
    if rev is None:
        output = _git(root, "ls-files", "-z")
    else:
        output = _git(root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", resolve(root, rev))
    return [os.fsdecode(path) for path in output.split(b"\0") if path]


# The size of a listed blob that was not asked for (`list_revision(..., sizes=False)`).
UNKNOWN_SIZE = -1


# Listings without sizes already made, by (repository, commit id): an id names the same tree for
# good, and a review lists its head twice (the early audit's look for dependency files, then the
# head's tree). The last few are kept; callers only read them.
_LISTED: OrderedDict[tuple[str, str], Listing] = OrderedDict()
MAX_REMEMBERED_LISTINGS = 4


def list_revision(root: Path, rev: str, sizes: bool = True) -> Listing:
    """The blobs of `rev` (files and links) by path; submodules and unsafe names are left out.

    Without `sizes`, each size is UNKNOWN_SIZE: git then reads no object but the trees, where
    looking up every blob's size costs a file read per loose object (`blob_sizes` asks for some).
    Such a listing of a commit id is made once per run (the caller must not change it).
    """
    commit = resolve(root, rev)
    key = (str(root), commit)
    if not sizes and key in _LISTED:
        _LISTED.move_to_end(key)
        return _LISTED[key]
    listing: Listing = {}
    fields_wanted = 4 if sizes else 3
    for record in _git(root, "ls-tree", "-r", *(["-l"] if sizes else []), "-z", "--full-tree", commit).split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        fields = meta.split()
        if not tab or len(fields) != fields_wanted or fields[1] != b"blob" \
                or (sizes and not fields[3].isdigit()) or not _safe_tree_path(path):
            continue                                       # submodules (commit entries), malformed names
        listing[path] = (fields[2], fields[0], int(fields[3]) if sizes else UNKNOWN_SIZE)
    if not sizes and _FULL_ID.fullmatch(commit):
        _LISTED[key] = listing
        while len(_LISTED) > MAX_REMEMBERED_LISTINGS:
            _LISTED.popitem(last=False)
    return listing


def blob_sizes(root: Path, object_ids: list[bytes]) -> dict[bytes, int]:
    """The size of each blob named (one `git cat-file --batch-check` exchange); missing ones are left out."""
    return start_blob_sizes(root, object_ids)()


def wait_for_exit(process: "subprocess.Popen[bytes]", timeout: float) -> int:
    """`process.wait(timeout)` that returns as soon as the process ends. Python's own wait with a
    timeout polls with sleeps that double up to 50 ms, so a git process that ended just after a
    sleep began kept the review waiting for the rest of it; a pidfd (Linux) is ready the moment
    the process ends. Elsewhere, or when the process is already collected, Python's wait."""
    try:
        descriptor = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        return process.wait(timeout=timeout)
    try:
        ready, _, _ = select.select([descriptor], [], [], timeout)
    finally:
        os.close(descriptor)
    if not ready:
        raise subprocess.TimeoutExpired(process.args, timeout)
    return process.wait()


def start_blob_sizes(root: Path, object_ids: list[bytes]) -> Callable[[], dict[bytes, int]]:
    """`blob_sizes`, with git started now and working on its own (its question and its answer are
    temporary files, so no pipe fills while nobody reads it); the returned callable waits for the
    answer (GitError then when git failed)."""
    if not object_ids:
        return dict
    command = ["git", "-c", "safe.directory=*", "-C", str(root), "cat-file", "--batch-check"]
    question, answer = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    try:
        question.write(b"".join(oid + b"\n" for oid in object_ids))
        question.seek(0)
        process = subprocess.Popen(command, stdin=question, stdout=answer, stderr=subprocess.DEVNULL)
    except OSError as exc:
        answer.close()
        raise GitError(f"git cat-file could not run: {exc}") from None
    finally:
        question.close()

    def sizes() -> dict[bytes, int]:
        with answer:
            try:
                returncode = wait_for_exit(process, timeout=300)
            except subprocess.TimeoutExpired as exc:
                process.kill()
                process.wait()
                raise GitError(f"git cat-file could not run: {exc}") from None
            if returncode != 0:
                raise GitError(f"git cat-file failed: exit {returncode}")
            answer.seek(0)
            output = answer.read()
        found: dict[bytes, int] = {}
        for line in output.splitlines():
            fields = line.split()
            if len(fields) == 3 and fields[1] == b"blob" and fields[2].isdigit():
                found[fields[0]] = int(fields[2])
        return found

    return sizes


# Environment variables that change how git reads a pathspec: a wildcard read literally would
# match nothing, and `files_containing` would then report every file as lacking its needles.
_PATHSPEC_VARIABLES = ("GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS")
# Larger than any file the review reads: git must search each blob whole, never skip it as binary.
_GREP_BIG_FILE = 1 << 40


def files_containing(root: Path, commit: str | None, needles: list[bytes], pathspecs: list[str]
                     ) -> Callable[[], set[str]]:
    """The paths of `commit`'s files (None: the tracked files of the checkout, as they are on disk)
    that `pathspecs` name and whose bytes hold at least one of `needles`, found by one `git grep`
    (fixed strings, every file read as text, no text conversion): a file git reports nothing for
    holds none of them. git starts now; the answer is waited for when the returned callable is
    called (GitError then when git failed)."""
    if not needles or not pathspecs:
        return lambda: set()
    command = ["git", "-c", "safe.directory=*", "-c", "core.fsmonitor=false",
               "-c", f"core.bigFileThreshold={_GREP_BIG_FILE}", "-C", str(root),
               "grep", "-l", "-z", "-a", "-F", "--no-textconv", "--no-color", "--full-name",
               "--no-recurse-submodules", *[part for needle in needles for part in ("-e", os.fsdecode(needle))],
               *([commit] if commit is not None else []), "--", *pathspecs]
    environment = {key: value for key, value in os.environ.items() if key not in _PATHSPEC_VARIABLES}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env=environment)
    except OSError as exc:
        raise GitError(f"git grep could not run: {exc}") from None

    def answer() -> set[str]:
        try:
            output, _ = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise GitError("git grep could not run: it took too long") from None
        if process.returncode not in (0, 1) or (process.returncode == 1 and output):
            raise GitError(f"git grep failed: exit {process.returncode}")   # 1 is "nothing found"
        prefix = commit.encode("ascii") + b":" if commit is not None else b""
        found: set[str] = set()
        for name in output.split(b"\0"):
            if name:
                if not name.startswith(prefix):
                    raise GitError("git grep answered with a name outside the commit")
                found.add(os.fsdecode(name[len(prefix):]))
        return found

    return answer


def checkout_files(root: Path) -> set[str]:
    """The regular files the index tracks in the checkout at `root` that git reads from disk (not
    those marked skip-worktree): what `files_containing(root, None, ...)` searches. GitError when
    `root` is not the top of its repository."""
    if _git(root, "rev-parse", "--show-prefix").strip():
        raise GitError("the checkout is not the top of its repository")
    files: set[str] = set()
    for record in _git(root, "ls-files", "-t", "-s", "-z").split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        fields = meta.split()
        if tab and len(fields) == 4 and fields[0] == b"H" and fields[1] in (b"100644", b"100755") \
                and fields[3] == b"0" and _safe_tree_path(path):
            files.add(os.fsdecode(path))
    return files


def changed_in_checkout(root: Path, rev: str) -> set[str]:
    """Paths where the checkout at `root` differs from `rev`: tracked files changed, added or
    removed since it (renames as a removal and an addition), and untracked ones (an untracked
    directory is named once, with a trailing `/`)."""
    commit = resolve(root, rev)
    if _git(root, "rev-parse", "--show-prefix").strip():
        raise GitError("the checkout is not the top of its repository")
    changed = _git(root, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
                   "--ignore-submodules=none", commit, "--")
    untracked = _git(root, "ls-files", "--others", "--directory", "--full-name", "-z")
    return {os.fsdecode(path) for path in changed.split(b"\0") + untracked.split(b"\0") if path}


class BlobReader:
    """One `git cat-file --batch` process, asked for one object at a time (thread-safe).

    An object larger than the caller's limit is streamed past, never held in memory.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._lock = threading.Lock()

    def read(self, object_id: bytes, limit: int, start: int = 0) -> tuple[int, bytes | None]:
        """(size, content) of a blob; when the size exceeds `limit`, content is its first `start`
        bytes (the rest streamed past), or None when `start` is 0."""
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(object_id + b"\n")
                process.stdin.flush()
                answer = _read_answer(process.stdout, limit, start)
            except (OSError, ValueError) as exc:
                self._stop()
                raise GitError(f"git cat-file stopped answering: {exc}") from None
        if answer is None:
            raise GitError(f"git cat-file has no blob {object_id.decode('ascii', 'replace')[:12]}")
        return answer

    def read_start(self, object_id: bytes, size: int) -> bytes:
        """The first `size` bytes of a blob of any size."""
        _, data = self.read(object_id, size, start=size)
        return data or b""

    def read_many(self, object_ids: list[bytes], limit: int) -> list[tuple[int, bytes | None] | None]:
        """The answers to `read` for many blobs in one exchange (requests written while answers
        are read): None for a missing object or one that is not a blob."""
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            stdin: IO[bytes] = process.stdin
            requests = b"".join(object_id + b"\n" for object_id in object_ids)

            def feed() -> None:
                try:
                    stdin.write(requests)
                    stdin.flush()
                except OSError:
                    pass                                   # the reading side reports it

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            answers: list[tuple[int, bytes | None] | None] = []
            try:
                for _ in object_ids:
                    answers.append(_read_answer(process.stdout, limit))
            except (OSError, ValueError) as exc:
                self._stop()
                raise GitError(f"git cat-file stopped answering: {exc}") from None
            finally:
                writer.join(timeout=30)
            return answers

    def _started(self) -> subprocess.Popen[bytes]:
        if self._closed:
            raise GitError("the revision is no longer open")
        if self._process is None:
            command = ["git", "-c", "safe.directory=*", "-C", str(self.root), "cat-file", "--batch"]
            try:
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=subprocess.DEVNULL)
            except OSError as exc:
                raise GitError(f"git cat-file could not run: {exc}") from None
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._stop()


def _read_answer(stream: IO[bytes], limit: int, start: int = 0) -> tuple[int, bytes | None] | None:
    """One answer of `git cat-file --batch`, read to its end so the next one starts in place:
    (size, content) of a blob (above `limit`, its first `start` bytes, or None when `start` is 0),
    None for a missing object or one that is not a blob."""
    header = stream.readline().split()
    if len(header) == 2 and header[1] == b"missing":
        return None
    if len(header) != 3:
        raise ValueError("an answer without a header")
    size, is_blob = int(header[2]), header[1] == b"blob"
    keep = None if not is_blob else size if size <= limit else start or None
    data = _read_exactly(stream, size, keep)
    stream.read(1)                                       # the newline after each object
    return (size, data) if is_blob else None


def _read_exactly(stream: IO[bytes], size: int, keep: int | None) -> bytes | None:
    """`size` bytes of `stream`, the first `keep` of them returned (None when `keep` is None),
    the rest read past in chunks."""
    chunks = []
    remaining = size
    while remaining:
        chunk = stream.read(min(_READ_CHUNK, remaining))
        if not chunk:
            raise ValueError("the object stream ended early")
        held = size - remaining
        if keep is not None and held < keep:
            chunks.append(chunk[:keep - held])
        remaining -= len(chunk)
    return None if keep is None else b"".join(chunks)


def _safe_tree_path(path: bytes) -> bool:
    """A tree path a checkout could hold, inside the repository (git refuses others; a forged tree might not)."""
    if (path and not path.startswith((b"/", b".")) and b"/." not in path and b"//" not in path
            and not path.endswith(b"/")):
        return True                     # no part is empty or starts with a dot: nothing below to refuse
    parts = path.split(b"/")
    return bool(path) and not path.startswith(b"/") and all(
        part not in (b"", b".", b"..") and part.lower() != b".git" for part in parts)


def link_leaves(path: bytes, target: bytes) -> bool:
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
