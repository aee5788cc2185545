"""Which dependency files of the build context a Dockerfile installs into the image.

An image function has no code folder the dependency audit would read on its own: what it ships
is what its Dockerfile installs (`COPY requirements.txt .` then `RUN pip install -r
requirements.txt`). The Dockerfile is read as data, never run: a dependency file copied from the
build context (`requirements.txt`, `pyproject.toml`, a lock; not a development requirements
file), and the file a `RUN` installs with `-r`/`--requirement` wherever a copy put it
(`COPY services/api/ ./` then `pip install -r requirements.txt`, whatever its name:
`Docker.requirements.txt`). Only the stages the built image is made of count: the built stage,
the stages it builds `FROM`, and those it copies files from (`COPY --from=builder`).
"""

from __future__ import annotations

import json
import posixpath
import shlex
from dataclasses import dataclass, field
from typing import Sequence

from reviewer.code.dependency_names import is_dependency_file_name
from reviewer.inventory.container.context_copies import contributing_stages
from reviewer.inventory.container.task_root import TASK_ROOT, working_directory

MAX_FILES = 20
MAX_WORDS = 200
_REQUIREMENT_OPTIONS = ("-r", "--requirement")
_TASK_ROOT_SPELLINGS = ("${LAMBDA_TASK_ROOT}", "$LAMBDA_TASK_ROOT")


@dataclass
class _Copy:
    """One `COPY`/`ADD` of the build context: its sources and where they land in the image."""

    sources: tuple[str, ...]
    destination: str            # absolute, normalised
    into_folder: bool           # the destination is a folder (`./`, `/app/`, several sources)


@dataclass
class _Stage:
    """One build stage: its name, what it is built `FROM`, and what its instructions copy and install."""

    name: str | None
    base: str
    workdir: str = TASK_ROOT
    copies: list[_Copy] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)
    copied_from: list[str] = field(default_factory=list)   # `--from=` stage names or indexes


def installed_dependency_files(instructions: Sequence[tuple[str, str]], built: int) -> tuple[str, ...]:
    """The build-context paths of the dependency files the image built from stage `built` (its
    index among the `FROM`s) installs; `instructions` are (KEYWORD, arguments) in order."""
    stages: list[_Stage] = []
    for keyword, arguments in instructions:
        if keyword == "FROM":
            words = [word for word in arguments.split() if not word.startswith("--")]
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(_Stage(name, words[0].lower() if words else ""))
        elif stages and keyword == "WORKDIR":
            stages[-1].workdir = working_directory(arguments, stages[-1].workdir)
        elif stages and keyword in ("COPY", "ADD"):
            _copy(stages[-1], arguments)
        elif stages and keyword == "RUN":
            _run(stages[-1], arguments)
    found: list[str] = []
    for stage in _contributing(stages, built):
        found.extend(path for path in stage.installed if path not in found)
    return tuple(found[:MAX_FILES])


def _contributing(stages: list[_Stage], built: int) -> list[_Stage]:
    """The built stage and those its image is made of: `FROM` an earlier stage, `COPY --from=` one."""
    return [stages[index] for index in contributing_stages(stages, built)]


def _copy(stage: _Stage, arguments: str) -> None:
    words = _words(arguments)
    if words is None:
        return
    built = next((word.partition("=")[2].lower() for word in words if word.startswith("--from=")), None)
    if built is not None:
        stage.copied_from.append(built)
        return
    words = [word for word in words if not word.startswith("--")]
    if len(words) < 2:
        return
    *sources, destination = words
    target = _absolute(destination, stage.workdir)
    if target is None or any("://" in source for source in sources):
        return
    into_folder = destination.endswith("/") or destination in (".", "./") or len(sources) > 1
    stage.copies.append(_Copy(tuple(sources), target, into_folder))
    for source in sources:
        inside = _inside_context(source)
        if inside is not None and is_dependency_file_name(posixpath.basename(inside)):
            _add(stage, inside)


def _run(stage: _Stage, arguments: str) -> None:
    """`pip install -r requirements.txt` (`pip3`, `python -m pip`, `uv pip`): the file, traced back
    to the copy that put it in the image."""
    for words in _commands(_words(arguments) or []):
        _requirements(stage, words)


def _commands(words: list[str]) -> list[list[str]]:
    """The installing commands of a `RUN` (split at `&&`, `;`, `||`, `|`): those that `install` or
    `sync` with pip or uv (`rm -rf` is no `-r`)."""
    commands: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", "||", ";", "|"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [command for command in commands
            if any(word in ("install", "sync") for word in command)
            and any(posixpath.basename(word).startswith("pip") or word == "uv" for word in command)]


def _requirements(stage: _Stage, words: list[str]) -> None:
    for index, word in enumerate(words):
        if word in _REQUIREMENT_OPTIONS and index + 1 < len(words):
            path = words[index + 1]
        elif word.startswith("--requirement="):
            path = word.partition("=")[2]
        elif word.startswith("-r") and len(word) > 2 and not word.startswith("-r="):
            path = word[2:]
        else:
            continue
        target = _absolute(path, stage.workdir)
        source = _copied_from(stage.copies, target) if target is not None else None
        if source is not None:
            _add(stage, source)


def _copied_from(copies: list[_Copy], target: str) -> str | None:
    """The build-context path the last copy that wrote `target` took it from."""
    for copy in reversed(copies):
        for source in copy.sources:
            inside = _inside_context(source)
            if inside is None or any(character in source for character in "*?["):
                continue
            if not copy.into_folder and copy.destination == target:
                return inside                   # `COPY reqs/prod.txt /tmp/requirements.txt`
            if posixpath.join(copy.destination, posixpath.basename(inside)) == target and inside != ".":
                return inside                   # `COPY services/api/requirements.txt ./`
            if target.startswith(copy.destination.rstrip("/") + "/") and _folder_like(source):
                rest = target[len(copy.destination.rstrip("/")) + 1:]
                return posixpath.normpath(posixpath.join(inside, rest))   # `COPY services/api/ ./`
    return None


def _folder_like(source: str) -> bool:
    name = posixpath.basename(source.rstrip("/"))
    return source.endswith("/") or source in (".", "./") or "." not in name


def _inside_context(source: str) -> str | None:
    """A source as a normal path inside the build context, or None (outside it, a variable)."""
    path = posixpath.normpath(source.strip("\"'"))
    if "$" in path or posixpath.isabs(path) or path == ".." or path.startswith("../"):
        return None
    return path


def _absolute(path: str, workdir: str) -> str | None:
    for spelling in _TASK_ROOT_SPELLINGS:
        path = path.replace(spelling, TASK_ROOT)
    if "$" in path:
        return None
    return posixpath.normpath(posixpath.join(workdir, path.strip("\"'")))


def _add(stage: _Stage, path: str) -> None:
    if path not in stage.installed and len(stage.installed) < MAX_FILES:
        stage.installed.append(path)


def instruction_words(arguments: str) -> list[str] | None:
    """An instruction's arguments as words (exec form or shell words); None when they do not parse."""
    return _words(arguments)


def _words(arguments: str) -> list[str] | None:
    text = arguments.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return [str(item) for item in value[:MAX_WORDS]] if isinstance(value, list) else None
    try:
        return shlex.split(text, comments=False, posix=True)[:MAX_WORDS]
    except ValueError:
        return None


__all__ = ["installed_dependency_files", "instruction_words"]
