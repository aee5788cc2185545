"""The folders of the repository a Python CDK app installs as packages of its own (path dependencies).

AWS Solutions repositories keep their CDK helpers in a package beside the app
(`source/cdk_solution_helper_py/helpers_cdk/aws_solutions/cdk/...`) and install it from a path:
`aws-solutions-cdk = {path = "cdk_solution_helper_py/helpers_cdk", develop = true}` in
`source/pyproject.toml` (Poetry; uv's `[tool.uv.sources]` is the same table shape), or
`-e cdk_solution_helper_py/helpers_cdk` in `source/requirements.txt`. The app then imports
`from aws_solutions.cdk.aws_lambda.python.function import SolutionsPythonFunction`, a module that
is neither under the app's folder nor the repository's root: it is under one of these folders.

The dependency files are looked for in the importing file's folder and the folders above it (the
app's and the repository's layouts vary); a path is taken relative to its file's folder, or, as
pip takes an `-e` line relative to where it runs, to the repository's root. Only a folder of the
repository is kept (a package's `src/` layout too); nothing is installed or run.
"""

from __future__ import annotations

import tomllib
from pathlib import PurePosixPath
from typing import Any

from reviewer.workspace import UnreadableFile, Workspace

# How many folders above a file are looked at for its dependency files.
MAX_LEVELS = 12
# How many path dependencies one folder's files may name.
MAX_ROOTS = 20
_REQUIREMENTS_PREFIX = "requirements"
_PYPROJECT = "pyproject.toml"


class PathDependencies:
    """One scan's answers to "which package folders may `import x` reach from this file?"."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._folders: dict[str, tuple[str, ...]] = {}   # folder → the roots its own files name

    def roots(self, rel: str) -> tuple[str, ...]:
        """The package folders the dependency files of `rel`'s folder and those above it name."""
        found: list[str] = []
        folder = PurePosixPath(rel).parent
        for _ in range(MAX_LEVELS):
            found += self._named_in(str(folder))
            if str(folder) == ".":
                break
            folder = folder.parent
        return tuple(dict.fromkeys(found))

    def _named_in(self, folder: str) -> tuple[str, ...]:
        if folder not in self._folders:
            self._folders[folder] = self._read(folder)
        return self._folders[folder]

    def _read(self, folder: str) -> tuple[str, ...]:
        entries = self.workspace.entries(folder)
        named: list[str] = []
        for name, kind in sorted(entries.items()):
            if kind != "file":
                continue
            if name == _PYPROJECT:
                named += _pyproject_paths(self._text(_join(folder, name)))
            elif name.startswith(_REQUIREMENTS_PREFIX) and name.endswith((".txt", ".in")):
                named += _requirement_paths(self._text(_join(folder, name)))
        roots: list[str] = []
        for path in named[:MAX_ROOTS]:
            for base in (folder, "."):
                root = self.workspace.resolve(_join(base, path))
                if root is not None and self.workspace.is_dir(root) and not self.workspace.crosses_link(root):
                    roots.append(root)
                    src = _join(root, "src")
                    if self.workspace.is_dir(src):
                        roots.append(src)
                    break
        return tuple(roots)

    def _text(self, rel: str) -> str:
        try:
            return self.workspace.read_text(rel)
        except UnreadableFile:
            return ""


def _pyproject_paths(text: str) -> list[str]:
    """`name = {path = "x"}` under Poetry's dependency tables or uv's `[tool.uv.sources]`."""
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return []
    tool = _table(document, "tool")
    poetry, uv = _table(tool, "poetry"), _table(tool, "uv")
    tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies"), _table(uv, "sources")]
    tables += [_table(group, "dependencies") for group in _table(poetry, "group").values()]
    return [str(spec["path"]) for table in tables for spec in table.values()
            if isinstance(spec, dict) and isinstance(spec.get("path"), str)]


def _requirement_paths(text: str) -> list[str]:
    """`-e path`, `--editable=path` or a bare local path (`./lib`, `../helpers`) of a requirements file."""
    paths = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        for option in ("-e ", "--editable ", "--editable="):
            if line.startswith(option):
                line = line[len(option):].strip()
                break
        else:
            if not line.startswith(("./", "../")):
                continue
        line = line.removeprefix("file:").split("#", 1)[0].split("[", 1)[0].strip()
        if line and "://" not in line and not line.startswith(("/", "git+")):
            paths.append(line.rstrip("/"))
    return paths


def _table(document: Any, key: str) -> dict[str, Any]:
    value = document.get(key) if isinstance(document, dict) and key else None
    return value if isinstance(value, dict) else {}


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


__all__ = ["PathDependencies"]
