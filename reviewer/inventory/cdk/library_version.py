"""Which aws-cdk-lib release a CDK app builds with, as its lock file or manifest says.

Some runtimes an app writes are not fixed names but whatever the installed aws-cdk-lib release
says (`Runtime.NODEJS_LATEST`): the release, read here, turns them into an identifier
(`cdk/variable_runtimes.py`). A lock file is exact and wins; a manifest is exact only when it
pins one release (`"aws-cdk-lib": "2.150.0"`, `aws-cdk-lib==2.150.0`), and otherwise gives the
range as written, so the review can say once what the runtime depends on.

Read: npm's `package-lock.json` (or `npm-shrinkwrap.json`), `yarn.lock` and `pnpm-lock.yaml` in
the app's folder or the nearest folder above it (a workspace's root lock), then the app's
`package.json` or `requirements.txt`. Every file is read once per app, through the workspace
(bounded, never through a link); a file that cannot be read is simply not evidence.

A lock above the app is its workspace's only when the app is a member of that workspace: an app
with a `package.json` of its own must be listed by the lock (npm's `packages`, pnpm's
`importers`) or by the workspace's `package.json` (`workspaces`, for Yarn). A Python app (a
`requirements.txt`, `pyproject.toml` or `setup.py` and no `package.json`) installs aws-cdk-lib
from PyPI, so no npm lock is its evidence. An example app kept in a construct library
(`examples/python/app/`, `examples/typescript/app/` with a `package.json` of their own) read
the library's own lock, a release the examples never install.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable

from reviewer.path_globs import matches
from reviewer.workspace import UnreadableFile, Workspace

PACKAGE = "aws-cdk-lib"
MAX_PARENT_LEVELS = 30
MAX_SHOWN = 60
_NPM_LOCKS = ("package-lock.json", "npm-shrinkwrap.json")
_PYTHON_MANIFESTS = ("requirements.txt", "pyproject.toml", "setup.py", "Pipfile")
MAX_WORKSPACE_GLOBS = 50
_EXACT = re.compile(r"[=v]?\s*(\d+\.\d+\.\d+)")
# `aws-cdk-lib@2.187.0:` (pnpm 9), `/aws-cdk-lib@2.187.0:` or `/aws-cdk-lib/2.187.0:` (older pnpm)
_PNPM_ENTRY = re.compile(r"\s+['\"]?/?aws-cdk-lib[@/](\d+\.\d+\.\d+)[:('\"]")
# `aws-cdk-lib@^2.154.1, aws-cdk-lib@^2.160.0:` (yarn 1) or `"aws-cdk-lib@npm:^2.154.1":` (berry)
_YARN_ENTRY = re.compile(r"\"?aws-cdk-lib@")
_YARN_VERSION = re.compile(r"\s+version:?\s+\"?(\d+\.\d+\.\d+)")
# `aws-cdk-lib==2.150.0`, `aws_cdk_lib>=2.100,<3`, `aws-cdk-lib` (any release); not `aws-cdk-lib-extra`
_REQUIREMENT = re.compile(r"aws[-_.]cdk[-_.]lib\s*(\[[^\]]*\])?\s*(?=$|[=<>!~;#])([=<>!~][^;#]*)?", re.I)


@dataclass(frozen=True)
class LibraryVersion:
    """The app's aws-cdk-lib: `version` when one release is known, else `written`, the range its
    manifest allows (None when no file names the package); `path` and `line` say where it was read."""

    version: str | None = None
    written: str | None = None
    path: str | None = None
    line: int | None = None


def library_version(workspace: Workspace, app_root: str) -> LibraryVersion:
    """The aws-cdk-lib release of the app whose `cdk.json` is in `app_root` ("." for the root)."""
    locked = None if _python_app(workspace, app_root) else _locked(workspace, app_root)
    if locked is not None:
        return locked
    return _declared(workspace, app_root) or LibraryVersion()


def _python_app(workspace: Workspace, app_root: str) -> bool:
    base = "" if app_root == "." else f"{app_root}/"
    return not workspace.exists(base + "package.json") and any(
        workspace.exists(base + name) for name in _PYTHON_MANIFESTS)


def _locked(workspace: Workspace, app_root: str) -> LibraryVersion | None:
    folder = PurePosixPath(app_root)
    own_package = workspace.exists(("" if app_root == "." else f"{app_root}/") + "package.json")
    for _ in range(MAX_PARENT_LEVELS):
        base = "" if str(folder) == "." else f"{folder}/"
        inside = str(PurePosixPath(app_root).relative_to(folder)) if str(folder) != "." else app_root
        # a lock above an app with its own package is the app's only if the app is a workspace member
        member_only = own_package and inside not in ("", ".")
        for name in _NPM_LOCKS:
            if workspace.exists(base + name):
                return _npm_lock(workspace, base + name, inside, member_only)
        if workspace.exists(base + "yarn.lock"):
            if member_only and not _yarn_member(workspace, base + "package.json", inside):
                return None
            return _line_lock(workspace, base + "yarn.lock", _yarn_versions)
        if workspace.exists(base + "pnpm-lock.yaml"):
            return _line_lock(workspace, base + "pnpm-lock.yaml", _pnpm_versions,
                              inside if member_only else None)
        if str(folder) == ".":
            return None
        folder = folder.parent
    return None


def _yarn_member(workspace: Workspace, manifest: str, inside: str) -> bool:
    """Whether the workspace root's `package.json` lists `inside` among its `workspaces` globs."""
    _, document = _json_object(workspace, manifest) if workspace.exists(manifest) else ("", None)
    listed = document.get("workspaces") if document is not None else None
    if isinstance(listed, dict):
        listed = listed.get("packages")
    if not isinstance(listed, list):
        return False
    return any(isinstance(entry, str) and matches(_glob(entry), inside) for entry in listed[:MAX_WORKSPACE_GLOBS])


def _glob(entry: str) -> tuple[str, ...]:
    return tuple(part for part in entry.strip().strip("/").split("/") if part not in ("", "."))


def _pnpm_importers(lines: list[str]) -> set[str] | None:
    """The workspace members a pnpm lock lists under `importers:` (None: the lock has no such section)."""
    found: set[str] | None = None
    for line in lines:
        if found is None:
            if line.rstrip() == "importers:":
                found = set()
            continue
        if line and not line[0].isspace():
            break                      # the next top-level section
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            found.add(line.strip()[:-1].strip("'\""))
    return found


def _text(workspace: Workspace, rel: str) -> str | None:
    try:
        return workspace.read_text(rel)
    except UnreadableFile:
        return None


def _json_object(workspace: Workspace, rel: str) -> tuple[str, dict[str, Any] | None]:
    """A JSON file's text and its object; None for what is unread, not JSON or not an object."""
    text = _text(workspace, rel)
    try:
        document = json.loads(text) if text is not None else None
    except ValueError:
        return text or "", None
    return text or "", document if isinstance(document, dict) else None


def _npm_lock(workspace: Workspace, rel: str, inside: str, member_only: bool = False) -> LibraryVersion | None:
    """npm's lock: `packages` (lockfile 2 and 3) keyed by install path, the app's own
    `node_modules` before the hoisted one; `dependencies` (lockfile 1) otherwise. With
    `member_only`, a lock whose `packages` do not list the app's folder is not the app's."""
    text, document = _json_object(workspace, rel)
    if document is None:
        return None
    packages = document.get("packages")
    if member_only and (not isinstance(packages, dict) or inside not in packages):
        return None
    keys = ([f"{inside}/node_modules/{PACKAGE}"] if inside not in ("", ".") else []) + [f"node_modules/{PACKAGE}"]
    for key in keys:
        entry = packages.get(key) if isinstance(packages, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            return LibraryVersion(version=entry["version"], path=rel, line=_line_of(text, f'"{key}"'))
    dependencies = document.get("dependencies")
    entry = dependencies.get(PACKAGE) if isinstance(dependencies, dict) else None
    if isinstance(entry, dict) and isinstance(entry.get("version"), str):
        return LibraryVersion(version=entry["version"], path=rel, line=_line_of(text, f'"{PACKAGE}": {{'))
    return None


def _line_lock(workspace: Workspace, rel: str,
               versions: Callable[[list[str]], list[tuple[str, int]]], member: str | None = None) -> LibraryVersion | None:
    """A yarn or pnpm lock: the one release of aws-cdk-lib it installs (several: none known); with
    `member`, a pnpm lock whose `importers` do not list that folder is not the app's."""
    text = _text(workspace, rel)
    if text is None:
        return None
    lines = text.splitlines()
    if member is not None and member not in (_pnpm_importers(lines) or ()):
        return None
    found = versions(lines)
    if len({version for version, _ in found}) != 1:
        return None
    version, line = found[0]
    return LibraryVersion(version=version, path=rel, line=line)


def _yarn_versions(lines: list[str]) -> list[tuple[str, int]]:
    found = []
    for index, line in enumerate(lines):
        if not _YARN_ENTRY.match(line):
            continue
        for offset, following in enumerate(lines[index + 1:index + 6], start=index + 2):
            if match := _YARN_VERSION.match(following):
                found.append((match[1], offset))
                break
    return found


def _pnpm_versions(lines: list[str]) -> list[tuple[str, int]]:
    return [(match[1], index) for index, line in enumerate(lines, start=1) if (match := _PNPM_ENTRY.match(line))]


def _declared(workspace: Workspace, app_root: str) -> LibraryVersion | None:
    base = "" if app_root == "." else f"{app_root}/"
    if workspace.exists(base + "package.json"):
        found = _package_json(workspace, base + "package.json")
        if found is not None:
            return found
    if workspace.exists(base + "requirements.txt"):
        return _requirements(workspace, base + "requirements.txt")
    return None


def _package_json(workspace: Workspace, rel: str) -> LibraryVersion | None:
    text, document = _json_object(workspace, rel)
    if document is None:
        return None
    for section in ("dependencies", "devDependencies", "peerDependencies"):
        listed = document.get(section)
        written = listed.get(PACKAGE) if isinstance(listed, dict) else None
        if isinstance(written, str):
            return _pinned(written.strip(), rel, _line_of(text, f'"{PACKAGE}"'))
    return None


def _requirements(workspace: Workspace, rel: str) -> LibraryVersion | None:
    text = _text(workspace, rel)
    for number, line in enumerate((text or "").splitlines(), start=1):
        match = _REQUIREMENT.match(line.strip())
        if match is None:
            continue
        written = (match[2] or "").strip()
        if written.startswith("==") and _EXACT.fullmatch(written[2:].strip()):
            return LibraryVersion(version=written[2:].strip(), path=rel, line=number)
        return LibraryVersion(written=_shown(written) or "any release", path=rel, line=number)
    return None


def _pinned(written: str, rel: str, line: int | None) -> LibraryVersion:
    if match := _EXACT.fullmatch(written):
        return LibraryVersion(version=match[1], path=rel, line=line)
    return LibraryVersion(written=_shown(written), path=rel, line=line)


def _shown(written: str) -> str:
    """A range as the note quotes it in a code span: short, and without a backtick to end the span."""
    return " ".join(written.replace("`", "'").split())[:MAX_SHOWN]


def _line_of(text: str | None, needle: str) -> int | None:
    """The line of the first `needle` in the text (a fixed string: no pattern from the repository)."""
    at = text.find(needle) if text else -1
    return None if text is None or at < 0 else text.count("\n", 0, at) + 1
