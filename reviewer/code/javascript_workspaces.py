"""The repository file a bare import of a JavaScript or TypeScript handler names when it is a
package of the repository's own npm, Yarn or pnpm workspace.

A monorepo lists its packages in its root `package.json` (`"workspaces": ["source/common",
"packages/*"]`, Yarn's `{"packages": [...]}`) or in `pnpm-workspace.yaml`; installing links each
into `node_modules` under the `name` of its own `package.json`, so a handler's `import {
METRICS_NAMESPACE } from "@amzn/dlt-common"` loads `source/common/src/index.ts`, the package's
`main`. Without this the reading stopped at the import: what the shared code writes was never
read, and a change to it brought no function into a review.

The manifest is the nearest one above the importer that lists workspaces; a pattern is a folder or
a folder's children (`packages/*`; `**` and negations are left alone), at most `MAX_MEMBERS` of
them. A bare name loads the member's `main` (or `module`), else its `index` or `src/index`; a
subpath (`@org/shared/db`) the file under the member's folder. `resolve` is the caller's (the
files Node and TypeScript try), which never follows a link; a declaration file (`.d.ts`) is no code.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any, Callable

import yaml

from reviewer.workspace import UnreadableFile, Workspace

MAX_LEVELS = 12        # folders walked up from an importer to the manifest listing workspaces
MAX_PATTERNS = 64      # workspace patterns read from one manifest
MAX_MEMBERS = 400      # member folders a manifest's patterns may name in all
MAX_MANIFEST = 256 * 1024   # a manifest larger than this is no workspace list the reading takes
_ENTRY_FIELDS = ("main", "module")


def workspace_module(workspace: Workspace, importer: str, specifier: str, resolve: Callable[[str], str | None],
                     cache: dict[Any, Any] | None = None) -> str | None:
    """The repository file a bare `specifier` imported from `importer` loads when it names a package
    of the workspace the importer belongs to, or None."""
    if not specifier or specifier.startswith((".", "/")):
        return None
    members = _members(workspace, posixpath.dirname(importer), cache)
    parts = specifier.split("/")
    width = 2 if specifier.startswith("@") else 1
    folder = members.get("/".join(parts[:width])) if len(parts) >= width else None
    if folder is None:
        return None
    subpath = "/".join(parts[width:])
    if subpath:
        candidates = [posixpath.join(folder, subpath), posixpath.join(folder, "src", subpath)]
    else:
        manifest = _json(workspace, posixpath.join(folder, "package.json")) or {}
        entries = [manifest[field] for field in _ENTRY_FIELDS if isinstance(manifest.get(field), str)]
        candidates = [posixpath.join(folder, entry) for entry in entries] + [
            posixpath.join(folder, "index"), posixpath.join(folder, "src", "index")]
    for candidate in candidates:
        normal = posixpath.normpath(candidate)
        if normal.startswith(("../", "/")) or normal == "..":
            continue
        found = resolve(normal)
        if found is not None and not found.endswith(".d.ts"):
            return found
    return None


def _members(workspace: Workspace, directory: str, cache: dict[Any, Any] | None) -> dict[str, str]:
    """Package name → member folder, of the nearest manifest above `directory` that lists workspaces."""
    key = ("js-workspace-members", directory)
    if cache is not None and key in cache:
        kept: dict[str, str] = cache[key]
        return kept
    found: dict[str, str] = {}
    parts = [part for part in directory.split("/") if part not in ("", ".")]
    for depth in range(len(parts), max(-1, len(parts) - MAX_LEVELS), -1):
        folder = "/".join(parts[:depth])
        patterns = _patterns(workspace, folder)
        if patterns is not None:
            found = _named(workspace, folder, patterns, cache)
            break
    if cache is not None:
        cache[key] = found
    return found


def _patterns(workspace: Workspace, folder: str) -> list[str] | None:
    """The workspace patterns a folder's `package.json` or `pnpm-workspace.yaml` lists, or None."""
    manifest = _json(workspace, posixpath.join(folder, "package.json"))
    listed = manifest.get("workspaces") if manifest is not None else None
    if isinstance(listed, dict):
        listed = listed.get("packages")
    if listed is None:
        text = _text(workspace, posixpath.join(folder, "pnpm-workspace.yaml"))
        try:
            document = yaml.safe_load(text) if text is not None else None
        except yaml.YAMLError:
            document = None
        listed = document.get("packages") if isinstance(document, dict) else None
    if not isinstance(listed, list):
        return None
    return [pattern for pattern in listed[:MAX_PATTERNS] if isinstance(pattern, str)]


def _named(workspace: Workspace, root: str, patterns: list[str], cache: dict[Any, Any] | None) -> dict[str, str]:
    """The members' package names, kept in `cache` by manifest folder."""
    key = ("js-workspace-names", root)
    if cache is not None and key in cache:
        kept: dict[str, str] = cache[key]
        return kept
    folders: list[str] = []
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/").removeprefix("./")
        if not pattern or pattern.startswith("!") or "**" in pattern or pattern.count("*") > 1:
            continue
        head, _, tail = pattern.rpartition("/")
        if "*" in head:
            continue
        base = posixpath.join(root, head) if head else root
        if tail == "*":
            folders.extend(posixpath.join(base, name) for name, kind in sorted(workspace.entries(base or ".").items())
                           if kind == "dir")
        elif "*" not in tail:
            folders.append(posixpath.join(root, pattern))
        if len(folders) >= MAX_MEMBERS:
            break
    named: dict[str, str] = {}
    for folder in folders[:MAX_MEMBERS]:
        manifest = _json(workspace, posixpath.join(folder, "package.json"))
        name = manifest.get("name") if manifest is not None else None
        if isinstance(name, str) and name:
            named.setdefault(name, posixpath.normpath(folder))
    if cache is not None:
        cache[key] = named
    return named


def _text(workspace: Workspace, rel: str) -> str | None:
    rel = rel.removeprefix("/")
    if not workspace.exists(rel) or workspace.is_dir(rel):
        return None
    try:
        text = workspace.read_text(rel)
    except UnreadableFile:
        return None
    return text if len(text) <= MAX_MANIFEST else None


def _json(workspace: Workspace, rel: str) -> dict[str, Any] | None:
    text = _text(workspace, rel)
    try:
        document = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return document if isinstance(document, dict) else None
