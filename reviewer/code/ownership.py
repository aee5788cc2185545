"""Which files are a function's code: the directories the inventory resolves, and who owns each file.

Every format reader fills `Function.code_path` (SAM `CodeUri`, Serverless service paths, Terraform
`source_dir`/`filename`, CDK asset paths): a repo-relative directory or file. The code engines
(bandit over the source, pip-audit over the dependency files) review exactly what those paths
hold, and each finding names the functions whose package contains the file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from reviewer.model import Function
from reviewer.workspace import Workspace

PYTHON_SUFFIXES = (".py",)


@dataclass
class SourceMap:
    """Python files to review, each with the (sorted) names of the functions that ship it.

    A file with no owner is there because `scan-all-python` asked for every Python file.
    """

    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return sorted(self.owners)


def code_directory(workspace: Workspace, function: Function) -> str | None:
    """The directory holding a function's code: `code_path` itself, or the folder of a file path.

    None when the function has no local code (inline code, a container image, an S3 location)
    or the path does not exist inside the workspace.
    """
    if not function.code_path:
        return None
    path = workspace.resolve(function.code_path)
    if path is None or not workspace.exists(path):
        return None
    if workspace.is_dir(path):
        return path
    parent = str(PurePosixPath(path).parent)
    return parent if parent not in ("", ".") else "."


def is_under(rel: str, directory: str) -> bool:
    """Whether a repo-relative file lies in `directory` (`.` is the whole repository)."""
    return directory == "." or rel == directory or rel.startswith(directory.rstrip("/") + "/")


def python_sources(workspace: Workspace, functions: list[Function], scan_all: bool = False) -> SourceMap:
    """Every Python file that belongs to a function's code path (plus all others when `scan_all`).

    The workspace is walked once; links, build output and `exclude` globs are skipped there.
    """
    roots: dict[str, set[str]] = defaultdict(set)   # code path (dir or .py file) -> function names
    for function in functions:
        if not function.code_path:      # images have one when the Dockerfile's build context is known
            continue
        path = workspace.resolve(function.code_path)
        if path is None or not workspace.exists(path):
            continue
        if workspace.is_dir(path) or path.endswith(PYTHON_SUFFIXES):
            roots[path].add(function.name)
    owners: dict[str, tuple[str, ...]] = {}
    if not roots and not scan_all:
        return SourceMap(owners)
    for rel in workspace.iter_files(PYTHON_SUFFIXES):
        names: set[str] = set(roots.get(rel, ())) | set(roots.get(".", ()))
        for parent in PurePosixPath(rel).parents:       # each ancestor directory: O(depth), not O(functions)
            names.update(roots.get(str(parent), ()))
        if names or scan_all:
            owners[rel] = tuple(sorted(names))
    return SourceMap(owners)
