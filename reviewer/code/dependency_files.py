"""The Python dependencies a function ships, read from its dependency files as plain data.

Nothing here installs, builds or imports anything from the repository: a requirement that is not
pinned to one release from an index (a range, a bare name, a local path, a URL, a VCS checkout,
an editable install) is recorded as *not auditable* with the reason, never resolved. Every pin
keeps the file and line that pins it, so a vulnerability can be reported exactly there.

Files read, in the function's code directory: `requirements*.txt` but development ones
(`requirements-dev.txt`, `requirements-test.txt`: `DEVELOPMENT_REQUIREMENTS`) (with `-r`/`-c` includes that
stay inside the workspace), `pyproject.toml` (PEP 621 `[project] dependencies` and Poetry's
`[tool.poetry.dependencies]`), `poetry.lock`, `Pipfile.lock`, `uv.lock` and `pylock.toml`
(PEP 751, also `pylock.<name>.toml`); a uv workspace member without a lock of its own is read
with the workspace root's `uv.lock` (`uv_workspace`). Development-only groups are left out where the file says
which they are (Poetry, Pipfile, uv): they are not deployed with the function.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from reviewer.code.dependency_names import (LOCK_FILE_NAMES, PYLOCK_NAME, REQUIREMENTS_NAME,
                                            is_dependency_file_name)
from reviewer.code.uv_workspace import member_path, uv_packages, workspace_lock
from reviewer.document_errors import JSON, document_error
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.findings import Finding
from reviewer.model import Location
from reviewer.workspace import UnreadableFile, Workspace, unparsed_notice

MAX_INCLUDE_DEPTH = 5
MAX_FILES_PER_DIRECTORY = 32
_VCS_SCHEMES = ("git+", "hg+", "svn+", "bzr+")
_INCLUDE_OPTIONS = {"-r": "requirements", "--requirement": "requirements",
                    "-c": "constraints", "--constraint": "constraints"}
# Every include option holds one of these on one physical line (a continuation joins lines with a
# space): a requirements file whose bytes hold neither includes no other file.
INCLUDE_MARKERS = ("-r", "-c")
_EDITABLE_OPTIONS = ("-e", "--editable")


@dataclass(frozen=True)
class Pin:
    """One requirement pinned to exactly one release, where it is written.

    `name` is the canonical project name and `version` the normalised PEP 440 version, the form
    pip-audit reports them in. `written` is the version as the file spells it and `source_line`
    the physical line, so a suggestion can replace just that token. `kind` says how the line can
    be edited: "requirements" and "pyproject" lines are written by people; "poetry" is a Poetry
    constraint; "lock" lines are generated and are changed by re-locking, not by hand.
    """

    name: str
    version: str
    location: Location
    kind: str
    written: str = ""
    source_line: str = ""
    hashed: bool = False
    display_name: str = ""


@dataclass(frozen=True)
class Unauditable:
    """A requirement the audit cannot check without resolving or building it, which it never does."""

    requirement: str
    reason: str
    location: Location
    name: str = ""


@dataclass
class DependencyFiles:
    """What one code directory declares: pins, requirements that cannot be audited, parse notices."""

    files: list[str] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    unauditable: list[Unauditable] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)


def dependency_file_names(workspace: Workspace, directory: str) -> list[str]:
    """The dependency files directly inside `directory` (regular files, no links), sorted."""
    names = []
    for name, kind in sorted(workspace.entries(directory).items()):
        if not is_dependency_file_name(name):
            continue
        rel = name if directory == "." else f"{directory}/{name}"
        if kind == "link":
            workspace.is_link(rel)                   # never followed; one leading outside is reported
        elif kind == "file" and not workspace.is_excluded(rel):
            names.append(rel)
    names = names[:MAX_FILES_PER_DIRECTORY]
    if any(rel.endswith("pyproject.toml") for rel in names) and not _has_lock(names):
        names += [lock] if (lock := workspace_lock(workspace, directory)) else []   # a uv workspace member
    return names


def read_dependency_files(workspace: Workspace, directory: str, names: list[str] | None = None) -> DependencyFiles:
    """Every pin and unauditable requirement declared by the dependency files of one code directory
    (`names`: its `dependency_file_names`, when the caller listed them already)."""
    result = DependencyFiles()
    names = dependency_file_names(workspace, directory) if names is None else names
    has_lock = _has_lock(names)
    for rel in names:
        name = PurePosixPath(rel).name
        if REQUIREMENTS_NAME.match(name):
            _RequirementsReader(workspace, result).read(rel, "requirements", depth=0)
        elif name == "pyproject.toml":
            _read_pyproject(workspace, rel, result, has_lock)
        elif name == "poetry.lock":
            _read_toml_lock(workspace, rel, result, "package", _poetry_packages)
        elif name == "uv.lock":
            member = member_path(rel, directory) if str(PurePosixPath(rel).parent) != directory else None
            _read_toml_lock(workspace, rel, result, "package", functools.partial(uv_packages, member=member))
        elif name == "Pipfile.lock":
            _read_pipfile_lock(workspace, rel, result)
        elif PYLOCK_NAME.match(name):
            _read_toml_lock(workspace, rel, result, "packages", _pylock_packages)
        else:   # a file a Dockerfile installs with `pip install -r` (`Docker.requirements.txt`)
            _RequirementsReader(workspace, result).read(rel, "requirements", depth=0)
    return result


def _has_lock(names: list[str]) -> bool:
    return any(PurePosixPath(rel).name in LOCK_FILE_NAMES or PYLOCK_NAME.match(PurePosixPath(rel).name) for rel in names)


# --- requirements files -----------------------------------------------------------------------

@dataclass
class _LogicalLine:
    """A requirements line with its continuations joined, and the physical lines it spans."""

    text: str
    line: int
    end_line: int
    first_physical: str


def _logical_lines(text: str) -> list[_LogicalLine]:
    """pip's line model: `\\` continues a line; `#` at the start or after white space starts a comment."""
    lines = text.splitlines()
    result: list[_LogicalLine] = []
    index = 0
    while index < len(lines):
        start = index
        parts = []
        while True:
            physical = lines[index]
            if physical.rstrip().endswith("\\") and index + 1 < len(lines):
                parts.append(physical.rstrip()[:-1])
                index += 1
                continue
            parts.append(physical)
            break
        joined = re.sub(r"(^|\s)#.*$", "", " ".join(parts)).strip()
        if joined:
            result.append(_LogicalLine(joined, start + 1, index + 1, lines[start]))
        index += 1
    return result


class _RequirementsReader:
    """Reads a requirements file and the files it includes, never leaving the workspace."""

    def __init__(self, workspace: Workspace, result: DependencyFiles) -> None:
        self.workspace = workspace
        self.result = result
        self.visited: set[str] = set()

    def read(self, rel: str, role: str, depth: int) -> None:
        if rel in self.visited:
            return
        self.visited.add(rel)
        try:
            text = self.workspace.read_text(rel)
        except UnreadableFile as unreadable:
            self.result.notices.append(unreadable.notice)
            return
        if rel not in self.result.files:
            self.result.files.append(rel)
        for logical in _logical_lines(text):
            location = Location(rel, logical.line, logical.end_line if logical.end_line != logical.line else None)
            if logical.text.startswith("-"):
                self._option(logical, location, rel, role, depth)
            else:
                self._requirement(logical, location, role)

    def _option(self, logical: _LogicalLine, location: Location, rel: str, role: str, depth: int) -> None:
        match = (re.match(r"^(--[A-Za-z-]+)(?:\s*=\s*|\s+|$)(.*)$", logical.text)
                 or re.match(r"^(-[A-Za-z])\s*(.*)$", logical.text))
        if not match:
            return
        option, argument = match.group(1), match.group(2).strip()
        if option in _EDITABLE_OPTIONS:
            self.result.unauditable.append(Unauditable(
                logical.text, "it is an editable install of a local path or a VCS checkout", location))
            return
        if option not in _INCLUDE_OPTIONS or not argument:
            return   # index URLs, --hash on its own line, --pre ...: nothing to audit
        included_role = _INCLUDE_OPTIONS[option]
        if "://" in argument or argument.startswith("file:"):
            self.result.unauditable.append(Unauditable(
                logical.text, "it includes a file from a URL, which the review does not download", location))
            return
        target = self.workspace.resolve(str(PurePosixPath(rel).parent / argument))
        if target is None:
            self.result.unauditable.append(Unauditable(
                logical.text, "the included file is outside the workspace", location))
            return
        if depth + 1 > MAX_INCLUDE_DEPTH:
            self.result.unauditable.append(Unauditable(
                logical.text, f"includes are nested deeper than {MAX_INCLUDE_DEPTH} files", location))
            return
        if self.workspace.crosses_link(target):
            self.read(target, included_role, depth + 1)       # refused by the Workspace: an LR902 notice
            return
        if not self.workspace.exists(target) or self.workspace.is_dir(target):
            self.result.unauditable.append(Unauditable(
                logical.text, "the included file does not exist in the repository", location))
            return
        self.read(target, "constraints" if role == "constraints" else included_role, depth + 1)

    def _requirement(self, logical: _LogicalLine, location: Location, role: str) -> None:
        requirement_text, hashed = _split_requirement_options(logical.text)
        pin, problem = parse_requirement(requirement_text, location, "requirements",
                                         logical.first_physical, hashed)
        if pin is not None:
            self.result.pins.append(pin)
        elif problem is not None and role != "constraints":
            self.result.unauditable.append(problem)


def _split_requirement_options(text: str) -> tuple[str, bool]:
    """`name==1.0 --hash=sha256:...` → (`name==1.0`, hashed)."""
    match = re.search(r"\s--?[A-Za-z]", " " + text)
    if not match:
        return text, False
    head, options = (" " + text)[:match.start()].strip(), (" " + text)[match.start():]
    return head, "--hash" in options


def parse_requirement(text: str, location: Location, kind: str, source_line: str = "",
                      hashed: bool = False) -> tuple[Pin | None, Unauditable | None]:
    """A PEP 508 requirement → a Pin when pinned to one release, else why it cannot be audited."""
    stripped = text.strip()
    judged = (_judge_requirement(stripped) if len(stripped) <= MAX_REMEMBERED_REQUIREMENT
              else _judge_requirement.__wrapped__(stripped))
    if isinstance(judged, _Unpinned):
        return None, Unauditable(stripped, judged.reason, location, judged.name)
    return Pin(judged.name, judged.version, location, kind, judged.written, source_line, hashed,
               judged.declared_name), None


@dataclass(frozen=True)
class _Pinned:
    """A requirement pinned to one release (`name==version`), as written and as normalised."""

    name: str
    version: str
    written: str
    declared_name: str


@dataclass(frozen=True)
class _Unpinned:
    """A requirement the audit cannot ask about, and why."""

    reason: str
    name: str = ""


# Judgements kept per run, and the longest text kept with one: real requirement lines are short,
# and a hostile file of long distinct lines must not be held twice in memory.
MAX_REMEMBERED_REQUIREMENTS = 4096
MAX_REMEMBERED_REQUIREMENT = 512


@functools.lru_cache(maxsize=MAX_REMEMBERED_REQUIREMENTS)
def _judge_requirement(stripped: str) -> _Pinned | _Unpinned:
    """What a requirement's text says, wherever it is written: a monorepo repeats the same few
    lines in every function's file, and PEP 508 parsing is most of the cost of reading them."""
    lowered = stripped.lower()
    egg = m.group(1) if (m := re.search(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)", stripped)) else ""
    if lowered.startswith(_VCS_SCHEMES):
        return _Unpinned("it is a VCS requirement", canonicalize_name(egg) if egg else "")
    if lowered.startswith(("http://", "https://")):
        return _Unpinned("it is a URL", canonicalize_name(egg) if egg else "")
    if lowered.startswith("file:") or stripped.startswith((".", "/", "~", "\\")) \
            or re.search(r"\.(whl|zip|tar\.gz|tgz|tar\.bz2)$", lowered):
        return _Unpinned("it is a local path")
    try:
        requirement = Requirement(stripped)
    except RecursionError:                       # markers nested hundreds of parentheses deep
        return _Unpinned("it is nested too deeply to read (PEP 508)")
    except InvalidRequirement:
        if "/" in stripped or "\\" in stripped:
            return _Unpinned("it is a local path")
        return _Unpinned("it is not a requirement pip-audit can read (PEP 508)")
    name = canonicalize_name(requirement.name)
    if requirement.url:
        url = requirement.url.lower()
        reason = ("it is a VCS requirement" if url.startswith(_VCS_SCHEMES)
                  else "it is a local path" if url.startswith("file:") else "it is a URL")
        return _Unpinned(reason, name)
    exact = [spec for spec in requirement.specifier
             if spec.operator == "===" or (spec.operator == "==" and "*" not in spec.version)]
    if not exact:
        return _Unpinned("it names no version" if not str(requirement.specifier)
                         else "it is not pinned to one version", name)
    written = exact[0].version
    try:
        version = str(Version(written))
    except InvalidVersion:
        return _Unpinned(f"{written!r} is not a PEP 440 version", name)
    return _Pinned(name, version, written, requirement.name)


# --- pyproject.toml ---------------------------------------------------------------------------

def _load_toml(workspace: Workspace, rel: str, result: DependencyFiles) -> tuple[dict[str, Any], list[str]] | None:
    try:
        text = workspace.read_text(rel)
    except UnreadableFile as unreadable:
        result.notices.append(unreadable.notice)
        return None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        result.notices.append(unparsed_notice(rel, f"it is not valid TOML ({exc})", line))
        return None
    except RecursionError:
        result.notices.append(unparsed_notice(rel, "it nests too deeply to be read"))
        return None
    if rel not in result.files:
        result.files.append(rel)
    return document, text.splitlines()


def _table_span(lines: list[str], header: str) -> tuple[int, int] | None:
    """0-based [start, end) of the lines of `[header]` (its own keys, up to the next header)."""
    pattern = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(part) for part in header.split(".")) + r"\s*\]\s*(#.*)?$")
    for index, line in enumerate(lines):
        if pattern.match(line):
            end = next((j for j in range(index + 1, len(lines)) if re.match(r"^\s*\[", lines[j])), len(lines))
            return index, end
    return None


def _key_line(lines: list[str], span: tuple[int, int] | None, key: str) -> int | None:
    if span is None:
        return None
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for index in range(span[0], span[1]):
        if pattern.match(lines[index]):
            return index
    return None


def _read_pyproject(workspace: Workspace, rel: str, result: DependencyFiles, has_lock: bool) -> None:
    loaded = _load_toml(workspace, rel, result)
    if loaded is None:
        return
    document, lines = loaded
    project = document.get("project")
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        span = _table_span(lines, "project")
        key = _key_line(lines, span, "dependencies")
        cursor = key if key is not None else 0
        for item in project["dependencies"]:
            if not isinstance(item, str):
                continue
            index = _find_string_line(lines, item, cursor)
            if index is not None:
                cursor = index
            line = (index if index is not None else (key if key is not None else 0)) + 1
            pin, problem = parse_requirement(item, Location(rel, line), "pyproject", lines[line - 1])
            if pin is not None:
                result.pins.append(pin)
            elif problem is not None and not has_lock:
                result.unauditable.append(problem)
    poetry = document.get("tool", {}).get("poetry", {}) if isinstance(document.get("tool"), dict) else {}
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(dependencies, dict):
        span = _table_span(lines, "tool.poetry.dependencies")
        for name, constraint in dependencies.items():
            if str(name).lower() == "python":
                continue
            index = _key_line(lines, span, str(name))
            line = (index if index is not None else (span[0] if span else 0)) + 1
            pin, problem = _poetry_requirement(str(name), constraint, Location(rel, line), lines[line - 1])
            if pin is not None:
                result.pins.append(pin)
            elif problem is not None and not has_lock:
                result.unauditable.append(problem)


def _find_string_line(lines: list[str], value: str, start: int) -> int | None:
    for quote in ('"', "'"):
        needle = quote + value + quote
        for index in range(start, len(lines)):
            if needle in lines[index]:
                return index
    return None


_POETRY_EXACT = re.compile(r"^\s*(?:==?)?\s*([0-9][A-Za-z0-9.!+_-]*)\s*$")


def _poetry_requirement(name: str, constraint: Any, location: Location, source_line: str
                        ) -> tuple[Pin | None, Unauditable | None]:
    """Poetry's own constraint syntax: a bare `"2.10"` (or `"==2.10"`) is exact; `^`, `~`, `*` are ranges."""
    shown = f"{name} = {constraint!r}"
    if isinstance(constraint, dict):
        for key, reason in (("git", "it is a VCS requirement"), ("path", "it is a local path"),
                            ("url", "it is a URL")):
            if key in constraint:
                return None, Unauditable(shown, reason, location, canonicalize_name(name))
        constraint = constraint.get("version")
    if not isinstance(constraint, str):
        return None, Unauditable(shown, "it is not pinned to one version", location, canonicalize_name(name))
    match = _POETRY_EXACT.match(constraint)
    if not match:
        return None, Unauditable(shown, "it is not pinned to one version", location, canonicalize_name(name))
    try:
        version = str(Version(match.group(1)))
    except InvalidVersion:
        return None, Unauditable(shown, "it is not pinned to one version", location, canonicalize_name(name))
    return Pin(canonicalize_name(name), version, location, "poetry", match.group(1), source_line, False, name), None


# --- lock files -------------------------------------------------------------------------------

def _read_toml_lock(workspace: Workspace, rel: str, result: DependencyFiles, array: str, select: Any) -> None:
    """poetry.lock, uv.lock, pylock.toml: one `[[package]]`/`[[packages]]` table per locked release."""
    loaded = _load_toml(workspace, rel, result)
    if loaded is None:
        return
    document, lines = loaded
    packages = document.get(array)
    if not isinstance(packages, list):
        return
    header = re.compile(r"^\s*\[\[\s*" + re.escape(array) + r"\s*\]\]\s*(#.*)?$")
    starts = [index for index, line in enumerate(lines) if header.match(line)]
    for position, package in select(packages):
        if not isinstance(package, dict):
            continue
        start = starts[position] if position < len(starts) else 0
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        version_index = _key_line(lines, (start, end), "version")
        line = (version_index if version_index is not None else start) + 1
        location = Location(rel, line)
        name = str(package.get("name", ""))
        problem = _lock_source_problem(package)
        if problem is not None:
            result.unauditable.append(Unauditable(f"{name} ({PurePosixPath(rel).name})", problem, location,
                                                  canonicalize_name(name) if name else ""))
            continue
        version = package.get("version")
        if not name or not isinstance(version, str):
            result.unauditable.append(Unauditable(name or "(unnamed package)", "the lock file names no version",
                                                  location))
            continue
        try:
            normalised = str(Version(version))
        except InvalidVersion:
            result.unauditable.append(Unauditable(f"{name} {version}", f"{version!r} is not a PEP 440 version", location))
            continue
        result.pins.append(Pin(canonicalize_name(name), normalised, location, "lock", version,
                               lines[line - 1] if 0 < line <= len(lines) else "", True, name))


def _lock_source_problem(package: dict[str, Any]) -> str | None:
    """Why a locked package does not come from an index (uv `source`, PEP 751 `vcs`/`directory`)."""
    source = package.get("source")
    if isinstance(source, dict) and "type" in source:                  # poetry.lock
        kind = str(source.get("type"))
        if kind in ("git", "hg", "svn", "bzr"):
            return "it is locked to a VCS checkout"
        if kind in ("directory", "file"):
            return "it is locked to a local path"
        if kind == "url":
            return "it is locked to a URL"
        return None                                                    # a (private) package index
    if isinstance(source, dict):
        if "git" in source:
            return "it is locked to a VCS checkout"
        if "path" in source or "directory" in source:
            return "it is locked to a local path"
        if "url" in source:
            return "it is locked to a URL"
    if "vcs" in package:
        return "it is locked to a VCS checkout"
    if "directory" in package:
        return "it is locked to a local path"
    if "archive" in package and "version" not in package:
        return "it is locked to an archive without a version"
    return None


def _poetry_packages(packages: list[Any]) -> list[tuple[int, Any]]:
    """Every locked package but those only in development groups (`category = "dev"`, `groups`)."""
    chosen = []
    for position, package in enumerate(packages):
        if not isinstance(package, dict):
            continue
        if package.get("category") == "dev":
            continue
        groups = package.get("groups")
        if isinstance(groups, list) and groups and "main" not in groups:
            continue
        chosen.append((position, package))
    return chosen


def _pylock_packages(packages: list[Any]) -> list[tuple[int, Any]]:
    return [(position, package) for position, package in enumerate(packages)]


def _read_pipfile_lock(workspace: Workspace, rel: str, result: DependencyFiles) -> None:
    """Pipfile.lock is JSON: `default` holds what is deployed, `develop` the development tools."""
    try:
        text = workspace.read_text(rel)
    except UnreadableFile as unreadable:
        result.notices.append(unreadable.notice)
        return
    try:
        document = load_yaml(text)
    except DocumentError as exc:
        result.notices.append(unparsed_notice(rel, document_error(exc, JSON), getattr(exc, "line", None) or 1))
        return
    result.files.append(rel)
    lines = text.splitlines()
    default = document.get("default") if isinstance(document, LocatedMap) else None
    if not isinstance(default, LocatedMap):
        return
    for name, entry in default.items():
        if not isinstance(entry, LocatedMap):
            continue
        key_line = default.line_of(name)
        for key, reason in (("git", "it is locked to a VCS checkout"), ("hg", "it is locked to a VCS checkout"),
                            ("path", "it is locked to a local path"), ("file", "it is a URL or file")):
            if key in entry:
                result.unauditable.append(Unauditable(f"{name} (Pipfile.lock)", reason, Location(rel, key_line),
                                                      canonicalize_name(name)))
                break
        else:
            line = entry.line_of("version") if "version" in entry else key_line
            location = Location(rel, line)
            pin, problem = parse_requirement(f"{name}{entry.get('version') or ''}", location, "lock",
                                             lines[line - 1] if 0 < line <= len(lines) else "", True)
            if pin is not None:
                result.pins.append(pin)
            elif problem is not None:
                result.unauditable.append(problem)
