"""`${file(./x.yml)}` and `${file(./x.yml):key}`: the part of a serverless.yml written in another file.

Serverless reads such a file as data when it loads the service, so a service may keep its functions,
its whole `provider` or its resources there. The review reads the file the same way (a YAML or JSON
file of the repository, bounded, never through a link out of the workspace) and marks every value
with the file it came from, so a fact read from it points into that file, not the service's. Every
file a service names so, read or not, is an input of its functions (`Function.declaration_inputs`):
a change to it touches them, as Serverless reads it again on each deploy.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.serverless.framework_yaml import framework_text
from reviewer.inventory.serverless.value_sources import mark_source
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.workspace import UnreadableFile, Workspace

# Serverless's own syntax, the whole value one variable: `${file(./functions.yml):functions}`.
FILE_VARIABLE = re.compile(r"^\$\{file\((?P<path>[^)]+)\)(?::(?P<key>[A-Za-z0-9_.-]+))?\}$")
# A `${file(...)}` anywhere in a string, its path free of other variables (linear: no nesting).
FILE_REFERENCE = re.compile(r"\$\{file\((?P<path>[^()${}]+)\)")
MAX_WALK_DEPTH = 60
MAX_VISITED = 200_000


def is_file_variable(value: Any) -> bool:
    """Whether a value is one `${file(...)}` variable (the only kind `included_document` follows)."""
    return isinstance(value, str) and FILE_VARIABLE.match(value.strip()) is not None


def named_files(workspace: Workspace, directory: str, document: Any) -> set[str]:
    """The files of the repository any `${file(...)}` of the service names (YAML, JSON, a script), wherever
    it is written (`region: ${file(../common.yml):provider.region}`, inside a longer string too):
    the Framework reads them all when it loads the service, whether or not the review needs the
    value. A path built from another variable names no one file and is left out. One walk,
    bounded in depth and in the values it visits."""
    found: set[str] = set()
    stack: list[tuple[Any, int]] = [(document, 0)]
    visited = 0
    while stack and visited < MAX_VISITED:
        value, depth = stack.pop()
        visited += 1
        if isinstance(value, str):
            if "${file(" in value:
                for match in FILE_REFERENCE.finditer(value):
                    rel = _repository_path(workspace, directory, match.group("path"))
                    if rel is not None:
                        found.add(rel)
        elif depth < MAX_WALK_DEPTH and isinstance(value, (dict, list)):
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return found


def included_file(workspace: Workspace, directory: str, value: str) -> str | None:
    """The repository path of the YAML or JSON file `${file(...)}` names, relative to the
    service's `directory`, whether or not it exists; None when the value is another variable or
    names no such path of the repository."""
    match = FILE_VARIABLE.match(value.strip())
    if match is None:
        return None
    rel = _repository_path(workspace, directory, match.group("path"))
    if rel is None or not rel.lower().endswith((".yml", ".yaml", ".json")):
        return None
    return rel


def _repository_path(workspace: Workspace, directory: str, written: str) -> str | None:
    """The repository path `file(...)` names, relative to the service's folder (quotes dropped)."""
    return workspace.resolve(str(PurePosixPath(directory) / written.strip().strip("'\"")))


def included_document(workspace: Workspace, directory: str, value: str) -> Any:
    """The document (or its `key` part) that `${file(...)}` names, relative to the service's
    `directory`; None when the value is another variable, names no YAML or JSON file of the
    repository, or the file cannot be read or parsed (as the Framework parses it: `framework_yaml`)."""
    match = FILE_VARIABLE.match(value.strip())
    rel = included_file(workspace, directory, value)
    if match is None or rel is None:
        return None
    try:
        document = load_yaml(framework_text(workspace.read_text(rel)))
    except (UnreadableFile, DocumentError):
        return None
    for part in (match.group("key") or "").split(".") if match.group("key") else []:
        document = document.get(part) if isinstance(document, LocatedMap) else None
    mark_source(document, rel)
    return document
