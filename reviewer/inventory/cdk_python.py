"""Lambda constructs in Python CDK apps, read with the `ast` module (never imported or run).

Finds `_lambda.Function(self, "Id", runtime=_lambda.Runtime.PYTHON_3_12, ...)` and its siblings
whatever the import style (`from aws_cdk import aws_lambda as _lambda`, `import aws_cdk as cdk`
then `cdk.aws_lambda.Function`, `from aws_cdk.aws_lambda import Function`), plus subclasses
that pass the runtime to `super().__init__`. A runtime held in a module constant or a `**props`
dict written in the same file is followed one step.
"""

from __future__ import annotations

import ast
from typing import Iterator

from reviewer.inventory.cdk_constructs import (
    CONSTRUCTS_BY_MODULE, IMAGE_CONSTRUCTS, ConstructCall, RuntimeValue, runtime_from_expression,
)

MAX_CONSTRUCTS = 500
_ASSET_CALLS = {"from_asset", "from_image_asset", "fromAsset", "fromImageAsset", "asset"}


def python_constructs(text: str) -> list[ConstructCall]:
    """Every Lambda construct call of one Python source; SyntaxError when it does not parse."""
    tree = ast.parse(text)
    return list(_Reader(tree).constructs())[:MAX_CONSTRUCTS]


class _Reader:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases: dict[str, str] = {}
        self.assignments: dict[str, list[ast.expr]] = {}
        self.assignment_lines: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        self.aliases[head] = head
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name) and node.value is not None:
                    self.assignments.setdefault(targets[0].id, []).append(node.value)
                    self.assignment_lines[targets[0].id] = node.lineno

    def constructs(self) -> Iterator[ConstructCall]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                construct = self._construct(node.func)
                if construct is not None:
                    yield self._read(construct, node, _construct_id(node))
            elif isinstance(node, ast.ClassDef):
                yield from self._subclass(node)

    def _subclass(self, node: ast.ClassDef) -> Iterator[ConstructCall]:
        """`class OrdersFunction(_lambda.Function)` whose `super().__init__(...)` sets the runtime."""
        construct = next((c for c in map(self._construct, node.bases) if c is not None), None)
        if construct is None:
            return
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                    and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
                    and call.func.value.func.id == "super"):
                yield self._read(construct, call, (node.name, False))
                return

    def _construct(self, func: ast.expr) -> str | None:
        """The construct name when `func` names a Lambda construct through this file's imports."""
        parts = _dotted(func)
        if not parts or parts[0] not in self.aliases:
            return None
        full = self.aliases[parts[0]].split(".") + parts[1:]
        if full[0] == "aws_cdk":
            full = full[1:]
        if len(full) == 2 and full[1] in CONSTRUCTS_BY_MODULE.get(full[0], ()):
            return full[1]
        return None

    def _read(self, construct: str, call: ast.Call, name: tuple[str, bool]) -> ConstructCall:
        found = ConstructCall(construct=construct, name=name[0], name_is_literal=name[1], line=call.lineno,
                              image=construct in IMAGE_CONSTRUCTS)
        keywords = self._keywords(call)
        if "runtime" in keywords:
            keyword, value = keywords["runtime"]
            found.runtime_given, found.runtime_line = True, keyword.lineno
            resolved = self._runtime(value, found)
            found.runtime, found.runtime_note = resolved.identifier, resolved.note
            found.image = found.image or resolved.image
        elif "**" in keywords:
            found.runtime_note = f"passed in `**{ast.unparse(keywords['**'][1])[:60]}`"
        if "handler" in keywords and isinstance(keywords["handler"][1], ast.Constant):
            found.handler = str(keywords["handler"][1].value)
        for key in ("code", "entry"):
            if key in keywords:
                self._asset(keywords[key][1], found)
        return found

    def _keywords(self, call: ast.Call) -> dict[str, tuple[ast.keyword, ast.expr]]:
        """Keyword arguments, with those of a `**props` dict written in the same file."""
        keywords: dict[str, tuple[ast.keyword, ast.expr]] = {}
        for keyword in call.keywords:
            if keyword.arg is not None:
                keywords[keyword.arg] = (keyword, keyword.value)
                continue
            spread = self._single_assignment(keyword.value)
            entries = _dict_entries(spread) if spread is not None else None
            if entries is None:
                keywords["**"] = (keyword, keyword.value)
                continue
            for key, (line, value) in entries.items():
                synthetic = ast.keyword(arg=key, value=value)
                synthetic.lineno = line
                keywords.setdefault(key, (synthetic, value))
        return keywords

    def _runtime(self, value: ast.expr, found: ConstructCall) -> RuntimeValue:
        if isinstance(value, ast.Name):
            assigned = self._single_assignment(value)
            if assigned is None:
                return RuntimeValue(note=f"given by the variable `{value.id}`")
            found.runtime_default_line = self.assignment_lines.get(value.id)
            value = assigned
        return runtime_from_expression(ast.unparse(value))

    def _single_assignment(self, value: ast.expr) -> ast.expr | None:
        if not isinstance(value, ast.Name):
            return None
        assigned = self.assignments.get(value.id, [])
        return assigned[0] if len(assigned) == 1 else None

    def _asset(self, value: ast.expr, found: ConstructCall) -> None:
        """`Code.from_asset("lambda")`, `DockerImageCode.from_image_asset("img", file=...)`, `entry=`."""
        call = value if isinstance(value, ast.Call) else None
        if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr in _ASSET_CALLS and call.args:
            path, base = _path(call.args[0])
            if path is not None:
                found.asset, found.asset_base = path, base
            for keyword in call.keywords:
                if keyword.arg in ("file", "target") and isinstance(keyword.value, ast.Constant):
                    setattr(found, "dockerfile" if keyword.arg == "file" else "docker_target", str(keyword.value.value))
            return
        path, base = _path(value)
        if path is not None:
            found.asset, found.asset_base = path, base


def _construct_id(call: ast.Call) -> tuple[str, bool]:
    node = call.args[1] if len(call.args) >= 2 else next((k.value for k in call.keywords if k.arg == "id"), None)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    return (ast.unparse(node)[:80] if node is not None else "(unnamed)"), False


def _dotted(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return []


def _dict_entries(node: ast.expr) -> dict[str, tuple[int, ast.expr]] | None:
    """`{"runtime": ...}` or `dict(runtime=...)` → key → (line, value)."""
    if isinstance(node, ast.Dict):
        return {k.value: (k.lineno, v) for k, v in zip(node.keys, node.values)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {k.arg: (k.lineno, k.value) for k in node.keywords if k.arg}
    return None


def _path(node: ast.expr) -> tuple[str | None, str]:
    """A literal path, or `os.path.join(os.path.dirname(__file__), "a", "b")` relative to the file."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, "app"
    if isinstance(node, ast.Call) and _dotted(node.func)[-1:] == ["join"] and node.args:
        head, rest = node.args[0], node.args[1:]
        if "__file__" in ast.unparse(head) and rest and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in rest):
            return "/".join(str(a.value) for a in rest), "file"  # type: ignore[attr-defined]
    return None, "app"
