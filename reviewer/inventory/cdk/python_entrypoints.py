"""A Python CDK helper that makes its function's handler from the path of the file its caller names.

AWS Solutions' `SolutionsPythonFunction` (kept in each solution's `cdk_solution_helper_py`) is
called with the handler's file and function instead of a handler and code:

    SolutionsPythonFunction(self, "Metrics", entrypoint=Path(__file__).parent / "src" / "metrics.py",
                            function="handler")

and writes `kwargs["handler"] = f"{entrypoint.stem}.{function}"`, with its code the file's folder
(`Code.from_asset(str(entrypoint.parent), ...)`). Such a handler names a module at the root of the
package, so the package is the folder the file is in, whatever the helper does to build it.

This module says which of a helper's parameters are the file and the function (roles
`entrypoint` and `handler.function`), and what one call's file argument gives: the module's name
(the last literal of the path, known even when its folder is a value of another module) and the
folder, folded as `python_paths` folds an asset path.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import Callable

from reviewer.inventory.cdk.constructs import ConstructCall
from reviewer.inventory.cdk.python_paths import Named, asset_path

Helper = ast.FunctionDef | ast.AsyncFunctionDef
ENTRYPOINT, FUNCTION = "entrypoint", "handler.function"
# How many `/ "piece"` steps of a path are read.
MAX_PIECES = 16
# The keyword or `**kwargs` key a handler is given by.
_HANDLER_KEY = "handler"


@dataclass(frozen=True)
class EntryFile:
    """What a call's file argument names: the handler's module, and its folder when written."""

    module: str | None
    folder: str | None    # relative to the caller's folder (`base == "file"`) or its app ("app")
    base: str

    def fill(self, instance: ConstructCall, function: str | None) -> None:
        """The handler `<module>.<function>` of a construct read in the helper's own module, and
        its code the file's folder."""
        if self.module is not None and function is not None:
            instance.handler = f"{self.module}.{function}"
        if self.folder is not None:
            instance.asset, instance.asset_base, instance.code_unread = self.folder, self.base, None


def entrypoint_roles(helper: Helper, parameters: list[str]) -> dict[str, str]:
    """`{"entrypoint": P, "handler.function": Q}` when `helper` gives its construct the handler
    `f"{P.stem}.{Q}"` (as `handler=` or `kwargs["handler"] = ...`), P and Q its parameters."""
    for node in ast.walk(helper):
        value = None
        if isinstance(node, ast.keyword) and node.arg == _HANDLER_KEY:
            value = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _handler_key(node.targets[0]):
            value = node.value
        roles = _stem_template(value, parameters) if isinstance(value, ast.JoinedStr) else None
        if roles is not None:
            return roles
    return {}


def entry_file(node: ast.expr, named: Named = lambda _: None,
               imported: Callable[[ast.expr], str | None] = lambda _: None) -> EntryFile | None:
    """The module and folder of a file path argument (`Path(__file__).parent / "src" / "metrics.py"`,
    `HERE / "x" / "app.py"`, `"src/app.py"`, or `LAMBDA_PATH / "x" / "app.py"` where `imported`
    answers the repository folder a path constant of another module names); None when its last
    piece is no `.py` file written."""
    last = _last_piece(named(node) or node)
    if last is None or not last.endswith(".py"):
        return None
    stem = posixpath.basename(last)[:-len(".py")]
    module = stem if stem.isidentifier() else None
    path, base = asset_path(node, named)
    if path is not None and path.endswith(".py"):
        return EntryFile(module, posixpath.dirname(path) or ".", base)
    start, pieces = _divided(node)
    folder = imported(start) if pieces and start is not None else None
    if folder is None:
        return EntryFile(module, None, base)
    return EntryFile(module, posixpath.normpath(posixpath.join(folder, *pieces[:-1])), "repo")


def _handler_key(target: ast.expr) -> bool:
    return isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
        and target.slice.value == _HANDLER_KEY


def _stem_template(value: ast.JoinedStr, parameters: list[str]) -> dict[str, str] | None:
    pieces = value.values
    if len(pieces) != 3 or not all(isinstance(p, ast.FormattedValue) for p in (pieces[0], pieces[2])) \
            or not (isinstance(pieces[1], ast.Constant) and pieces[1].value == "."):
        return None
    first, second = pieces[0], pieces[2]
    assert isinstance(first, ast.FormattedValue) and isinstance(second, ast.FormattedValue)
    stem, function = first.value, second.value
    if not (isinstance(stem, ast.Attribute) and stem.attr == "stem" and isinstance(stem.value, ast.Name)
            and isinstance(function, ast.Name)):
        return None
    if stem.value.id not in parameters or function.id not in parameters:
        return None
    return {ENTRYPOINT: stem.value.id, FUNCTION: function.id}


def _divided(node: ast.expr) -> tuple[ast.expr | None, list[str]]:
    """`BASE / "a" / "b.py"`: (BASE, ["a", "b.py"]); (None, []) for any other shape."""
    pieces: list[str] = []
    for _ in range(MAX_PIECES):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            break
        if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
            return None, []
        pieces.append(node.right.value)
        node = node.left
    else:
        return None, []
    return node, list(reversed(pieces))


def _last_piece(node: ast.expr) -> str | None:
    """The path's last literal piece: `... / "metrics.py"`, `os.path.join(d, "app.py")`, `"src/app.py"`."""
    for _ in range(8):
        if isinstance(node, ast.Call) and node.args and not node.keywords and isinstance(
                node.func, (ast.Name, ast.Attribute)) and (node.func.id if isinstance(node.func, ast.Name)
                                                           else node.func.attr) in ("str", "resolve", "absolute"):
            node = node.args[0] if isinstance(node.func, ast.Name) else node.func.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "resolve", "absolute") and not node.args:
            node = node.func.value
        elif isinstance(node, ast.Call) and node.args and isinstance(node.func, (ast.Name, ast.Attribute)) and (
                node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in ("join", "joinpath", "Path"):
            node = node.args[-1]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            node = node.right
        else:
            break
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


__all__ = ["ENTRYPOINT", "FUNCTION", "EntryFile", "entry_file", "entrypoint_roles"]
