"""Template fragments that `rain merge` assembles into one template before it is deployed.

A large SAM application may keep its template in pieces: `auth/parent.yaml` holds the transform,
the parameters and `Globals`, and `auth/function/login.yaml`, `auth/api/external.yaml` one
function or API each; the pipeline deploys `rain merge $(find auth -name '*.yaml')`. Read alone, a
fragment's functions lose what `Globals` gives them all (the runtime, code signing, the shared
environment), so every one of them showed an unresolved runtime and a code signing notice.

A fragment is known by what it cannot do alone: it declares `AWS::Serverless::` resources without
the SAM transform, which CloudFormation rejects unless another template brings it. Its parent is
the one template of the nearest folder at or above the fragment's (three folders at most) that
has the transform and `Globals`; with two such templates there, or none within reach, the fragment
is read alone, as before. Only the parent's `Globals.Function` and `Parameters` are taken, with
the parent's file and lines, so a finding on a value of `Globals` points where it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterable

from reviewer.located import LocatedMap, as_mapping

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAM_TYPE_PREFIX = "AWS::Serverless::"
# The fragment's own folder and the two above it: `auth/function/login.yaml` → `auth/function`, `auth`, `.`.
MAX_FOLDERS_UP = 3


@dataclass(frozen=True)
class MergeParent:
    """The template a fragment is merged into: its path, `Globals.Function` and `Parameters`."""

    path: str
    globals_function: LocatedMap
    parameters: LocatedMap


def has_sam_transform(document: LocatedMap) -> bool:
    transform = document.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(name, str) and name.strip() == SAM_TRANSFORM for name in names)


def is_fragment(document: LocatedMap) -> bool:
    """A template that declares SAM resources without the SAM transform (or `Globals`)."""
    if has_sam_transform(document) or "Globals" in document:
        return False
    resources = document.get("Resources")
    return isinstance(resources, LocatedMap) and any(
        isinstance(resource, LocatedMap) and str(resource.get("Type", "")).startswith(SAM_TYPE_PREFIX)
        for resource in resources.values())


class MergeParents:
    """Finds each fragment's parent among the templates of one scan, each candidate loaded once."""

    def __init__(self, files: Iterable[str], load: Callable[[str], LocatedMap | None]) -> None:
        self._by_folder: dict[str, list[str]] = {}
        for rel in files:
            self._by_folder.setdefault(str(PurePosixPath(rel).parent), []).append(rel)
        self._load = load
        self._parents: dict[str, MergeParent | None] = {}

    def parent_of(self, rel: str) -> MergeParent | None:
        folder = PurePosixPath(rel).parent
        for _ in range(MAX_FOLDERS_UP):
            found = [parent for candidate in self._by_folder.get(str(folder), []) if candidate != rel
                     and (parent := self._parent(candidate)) is not None]
            if found:
                return found[0] if len(found) == 1 else None
            if str(folder) == ".":
                return None
            folder = folder.parent
        return None

    def _parent(self, rel: str) -> MergeParent | None:
        if rel not in self._parents:
            document = self._load(rel)
            globals_function = as_mapping(as_mapping(document.get("Globals")).get("Function")) if document is not None else None
            self._parents[rel] = MergeParent(rel, globals_function, as_mapping(document.get("Parameters"))) \
                if document is not None and globals_function and has_sam_transform(document) else None
        return self._parents[rel]


