"""Which dependency files of the functions' packages a change edits though it touches no function.

A function whose handler is an entry file (a CDK `NodejsFunction`, an esbuild bundle) has its
`package.json` and lock file beside or above that file, outside its code path, so editing them
touches no function (`ChangeFocus`). A release that bumps every package's `version` field edits
them all; the summary's focus note must then not say the change leaves the dependency files alone.
Only names are compared: nothing is read.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from reviewer.code.dependency_names import is_dependency_file_name
from reviewer.model import Function

# Manifests and lock files of the other languages' package managers (Python's: `dependency_names`).
OTHER_DEPENDENCY_FILES = frozenset((
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock",
    "go.mod", "go.sum", "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle", "build.gradle.kts",
    "Cargo.toml", "Cargo.lock", "composer.json", "composer.lock",
))


def edited_package_files(functions: Iterable[Function], changed_paths: Iterable[str]) -> list[str]:
    """The changed dependency files (sorted, nearest to the code first) in a function's code folder
    or a folder above it: the package, workspace or repository root its dependencies come from."""
    candidates = [path for path in changed_paths if _is_dependency_file(posixpath.basename(path))]
    if not candidates:
        return []
    folders: set[str] = set()
    for function in functions:
        folders.update(_package_folders(function.code_path))
    edited = [path for path in candidates if (posixpath.dirname(path) or ".") in folders]
    return sorted(edited, key=lambda path: (-path.count("/"), path))


def _is_dependency_file(name: str) -> bool:
    return name in OTHER_DEPENDENCY_FILES or is_dependency_file_name(name)


def _package_folders(code_path: str | None) -> list[str]:
    """The code path (a folder, or an entry file whose folder is then listed) and every folder above it."""
    if not code_path:
        return []
    path = posixpath.normpath(code_path.replace("\\", "/")).lstrip("/")
    if path == ".." or path.startswith("../"):
        return []
    folders = ["."]
    parts = [] if path == "." else path.split("/")
    for end in range(1, len(parts) + 1):
        folders.append("/".join(parts[:end]))
    return folders
