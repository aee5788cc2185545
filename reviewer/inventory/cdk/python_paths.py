"""The code folder a Python CDK app writes for an asset, folded from the expression without running it.

Teams write the folder relative to the stack's own file, so the app synthesizes from any working
directory: `os.path.join(os.path.dirname(__file__), "..", "lambda")`, or with `pathlib`,
`Path(__file__).parent / "lambda"`, `Path(__file__).parent.joinpath("runtime").resolve()`,
`Path(__file__).resolve().parents[1] / "src"`, or as an f-string, `f"{os.path.dirname(__file__)}/lambda"`,
usually wrapped in `str(...)` for CDK. Each is folded
to a path relative to the file's folder (`base == "file"`); a plain literal is relative to the app
(`base == "app"`). Names on the way (`HERE = Path(__file__).parent`) are followed through `named`,
which answers a name's one assignment. Anything else (an environment variable, a call of the
app's own) is not a path the review can know, and folds to nothing.
"""

from __future__ import annotations

import ast
import posixpath
from typing import Callable

# `__file__` itself, before any `dirname` / `.parent` takes its folder
_SELF = "\0file"
_MAX_STEPS = 40
# calls and methods that keep the path they are given (`str(p)`, `os.path.realpath(p)`, `p.resolve()`)
_SAME_PATH_CALLS = frozenset({"str", "fspath", "realpath", "abspath", "normpath", "Path", "PurePath",
                              "PosixPath", "PurePosixPath", "resolve", "absolute", "as_posix", "expanduser"})

Named = Callable[[ast.expr], "ast.expr | None"]


def asset_path(node: ast.expr, named: Named = lambda _: None) -> tuple[str | None, str]:
    """`(path, base)`: the folder `node` names, relative to the file's folder (`"file"`) or to the app
    (`"app"`); `(None, "app")` when it is not a path written in the file."""
    folded = _fold(node, named, [0])
    if folded is None or folded[1] == _SELF:
        return None, "app"
    base, path = folded
    if base == "file":
        return posixpath.normpath(path) if path else ".", "file"
    return path, "app"


def _fold(node: ast.expr, named: Named, steps: list[int]) -> tuple[str, str] | None:
    """`(base, path)` for one expression: `("file", _SELF)` for `__file__`, `("file", "..")` for the
    folder above the file's, `("app", "lambda")` for a literal."""
    steps[0] += 1
    if steps[0] > _MAX_STEPS:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "app", node.value
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return "file", _SELF
        held = named(node)
        return _fold(held, named, steps) if held is not None and held is not node else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _up(_fold(node.value, named, steps), 1)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents" \
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int) \
            and not isinstance(node.slice.value, bool) and 0 <= node.slice.value < 8:
        return _up(_fold(node.value.value, named, steps), node.slice.value + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
        return _binary(node, named, steps)
    if isinstance(node, ast.Call):
        return _call(node, named, steps)
    if isinstance(node, ast.JoinedStr):
        return _formatted(node, named, steps)
    return None


def _formatted(node: ast.JoinedStr, named: Named, steps: list[int]) -> tuple[str, str] | None:
    """`f"{os.path.dirname(__file__)}/lambda"`: the folder its first value names, then literal text
    (as `+ "/lambda"` would); a value anywhere else, or converted or formatted, is no path written."""
    first, rest = node.values[0] if node.values else None, node.values[1:]
    if not isinstance(first, ast.FormattedValue) or first.conversion != -1 or first.format_spec is not None \
            or not all(isinstance(piece, ast.Constant) and isinstance(piece.value, str) for piece in rest):
        return None
    folder = _fold(first.value, named, steps)
    tail = "".join(str(piece.value) for piece in rest if isinstance(piece, ast.Constant))
    if folder is None or folder[0] != "file" or folder[1] == _SELF or (tail and not tail.startswith("/")):
        return None
    return ("file", posixpath.join(folder[1], tail.lstrip("/"))) if tail else folder


def _call(node: ast.Call, named: Named, steps: list[int]) -> tuple[str, str] | None:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else \
        node.func.id if isinstance(node.func, ast.Name) else None
    if name is None or node.keywords:
        return None
    method = isinstance(node.func, ast.Attribute) and name in ("joinpath", "resolve", "absolute", "as_posix",
                                                               "expanduser")
    # `p.joinpath("a")` and `p.resolve()` act on `p`; `os.path.join(p, "a")` and `Path(p, "a")` on their arguments
    parts = [node.func.value, *node.args] if method and isinstance(node.func, ast.Attribute) else list(node.args)
    if not parts:
        return None
    if name == "dirname" and len(parts) == 1:
        return _up(_fold(parts[0], named, steps), 1)
    if name in ("join", "joinpath") or (name in _SAME_PATH_CALLS and (len(parts) == 1 or name in (
            "Path", "PurePath", "PosixPath", "PurePosixPath"))):
        return _join([_fold(part, named, steps) for part in parts])
    return None


def _binary(node: ast.BinOp, named: Named, steps: list[int]) -> tuple[str, str] | None:
    """`folder / "lambda"` (pathlib), `os.path.dirname(__file__) + "/lambda"` (strings)."""
    left, right = _fold(node.left, named, steps), _fold(node.right, named, steps)
    if left is None or right is None or right[0] != "app":
        return None
    if isinstance(node.op, ast.Add):
        if left[0] != "file" or left[1] == _SELF or not right[1].startswith("/"):
            return None
        return "file", posixpath.join(left[1], right[1].lstrip("/"))
    return _join([left, right])


def _join(parts: list[tuple[str, str] | None]) -> tuple[str, str] | None:
    """The path `os.path.join` / `Path(...)` / `/` makes: the first part the base, the rest literal
    names under it."""
    if not parts or any(part is None for part in parts):
        return None
    first = parts[0]
    assert first is not None
    rest = [part[1] for part in parts[1:] if part is not None]
    if any(part[0] != "app" or part[1].startswith("/") for part in parts[1:] if part is not None):
        return None
    if first[1] == _SELF:
        return first if not rest else None
    return first[0], posixpath.join(first[1], *rest) if rest else first[1]


def _up(folded: tuple[str, str] | None, levels: int) -> tuple[str, str] | None:
    """`dirname` / `.parent` taken `levels` times: `__file__`'s first is the file's own folder."""
    if folded is None or folded[0] != "file":
        return None
    path = folded[1]
    if path == _SELF:
        path, levels = "", levels - 1
    for _ in range(levels):
        path = posixpath.join(path, "..")
    return "file", posixpath.normpath(path) if path else ""
