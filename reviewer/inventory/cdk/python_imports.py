"""String constants a Python CDK file imports from a module of its own repository.

Python CDK apps keep construct ids and asset folders in a constants module
(`from infrastructure.product import constants`, then `constants.CREATE_LAMBDA`): without it
every function of the file is named by the variable it is stored in, and its code location is
taken for a value computed when the app runs. The module is read with `ast`, never imported: only
a module-level assignment of a string literal, made once, is taken.

Modules are looked up as `python app.py` finds them: from the CDK app's folder (the one with
`cdk.json`), then from the repository's root, then from the importing file's own folder (an app
run as `python3 cdk/app.py` has `cdk/` first on its import path, and its modules there import
each other by their bare names, `import svend_l3`); a relative import from the importing file's
package.
"""

from __future__ import annotations

import ast
import posixpath
from pathlib import PurePosixPath
from typing import Callable

from reviewer.inventory.cdk.python_paths import asset_path
from reviewer.workspace import UnreadableFile, Workspace

# A dotted name longer than this is not a module path anyone writes.
MAX_MODULE_DEPTH = 12


class ModuleConstants:
    """One scan's answers to "what string does this imported name hold?", each module read once."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._modules: dict[str, dict[str, str]] = {}   # module file → its constants
        self._assigned: dict[str, dict[str, ast.expr] | None] = {}   # module file → its names assigned once

    def resolver(self, rel: str, app_root: str | None) -> Callable[[str], tuple[str, str] | None]:
        """`dotted → (str, module file) | None` for the file `rel`: `dotted` is the imported name in
        full (`infrastructure.product.constants.CREATE_LAMBDA`, or `.constants.NAME` when relative);
        the module file is an input of the functions the string names or places."""
        def resolve(dotted: str) -> tuple[str, str] | None:
            module, _, name = dotted.rpartition(".")
            if not module or not name:
                return None
            for path in module_files(rel, app_root, module):
                constants = self._constants(path)
                if constants is not None:
                    text = constants.get(name)
                    return (text, path) if text is not None else None
            return None
        return resolve

    def path_resolver(self, rel: str, app_root: str | None, packages: tuple[str, ...] = ()
                      ) -> Callable[[str], str | None]:
        """`dotted → repository folder | None` for the file `rel`: the folder a module-level path
        constant of an imported module names relative to that module's own file
        (`LAMBDA_PATH = Path(__file__).absolute().parents[3] / "aws_lambda"`), folded as
        `python_paths` folds an asset path."""
        def resolve(dotted: str) -> str | None:
            module, _, name = dotted.rpartition(".")
            if not module or not name:
                return None
            for path in module_files(rel, app_root, module, packages):
                values = self._assignments(path)
                if values is not None:
                    return _path_constant(values, path, name)
            return None
        return resolve

    def _assignments(self, path: str) -> dict[str, ast.expr] | None:
        """The module's names assigned once, or None when there is no such readable module."""
        if path not in self._assigned:
            values = None
            if self.workspace.exists(path) and not self.workspace.is_dir(path):
                try:
                    values = single_assignments(self.workspace.parsed.python(self.workspace.read_text(path), path))
                except (UnreadableFile, SyntaxError, ValueError, RecursionError, MemoryError):
                    values = None
            self._assigned[path] = values
        return self._assigned[path]

    def _constants(self, path: str) -> dict[str, str] | None:
        """The module's string constants, or None when there is no such readable module."""
        if path in self._modules:
            return self._modules[path]
        constants: dict[str, str] | None = None
        if self.workspace.exists(path) and not self.workspace.is_dir(path):
            try:
                constants = _string_constants(self.workspace.parsed.python(self.workspace.read_text(path), path))
            except (UnreadableFile, SyntaxError, ValueError, RecursionError, MemoryError):
                constants = None
        if constants is not None:
            self._modules[path] = constants
        return constants


def module_files(rel: str, app_root: str | None, module: str, packages: tuple[str, ...] = ()) -> list[str]:
    """The files `import module` may name from `rel`: under the app's folder, then the repository's
    root, then the folders of the repository the app installs as packages (`packages`, its path
    dependencies: `python_path_dependencies`); a relative module from `rel`'s package; nothing
    for a name no module path has."""
    level = len(module) - len(module.lstrip("."))
    parts = [p for p in module.lstrip(".").split(".") if p]
    if len(parts) > MAX_MODULE_DEPTH or any(not p.isidentifier() for p in parts):
        return []
    if level:
        base = PurePosixPath(rel).parent
        for _ in range(level - 1):
            base = base.parent
        roots = [str(base)]
    else:
        roots = list(dict.fromkeys([app_root or ".", ".", *packages, str(PurePosixPath(rel).parent)]))
    candidates = []
    for root in roots:
        stem = PurePosixPath(root, *parts) if parts else PurePosixPath(root)
        candidates += [f"{stem}.py", f"{stem}/__init__.py"] if parts else [f"{stem}/__init__.py"]
    return [c.removeprefix("./") for c in candidates]


def single_assignments(tree: ast.Module) -> dict[str, ast.expr]:
    """`NAME = value` at module level, for names assigned once."""
    values: dict[str, ast.expr] = {}
    assigned: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                assigned[target.id] = assigned.get(target.id, 0) + 1
                values[target.id] = value
    return {name: value for name, value in values.items() if assigned[name] == 1}


def _path_constant(values: dict[str, ast.expr], path: str, name: str) -> str | None:
    """The repository folder the module-level `name` of the module file `path` names, when it is a
    path built from the module's own file."""
    value = values.get(name)
    if value is None:
        return None
    folder, base = asset_path(value, lambda node: values.get(node.id) if isinstance(node, ast.Name) else None)
    if folder is None or base != "file":
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), folder))


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """`NAME = "text"` (or `NAME: str = "text"`) at module level, for names assigned once."""
    return {name: value.value for name, value in single_assignments(tree).items()
            if isinstance(value, ast.Constant) and isinstance(value.value, str)}


__all__ = ["ModuleConstants", "module_files", "single_assignments"]
