"""The entry file a projen Lambda bundle is built from, when the bundle is not in the repository.

A projen construct library (and a projen CDK app) writes each function as one entry file,
`src/providers/update-lambda.lambda.ts`; `projen bundle` has esbuild write it to
`assets/providers/update-lambda.lambda/index.js`, and the construct projen generates beside it
deploys that folder: `Code.fromAsset(path.join(__dirname, '../../assets/providers/update-lambda.lambda'))`
with the handler `index.handler`. The bundle is built in CI and never committed, so without this
every such function read as a package built elsewhere: no code read for the loop check, and the
entry file judged alone, with no trigger known, as if no template declared it.

The bundle folder mirrors the entry's path below `src`: `<project>/assets/<path>` comes from
`<project>/src/<path>.ts`. Only that one file is looked for (a few suffixes, a few `assets`
folders of the path), and only when the bundle folder itself is not in the repository.
"""

from __future__ import annotations

from reviewer.workspace import Workspace

BUNDLE_FOLDER = "assets"
SOURCE_FOLDER = "src"
# The module esbuild writes the bundle to: a handler naming another is not this bundle's.
ENTRY_MODULE = "index"
ENTRY_SUFFIXES = (".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")
MAX_BUNDLE_FOLDERS = 3    # `assets` folders of one path tried, nearest the bundle first


def bundled_entry(workspace: Workspace, folder: str | None) -> str | None:
    """The entry file (repo-relative) projen bundles into `folder`, a code folder not in the
    repository (`assets/setup.lambda` → `src/setup.lambda.ts`); None when `folder` exists or
    mirrors no such file."""
    resolved = workspace.resolve(folder) if folder else None
    if resolved is None or resolved == "." or workspace.exists(resolved):
        return None
    parts = resolved.split("/")
    tried = 0
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] != BUNDLE_FOLDER:
            continue
        tried += 1
        if tried > MAX_BUNDLE_FOLDERS:
            return None
        base = "/".join([*parts[:index], SOURCE_FOLDER, *parts[index + 1:]])
        for suffix in ENTRY_SUFFIXES:
            candidate = base + suffix
            if workspace.exists(candidate) and not workspace.is_dir(candidate) \
                    and not workspace.is_excluded(candidate):
                return candidate
    return None


def bundled_handler_file(workspace: Workspace, code_root: str, module: str) -> str | None:
    """The entry file the handler module `index` of a projen bundle folder was built from."""
    return bundled_entry(workspace, code_root) if module == ENTRY_MODULE else None


__all__ = ["BUNDLE_FOLDER", "ENTRY_MODULE", "bundled_entry", "bundled_handler_file"]
