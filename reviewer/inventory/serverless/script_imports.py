"""Where a serverless.ts import points inside the repository, read as data (never resolved by running).

`import { hello } from './functions/hello'` and `import functions from '@functions/index'` name a
file of the repository: the relative specifier is tried as written and with the extensions and
`index` files Node and TypeScript try; a `compilerOptions.paths` alias is read from the
`tsconfig.json` beside the service or at the repository root (JSON with the comments and trailing
commas TypeScript accepts, `reviewer.tsconfig_files`), and from the files it
`extends` by relative path (the starter template keeps `paths` in `tsconfig.paths.json`); a bare
specifier no alias matches is tried under the `baseUrl` (`import functions from 'functions'`), as
TypeScript does. Package imports and anything outside the workspace give None.
"""

from __future__ import annotations

import posixpath

from reviewer.tsconfig_files import config_chain
from reviewer.workspace import Workspace

EXTENSIONS = ("", ".ts", ".js", ".mts", ".mjs", ".cts", ".cjs")
INDEXES = ("/index.ts", "/index.js", "/index.mjs", "/index.cjs")
MAX_ALIAS_TARGETS = 5


def module_file(workspace: Workspace, importer: str, specifier: str) -> str | None:
    """The repository file `specifier` names when imported from `importer`, or None."""
    directory = posixpath.dirname(importer)
    if specifier.startswith(("./", "../")):
        return _existing(workspace, posixpath.join(directory, specifier))
    for base in _alias_targets(workspace, directory, specifier):
        found = _existing(workspace, base)
        if found is not None:
            return found
    return None


def _existing(workspace: Workspace, path: str) -> str | None:
    path = posixpath.normpath(path)
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    for candidate in [path + ext for ext in EXTENSIONS] + [path + index for index in INDEXES]:
        candidate = candidate.removeprefix("./")
        if workspace.exists(candidate) and not workspace.is_dir(candidate):
            return candidate
    return None


def _alias_targets(workspace: Workspace, directory: str, specifier: str) -> list[str]:
    """`@functions/hello` through `"paths": {"@functions/*": ["src/functions/*"]}` → `src/functions/hello`."""
    for config_dir in dict.fromkeys((directory, "")):
        found = _compiler_options(workspace, posixpath.join(config_dir, "tsconfig.json").removeprefix("/"))
        if found is None:
            continue
        options, root = found
        paths = options.get("paths")
        targets: list[str] = []
        for pattern, replacements in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(pattern, str) or not isinstance(replacements, list):
                continue
            prefix, star, suffix = pattern.partition("*")
            if star and specifier.startswith(prefix) and specifier.endswith(suffix) and \
                    len(specifier) >= len(prefix) + len(suffix):
                matched = specifier[len(prefix):len(specifier) - len(suffix)]
            elif not star and specifier == pattern:
                matched = ""
            else:
                continue
            targets.extend(posixpath.join(root, r.replace("*", matched))
                           for r in replacements[:MAX_ALIAS_TARGETS] if isinstance(r, str))
        if not targets and isinstance(options.get("baseUrl"), str):
            # `import functions from 'functions'` with `"baseUrl": "."`: TypeScript (and the
            # tsconfig-paths loader Serverless runs serverless.ts with) looks beside the baseUrl
            targets.append(posixpath.join(root, specifier))
        if targets:
            return targets
    return []


def _compiler_options(workspace: Workspace, rel: str) -> tuple[dict[str, object], str] | None:
    """The `compilerOptions` of a tsconfig merged over those of the files it `extends` (the nearer
    file wins, as in TypeScript), with the directory its `paths` are relative to: the `baseUrl` of
    the file that sets it, else the directory of the file that sets `paths`."""
    chain = config_chain(workspace, rel)
    if chain is None:
        return None
    merged: dict[str, object] = {}
    root: str | None = None
    for config in chain:
        options = config.compiler_options
        if root is None and isinstance(options.get("baseUrl"), str):
            root = posixpath.join(config.directory, str(options["baseUrl"]))
        if root is None and "paths" in options and "paths" not in merged:
            root = config.directory
        merged = {**options, **merged}
    return merged, root if root is not None else posixpath.dirname(rel)
