"""The file a value of a Serverless service was written in, when it is not the service's own.

A serverless.ts may spread settings from an imported module, and a serverless.yml may take a part of
another YAML or JSON file (`${file(../common.yml):provider}`): every mapping, list and string of
such a part is marked with its file (`source_path`), so a fact read from it (a runtime, a policy
statement, an environment variable) is located in that file, where a fix is made.
"""

from __future__ import annotations

from typing import Any

from reviewer.located import LocatedList, LocatedMap, LocatedStr

MAX_DEPTH = 60


def mark_source(value: Any, path: str, depth: int = 0) -> None:
    """Record on every mapping, list and string of an imported module the file it was written in."""
    if depth > MAX_DEPTH or not isinstance(value, (LocatedMap, LocatedList, LocatedStr)):
        return
    if getattr(value, "source_path", None) is None:
        if isinstance(value, LocatedStr):
            # a loaded string shares its line attributes with every string of those lines
            # (`located._with_lines`): it gets its own before it is marked
            value.__dict__ = {**value.__dict__, "source_path": path}
        else:
            value.source_path = path    # type: ignore[union-attr]
    children = value.values() if isinstance(value, LocatedMap) else value if isinstance(value, LocatedList) else []
    for child in children:
        mark_source(child, path, depth + 1)


def key_sources(mapping: LocatedMap) -> dict[str, str]:
    """The file each key spread into `mapping` from an imported module was written in."""
    if not hasattr(mapping, "key_sources"):
        mapping.key_sources = {}    # type: ignore[attr-defined]
    sources: dict[str, str] = mapping.key_sources     # type: ignore[attr-defined]
    return sources
