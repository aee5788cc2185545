"""Whether a function's handler provably never reads one key of its event (the request's `body`).

A rule about what the event carries (LR307: a body no request validator checks) has nothing to say
to a handler that never looks at that part of the event: `PUT /swap/{key+}` whose code reads only
`event.pathParameters.key`. The answer is True only when the handler's own file was found and
read whole (Python with `ast`, JavaScript and TypeScript with tree-sitter) and the handler's
event is provably read through other constant keys alone (`python_event_keys`,
`javascript_event_keys` say what counts); a container image, inline code, a handler that cannot
be found or parsed, a wrapper, anything not proven: False, and the rule speaks as before.
"""

from __future__ import annotations

from typing import Any

from reviewer.code.javascript_files import handler_file, parse_js_handler
from reviewer.code.modules import load_modules
from reviewer.code.ownership import handler_root
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace

_CACHE_KIND = "event-key-proofs"


def never_reads_event_key(workspace: Workspace, function: Function, key: str,
                          cache: dict[Any, Any] | None = None) -> bool:
    """True only when the function's handler provably never reads `key` of its event.

    `cache`, the scan's code cache, keeps the answer per handler file and export: the functions
    of one template often share a handler, and the Python modules are parsed once for the scan.
    """
    if function.package_type.lower() == "image" or function.inline_code is not None \
            or function.properties.get("CodeInline"):
        return False
    runtime = (function.runtime or "").lower()
    if runtime.startswith("python") and function.handler:
        return _python(workspace, function, key, cache)
    if runtime.startswith("nodejs") or (not runtime and function.properties.get("HandlerLanguage") == "javascript"):
        found = _javascript_entry(workspace, function)
        if found is None:
            return False
        path, export = found
        memo: dict[Any, bool] = cache.setdefault(_CACHE_KIND, {}) if cache is not None else {}
        if (path, export, key) not in memo:
            memo[(path, export, key)] = _javascript(workspace, path, export, key)
        return memo[(path, export, key)]
    return False


def _python(workspace: Workspace, function: Function, key: str, cache: dict[Any, Any] | None) -> bool:
    root = handler_root(workspace, function)
    if root is None or function.handler is None:
        return False
    module_set = load_modules(workspace, root, function.handler, cache, function.layer_paths,
                              function.task_root_copies)
    if isinstance(module_set, str) or module_set.entry is None:
        return False
    from reviewer.code.python_event_keys import never_reads_key

    return never_reads_key(module_set.entry.tree, module_set.entry_function, key)


def _javascript_entry(workspace: Workspace, function: Function) -> tuple[str, str] | None:
    """The handler's file and export: `src/app.handler`, or CDK's `entry` file and `handler`."""
    if not function.handler:
        from reviewer.code.reader import entry_file

        path = entry_file(workspace, function)
        return (path, "handler") if path is not None else None
    parsed = parse_js_handler(function.handler)
    root = handler_root(workspace, function)
    if parsed is None or root is None:
        return None
    path = handler_file(workspace, root, parsed[0])
    return (path, parsed[1]) if path is not None else None


def _javascript(workspace: Workspace, path: str, export: str, key: str) -> bool:
    if workspace.is_symlink(path):
        return False
    try:
        source = workspace.read_text(path)
    except UnreadableFile:
        return False
    from reviewer.code.javascript_event_keys import never_reads_key

    return never_reads_key(path, source, export, key)
