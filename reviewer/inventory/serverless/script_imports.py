"""Where a serverless.ts import points inside the repository, read as data (never resolved by running).

`import { hello } from './functions/hello'` and `import functions from '@functions/index'` name a
file of the repository: the relative specifier is tried as written and with the extensions and
`index` files Node and TypeScript try; a `compilerOptions.paths` alias is read from the
`tsconfig.json` beside the service or at the repository root (JSON with the comments and trailing
commas TypeScript accepts, read as a JavaScript object literal by tree-sitter), and from the files it
`extends` by relative path (the starter template keeps `paths` in `tsconfig.paths.json`); a bare
specifier no alias matches is tried under the `baseUrl` (`import functions from 'functions'`), as
TypeScript does. Package imports and anything outside the workspace give None.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from reviewer import source_trees as st
from reviewer.workspace import UnreadableFile, Workspace

EXTENSIONS = ("", ".ts", ".js", ".mts", ".mjs", ".cts", ".cjs")
INDEXES = ("/index.ts", "/index.js", "/index.mjs", "/index.cjs")
MAX_ALIAS_TARGETS = 5
MAX_EXTENDS = 4          # `extends` chains followed before giving up (they may loop)
MAX_NESTING = 32         # levels of a tolerant tsconfig read; deeper values are dropped


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
    merged: dict[str, object] = {}
    root: str | None = None
    seen: set[str] = set()
    current: str | None = rel
    while current is not None and current not in seen and len(seen) <= MAX_EXTENDS:
        seen.add(current)
        document = _json_file(workspace, current)
        if document is None:
            if current == rel:
                return None
            break
        here = posixpath.dirname(current)
        options = document.get("compilerOptions")
        if isinstance(options, dict):
            if root is None and isinstance(options.get("baseUrl"), str):
                root = posixpath.join(here, str(options["baseUrl"]))
            if root is None and "paths" in options and "paths" not in merged:
                root = here
            merged = {**options, **merged}
        parent = document.get("extends")
        current = _relative_config(here, parent) if isinstance(parent, str) else None
    return merged, root if root is not None else posixpath.dirname(rel)


def _relative_config(directory: str, parent: str) -> str | None:
    """`"extends": "./tsconfig.paths.json"`: a file of the repository; a package's config is not followed."""
    if not parent.startswith(("./", "../")):
        return None
    path = posixpath.normpath(posixpath.join(directory, parent))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path if path.endswith(".json") else path + ".json"


def _json_file(workspace: Workspace, rel: str) -> dict[str, object] | None:
    if not workspace.exists(rel) or workspace.is_dir(rel):
        return None
    try:
        text = workspace.read_text(rel)
    except UnreadableFile:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        document = _tolerant_json(text)
    return document if isinstance(document, dict) else None


def _tolerant_json(text: str) -> object:
    """A tsconfig with `//` comments or trailing commas (which `tsc` accepts): the text read as a
    JavaScript object literal, keeping only literal values. None when it is not one."""
    tree = st.parse("javascript", f"({text}\n)")
    statement = tree.root_node.named_children[0] if tree.root_node.named_children else None
    node = st.unwrap(statement.named_children[0]) if statement is not None and statement.named_children else None
    return _literal(node, 0) if node is not None and not tree.root_node.has_error else None


def _literal(node: Any, depth: int) -> object:
    if depth > MAX_NESTING:
        return None
    if node.type == "object":
        entries: dict[str, object] = {}
        for pair in node.named_children:
            if pair.type == "pair":
                key = pair.child_by_field_name("key")
                name = st.string_value(key) if key is not None and key.type == "string" else st.text(key)
                value = st.unwrap(pair.child_by_field_name("value"))
                if name and value is not None:
                    entries[name] = _literal(value, depth + 1)
        return entries
    if node.type == "array":
        return [_literal(item, depth + 1) for item in node.named_children if item.type != "comment"]
    if node.type in ("true", "false"):
        return node.type == "true"
    return st.string_value(node) if node.type in ("string", "template_string") else None
