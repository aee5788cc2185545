"""Where a non-relative import of a JavaScript or TypeScript handler points when its `tsconfig.json`
maps it to the repository's own files.

A function that imports a layer's code by the path Lambda mounts it at
(`import { PushSenderService } from '/opt/nodejs/src/services'`) is compiled and tested against the
layer's sources through `compilerOptions.paths` (`"/opt/nodejs/src/services": ["../layers/base/src/services"]`);
a service's `@lib/db` or `utils/db` under a `baseUrl` likewise. Without this the reading stopped at
the import, so the layer's writes and event flows were never read, and a change to the layer never
brought the function into a review.

As TypeScript does: the config is the `tsconfig.json` nearest above the importing file (and those it
`extends` by relative path, `reviewer.tsconfig_files`); an exact pattern wins over a wildcard one,
and of the wildcard ones the longest prefix; `paths` targets are relative to the `baseUrl` when one
is set, else to the file that sets `paths`; a specifier no target resolves is tried under the
`baseUrl`. Only targets inside the workspace are given; `resolve` is the caller's (the file names
Node and TypeScript try), which never follows a link. Declaration files (`.d.ts`) describe a package
and are never its code.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Callable

from reviewer.code.javascript_workspaces import workspace_module
from reviewer.tsconfig_files import CONFIG_NAME, cached_chain, setting
from reviewer.workspace import Workspace

MAX_CONFIG_LEVELS = 12     # folders walked up from an importer to its tsconfig.json
MAX_PATTERNS = 64          # `paths` entries read from one config
MAX_TARGETS = 5            # targets tried for one pattern
_SKIPPED_SPECIFIERS = ("node:", "data:", "http:", "https:")


@dataclass(frozen=True)
class PathMap:
    """What one tsconfig says about non-relative imports: its `paths` patterns with their targets
    (already joined to the folder they are relative to) and its `baseUrl` folder."""

    patterns: tuple[tuple[str, tuple[str, ...]], ...]
    base_url: str | None


def aliased_module(workspace: Workspace, importer: str, specifier: str, resolve: Callable[[str], str | None],
                   cache: dict[Any, Any] | None = None) -> str | None:
    """The repository file a non-relative `specifier` imported from `importer` names through the
    nearest tsconfig's `paths` or `baseUrl`, or as a package of the repository's own workspace
    (`code/javascript_workspaces.py`), or None (a package installed from a registry)."""
    if not specifier or specifier.startswith(".") or specifier.startswith(_SKIPPED_SPECIFIERS):
        return None
    path_map = _path_map(workspace, posixpath.dirname(importer), cache)
    for base in _targets(path_map, specifier) if path_map is not None else []:
        found = resolve(base)
        if found is not None and not found.endswith(".d.ts"):
            return found
    # a package of the repository's own npm, Yarn or pnpm workspace (`@amzn/dlt-common`)
    return workspace_module(workspace, importer, specifier, resolve, cache)


def _targets(path_map: PathMap, specifier: str) -> list[str]:
    """The paths `specifier` may name, in the order TypeScript tries them."""
    targets: list[str] = []
    best: tuple[int, str, tuple[str, ...]] | None = None
    for pattern, replacements in path_map.patterns:
        prefix, star, suffix = pattern.partition("*")
        if not star:
            if specifier == pattern:
                best = (len(pattern) + 1, "", replacements)   # an exact match outranks any wildcard
                break
            continue
        if specifier.startswith(prefix) and specifier.endswith(suffix) and \
                len(specifier) >= len(prefix) + len(suffix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), specifier[len(prefix):len(specifier) - len(suffix)], replacements)
    if best is not None:
        targets.extend(replacement.replace("*", best[1], 1) for replacement in best[2])
    if path_map.base_url is not None and not specifier.startswith("/"):
        targets.append(posixpath.join(path_map.base_url, specifier))
    return [target for target in (_inside(target) for target in targets) if target is not None]


def _inside(path: str) -> str | None:
    normal = posixpath.normpath(path)
    return None if normal.startswith(("../", "/")) or normal == ".." else normal


def _path_map(workspace: Workspace, directory: str, cache: dict[Any, Any] | None) -> PathMap | None:
    """The path map of the tsconfig.json nearest above `directory` (None when there is none, or it
    maps nothing), kept in `cache` by folder."""
    key = ("tsconfig-path-map", directory)
    if cache is not None and key in cache:
        kept: PathMap | None = cache[key]
        return kept
    found: PathMap | None = None
    parts = [part for part in directory.split("/") if part not in ("", ".")]
    for depth in range(len(parts), max(-1, len(parts) - MAX_CONFIG_LEVELS), -1):
        config = posixpath.join(*parts[:depth], CONFIG_NAME) if depth else CONFIG_NAME
        if workspace.exists(config) and not workspace.is_dir(config):
            found = _read_map(workspace, config, cache)
            break
    if cache is not None:
        cache[key] = found
    return found


def _read_map(workspace: Workspace, config: str, cache: dict[Any, Any] | None) -> PathMap | None:
    chain = cached_chain(workspace, config, cache)
    base = setting(chain, "baseUrl")
    base_url = posixpath.join(base[1], base[0]) if base is not None and isinstance(base[0], str) else None
    paths = setting(chain, "paths")
    patterns: list[tuple[str, tuple[str, ...]]] = []
    if paths is not None and isinstance(paths[0], dict):
        root = base_url if base_url is not None else paths[1]
        for pattern, replacements in list(paths[0].items())[:MAX_PATTERNS]:
            if not isinstance(pattern, str) or pattern.count("*") > 1 or not isinstance(replacements, list):
                continue
            joined = tuple(posixpath.join(root, replacement) for replacement in replacements[:MAX_TARGETS]
                           if isinstance(replacement, str) and replacement.count("*") <= 1
                           and not replacement.startswith("/"))
            if joined:
                patterns.append((pattern, joined))
    if not patterns and base_url is None:
        return None
    return PathMap(tuple(patterns), base_url)
