"""Where a serverless.ts import points inside the repository, read as data (never resolved by running).

`import { hello } from './functions/hello'` and `import functions from '@functions/index'` name a
file of the repository: the relative specifier is tried as written and with the extensions and
`index` files Node and TypeScript try; a `compilerOptions.paths` alias is read from the
`tsconfig.json` beside the service or at the repository root (JSON only). Package imports and
anything outside the workspace give None.
"""

from __future__ import annotations

import json
import posixpath

from reviewer.workspace import UnreadableFile, Workspace

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
        options = _compiler_options(workspace, posixpath.join(config_dir, "tsconfig.json").removeprefix("/"))
        if options is None:
            continue
        paths = options.get("paths")
        if not isinstance(paths, dict):
            continue
        base_url = options.get("baseUrl") if isinstance(options.get("baseUrl"), str) else "."
        root = posixpath.join(config_dir, str(base_url))
        targets: list[str] = []
        for pattern, replacements in paths.items():
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
        if targets:
            return targets
    return []


def _compiler_options(workspace: Workspace, rel: str) -> dict[str, object] | None:
    if not workspace.exists(rel):
        return None
    try:
        document = json.loads(workspace.read_text(rel))
    except (UnreadableFile, ValueError):
        return None     # tsconfig with comments or trailing commas: the alias stays unfollowed
    options = document.get("compilerOptions") if isinstance(document, dict) else None
    return options if isinstance(options, dict) else None
