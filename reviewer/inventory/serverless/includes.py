"""`${file(./x.yml)}` and `${file(./x.yml):key}`: the part of a serverless.yml written in another file.

Serverless reads such a file as data when it loads the service, so a service may keep its functions,
its whole `provider` or its resources there. The review reads the file the same way (a YAML or JSON
file of the repository, bounded, never through a link out of the workspace) and marks every value
with the file it came from, so a fact read from it points into that file, not the service's.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.serverless.value_sources import mark_source
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.workspace import UnreadableFile, Workspace

# Serverless's own syntax, the whole value one variable: `${file(./functions.yml):functions}`.
FILE_VARIABLE = re.compile(r"^\$\{file\((?P<path>[^)]+)\)(?::(?P<key>[A-Za-z0-9_.-]+))?\}$")


def is_file_variable(value: Any) -> bool:
    """Whether a value is one `${file(...)}` variable (the only kind `included_document` follows)."""
    return isinstance(value, str) and FILE_VARIABLE.match(value.strip()) is not None


def included_document(workspace: Workspace, directory: str, value: str) -> Any:
    """The document (or its `key` part) that `${file(...)}` names, relative to the service's
    `directory`; None when the value is another variable, names no YAML or JSON file of the
    repository, or the file cannot be read or parsed."""
    match = FILE_VARIABLE.match(value.strip())
    if match is None:
        return None
    written = match.group("path").strip().strip("'\"")
    rel = workspace.resolve(str(PurePosixPath(directory) / written))
    if rel is None or not rel.lower().endswith((".yml", ".yaml", ".json")):
        return None
    try:
        document = load_yaml(workspace.read_text(rel))
    except (UnreadableFile, DocumentError):
        return None
    for part in (match.group("key") or "").split(".") if match.group("key") else []:
        document = document.get(part) if isinstance(document, LocatedMap) else None
    mark_source(document, rel)
    return document
