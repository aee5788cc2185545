"""Which file a Node.js handler string names, known without importing the JavaScript reader.

`reviewer.code.reader` asks this of every function (is its code JavaScript, which file is its
handler); the tree-sitter reader behind `javascript_program` is imported only when a function's
handler is JavaScript or TypeScript, so a review of Python functions never loads it.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.workspace import Workspace

SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
BUILD_FOLDERS = ("dist", "build", "lib", "out", ".build", ".webpack", ".esbuild")


def parse_js_handler(handler: str) -> tuple[str, str] | None:
    """`src/index.handler` → ("src/index", "handler")."""
    module, dot, name = handler.strip().rpartition(".")
    if not dot or not module or not name:
        return None
    return module.strip("/"), name


def handler_file(workspace: Workspace, code_root: str, module: str) -> str | None:
    """The file Lambda loads for `module` under `code_root`, or the source a build output comes from."""
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
    return None


def existing_file(workspace: Workspace, joined: str) -> str | None:
    rel = workspace.resolve(joined)
    if rel is None or workspace.is_excluded(rel):
        return None
    if workspace.is_symlink(rel) or (workspace.exists(rel) and not workspace.is_dir(rel)):
        return rel
    return None
