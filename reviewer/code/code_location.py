"""Where a function's handler source is when it is not simply under its code directory.

Built artifacts: the code location is a package (`Code: {S3Bucket, S3Key}`, Terraform
`filename = "build/x.zip"`) whose source sits beside the declaration (`src/<name>/handler.py`,
`app.py` next to `main.tf`); the handler's module is looked for in a few conventional places
there, and the reading says which file was read. When none is there and the package is built
elsewhere, the handler's module found once in the repository is its source
(`reviewer.code.handler_search`). (Inline code is resolved by the inventory: `Function.inline_code`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from reviewer.code.build_sources import compiled_sources, conventional_sources
from reviewer.code.bundler_scripts import bundled_script_file, package_folder
from reviewer.code.handler_search import module_folders, unique_handler_module
from reviewer.code.javascript_files import SUFFIXES as JS_SUFFIXES
from reviewer.code.javascript_files import handler_file, parse_js_handler
from reviewer.code.modules import folder_words, parse_handler
from reviewer.code.projen_bundles import bundled_handler_file
from reviewer.model import Function
from reviewer.workspace import Workspace


@dataclass(frozen=True)
class SourceFolder:
    """Where a built function's handler source was found: beside its declaration, or by its
    module's name (`unique_module`: the one file of the repository of that module path)."""

    folder: str
    unique_module: str | None = None
    handler_function: str = ""
    package_name: str = ""    # when several files of the module's name define it: the package's
    nearest: bool = False     # ... or the one nearest the declaration
    # the code location is the output of a TypeScript build not in the repository: the
    # `tsconfig.json` that compiles `folder` into it (reviewer.code.build_sources)
    build_config: str = ""
    # the code location is a projen bundle not in the repository (`assets/x.lambda`), whose
    # `index` is built from this entry file (reviewer.code.projen_bundles)
    bundle_entry: str = ""
    # what bundles it: "projen", or the package's own `ncc build` script (reviewer.code.bundler_scripts)
    bundler: str = "projen"

    def match_words(self) -> str:
        """How a module found by name was matched, for the reading's note."""
        name = (self.unique_module or "").rpartition("/")[2]
        if self.package_name:
            return (f"{self.unique_module}, the file named {name} that defines {self.handler_function} "
                    f"in the folder the package's name {self.package_name} spells")
        if self.nearest:
            return (f"{self.unique_module}, the file named {name} nearest the declaration that defines "
                    f"{self.handler_function}")
        return f"{self.unique_module}, the one file named {name} in the repository that defines {self.handler_function}"


    def reading_note(self, code_path: str | None, package_root: str | None) -> str | None:
        """What the coverage note says was read in place of the code location's own folder
        (`package_root`: the code location, when it is in the repository but lacks the handler)."""
        if self.bundle_entry:
            return f"{self.bundler} bundles it into the code location {code_path}, which is not in the repository"
        if self.build_config:
            return (f"the code location {code_path} is a TypeScript build's output, not in the repository; "
                    f"its source in {folder_words(self.folder)}, which {self.build_config} compiles into it, was read")
        where = "is a package" if package_root is not None else "is not in the repository"
        if self.unique_module is not None:
            return f"the code location {where}; {self.match_words()}, was read"
        if package_root is not None and self.folder != package_root:
            return (f"the code location is a package; the handler's source beside the declaration, in "
                    f"{folder_words(self.folder)}, was read")
        if package_root is None:
            return (f"the code location is not in the repository; the handler's source in "
                    f"{folder_words(self.folder)} was read")
        return None


def handler_module_files(handler: str, language: str) -> list[str]:
    """The files a handler's module may be, relative to its code root (`pkg/app.py`)."""
    if language == "javascript":
        parsed_js = parse_js_handler(handler)
        return [parsed_js[0] + suffix for suffix in JS_SUFFIXES] if parsed_js else []
    parsed = parse_handler(handler)
    return [parsed[0].replace(".", "/") + ".py"] if parsed else []


def holds_handler(workspace: Workspace, root: str, handler: str, language: str) -> bool:
    """Whether the folder Lambda imports from holds the handler's module (a malformed handler:
    True, for the reader to say so)."""
    if language == "javascript":
        parsed_js = parse_js_handler(handler)
        return parsed_js is not None and handler_file(workspace, root, parsed_js[0]) is not None
    files = handler_module_files(handler, language)
    for module in files:
        rel = workspace.resolve(f"{root}/{module}" if root not in ("", ".") else module)
        if rel is not None and (workspace.exists(rel) or workspace.exists(rel[:-3] + "/__init__.py")):
            return True
    return not files


def handler_source(workspace: Workspace, function: Function, language: str,
                   cache: dict[Any, Any] | None) -> SourceFolder | None:
    """The folder holding the source of a function whose code location does not: beside the
    declaration, or, for a package built elsewhere (no code folder of the repository), the one
    folder of the repository holding its handler's module."""
    handler = function.handler or ""
    compiled = compiled_source(workspace, function, language, cache)
    if compiled is not None:
        return compiled
    module_files = handler_module_files(handler, language)
    beside = beside_declaration(workspace, function, module_files)
    if beside is not None:
        return SourceFolder(beside)
    code = workspace.resolve(function.code_path) if function.code_path else None
    if code is not None and workspace.is_dir(code):
        return None   # a folder of the repository that lacks the handler: not a package built elsewhere
    if "Code" in function.unresolved:
        # a location the review could not work out (computed by the app, a variable) may be any
        # folder, another function's among them: a module of the same name proves nothing
        return None
    parsed = parse_js_handler(handler) if language == "javascript" else parse_handler(handler)
    found = unique_handler_module(workspace, module_files, parsed[1], cache, function.location.path,
                                  function.built_package or _package_name(function.code_path or ""), handler) \
        if parsed else None
    return SourceFolder(found.folder, found.module_file, parsed[1], found.package_name, found.nearest) \
        if found is not None and parsed else None


def compiled_source(workspace: Workspace, function: Function, language: str,
                    cache: dict[Any, Any] | None) -> SourceFolder | None:
    """The source folder a TypeScript function's code location, a build output folder not in the
    repository (`dist/`), mirrors by its package's `tsconfig.json`, when that folder holds the handler;
    a projen bundle not in the repository is its own folder, whose `index` the reader takes for the
    entry file it is built from."""
    if language != "javascript" or not function.code_path or not function.handler:
        return None
    parsed = parse_js_handler(function.handler)
    bundled = bundled_handler_file(workspace, function.code_path, parsed[0]) if parsed else None
    folder = workspace.resolve(function.code_path)
    if bundled is not None and folder is not None:
        return SourceFolder(folder, bundle_entry=bundled)
    package = package_folder(workspace, function.code_path) if parsed else None
    scripted = bundled_script_file(workspace, package, parsed[0]) \
        if parsed and package is not None and workspace.is_dir(package) else None
    if package is not None and scripted is not None:
        return SourceFolder(package, bundle_entry=scripted, bundler="the package's `ncc build` script")
    built = compiled_sources(workspace, function.code_path, cache)
    if built is None:
        return None
    folder = next((folder for folder in built.folders
                   if holds_handler(workspace, folder, function.handler, language)), None)
    return SourceFolder(folder, build_config=built.config) if folder is not None else None


def python_source_folder(workspace: Workspace, function: Function, cache: dict[Any, Any] | None) -> str | None:
    """The folder `handler_source` finds for a Python function whose package is built elsewhere:
    bandit and the dependency audit take it as the function's code folder, as the loop check reads
    its handler there. Kept in `cache` per declaration (the function pass and bandit both ask)."""
    key = ("python-source-folder", function.name, function.location.path, function.location.line,
           function.handler, function.code_path)
    if cache is not None and key in cache:
        kept: str | None = cache[key]
        return kept
    source = handler_source(workspace, function, "python", cache) if function.handler else None
    folder = source.folder if source is not None else None
    if cache is not None:
        cache[key] = folder
    return folder


def possible_source_folders(workspace: Workspace, function: Function, cache: dict[Any, Any] | None) -> set[str]:
    """Every folder `python_source_folder` may answer for the function, known without reading a
    file (which of the files of its module's name defines the handler is not asked): a pull
    request's review follows the untouched functions whose folder may hold a file it reads."""
    module_files = handler_module_files(function.handler or "", "python")
    if not module_files:
        return set()
    beside = beside_declaration(workspace, function, module_files)
    if beside is not None:
        return {beside}
    if "Code" in function.unresolved:
        return set()
    return module_folders(workspace, module_files, cache)


_PACKAGE_SUFFIXES = (".zip", ".jar")


def _package_name(code_path: str) -> str:
    """The name of a package built elsewhere, which may spell its source's folder: a zip's or
    jar's stem (`deploy/orders_show.zip`), or the last folder of a build output folder not in the
    repository (`../dist/lambda/process-updates/`, which a build script fills from
    `src/.../process-updates/index.ts`)."""
    package = PurePosixPath(code_path)
    if package.suffix.lower() in _PACKAGE_SUFFIXES:
        return package.stem
    return package.name if code_path and not package.suffix and package.name not in ("", ".", "..") else ""


_NEAR_FOLDERS = ("", "src", "source", "lambda", "lambdas", "functions", "handlers", "lambda_functions", "app", "code")


def _moved_code_folders(workspace: Workspace, code_path: str | None, base: PurePosixPath) -> list[str]:
    """A code folder the repository lacks (`CodeUri: ../../../src/etl/` of a template a script
    renders one folder deeper, `cloud/generated/templates/`, before `sam build`), taken from each
    folder above the declaration instead of the one its `..` reach: `project/src/etl` for
    `project/cloud/templates/template.yml`. Not a package (`lambda.zip`), nor a folder there is."""
    if not code_path or PurePosixPath(code_path).suffix:
        return []
    resolved = workspace.resolve(code_path)
    if resolved is None or resolved in ("", ".") or workspace.exists(resolved):
        return []
    return [str(parent / resolved) for parent in base.parents if str(parent) != "."]


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
            roots.extend(conventional_sources(str(package_folder)))
    for folder in _NEAR_FOLDERS:
        start = base / folder if folder else base
        roots.append(str(start))
        roots.extend(str(start / name) for name in candidate_names(function))
    roots.extend(_moved_code_folders(workspace, function.code_path, base))
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
                    and not workspace.is_excluded(candidate) and candidate != function.location.path:
                return normal     # (the declaring file itself is infrastructure code, not the handler)
    return None
