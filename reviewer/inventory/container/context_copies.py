"""Which files of its build context an image holds: what its Dockerfile copies, not the whole folder.

An image function's code folder is its build context (or the folder of it the handler is
imported from), and the context is often far wider than the image: `backend/` holding the API's
`app/` beside an ECS task's `embedding/` and the tests, of which the Dockerfile copies only
`COPY ./app ./app`. A file the image does not hold is no code of the function, as a file a
Serverless service's `package.patterns` leave out is none of its functions': the image's copies
become the function's `PackageContents`, so bandit names the function only as the owner of files
the image ships.

Only the stages the built image is made of count (`contributing_stages`: the built stage, those
it builds `FROM`, those it copies files from), as a builder stage's output carries the sources it
copied. A copy of the whole context (`COPY . .`), a source the review cannot resolve (a build
argument, `..`), or a bind mount of the context into a `RUN` (`pip install .` from it) leaves the
function every file of the folder, as before. The Dockerfile is read as data, never built.
"""

from __future__ import annotations

import posixpath
from typing import Protocol, Sequence

from reviewer.model import Function, Location, PackageContents
from reviewer.path_globs import Glob, is_valid_segment
from reviewer.workspace import Workspace

MAX_SOURCES = 200
# `properties` key: (build context, the sources its Dockerfile copies) of an image function,
# turned into its `PackageContents` once the inventory is read (`ship_copied_files`).
COPIES_PROPERTY = "ContextCopies"
_GLOB_CHARACTERS = frozenset("*?[")


class _StageLike(Protocol):
    name: str | None
    base: str
    copied_from: list[str]


def contributing_stages(stages: Sequence[_StageLike], built: int) -> list[int]:
    """The indexes of the built stage and of those its image is made of: `FROM` an earlier stage,
    `COPY --from=` one (by name or index), in order."""
    if not 0 <= built < len(stages):
        return []
    by_name = {stage.name: index for index, stage in enumerate(stages) if stage.name}
    wanted, queue = {built}, [built]
    while queue:
        index = queue.pop()
        stage = stages[index]
        for reference in (stage.base, *stage.copied_from):
            other = by_name.get(reference, int(reference) if reference.isdigit() else None)
            if other is not None and other < index and other not in wanted:
                wanted.add(other)
                queue.append(other)
    return sorted(wanted)


class _Stage:
    """One build stage: what it is built `FROM`, the stages it copies from, and the context paths
    it copies (None once it takes the whole context or a path the review cannot resolve)."""

    def __init__(self, name: str | None, base: str) -> None:
        self.name, self.base = name, base
        self.copied_from: list[str] = []
        self.sources: list[str] | None = []

    def add(self, source: str | None) -> None:
        if self.sources is None:
            return
        if source is None or len(self.sources) >= MAX_SOURCES:
            self.sources = None
        elif source not in self.sources:
            self.sources.append(source)


def copied_sources(instructions: Sequence[tuple[str, list[str] | None]], built: int) -> tuple[str, ...] | None:
    """The build-context paths (globs kept) the image built from stage `built` (its index among
    the `FROM`s) copies, or None when it may hold any file of the context. `instructions` are
    (KEYWORD, its words) in order, the words None when they do not parse."""
    stages: list[_Stage] = []
    for keyword, words in instructions:
        if keyword == "FROM":
            plain = [word for word in words or [] if not word.startswith("--")]
            name = plain[2].lower() if len(plain) >= 3 and plain[1].lower() == "as" else None
            stages.append(_Stage(name, plain[0].lower() if plain else ""))
        elif stages and keyword in ("COPY", "ADD"):
            _copy(stages[-1], words)
        elif stages and keyword == "RUN":
            _mounts(stages[-1], words)
    found: dict[str, None] = {}         # in order, once each, at most MAX_SOURCES in all
    for index in contributing_stages(stages, built):
        sources = stages[index].sources
        if sources is None:
            return None
        found.update(dict.fromkeys(sources))
        if len(found) > MAX_SOURCES:
            return None
    return tuple(found) if found else None


def _copy(stage: _Stage, words: list[str] | None) -> None:
    if words is None:
        stage.add(None)
        return
    built = next((word.partition("=")[2].lower() for word in words if word.startswith("--from=")), None)
    if built is not None:
        stage.copied_from.append(built)
        return
    plain = [word for word in words if not word.startswith("--")]
    for source in plain[:-1]:
        if source.startswith("<<") or "://" in source or source.startswith("git@"):
            continue                    # a heredoc's text, or fetched by `ADD <url>`: no file of the context
        stage.add(_context_path(source))


def _mounts(stage: _Stage, words: list[str] | None) -> None:
    """`RUN --mount=type=bind,source=src,target=/src ...`: the build reads `src` of the context and
    may put what it builds from it in the image; a bind mount without a source is the whole context."""
    for word in words or []:
        if not word.startswith("--"):
            break
        if not word.startswith("--mount="):
            continue
        options = dict(part.partition("=")[::2] for part in word[len("--mount="):].split(","))
        if options.get("type") != "bind" or "from" in options:
            continue
        stage.add(_context_path(options.get("source") or options.get("src") or "."))


def _context_path(source: str) -> str | None:
    """A source as a normal path in the build context (Docker reads `/app` as the context's `app`);
    None for the whole context, one leaving it, or one the review cannot resolve (a build argument)."""
    path = posixpath.normpath(source.strip("\"'").lstrip("/") or ".")
    if "$" in path or path in (".", "..") or path.startswith("../"):
        return None
    if _GLOB_CHARACTERS & set(path) and not all(is_valid_segment(part) for part in path.split("/")):
        return None
    return path


def ship_copied_files(workspace: Workspace, functions: Sequence[Function]) -> None:
    """Give each image function whose Dockerfile's copies are known (`COPIES_PROPERTY`) the
    package they make: only those files of its build context. Left alone when a copied path is
    not in the repository (the image is built from another context than the one the review
    took: the copies would then name no file, and the function would ship nothing), and for a
    function whose code folder is not in that context."""
    for function in functions:
        if function.package_contents is not None:
            continue
        recorded = function.properties.get(COPIES_PROPERTY)
        if not (isinstance(recorded, tuple) and len(recorded) == 3):
            continue
        context, sources, location = recorded
        if not function.code_path or not _under(function.code_path, context):
            continue                    # its code is not read from the image's context
        if all(_GLOB_CHARACTERS & set(source) or workspace.exists(_join(context, source)) for source in sources):
            function.package_contents = copied_package(context, sources, location)


def copied_package(context: str, sources: Sequence[str], location: Location) -> PackageContents:
    """Nothing of the context but the copied paths and everything under them."""
    globs: tuple[Glob, ...] = tuple((*source.split("/"), "**") for source in sources)
    return PackageContents(context or ".", ((False, (("**",),)), (True, globs)), location, image=True)


def _under(path: str, folder: str) -> bool:
    return folder in ("", ".") or path == folder or path.startswith(folder.rstrip("/") + "/")


def _join(context: str, source: str) -> str:
    return source if context in ("", ".") else f"{context}/{source}"


__all__ = ["COPIES_PROPERTY", "contributing_stages", "copied_package", "copied_sources", "ship_copied_files"]
