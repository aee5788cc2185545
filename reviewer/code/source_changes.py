"""Whether a pull request edits code the review reads for a function outside the folders its
declaration names.

`ChangeFocus` (reviewer.analyzers.interface) decides by the paths a declaration names: its file,
its code folder, its layers. The review reads some functions' code elsewhere, and a change there
changes what the function runs just as much:

- the source of a Python package built elsewhere (`ownership.changes_matched_source`);
- the source folder a TypeScript build's output that is not in the repository mirrors
  (`runtime/push-sender/dist/push-sender/src` is compiled from `runtime/push-sender/src`; a
  Serverless `handler: .out/handlers/main.handler` from the folder its tsconfig's `rootDir` names:
  `reviewer.code.build_sources`);
- the modules a JavaScript or TypeScript handler imports from outside its folder (a service's
  `src/lib`, a layer's sources the tsconfig's `paths` map `/opt/nodejs/...` to), which a bundler or
  the compiler packs into the function.

The handler is read (`reader.read_function_code`, whose reading the code analyzers then find in the
scan's cache) only when the change edits a JavaScript or TypeScript file in the source folder its
build output mirrors, or one that no function's code folder holds and no declaration reads (shared
code, which some handler may import). A file under another function's code folder is taken to be
that function's; only the files the reading reaches bring the function in, so a file nobody
imports brings none.
"""

from __future__ import annotations

import posixpath
from typing import Any, Iterable

from reviewer.code.build_sources import compiled_sources
from reviewer.code.javascript_files import SUFFIXES as JS_SUFFIXES
from reviewer.code.javascript_files import parse_js_handler
from reviewer.code.ownership import changes_matched_source, is_under
from reviewer.code.test_files import is_test_file
from reviewer.inventory.build_output import is_cdk_script
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace

# Name parts of JavaScript and TypeScript test files (Jest, Mocha, Vitest): never a handler's import.
_TEST_NAME_PARTS = (".test.", ".spec.")


def reads_javascript(function: Function) -> bool:
    """Whether the review reads the function's code as JavaScript or TypeScript (as `read_function_code` decides)."""
    runtime = (function.runtime or "").lower()
    return runtime.startswith("nodejs") or (not runtime and function.properties.get("HandlerLanguage") == "javascript")


def shared_code_changes(workspace: Workspace, functions: Iterable[Function], changed: Iterable[str]) -> frozenset[str]:
    """The changed JavaScript and TypeScript files that no function's code folder (or layer, or
    image copy) holds, that no declaration reads, that are no test and that import no CDK module:
    code some handler may import. A CDK app's own files (a stack, a construct of the app) are
    infrastructure no handler ships; each such change made every Node.js function's code be read
    on both sides of the review."""
    candidates = [path for path in changed if path.endswith(JS_SUFFIXES) and not _is_test(path)]
    if not candidates:
        return frozenset()
    held: set[str] = set()
    declared: set[str] = set()
    for function in functions:
        for folder in (function.code_path, *function.layer_paths, *(path for path, _ in function.task_root_copies)):
            if folder:
                held.add(posixpath.normpath(folder.replace("\\", "/")).lstrip("/"))
        declared.add(function.location.path)
        declared.update(location.path for location in function.locations.values())
        declared.update(trigger.location.path for trigger in function.triggers)
        declared.update(function.declaration_inputs)
    if "." in held:
        return frozenset()          # a function ships the whole repository: every change touches it
    return frozenset(path for path in candidates
                     if path not in declared and not any(place in held for place in _places(path))
                     and not _cdk_source(workspace, path))


def _cdk_source(workspace: Workspace, path: str) -> bool:
    """Whether a JavaScript/TypeScript file imports the CDK (read by the CDK reader, shipped by no handler)."""
    try:
        text = workspace.read_text(path)
    except UnreadableFile:
        return False
    return is_cdk_script(text)


def changes_read_code(workspace: Workspace, function: Function, changed: frozenset[str], changed_folders: set[str],
                      shared: frozenset[str], cache: dict[Any, Any] | None) -> bool:
    """Whether the change edits a file the review reads for `function` outside the folders its
    declaration names: a Python package's matched source, or a JavaScript/TypeScript module the
    handler's reading reaches (looked for only among `shared` and the changed files of the source
    folder its build output mirrors)."""
    if changes_matched_source(workspace, function, changed, changed_folders, cache):
        return True
    if not reads_javascript(function):
        return False
    edited = [path for path in changed if path.endswith(JS_SUFFIXES)]
    if not edited:
        return False
    folders = compiled_source_folders(workspace, function, cache)
    candidates = set(shared)
    candidates.update(path for path in edited if any(is_under(path, folder) for folder in folders))
    if not candidates:
        return False
    from reviewer.code.reader import read_function_code   # the tree-sitter reader, loaded only when needed
    try:
        reading = read_function_code(workspace, function, cache)
    except Exception:  # noqa: BLE001 - in focus: the code analyzers read it again and report why it failed
        return True
    return any(module in candidates for module in reading.modules)


def compiled_source_folders(workspace: Workspace, function: Function, cache: dict[Any, Any] | None) -> tuple[str, ...]:
    """The source folders a TypeScript build's output not in the repository mirrors, for the
    function's code path and for the folder of its handler's module under its package root (a
    Serverless `handler: .out/handlers/main.handler`)."""
    outputs: list[str] = [function.code_path] if function.code_path else []
    parsed = parse_js_handler(function.handler) if function.handler else None
    module_folder = parsed[0].rpartition("/")[0] if parsed is not None else ""
    if module_folder:
        root = function.task_root if isinstance(function.task_root, str) else function.code_path
        output = module_folder if root in (None, "", ".") else f"{root}/{module_folder}"
        if output not in outputs:
            outputs.append(output)
    folders: list[str] = []
    for output in outputs:
        built = compiled_sources(workspace, output, cache)
        for folder in built.folders if built is not None else ():
            if folder not in folders:
                folders.append(folder)
    return tuple(folders)


def _places(path: str) -> Iterable[str]:
    """`a/b/c.ts`, then `a/b`, then `a`."""
    yield path
    while "/" in path:
        path = path.rpartition("/")[0]
        yield path


def _is_test(path: str) -> bool:
    name = path.rpartition("/")[2]
    return is_test_file(path) or any(part in name for part in _TEST_NAME_PARTS)
