"""Every file the review writes (SARIF, findings file, reports) goes through this module.

The action runs as root in a container whose workspace holds the pull request's files. A pull
request can commit a symbolic link, a directory or a forged report at the very name the action
writes to. So, before the review starts, `clear_planted_outputs` removes whatever the pull request
committed at each output name (a link is unlinked, never followed; a directory is refused with a
clear error), so a run that crashes leaves nothing forged for an `if: always()` upload step; and
`write_output_file` creates each output with `O_CREAT|O_EXCL|O_NOFOLLOW` after checking that no
directory between the workspace and the file is a link. Outputs stay in the workspace: a container
action cannot rely on `RUNNER_TEMP` being mounted.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import TextIO


class OutputFileError(Exception):
    """An output cannot be written safely; the message names it and says why."""


def _inside(path: Path, workspace: Path) -> tuple[str, ...] | None:
    """The parts of `path` under `workspace` (both absolute, not resolved), or None outside it."""
    try:
        return Path(os.path.normpath(path)).relative_to(os.path.normpath(workspace)).parts
    except ValueError:
        return None


def _check_parents(path: Path, workspace: Path | None, create: bool) -> None:
    """No directory between `workspace` and `path` may be a link; missing ones are created
    (each with mkdir, never through a link) when `create`."""
    if workspace is None:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return
    parts = _inside(path, workspace)
    if parts is None:
        # An absolute path the workflow author chose: theirs to trust, not the pull request's.
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return
    current = Path(os.path.normpath(workspace))
    for part in parts[:-1]:
        current = current / part
        try:
            status = os.lstat(current)
        except FileNotFoundError:
            if not create:
                return
            os.mkdir(current, 0o755)
            continue
        if stat.S_ISLNK(status.st_mode):
            raise OutputFileError(f"{current} is a symbolic link committed in the workspace; "
                                  "no output is written through it")
        if not stat.S_ISDIR(status.st_mode):
            raise OutputFileError(f"{current} is not a directory, so {path.name} cannot be written under it")


def remove_planted_output(path: Path, workspace: Path) -> None:
    """Remove what stands at `path` (inside `workspace`) before the review writes there: a file or
    a link is unlinked (a link is never followed); a directory is refused with OutputFileError.
    A path outside the workspace is the workflow author's choice and is left alone."""
    if _inside(path, workspace) is None:
        return
    _check_parents(path, workspace, create=False)
    try:
        status = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISDIR(status.st_mode):
        raise OutputFileError(f"{path} is a directory; the review writes a file there and does not remove "
                              "a directory, so choose another output name")
    os.unlink(path)


def clear_planted_outputs(paths: list[Path], workspace: Path) -> None:
    """Before anything else runs: remove every output name the pull request may have committed."""
    for path in paths:
        remove_planted_output(path, workspace)


def write_output_file(path: Path, content: str, workspace: Path | None = None) -> None:
    """Write `content` (UTF-8) to `path`; inside `workspace`, never through a symbolic link.

    Inside the workspace (which holds the pull request's files), whatever stands at `path` is
    removed first (see `remove_planted_output`), every directory between the workspace and
    `path` is checked not to be a link (and created, when missing, one level at a time), and the
    file is opened with `O_CREAT|O_EXCL|O_NOFOLLOW`, so a link planted between the two steps
    makes the write fail instead of writing elsewhere. A path outside the workspace, or with no
    workspace, was chosen by whoever runs the review (`--output`, an absolute `sarif-file`): it
    is written as given.
    """
    if workspace is None or _inside(path, workspace) is None:
        _check_parents(path, None, create=True)
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(content)
        except OSError as exc:
            raise OutputFileError(f"{path} could not be written ({exc.strerror or exc})") from None
        return
    _check_parents(path, workspace, create=True)
    remove_planted_output(path, workspace)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as exc:
        raise OutputFileError(f"{path} could not be created safely ({exc.strerror or exc})") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)


def _streams_through(path: Path) -> bool:
    """Whether `path` (followed, as whoever runs the review chose it) is something other than a
    regular file or a directory: a device, a pipe or a socket, written to as it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


class OutputStream:
    """A report written in pieces (`scan --output`: a path whoever runs the review chose, as in
    `write_output_file` with no workspace), so a report of tens of megabytes is never one string.

    The pieces go to a new file beside `path` (created with O_EXCL, never through a link), which
    `close` renames onto `path`: a report that fails part way leaves no half-written JSON where a
    later step would read a whole one, and whatever stood at `path` before stays until the new
    report is complete. `discard` removes the partial file; a failure is an OutputFileError.

    A `path` that is no regular file (`/dev/null`, `/dev/stdout`, a named pipe a later step
    reads) is written straight through: a rename would put a file in the place of the device or
    pipe (as root, `--output /dev/null` replaced the machine's `/dev/null` with a report).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: TextIO | None = None
        self.partial: Path | None = None

    def write(self, text: str) -> None:
        try:
            if self.handle is None and _streams_through(self.path):
                self.handle = open(self.path, "w", encoding="utf-8")
            if self.handle is None:
                _check_parents(self.path, None, create=True)
                descriptor, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial",
                                                    dir=self.path.parent)
                self.partial = Path(name)
                os.fchmod(descriptor, 0o644)
                self.handle = os.fdopen(descriptor, "w", encoding="utf-8")
            self.handle.write(text)
        except OSError as exc:
            raise OutputFileError(f"{self.path} could not be written ({exc.strerror or exc})") from None

    def close(self) -> None:
        """Finish the report: the partial file becomes `path` (an empty report is written too)."""
        try:
            if self.handle is None:
                self.write("")
            handle, partial = self.handle, self.partial
            self.handle = None
            assert handle is not None
            handle.close()
            if partial is not None:
                os.replace(partial, self.path)
            self.partial = None
        except OSError as exc:
            self.discard()
            raise OutputFileError(f"{self.path} could not be written ({exc.strerror or exc})") from None

    def discard(self) -> None:
        """Remove what a report that failed part way had written (`path` itself is untouched)."""
        handle, partial = self.handle, self.partial
        self.handle = self.partial = None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        if partial is not None:
            with contextlib.suppress(OSError):
                os.unlink(partial)
