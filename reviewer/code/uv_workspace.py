"""Which packages a `uv.lock` ships for a function, and the uv workspace its code directory belongs to.

A uv workspace locks all its members in one `uv.lock` at the workspace root (the directory whose
`pyproject.toml` lists the members under `[tool.uv.workspace]`); a member's own `pyproject.toml`
holds only ranges (`meteostat>=1.7`), and `uv export --frozen` or `uv sync --frozen` run in the
member installs the root lock's releases. Reading the member's ranges alone would call every
dependency unauditable although the repository pins each one, and would advise a lock the project
already has. Only the files are read: nothing is resolved, and the member must be in the lock.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Any

from packaging.utils import canonicalize_name

from reviewer.workspace import UnreadableFile, Workspace


def workspace_lock(workspace: Workspace, directory: str) -> str | None:
    """The `uv.lock` of the uv workspace that has `directory` as a member (never `directory`'s own)."""
    if directory == ".":
        return None
    parts = PurePosixPath(directory).parts
    for depth in range(len(parts) - 1, -1, -1):
        root = "/".join(parts[:depth]) or "."
        entries = workspace.entries(root)
        if entries.get("pyproject.toml") != "file" or entries.get("uv.lock") != "file":
            continue
        member = "/".join(parts[depth:])
        lock = "uv.lock" if root == "." else f"{root}/uv.lock"
        if workspace.is_excluded(lock) or not _lists_member(_toml(workspace, _beside(lock, "pyproject.toml")), member):
            return None                       # the nearest project with a lock decides, as uv's discovery does
        return lock if _locks_member(_toml(workspace, lock), member) else None
    return None


def uv_packages(packages: list[Any], member: str | None = None) -> list[tuple[int, Any]]:
    """Packages reachable from the project's own (non-dev) dependencies; the project itself is skipped.
    For a workspace `member` (its path in the lock), only from that member's: the others ship apart."""
    by_name: dict[str, list[int]] = defaultdict(list)
    projects: list[int] = []
    for position, package in enumerate(packages):
        if not isinstance(package, dict):
            continue
        by_name[canonicalize_name(str(package.get("name", "")))].append(position)
        if member_source(package) is not None:
            projects.append(position)
    roots = [p for p in projects if member is None or member_source(packages[p]) == member]
    if member is not None and not roots:
        return []
    if not roots:
        return [(position, package) for position, package in enumerate(packages)]
    reached: set[int] = set()
    queue: list[tuple[int, tuple[str, ...]]] = [(root, ()) for root in roots]
    while queue:
        position, extras = queue.pop()
        package = packages[position]
        dependencies = package.get("dependencies")
        edges = list(dependencies) if isinstance(dependencies, list) else []
        optional = package.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra in extras:
                if isinstance(optional.get(extra), list):
                    edges.extend(optional[extra])
        for edge in edges:
            if not isinstance(edge, dict) or "name" not in edge:
                continue
            extra_names = edge.get("extra")
            wanted = tuple(str(item) for item in extra_names) if isinstance(extra_names, list) else ()
            for target in by_name.get(canonicalize_name(str(edge["name"])), []):
                version = edge.get("version")
                if version is not None and packages[target].get("version") != version:
                    continue
                if target not in reached and target not in roots:
                    reached.add(target)
                    queue.append((target, wanted))
    return [(position, packages[position]) for position in sorted(reached) if position not in projects]


def member_path(lock: str, directory: str) -> str:
    """`directory` as the workspace's lock names it: relative to the lock's directory."""
    root = PurePosixPath(lock).parent
    return str(PurePosixPath(directory).relative_to(root)) if str(root) != "." else directory


def member_source(package: dict[str, Any]) -> str | None:
    """The path a workspace member is locked at (`source = { virtual = ... }` or `{ editable = ... }`)."""
    source = package.get("source")
    if isinstance(source, dict):
        found = source.get("virtual", source.get("editable"))
        return str(found) if found is not None else None
    return None


def _beside(rel: str, name: str) -> str:
    parent = str(PurePosixPath(rel).parent)
    return name if parent == "." else f"{parent}/{name}"


def _toml(workspace: Workspace, rel: str) -> dict[str, Any]:
    try:
        return tomllib.loads(workspace.read_text(rel))
    except (UnreadableFile, tomllib.TOMLDecodeError, RecursionError):
        return {}                             # the function's own reading reports its own files


def _lists_member(pyproject: dict[str, Any], member: str) -> bool:
    tool = pyproject.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    table = uv.get("workspace") if isinstance(uv, dict) else None
    if not isinstance(table, dict):
        return False
    members, excluded = table.get("members"), table.get("exclude")
    return (isinstance(members, list) and any(_matches(member, str(glob)) for glob in members)
            and not (isinstance(excluded, list) and any(_matches(member, str(glob)) for glob in excluded)))


def _matches(member: str, glob: str) -> bool:
    """A member glob, one path segment per segment (`packages/*`), `**` across segments."""
    glob = glob.strip("/").removeprefix("./")
    if "**" in glob:
        return fnmatchcase(member, glob)
    wanted, have = PurePosixPath(glob).parts, PurePosixPath(member).parts
    return len(wanted) == len(have) and all(fnmatchcase(part, pattern) for part, pattern in zip(have, wanted, strict=True))


def _locks_member(lock: dict[str, Any], member: str) -> bool:
    packages = lock.get("package")
    return isinstance(packages, list) and any(
        isinstance(package, dict) and member_source(package) == member for package in packages)
