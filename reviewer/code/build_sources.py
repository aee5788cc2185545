"""The source folder a build output folder mirrors, when the output is not in the repository.

A TypeScript function is deployed from what `tsc` writes (`runtime/push-sender/dist/push-sender/src`,
a SAM `CodeUri: dist/`, a Terraform `archive_file` of `app/dist`), which is built in CI and not
committed. The package's `tsconfig.json` says where it comes from: `outDir` is the output folder,
and the output mirrors the source folders under `rootDir`, or, without one, under the common folder
of every file the compiler reads (the package's own `src`, the package itself, or a folder above it
when `paths` pulls in a shared layer's sources: `dist/push-sender/src` is `push-sender/src` of the
folder above). Every folder that may be so mirrored and exists is a candidate; the reader keeps the
one holding the handler. A folder named like a bundler's output with no tsconfig to say more
(`api/dist/handlers`) is taken to mirror `api/src/handlers`, by convention.

Bounded: a few folders above the path are looked at for a `tsconfig.json`, a few of each file's
`include` entries are followed, and nothing is built from repository text but paths.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from reviewer.code.projen_bundles import bundled_entry
from reviewer.tsconfig_files import CONFIG_NAME, ConfigFile, cached_chain, setting
from reviewer.workspace import Workspace

# Folder names a bundler or compiler writes its output to, mirroring the source by convention.
CONVENTIONAL_OUTPUT = frozenset({"dist", "build", "out", ".build"})
MAX_CONFIG_LEVELS = 6     # folders above a build path looked at for its package's tsconfig.json
MAX_INCLUDES = 5          # `include` entries whose leading folder may be the sources' common folder
MAX_PACKAGE_DEPTH = 3     # folders above the package the common folder may be (a layer pulled in by `paths`)
_WILDCARDS = ("*", "?", "{", "[")


@dataclass(frozen=True)
class BuildSources:
    """Where a build output folder comes from: the folders it may mirror (each exists, nearest
    guess first) and the `tsconfig.json` that says so ("" when only the folder's name does)."""

    folders: tuple[str, ...]
    config: str = ""


def conventional_sources(folder: str) -> list[str]:
    """The source folders a bundler's output folder mirrors by its name alone: `api/dist/handlers`
    (esbuild, tsc output, not committed) is built from `api/src/handlers`, where the handler's
    module sits under the same name with a TypeScript or JavaScript suffix."""
    parts = folder.split("/")
    return ["/".join([*parts[:index], "src", *parts[index + 1:]])
            for index, part in enumerate(parts) if part in CONVENTIONAL_OUTPUT][:1]


def compiled_sources(workspace: Workspace, path: str, cache: dict[Any, Any] | None = None) -> BuildSources | None:
    """The source folders `path` (repo-relative, not in the repository) mirrors as the `outDir` of
    the nearest `tsconfig.json` above it whose output holds it; None when no such config says so,
    or none of the folders it names exists."""
    resolved = workspace.resolve(path)
    if resolved is None or resolved == "." or workspace.exists(resolved):
        return None
    parts = resolved.split("/")
    for depth in range(len(parts) - 1, max(-1, len(parts) - 1 - MAX_CONFIG_LEVELS), -1):
        package = "/".join(parts[:depth]) or "."
        config = posixpath.join(package, CONFIG_NAME) if package != "." else CONFIG_NAME
        if not workspace.exists(config):
            continue
        folders = _mirrored(workspace, cached_chain(workspace, config, cache), resolved, package)
        if folders:
            return BuildSources(tuple(folders), config)
    return None


def _mirrored(workspace: Workspace, chain: list[ConfigFile], path: str, package: str) -> list[str]:
    """The existing folders `path` mirrors under this config's `outDir` (none when it is not under it)."""
    out = setting(chain, "outDir")
    out_dir = _joined(workspace, out[1], out[0]) if out is not None and isinstance(out[0], str) else None
    if out_dir is None or out_dir == package or not _under(path, out_dir):
        return []     # no outDir (tsc writes beside the sources), or one that does not hold the path
    rest = path[len(out_dir):].lstrip("/") if out_dir != "." else path
    root = setting(chain, "rootDir")
    if root is not None and isinstance(root[0], str):
        roots = [_joined(workspace, root[1], root[0])]
    else:
        roots = _common_folders(workspace, chain, package, rest)
    found: list[str] = []
    for base in roots:
        candidate = _joined(workspace, base, rest) if base is not None else None
        if candidate is not None and candidate not in found and not _under(candidate, out_dir) \
                and workspace.is_dir(candidate):
            found.append(candidate)
    return found


def _common_folders(workspace: Workspace, chain: list[ConfigFile], package: str, rest: str) -> list[str | None]:
    """Without `rootDir`, the folders the compiler's inputs may have in common: the leading folder
    of each `include` entry (`src/**/*.ts`; `src` when none is written), the package itself, and a
    folder above it when the output's path starts with the way down to the package (`dist/push-sender/src`:
    `paths` pulled in `../layers/base/src`, so the common folder is the one above `push-sender`)."""
    include = setting(chain, "include", top_level=True)
    leads: list[str | None] = []
    entries = include[0] if include is not None and isinstance(include[0], list) else None
    for entry in (entries or [])[:MAX_INCLUDES]:
        lead = _leading_folder(entry) if isinstance(entry, str) else None
        if lead is not None and include is not None:
            leads.append(_joined(workspace, include[1], lead))
    if entries is None:
        leads.append(_joined(workspace, package, "src"))
    leads.append(package)
    below = ""
    above = package
    for _ in range(MAX_PACKAGE_DEPTH):
        if above in ("", "."):
            break
        above, name = posixpath.split(above)
        below = posixpath.join(name, below) if below else name
        if rest == below or rest.startswith(below + "/"):
            leads.append(above or ".")
    return leads


def _leading_folder(entry: str) -> str | None:
    """`src/**/*.ts` → `src`; `./lib` → `lib`; `**/*` → `.` (the package itself)."""
    kept: list[str] = []
    for part in entry.split("/"):
        if part in ("", ".") or any(mark in part for mark in _WILDCARDS):
            if part not in ("", "."):
                break
            continue
        kept.append(part)
    if kept and "." in kept[-1] and entry.rstrip("/").split("/")[-1] == kept[-1]:
        kept.pop()    # `src/index.ts`: a file, whose folder is the lead
    return "/".join(kept) or "."


def _joined(workspace: Workspace, folder: str, relative: str) -> str | None:
    if relative.startswith("/"):
        return None
    return workspace.resolve(posixpath.join(folder, relative) if folder not in ("", ".") else relative or ".")


def _under(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(folder + "/")


def kept_code_path(workspace: Workspace, path: str) -> bool:
    """Whether a declaration's code path is worth keeping: it is in the repository, or it is a
    TypeScript build's output or a projen bundle whose source is (the code's reader then reads
    that source)."""
    return workspace.exists(path) or compiled_sources(workspace, path) is not None \
        or bundled_entry(workspace, path) is not None
