"""Handlers that write under /tmp and never remove what they wrote (LR402).

The handler module is found from `Function.handler` and the function's code directory, and read
with the modules it imports from that directory (reviewer/code/modules.py): parsed, never run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.code.tmp_files import created_by
from reviewer.findings import Finding
from reviewer.model import Function, Location
from reviewer.rules import LR402
from reviewer.wording import finding_message

if TYPE_CHECKING:
    from reviewer.code.tmp_files import TmpUsage, TmpWrite

MAX_WRITES_PER_HANDLER = 5
# The message's words: templates/findings/tmp_storage.md.j2.
MESSAGES = "tmp_storage"


class TmpStorageAnalyzer:
    name = "tmp-storage"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        notices: dict[str, Finding] = {}
        for function in context.focused_functions:   # its code is read: a pull request reads the touched ones
            if (function.runtime or "").lower().startswith("nodejs"):
                usage = _javascript_usage(context, function)
                if usage is not None and not usage.removes:
                    for write in usage.writes[:MAX_WRITES_PER_HANDLER]:
                        _report(shared, function, write)
                continue
            found = _python_usage(context, function)
            if found is None:
                continue
            usage, module_notices = found
            for notice in module_notices:
                notices.setdefault(notice.fingerprint, notice)
            if usage.removes:
                continue
            for write in usage.writes[:MAX_WRITES_PER_HANDLER]:
                _report(shared, function, write)
        return [*shared.findings(), *notices.values()]

    def prepare(self, context: AnalysisContext, function: Function) -> None:
        """What the function's code writes under /tmp, kept in the scan's code cache for `analyze`."""
        if (function.runtime or "").lower().startswith("nodejs"):
            _javascript_usage(context, function)
        else:
            _python_usage(context, function)


def _python_usage(context: AnalysisContext, function: Function) -> "tuple[TmpUsage, list[Finding]] | None":
    """A Python handler's writes under /tmp and the notices of its modules; None when its code is
    not read. Functions that share a code directory and handler share one reading."""
    from reviewer.code.modules import ModuleSet, load_modules
    from reviewer.code.ownership import handler_root
    from reviewer.code.tmp_files import tmp_usage

    if not function.handler or not _python(function):
        return None
    code_root = handler_root(context.workspace, function)
    if code_root is None:
        return None
    key = ("tmp-usage", code_root, function.handler, function.layer_paths, function.task_root_copies)
    if key not in context.code_cache:
        modules = load_modules(context.workspace, code_root, function.handler, context.code_cache,
                               function.layer_paths, function.task_root_copies)
        context.code_cache[key] = None if not isinstance(modules, ModuleSet) else (
            tmp_usage(((module.path, module.tree) for module in modules.modules.values()), context.workspace.parsed),
            list(modules.notices))
    found: tuple[TmpUsage, list[Finding]] | None = context.code_cache[key]
    return found


def _javascript_usage(context: AnalysisContext, function: Function) -> "TmpUsage | None":
    """What a Node.js handler writes under /tmp, from the reading the recursion check shares."""
    from reviewer.code.javascript_reader import handler_node
    from reviewer.code.javascript_tmp_files import js_tmp_usage
    from reviewer.code.javascript_values import JsEvaluator
    from reviewer.code.reader import read_function_code

    reading = read_function_code(context.workspace, function, context.code_cache)
    if reading.language != "javascript" or reading.skipped is not None:
        return None
    key = ("js-tmp-usage", reading.handler_path, reading.modules, reading.inline, function.handler)
    if key not in context.code_cache:
        if reading.program is None:   # the scan keeps its readings without their trees: read it again
            reading = read_function_code(context.workspace, function, {})
        program = reading.program
        context.code_cache[key] = None if program is None else js_tmp_usage(
            program, JsEvaluator(program, handler_node(program, program.entry)))
    usage: TmpUsage | None = context.code_cache[key]
    return usage


def _python(function: Function) -> bool:
    runtime = (function.runtime or "").lower()
    return runtime.startswith("python") or (not runtime and function.package_type.lower() != "image")


def _report(shared: SharedFindings, function: Function, write: "TmpWrite") -> None:
    call, target = write.call, write.target

    def describe(subject: str) -> str:
        return finding_message(MESSAGES, "tmp_write", subject=Markup(subject), written=target, call=call,
                               node=call.startswith("fs."), created=created_by(call, target), fixed=write.fixed)

    shared.add(LR402, function, Location(write.path, write.line), f"tmp-write {call} {target}", describe)
