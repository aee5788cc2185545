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

# Manifests and lock files of Node.js package managers, and of the other languages' (Python's: `dependency_names`).
NODE_DEPENDENCY_FILES = frozenset(("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
                                   "pnpm-lock.yaml", "bun.lock"))
OTHER_DEPENDENCY_FILES = frozenset(("go.mod", "go.sum", "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle",
                                    "build.gradle.kts", "Cargo.toml", "Cargo.lock", "composer.json", "composer.lock"))
_FAMILIES = ("node", "python", "other")


def edited_package_files(functions: Iterable[Function], changed_paths: Iterable[str]) -> list[str]:
    """The changed dependency files (sorted, nearest to the code first) in a function's code folder
    or a folder above it (the package, workspace or repository root its dependencies come from), of
    the function's language: a repository's root `package.json` of developer tools is no dependency
    file of a Python function. A function whose runtime is not written counts for every language."""
    candidates = [(path, family) for path in changed_paths
                  if (family := _family(posixpath.basename(path))) is not None]
    if not candidates:
        return []
    folders: dict[str, set[str]] = {family: set() for family in _FAMILIES}
    for function in functions:
        package_folders = _package_folders(function.code_path)
        for family in _runtime_families(function.runtime):
            folders[family].update(package_folders)
    edited = [path for path, family in candidates if (posixpath.dirname(path) or ".") in folders[family]]
    return sorted(edited, key=lambda path: (-path.count("/"), path))


def _runtime_families(runtime: str | None) -> tuple[str, ...]:
    """The families of dependency files a function of this runtime installs from (all when unknown)."""
    lowered = (runtime or "").lower()
    if not lowered:
        return _FAMILIES
    return ("node",) if lowered.startswith("nodejs") else ("python",) if lowered.startswith("python") else ("other",)


def _family(name: str) -> str | None:
    if name in NODE_DEPENDENCY_FILES:
        return "node"
    if is_dependency_file_name(name):
        return "python"
    return "other" if name in OTHER_DEPENDENCY_FILES else None


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
