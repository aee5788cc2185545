"""The folders of the repository a CDK function's local layers put on Python's import path.

A CDK app shares modules between its Python functions through a layer built from a folder:

    const shared = new lambda.LayerVersion(this, 'Shared', {code: lambda.Code.fromAsset('layers/shared')});
    const common = new PythonLayerVersion(this, 'Common', {entry: path.join(__dirname, '../layers/common')});
    new lambda.Function(this, 'Orders', {..., layers: [shared, this.common]});

and the handler's `from shared import ...` runs a module of that folder: Lambda extracts each
layer under /opt and puts /opt/python on the import path, after the function's own code. A
`LayerVersion`'s folder is zipped as it is, so its `python/` subfolder is that path entry (the
folder itself when its bundling command writes into `/asset-output/python`); a
`PythonLayerVersion` (@aws-cdk/aws-lambda-python-alpha) bundles its entry folder's contents into
`python/`, so the entry folder is. The folders go to `Function.layer_paths`, which the readers that
follow imports search after the code directory.

The layer is the construct of the same file a function's `layers` entry names (a variable or a
member, `this.common`, `self.common`), or one written in the list itself, or added later
(`fn.addLayers(layer)`, `fn.add_layers(layer)`). A layer named by its ARN
(`LayerVersion.fromLayerVersionArn`), or handed in by a caller (`props.layer`), is not read.
TypeScript, JavaScript, Java, Kotlin, C# and Go are read from the file's syntax tree
(`cdk/layers_source.py`), Python from its `ast` (`cdk/python_layers.py`); this module turns what
they found into folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cloudformation.layers import MAX_LAYERS
from reviewer.model import Function
from reviewer.workspace import Workspace

LAYER_CONSTRUCTS = frozenset({"LayerVersion", "PythonLayerVersion"})
PYTHON_LAYER = "PythonLayerVersion"
ADD_LAYERS = frozenset({"addLayers", "add_layers", "AddLayers"})
# A bundling command writing here fills the layer's `python/` folder with the asset folder's contents.
BUNDLED_PYTHON = "/asset-output/python"


@dataclass(frozen=True)
class LayerAsset:
    """One layer construct as written: its folder (relative to `base`: "app", "file" or "repo",
    as `ConstructCall.asset_base`), whether it is a `PythonLayerVersion`, and whether its
    bundling writes into `/asset-output/python` (or, for a `PythonLayerVersion`, moves its
    output out of `python/`: `python` False)."""

    folder: str
    base: str
    python_layer: bool
    bundled_python: bool = False
    python: bool = True


@dataclass
class FileLayers:
    """The layers of one file: each variable or member holding one, and each function construct's
    line → the layers its `layers` list and its `addLayers` calls name, in order."""

    stored: dict[str, LayerAsset | None]
    used: dict[int, list[LayerAsset]]


def names_layers(text: str) -> bool:
    """Whether a file may use layers at all (most CDK files are read no further)."""
    return "Layer" in text or "layer" in text


def attach_layers(workspace: Workspace, rel: str, functions: list[Function], found: FileLayers,
                  app_root: str | None) -> None:
    """Set `layer_paths` of the functions constructed in file `rel` from the local layers `found`
    says they use (`cdk/layers_source.py`, `cdk/python_layers.py`)."""
    if not functions or not found.used:
        return
    by_line = by_construct_line(functions)
    for line, layers in found.used.items():
        folders = [folder for layer in layers[:MAX_LAYERS]
                   if (folder := layer_folder(workspace, rel, layer, app_root)) is not None]
        for function in by_line.get(line, []):
            merged = list(function.layer_paths)
            merged.extend(folder for folder in folders if folder not in merged)
            function.layer_paths = tuple(merged[:MAX_LAYERS])


def layer_folder(workspace: Workspace, rel: str, layer: LayerAsset, app_root: str | None) -> str | None:
    """The repository folder the layer puts on /opt/python, when the repository holds it."""
    base = str(PurePosixPath(rel).parent) if layer.base == "file" else "." if layer.base == "repo" else app_root
    if base is None or "://" in layer.folder or layer.folder.lower().endswith(".zip"):
        return None
    folder = workspace.resolve(str(PurePosixPath(base) / layer.folder))
    if folder is None or not workspace.is_dir(folder):
        return None
    if layer.python_layer:
        return folder if layer.python else None
    nested = workspace.resolve(f"{folder}/python")
    if nested is not None and workspace.is_dir(nested):
        return nested
    return folder if layer.bundled_python else None


__all__ = ["FileLayers", "LayerAsset", "attach_layers", "layer_folder", "names_layers"]
