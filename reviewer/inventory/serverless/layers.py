"""The local layers a Serverless function imports from.

A service declares its layers under `layers:` (`common: {path: layers/common}`), and a function
uses them through `layers:` entries `{Ref: CommonLambdaLayer}` (the Framework names each layer's
CloudFormation resource `<normalized name>LambdaLayer`); a function without a `layers` list of its
own takes the provider's. Lambda unpacks each layer under /opt, and Python imports from
/opt/python: the layer's `python/` folder, when the repository holds it, goes on the function's
import path after its own code (`Function.layer_paths`), so the readers that follow imports (the
loop check, the untrusted-input check, bandit's choice of files) read the helpers a handler takes
from the layer. Layers named by ARN are not in the repository and are left alone.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.cloudformation.layers import MAX_LAYERS
from reviewer.inventory.serverless.service import ServiceBase, as_mapping
from reviewer.located import LocatedMap

LOGICAL_ID_SUFFIX = "LambdaLayer"


def layer_logical_id(name: str) -> str:
    """The CloudFormation logical id the Framework gives a layer: `common-utils` → `CommonDashutilsLambdaLayer`."""
    normalized = name.replace("-", "Dash").replace("_", "Underscore")
    return normalized[:1].upper() + normalized[1:] + LOGICAL_ID_SUFFIX


def layer_python_paths(service: ServiceBase, config: LocatedMap) -> tuple[str, ...]:
    """The repository folders the function's `layers` (else the provider's) put on Python's import
    path, in Lambda's order."""
    entries = service.resolved(config["layers"] if "layers" in config else service.provider.get("layers"))
    if not isinstance(entries, list):
        return ()
    declared = as_mapping(service.resolved(service.document.get("layers")))
    by_logical_id = {layer_logical_id(str(name)): settings for name, settings in declared.items()}
    paths: list[str] = []
    for entry in entries[:MAX_LAYERS]:
        if not (isinstance(entry, dict) and set(entry) == {"Ref"}):
            continue
        folder = _python_folder(service, by_logical_id.get(str(entry["Ref"])))
        if folder is not None and folder not in paths:
            paths.append(folder)
    return tuple(paths)


def _python_folder(service: ServiceBase, settings: Any) -> str | None:
    """The `python/` folder of a layer built from a repository folder (`path:`), when it holds one."""
    if not isinstance(settings, dict):
        return None
    path = service.text(settings.get("path"))
    if not path or "://" in path:
        return None
    folder = service.workspace.resolve(str(PurePosixPath(service.directory) / path / "python"))
    return folder if folder is not None and service.workspace.is_dir(folder) else None


__all__ = ["layer_logical_id", "layer_python_paths"]
