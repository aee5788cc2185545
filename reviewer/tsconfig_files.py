"""A `tsconfig.json` read as data: JSON with the comments and trailing commas TypeScript accepts, and the
files it `extends` by relative path.

Three readers need it: a serverless.ts import's `paths` alias (`inventory/serverless/script_imports.py`),
a handler's (`code/javascript_aliases.py`), and the source folder a TypeScript build output mirrors
(`code/build_sources.py`). Each option's
relative paths are relative to the file that sets it, so the chain is given file by file rather than
merged. A package's config (`"extends": "@tsconfig/node20"`) is not followed: it is outside the
repository.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from reviewer import source_trees as st
from reviewer.workspace import UnreadableFile, Workspace

CONFIG_NAME = "tsconfig.json"
MAX_EXTENDS = 4          # `extends` chains followed before giving up (they may loop)
MAX_NESTING = 32         # levels of a tolerant tsconfig read; deeper values are dropped


@dataclass(frozen=True)
class ConfigFile:
    """One file of a tsconfig's `extends` chain: its folder (what its relative paths start from) and content."""

    directory: str
    document: dict[str, object]

    @property
    def compiler_options(self) -> dict[str, object]:
        options = self.document.get("compilerOptions")
        return options if isinstance(options, dict) else {}


def config_chain(workspace: Workspace, rel: str) -> list[ConfigFile] | None:
    """`rel` and the files it extends, nearest first (the nearer file's settings win, as in
    TypeScript); None when `rel` itself is no readable JSON object."""
    chain: list[ConfigFile] = []
    seen: set[str] = set()
    current: str | None = rel
    while current is not None and current not in seen and len(seen) <= MAX_EXTENDS:
        seen.add(current)
        document = _json_file(workspace, current)
        if document is None:
            break
        here = posixpath.dirname(current)
        chain.append(ConfigFile(here, document))
        parent = document.get("extends")
        current = _relative_config(here, parent) if isinstance(parent, str) else None
    return chain or None


def cached_chain(workspace: Workspace, rel: str, cache: dict[Any, Any] | None) -> list[ConfigFile]:
    """`config_chain`, empty for no readable config, kept in the scan's `cache` (several readers ask
    for the same package's config)."""
    key = ("tsconfig-chain", rel)
    if cache is not None and key in cache:
        kept: list[ConfigFile] = cache[key]
        return kept
    chain = config_chain(workspace, rel) or []
    if cache is not None:
        cache[key] = chain
    return chain


def setting(chain: list[ConfigFile], name: str, top_level: bool = False) -> tuple[object, str] | None:
    """The value of a compiler option (or, `top_level`, of a key such as `include`) the chain sets,
    with the folder of the file that sets it; None when no file does."""
    for config in chain:
        values = config.document if top_level else config.compiler_options
        if name in values:
            return values[name], config.directory
    return None


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
