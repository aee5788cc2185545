"""The writes a function's handler code makes: which boto3 call, to which resource, from which line.

This finds the handler's code (written inline, in its code directory, or its source beside the
declaration), reads it once per scan for every function that shares it, and says why when it
reads nothing; the reading itself is `python_writes.py` (Python) or `javascript_reader.py`
(JavaScript, TypeScript). Nothing here knows an IaC format: targets stay `StaticValue`s (an
environment variable name, a literal, "this function", a field of the triggering event) for the
analyzer to resolve.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from reviewer.code.code_location import handler_source, holds_handler
from reviewer.code.code_reach import code_out_of_reach
from reviewer.code.javascript_files import SUFFIXES as JS_SUFFIXES
from reviewer.code.javascript_files import compiled_module_note, handler_file, parse_js_handler
from reviewer.code.modules import ModuleSet, SourceModule, folder_words, load_modules, parse_handler
from reviewer.code.ownership import handler_root
from reviewer.code.python_writes import read_python_writes
from reviewer.code.values import ResourceWrite
from reviewer import source_trees as st
from reviewer.content_cache import ContentCache
from reviewer.findings import Finding
from reviewer.model import Function, InlineCode, Location
from reviewer.python_downgrade import parse_python
from reviewer.workspace import Workspace

if TYPE_CHECKING:
    from reviewer.code.javascript_program import JsProgram

@dataclass
class CodeReading:
    """What reading one function's code found; `skipped` says why nothing was read."""

    handler_path: str | None = None
    modules: tuple[str, ...] = ()
    writes: list[ResourceWrite] = field(default_factory=list)
    # SNS publishes sent as SMS to a phone number: they name no resource, so they are no write.
    sms_publishes: list[Location] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    skipped: str | None = None
    other_language: bool = False    # skipped because the code is in a language the review does not read
    truncated: bool = False
    language: str = "python"
    inline: bool = False            # read from code written in the template
    source_note: str | None = None  # which file was read, when not the code location's own
    # JavaScript: what was parsed; None in the copy the scan keeps (see `_remember`).
    program: JsProgram | None = field(default=None, repr=False, compare=False)


def read_function_code(workspace: Workspace, function: Function,
                       cache: dict | None = None) -> CodeReading:
    """Statically read the function's handler (Python or Node.js) and the local modules it imports.

    The handler is read from the template when the code is written inline, from the code
    directory, or, when that holds a built package and not the handler's source, from the source
    beside the declaration (`source_note` then says which file was read). `cache`, shared across
    the functions of one scan, keeps parsed modules and readings.
    """
    out_of_reach = code_out_of_reach(function)
    if out_of_reach is not None:
        return CodeReading(skipped=out_of_reach.reason, other_language=out_of_reach.other_language)
    runtime = (function.runtime or "").lower()
    # Without a known runtime, a construct made for one language (CDK `NodejsFunction`) says which.
    language = "javascript" if runtime.startswith("nodejs") or (
        not runtime and function.properties.get("HandlerLanguage") == "javascript") else "python"
    if function.package_type.lower() == "image" and (function.task_root is None or not function.handler):
        # An image's code is read only when its Dockerfile copies the handler's folder from the
        # repository to the task root (the inventory then gives `task_root` and the CMD handler).
        return CodeReading(skipped="the function is a container image")
    if cache is None:
        cache = {}
    if not function.handler:
        entry = entry_file(workspace, function)
        if entry is None and function.code_path and function.code_path.endswith(JS_SUFFIXES):
            return CodeReading(skipped=f"its entry file {function.code_path} is not in the repository")
        if entry is None and "Handler" in function.unresolved:
            return CodeReading(skipped=f"its handler is not known statically ({function.unresolved['Handler']})")
        if entry is None:
            return CodeReading(skipped="the function declares no handler")
        key_entry = ("entry", entry)
        found = _recall(cache, key_entry)
        if found is None:   # CDK NodejsFunction: `entry` is the file, `handler` defaults to "handler"
            program = _load_javascript(workspace, entry, "handler", cache)
            found = _remember(cache, key_entry, _javascript_reading(entry, program))
        return found
    inline = function.inline_code
    if inline is not None and inline.text is not None:
        key: tuple = ("inline", language, inline.location.path, inline.location.line, inline.text, function.handler)
        found = _recall(cache, key)
        if found is None:
            found = _remember(cache, key, _read_inline(workspace, inline, function.handler, language, cache))
        return found
    if inline is not None and inline.built_by is not None:
        return CodeReading(skipped=f"its inline code is built by {inline.built_by}, "
                                   "which static reading does not evaluate")
    if function.properties.get("CodeInline"):
        where = function.location.path
        if where.endswith(".py") or st.language_for(where) in ("javascript", "typescript", "tsx"):
            return CodeReading(skipped=f"its inline code in {where} is not written as a string literal")
        return CodeReading(skipped=f"its code is written inline in {where}, and inline code is read only from "
                                   "Python, TypeScript and JavaScript CDK apps")
    root = _task_root(workspace, function)
    note = None
    if root is None or not holds_handler(workspace, root, function.handler, language):
        source = handler_source(workspace, function, language, cache)
        if source is None:
            if root is None:
                unread = function.unresolved.get("Code")
                return CodeReading(skipped=f"its code location is not known statically: {unread}" if unread
                                   else _not_found(function))
            archive = _committed_archive(workspace, function)
            if archive is not None:
                return CodeReading(skipped=f"its package is the archive {archive}, committed to the repository, "
                                           "which the review does not unpack, and no source of its handler was "
                                           "found beside the declaration")
        else:
            note = source.reading_note(function.code_path, root)
            root = source.folder
    assert root is not None
    key = ("reading", language, root, function.handler, function.layer_paths, function.task_root_copies)
    reading = _recall(cache, key)
    if reading is None:   # functions that share a code directory and handler share one reading
        if language == "javascript":
            reading = _remember(cache, key, _read_javascript(workspace, root, function.handler, cache))
        else:
            loaded = load_modules(workspace, root, function.handler, cache, function.layer_paths,
                                  function.task_root_copies)
            reading = cache[key] = CodeReading(skipped=loaded) if isinstance(loaded, str) else workspace.parsed.derived(
                "code-reading", _content_key(loaded), lambda: _read(loaded, workspace.parsed))
    if note is None and language == "javascript" and reading.handler_path is not None:
        note = compiled_module_note(workspace, root, function.handler, reading.handler_path)
    if note is not None and reading.skipped is None:
        reading = replace(reading, source_note=note)
    return reading


# JavaScript readings kept whole (their parsed program included) besides the scan's slim copies:
# the /tmp check reads the program of the function the recursion check has just read.
RECENT_PROGRAMS = 2
_RECENT = "recent-javascript-readings"


def _committed_archive(workspace: Workspace, function: Function) -> str | None:
    """The zip archive the function deploys, when it is a file of the repository (Terraform's
    `filename = "lambda/app.zip"`, SAM's `CodeUri: app.zip`): its handler is inside it."""
    path = workspace.resolve(function.code_path) if function.code_path else None
    if path is None or not path.lower().endswith(".zip") or not workspace.exists(path) or workspace.is_dir(path):
        return None
    return path


def _not_found(function: Function) -> str:
    """Why no code was read when the declaration names none the repository holds: a package built
    or uploaded elsewhere, and no source of the handler beside the declaration either."""
    if function.code_path:
        return ("its code location is not in the repository (a package built or uploaded elsewhere), and no "
                "source of its handler was found beside the declaration")
    return ("the declaration names no code folder in the repository (a package built or uploaded "
            "elsewhere), and no source of its handler was found beside it")


def _remember(cache: dict, key: tuple, reading: CodeReading) -> CodeReading:
    """Keep a reading for the scan without its parsed program (syntax trees: the run's parse
    cache holds them while in use); the last few are kept whole. Gives the reading, whole."""
    if reading.program is None:
        cache[key] = reading
        return reading
    cache[key] = replace(reading, program=None)
    recent = cache.setdefault(_RECENT, OrderedDict())
    recent[key] = reading
    if len(recent) > RECENT_PROGRAMS:
        recent.popitem(last=False)
    return reading


def _recall(cache: dict, key: tuple) -> CodeReading | None:
    """A reading kept by `_remember`: whole when it is among the last few, else without its program."""
    recent = cache.get(_RECENT)
    if recent is not None and key in recent:
        found: CodeReading = recent[key]
        return found
    return cache.get(key)


def entry_file(workspace: Workspace, function: Function) -> str | None:
    """The JavaScript or TypeScript file a function without a handler string names as its code
    (CDK's `NodejsFunction` with `entry`), when it is in the repository."""
    if not function.code_path or not function.code_path.endswith(JS_SUFFIXES):
        return None
    path = workspace.resolve(function.code_path)
    if path is None or not workspace.exists(path) or workspace.is_dir(path) or workspace.is_excluded(path):
        return None
    return path


def _read_javascript(workspace: Workspace, root: str, handler: str, cache: dict) -> CodeReading:
    parsed = parse_js_handler(handler)
    if parsed is None:
        return CodeReading(skipped=f"the handler {handler!r} is not in the form module.function")
    entry = handler_file(workspace, root, parsed[0])
    if entry is None:
        return CodeReading(skipped=f"the handler module {parsed[0]}.js (or .mjs, .cjs, .ts) is not in "
                                   f"{folder_words(root)}")
    program = _load_javascript(workspace, entry, parsed[1], cache)
    return _javascript_reading(entry, program)


def _load_javascript(workspace: Workspace | None, entry: str, export: str, cache: dict,
                     inline: tuple[str, int] | None = None) -> JsProgram:
    """The JavaScript reader (tree-sitter) is imported for the first function whose handler is
    JavaScript or TypeScript: a review of Python functions never loads it."""
    from reviewer.code.javascript_program import load_program

    return load_program(workspace, entry, export, inline=inline, cache=cache)


def _javascript_reading(entry: str, program: JsProgram, inline: bool = False) -> CodeReading:
    from reviewer.code.javascript_reader import read_javascript_writes

    sms: list[Location] = []
    writes = read_javascript_writes(program, sms)
    return CodeReading(handler_path=entry, modules=tuple(program.files), writes=writes, sms_publishes=sms,
                       notices=list(program.notices), truncated=program.truncated, language="javascript",
                       inline=inline, program=program)


def _read_inline(workspace: Workspace, inline: InlineCode, handler: str, language: str,
                 cache: dict) -> CodeReading:
    """Code written in the declaration, read at the declaration's own lines."""
    assert inline.text is not None
    path, first_line = inline.location.path, inline.location.line
    if language == "javascript":
        parsed = parse_js_handler(handler)
        export = parsed[1] if parsed else "handler"
        program = _load_javascript(None, path, export, cache, inline=(inline.text, first_line - 1))
        return replace(_javascript_reading(path, program, inline=True), modules=(path,), notices=[], truncated=False)
    parsed_py = parse_handler(handler)
    if parsed_py is None:
        return CodeReading(skipped=f"the handler {handler!r} is not in the form module.function")
    try:
        tree = parse_python(inline.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return CodeReading(skipped="its inline code is not valid Python")
    ast.increment_lineno(tree, first_line - 1)
    module_set = ModuleSet(".", parsed_py[0], parsed_py[1])
    module_set.modules[parsed_py[0]] = SourceModule(parsed_py[0], path, tree)
    reading = _read(module_set)
    reading.inline = True
    return reading


def _content_key(module_set: ModuleSet) -> tuple:
    """What a reading depends on: the same modules (same trees, paths, names) read the same way,
    so the base commit of a review reuses the head's reading of a function whose files are unchanged."""
    return (module_set.code_root, module_set.entry_module, module_set.entry_function, module_set.truncated,
            tuple((module.name, module.path, module.tree) for module in module_set.modules.values()),
            tuple((notice.fingerprint, notice.line) for notice in module_set.notices))


def _task_root(workspace: Workspace, function: Function) -> str | None:
    """The directory Lambda imports the handler from (Serverless: the service directory)."""
    return handler_root(workspace, function)


def _read(module_set: ModuleSet, cache: ContentCache | None = None) -> CodeReading:
    """A Python handler's reading: the modules loaded for it, their notices, and what they write."""
    entry = module_set.entry
    reading = CodeReading(handler_path=entry.path if entry else None,
                          modules=tuple(module.path for module in module_set.modules.values()),
                          notices=list(module_set.notices), truncated=module_set.truncated)
    if entry is None:
        return reading
    reading.writes, reading.sms_publishes = read_python_writes(module_set, cache)
    return reading
