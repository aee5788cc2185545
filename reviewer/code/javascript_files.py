"""Which file a Node.js handler string names, known without importing the JavaScript reader.

`reviewer.code.reader` asks this of every function (is its code JavaScript, which file is its
handler); the tree-sitter reader behind `javascript_program` is imported only when a function's
handler is JavaScript or TypeScript, so a review of Python functions never loads it.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.code.build_sources import compiled_sources
from reviewer.code.bundler_scripts import bundled_script_file
from reviewer.code.projen_bundles import bundled_handler_file
from reviewer.workspace import Workspace

SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
BUILD_FOLDERS = ("dist", "build", "lib", "out", ".build", ".webpack", ".esbuild")
MAX_LEVELS_ABOVE = 6     # folders above a service a compiler's root may be


def parse_js_handler(handler: str) -> tuple[str, str] | None:
    """`src/index.handler` → ("src/index", "handler")."""
    module, dot, name = handler.strip().rpartition(".")
    if not dot or not module or not name:
        return None
    return module.strip("/"), name


def handler_file(workspace: Workspace, code_root: str, module: str) -> str | None:
    """The file Lambda loads for `module` under `code_root`, or the source a build output comes from:
    by the package's `tsconfig.json` when it says which (`reviewer.code.build_sources`), else by the
    conventional names of build and source folders; a projen bundle's `index` by the entry file
    it is built from (`reviewer.code.projen_bundles`)."""
    bundled = bundled_handler_file(workspace, code_root, module)
    if bundled is not None:
        return bundled
    compiled = compiled_handler_file(workspace, code_root, module)
    if compiled is not None:
        return compiled
    candidates = [module]
    first, _, rest = module.partition("/")
    if first in BUILD_FOLDERS and rest:
        candidates += [f"src/{rest}", rest]
    root_name = PurePosixPath(code_root).name
    roots = [code_root]
    if root_name in BUILD_FOLDERS:
        parent = str(PurePosixPath(code_root).parent)
        roots += [f"{parent}/src" if parent not in ("", ".") else "src", parent or "."]
    for root in roots:
        for candidate in candidates:
            for suffix in SUFFIXES:
                base = candidate if root in ("", ".") else f"{root}/{candidate}"
                found = existing_file(workspace, base + suffix)
                if found is not None:
                    return found
    if first in BUILD_FOLDERS and "/" in rest:
        return _mirrored_from_above(workspace, code_root, rest)
    return bundled_script_file(workspace, code_root, module)   # `ncc build src/lambda.ts`: its `index`


def _mirrored_from_above(workspace: Workspace, code_root: str, rest: str) -> str | None:
    """`dist/functions/orders/create/create.handler` in the service `functions/orders`: a compiler
    whose root is a folder above the service (the repository's `tsconfig.json`, `outDir: ./dist`)
    wrote the output there, mirroring the sources' paths from that folder, and a build script
    copied it into the service before deploying (`cp -r dist functions/orders/dist`). The source
    is that path under a folder above the service; a path of folders, not a bare module name,
    so it names one source and not any file of the name."""
    folder = PurePosixPath(code_root)
    for _ in range(MAX_LEVELS_ABOVE):
        if str(folder) in ("", "."):
            return None
        folder = folder.parent
        for suffix in SUFFIXES:
            base = rest if str(folder) in ("", ".") else f"{folder}/{rest}"
            found = existing_file(workspace, base + suffix)
            if found is not None:
                return found
    return None


def compiled_handler_file(workspace: Workspace, code_root: str, module: str) -> str | None:
    """`dist/handlers/create` under a service whose `tsconfig.json` compiles `src` into `dist`, when
    `dist/handlers` is not in the repository: `src/handlers/create.ts`."""
    folder, slash, name = module.rpartition("/")
    if not slash or not folder:
        return None
    built = compiled_sources(workspace, folder if code_root in ("", ".") else f"{code_root}/{folder}")
    for source in built.folders if built is not None else ():
        for suffix in SUFFIXES:
            found = existing_file(workspace, f"{source}/{name}{suffix}")
            if found is not None:
                return found
    return None


def compiled_module_note(workspace: Workspace, code_root: str, handler: str, read: str) -> str | None:
    """The coverage note's words when the handler's module is a build output not in the repository
    and `read`, the file read in its place, is the source its package's `tsconfig.json` compiles there."""
    parsed = parse_js_handler(handler)
    folder = parsed[0].rpartition("/")[0] if parsed is not None else ""
    if not folder:
        return None
    built = compiled_sources(workspace, folder if code_root in ("", ".") else f"{code_root}/{folder}")
    if built is None or PurePosixPath(read).parent.as_posix() not in built.folders:
        return None
    return (f"the handler's module {parsed[0] if parsed else handler} is a TypeScript build's output, not in "
            f"the repository; its source {read}, which {built.config} compiles into it, was read")


def existing_file(workspace: Workspace, joined: str) -> str | None:
    rel = workspace.resolve(joined)
    if rel is None or workspace.is_excluded(rel):
        return None
    if workspace.is_symlink(rel) or (workspace.exists(rel) and not workspace.is_dir(rel)):
        return rel
    return None
