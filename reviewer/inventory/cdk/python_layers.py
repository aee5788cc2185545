"""The layers a Python CDK file gives its functions (`cdk/layers.py` says what a layer puts on
the import path), read from the file's one `ast` (`cdk/file_calls.py`):

    shared = _lambda.LayerVersion(self, "Shared", code=_lambda.Code.from_asset("layers/shared"))
    self.common = PythonLayerVersion(self, "Common", entry=str(Path(__file__).parent / "common"))
    _lambda.Function(self, "Orders", ..., layers=[shared, self.common])

A folder written relative to the file (`Path(__file__).parent / ...`, `os.path.join(os.path.dirname(
__file__), ...)`) is folded by `cdk/python_paths.py`, a name on the way through its one assignment.
"""

from __future__ import annotations

import ast

from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.layers import ADD_LAYERS, BUNDLED_PYTHON, LAYER_CONSTRUCTS, PYTHON_LAYER, FileLayers, \
    LayerAsset
from reviewer.inventory.cdk.python_paths import asset_path

_ASSET_CALLS = frozenset({"from_asset", "AssetCode", "asset"})
MAX_LIST_ITEMS = 20


def python_layers(calls: FileCalls) -> FileLayers:
    """The layers of one Python file."""
    assert calls.tree is not None
    found = FileLayers({}, {})
    reader = _Reader(calls.values)
    nodes = list(ast.walk(calls.tree))
    for node in nodes:
        target, value = _assignment(node)
        name = python_stored_name(target) if target is not None else None
        layer = reader.layer(value) if name is not None and value is not None else None
        if name is not None and layer is not None:
            found.stored[name] = layer if found.stored.get(name, layer) == layer else None
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in ADD_LAYERS:
            holder = python_stored_name(node.func.value)
            line = calls.stored.get(holder, AMBIGUOUS) if holder is not None else AMBIGUOUS
            for argument in node.args:
                _add(found, line, reader.listed(found, argument))
            continue
        listed = next((k.value for k in node.keywords if k.arg == "layers"), None)
        if listed is not None:
            _add(found, node.lineno, reader.listed(found, listed))
    return found


def _assignment(node: ast.AST) -> tuple[ast.expr | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        return node.targets[0], node.value
    if isinstance(node, ast.AnnAssign):
        return node.target, node.value
    return None, None


def _add(found: FileLayers, line: int, layers: list[LayerAsset]) -> None:
    if line == AMBIGUOUS or not layers:
        return
    kept = found.used.setdefault(line, [])
    kept.extend(layer for layer in layers if layer not in kept)


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


class _Reader:
    """Reads layer constructs and `layers` lists with the file's assignments (`FileCalls.values`)."""

    def __init__(self, values: dict[str, list[ast.expr]]) -> None:
        self.values = values

    def named(self, node: ast.expr) -> ast.expr | None:
        """What a name holds when the file assigns it once."""
        held = self.values.get(node.id, []) if isinstance(node, ast.Name) else []
        return held[0] if len(held) == 1 else None

    def layer(self, value: ast.expr) -> LayerAsset | None:
        """The folder a layer construct call builds from, when the file writes it."""
        if not isinstance(value, ast.Call) or _called(value) not in LAYER_CONSTRUCTS:
            return None
        keywords = {k.arg: k.value for k in value.keywords if k.arg is not None}
        if _called(value) == PYTHON_LAYER:
            folder, base = asset_path(keywords["entry"], self.named) if "entry" in keywords else (None, "app")
            if folder is None:
                return None
            return LayerAsset(folder, base, True, python=self._output_suffix(keywords.get("bundling")) in (None, "python"))
        code = keywords.get("code")
        code = self.named(code) or code if code is not None else None
        if not isinstance(code, ast.Call) or _called(code) not in _ASSET_CALLS:
            return None
        first = code.args[0] if code.args else next((k.value for k in code.keywords if k.arg == "path"), None)
        folder, base = asset_path(first, self.named) if first is not None else (None, "app")
        if folder is None:
            return None
        bundling = next((k.value for k in code.keywords if k.arg == "bundling"), None)
        bundled = bundling is not None and BUNDLED_PYTHON in ast.unparse(bundling)
        return LayerAsset(folder, base, False, bundled_python=bundled)

    @staticmethod
    def _output_suffix(bundling: ast.expr | None) -> str | None:
        """`bundling=BundlingOptions(output_path_suffix="python")`, when written, without its slashes."""
        if not isinstance(bundling, ast.Call):
            return None
        suffix = next((k.value for k in bundling.keywords if k.arg == "output_path_suffix"), None)
        return suffix.value.strip("/") if isinstance(suffix, ast.Constant) and isinstance(suffix.value, str) else None

    def listed(self, found: FileLayers, value: ast.expr) -> list[LayerAsset]:
        """The local layers a `layers` value names, in order: the file's layer variables and members
        (`shared`, `self.common`) and layer constructs written in it; a name holding the list is followed."""
        if isinstance(value, ast.Name) and value.id not in found.stored:
            value = self.named(value) or value
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        layers = []
        for item in items[:MAX_LIST_ITEMS]:
            name = python_stored_name(item)
            layer = found.stored.get(name) if name is not None else self.layer(item)
            if layer is not None:
                layers.append(layer)
        return layers


__all__ = ["python_layers"]
