"""The folders of the repository that a function's layers put on its import path.

A SAM app often keeps shared modules in a layer built from the repository:

    UtilsLayer:
      Type: AWS::Serverless::LayerVersion
      Properties: {ContentUri: layers/utils/}
      Metadata: {BuildMethod: python3.12}
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties: {CodeUri: orders/, Handler: app.handler, Layers: [!Ref UtilsLayer]}

and the handler's `from utils import ...` runs `layers/utils/utils.py`: Lambda extracts layers
under /opt and puts /opt/python on the import path, after the function's own code. With a
Python `BuildMethod`, `sam build` installs the folder's contents into `python/`, so the folder
itself is that path entry; without one the folder is zipped as it is, and its `python/`
subfolder is. The code readers search these folders after the code directory, so an import
that resolves only in a layer is followed instead of being taken for a library's.

A Node.js layer is the same: Lambda puts /opt/nodejs/node_modules on `NODE_PATH`, which
`sam build` fills from the `package.json` of the folder itself (a `nodejs*` `BuildMethod`), and
which a layer zipped as it is holds in its `nodejs/` subfolder. Its folder is the functions' code too:
a pull request that bumps the SDK it installs changes what every function using it runs, and
the review must not call that change one that touches no function.

Only a layer the template builds from a local folder, named by `Ref`, is read: a layer named by
its ARN was built elsewhere, and its code is not in the repository. A layer a parent template
passes to a nested stack as a parameter is followed by `nested_layers.py`.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.cloudformation.reference import literal_text
from reviewer.workspace import Workspace

SAM_FUNCTION = "AWS::Serverless::Function"
LAYER_TYPES = {"AWS::Serverless::LayerVersion": "ContentUri", "AWS::Lambda::LayerVersion": "Content"}
MAX_LAYERS = 5   # Lambda's own limit on the layers of a function
# The `BuildMethod` prefixes `sam build` installs a layer folder for, which are also the names of the
# subfolders Lambda puts on the import path of a layer zipped as it is (`python/`, `nodejs/`), in that order.
BUILT_LANGUAGES = ("python", "nodejs")


def layer_entries(template: Any, logical_id: str) -> list[Any]:
    """A function's `Layers` entries as written: SAM adds its own to those of `Globals` (lists are
    concatenated, not replaced). A single value (`Layers: !Ref CommonLayers`, a list parameter)
    is one entry."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    resource = resources.get(logical_id) if isinstance(resources, dict) else None
    if not isinstance(resource, dict):
        return []
    entries: list[Any] = []
    if resource.get("Type") == SAM_FUNCTION:
        globals_ = template.get("Globals")
        function = globals_.get("Function") if isinstance(globals_, dict) else None
        entries.extend(_listed(function.get("Layers") if isinstance(function, dict) else None))
    properties = resource.get("Properties")
    entries.extend(_listed(properties.get("Layers") if isinstance(properties, dict) else None))
    return entries


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def layer_import_paths(layers: list[Any], resources: Any, template: str, workspace: Workspace) -> tuple[str, ...]:
    """The repository folders the `Layers` entries put on the import path, in Lambda's order."""
    paths: list[str] = []
    for entry in layers[:MAX_LAYERS]:
        if not (isinstance(entry, dict) and set(entry) == {"Ref"}):
            continue
        resource = resources.get(str(entry["Ref"])) if isinstance(resources, dict) else None
        folder = layer_folder(resource, template, workspace)
        if folder is not None and folder not in paths:
            paths.append(folder)
    return tuple(paths)


def layer_folder(resource: Any, template: str, workspace: Workspace) -> str | None:
    """The folder a layer resource built from the repository puts on the import path (Python's, or
    Node.js's `NODE_PATH`): the folder itself when `sam build` installs it, else its `python/`
    subfolder, or its `nodejs/` one when it has no `python/`."""
    if not isinstance(resource, dict):
        return None
    prop = LAYER_TYPES.get(str(resource.get("Type")))
    properties = resource.get("Properties")
    content = literal_text(properties.get(prop)) if prop and isinstance(properties, dict) else None
    if not content or "://" in content or content.lower().endswith(".zip"):
        return None
    folder = workspace.resolve(str(PurePosixPath(template).parent / content))
    if folder is None or not workspace.is_dir(folder):
        return None
    metadata = resource.get("Metadata")
    build = literal_text(metadata.get("BuildMethod")) if isinstance(metadata, dict) else None
    if build is not None and build.lower().startswith(BUILT_LANGUAGES):
        return folder
    for language in BUILT_LANGUAGES:
        nested = workspace.resolve(f"{folder}/{language}")
        if nested is not None and workspace.is_dir(nested):
            return nested
    return None


__all__ = ["BUILT_LANGUAGES", "MAX_LAYERS", "layer_entries", "layer_folder", "layer_import_paths"]
