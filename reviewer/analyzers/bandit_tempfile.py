"""Whether a string bandit's B108 flags is the folder (or name prefix) given to a `tempfile` call.

B108 flags every string that starts with `/tmp`, because a fixed path under it is a predictable
name another process can claim first. `tempfile.mkdtemp(dir="/tmp")` only says where the private
directory goes: its name is random and it is created owner-only, so "use `mkstemp()` or
`TemporaryDirectory()` instead" would advise what the line already does. This module finds that
case, in bandit's worker, where the file's text is at hand; the finding's words say so instead.
"""

from __future__ import annotations

import ast

from reviewer.python_downgrade import parse_python

# The `tempfile` functions that create their file or directory with an unpredictable name and
# owner-only permissions (`mktemp`, which only returns a name, is not one), and the position of
# their `prefix` and `dir` parameters when passed positionally.
_POSITIONS: dict[str, dict[int, str]] = {
    "mkdtemp": {1: "prefix", 2: "dir"},
    "mkstemp": {1: "prefix", 2: "dir"},
    "TemporaryDirectory": {1: "prefix", 2: "dir"},
    "NamedTemporaryFile": {5: "prefix", 6: "dir"},
    "TemporaryFile": {5: "prefix", 6: "dir"},
    "SpooledTemporaryFile": {6: "prefix", 7: "dir"},
}
_PARAMETERS = frozenset({"prefix", "dir"})


def tempfile_arguments(source: str) -> dict[tuple[int, int], str]:
    """The string literals passed as the `dir` or `prefix` of one of the calls above, by line and
    column, each with the function called (`tempfile.mkdtemp`, however it was imported); nothing
    when the file does not parse here. A file that never names `tempfile` calls none of them: it
    is not parsed again (B108 flags most handlers that build a `/tmp` path)."""
    if "tempfile" not in source:
        return {}
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError):
        return {}
    modules, names = _tempfile_names(tree)
    found: dict[tuple[int, int], str] = {}
    for node in ast.walk(tree):
        function = _called(node.func, modules, names) if isinstance(node, ast.Call) else ""
        if function:
            assert isinstance(node, ast.Call)
            for argument in _folder_arguments(node, function):
                found[(argument.lineno, argument.col_offset)] = f"tempfile.{function}"
    return found


def _tempfile_names(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """The names the module is imported as (`tempfile`, `tf`), and its functions imported by name."""
    modules: set[str] = set()
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.asname or alias.name for alias in node.names if alias.name == "tempfile")
        elif isinstance(node, ast.ImportFrom) and node.module == "tempfile" and not node.level:
            names.update({alias.asname or alias.name: alias.name for alias in node.names if alias.name in _POSITIONS})
    return modules, names


def _called(func: ast.expr, modules: set[str], names: dict[str, str]) -> str:
    """The `tempfile` function a call's callee names, or ""."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
        return func.attr if func.attr in _POSITIONS else ""
    if isinstance(func, ast.Name):
        return names.get(func.id, "")
    return ""


def _folder_arguments(call: ast.Call, function: str) -> list[ast.Constant]:
    """The string literals a call passes as its `dir` or `prefix`."""
    arguments = [keyword.value for keyword in call.keywords if keyword.arg in _PARAMETERS]
    arguments += [argument for index, argument in enumerate(call.args) if index in _POSITIONS[function]]
    return [argument for argument in arguments if isinstance(argument, ast.Constant) and isinstance(argument.value, str)]
