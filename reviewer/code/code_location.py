"""Where a function's handler source is when it is not simply under its code directory.

Built artifacts: the code location is a package (`Code: {S3Bucket, S3Key}`, Terraform
`filename = "build/x.zip"`) whose source sits beside the declaration (`src/<name>/handler.py`,
`app.py` next to `main.tf`); the handler's module is looked for in a few conventional places
there, and the reading says which file was read. (Inline code is resolved by the inventory:
`Function.inline_code`.)
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from reviewer.model import Function
from reviewer.workspace import Workspace

_BUILD_FOLDERS = frozenset({"dist", "build", "out", ".build"})
_NEAR_FOLDERS = ("", "src", "source", "lambda", "lambdas", "functions", "handlers", "lambda_functions", "app", "code")


def _source_of_build(folder: str) -> list[str]:
    """The source folders a bundler's output folder mirrors: `api/dist/handlers` (esbuild, tsc
    output, not committed) is built from `api/src/handlers`, where the handler's module sits under
    the same name with a TypeScript or JavaScript suffix."""
    parts = folder.split("/")
    return ["/".join([*parts[:index], "src", *parts[index + 1:]])
            for index, part in enumerate(parts) if part in _BUILD_FOLDERS][:1]


def candidate_names(function: Function) -> list[str]:
    """Folder names the function's source may sit in: its logical id, physical name, Terraform name."""
    names: list[str] = []
    raw = [function.name.rsplit(".", 1)[-1]]
    if function.physical_name is not None and "${" not in function.physical_name:
        raw.append(function.physical_name)
    for name in raw:
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
        for variant in (name, snake, snake.replace("_", "-"), snake.replace("_", ""),
                        re.sub(r"[_-]?function$", "", snake)):
            if variant and variant not in names and "/" not in variant and ".." not in variant:
                names.append(variant)
    return names[:8]


def beside_declaration(workspace: Workspace, function: Function, module_files: list[str]) -> str | None:
    """The directory beside the declaring file (or its `src/<name>/`, `lambda/<name>/`...) that
    holds one of `module_files` (handler module paths relative to a code root)."""
    base = PurePosixPath(function.location.path).parent
    roots: list[str] = []
    package_folder: PurePosixPath | None = None
    if function.code_path:   # `lambdas/resize/lambda.zip` not built yet: its folder holds the source
        package = workspace.resolve(function.code_path)
        if package is not None and not workspace.is_dir(package):
            package_folder = PurePosixPath(package).parent
            roots.append(str(package_folder))
            roots.extend(_source_of_build(str(package_folder)))
    for folder in _NEAR_FOLDERS:
        start = base / folder if folder else base
        roots.append(str(start))
        roots.extend(str(start / name) for name in candidate_names(function))
    if any("/" in module for module in module_files):
        # `product.crud.handlers.create.handler` names a package path: specific enough to look for
        # in every folder above the declaration (the infrastructure code sits in a subfolder, the
        # package at the root, copied into a build folder before deploying)
        roots.extend(str(parent) for parent in base.parents)
        if package_folder is not None:
            # the same above the package: `src/notify/dist/notify.zip` built from `src/notify/`
            # with handler `notify.notify.handler` packs `src/` from its top
            roots.extend(str(parent) for parent in package_folder.parents)
    # A templates folder beside the sources (`deployment/x.template`, `source/log_parser/`): the
    # function's own folder under a sources folder of a folder above, named after the function.
    for parent in base.parents:
        roots.extend(str(parent / folder / name) for folder in _NEAR_FOLDERS if folder
                     for name in candidate_names(function))
    seen: set[str] = set()
    for root in roots:
        normal = workspace.resolve(root)
        if normal is None or normal in seen:
            continue
        seen.add(normal)
        for module in module_files:
            candidate = workspace.resolve(f"{normal}/{module}" if normal not in ("", ".") else module)
            if candidate is not None and workspace.exists(candidate) and not workspace.is_dir(candidate) \
                    and not workspace.is_excluded(candidate):
                return normal
    return None
