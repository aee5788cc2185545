"""Handlers that write under /tmp and never remove what they wrote (LR402).

The handler module is found from `Function.handler` and the function's code directory, and read
with the modules it imports from that directory (reviewer/code/modules.py): parsed, never run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from reviewer import markdown
from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.model import Finding, Function, Location
from reviewer.rules import LR402

if TYPE_CHECKING:
    from reviewer.code.tmp_files import TmpUsage

MAX_WRITES_PER_HANDLER = 5


class TmpStorageAnalyzer:
    name = "tmp-storage"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        from reviewer.code.modules import ModuleSet, load_modules
        from reviewer.code.ownership import handler_root
        from reviewer.code.tmp_files import tmp_usage

        shared = SharedFindings()
        notices: dict[str, Finding] = {}
        usage_by_handler: dict[tuple[str, str], TmpUsage] = {}
        for function in context.focused_functions:   # its code is read: a pull request reads the touched ones
            if (function.runtime or "").lower().startswith("nodejs"):
                usage = _javascript_usage(context, function)
                if usage is not None and not usage.removes:
                    for write in usage.writes[:MAX_WRITES_PER_HANDLER]:
                        _report(shared, function, Location(write.path, write.line), write.call, write.target)
                continue
            if not function.handler or not _python(function):
                continue
            code_root = handler_root(context.workspace, function)
            if code_root is None:
                continue
            key = (code_root, function.handler)
            if key not in usage_by_handler:
                modules = load_modules(context.workspace, code_root, function.handler, context.code_cache)
                if not isinstance(modules, ModuleSet):
                    continue
                for notice in modules.notices:
                    notices.setdefault(notice.fingerprint, notice)
                usage_by_handler[key] = tmp_usage(
                    ((module.path, module.tree) for module in modules.modules.values()), context.workspace.parsed)
            usage = usage_by_handler[key]
            if usage.removes:
                continue
            for write in usage.writes[:MAX_WRITES_PER_HANDLER]:
                _report(shared, function, Location(write.path, write.line), write.call, write.target)
        return [*shared.findings(), *notices.values()]


def _javascript_usage(context: AnalysisContext, function: Function) -> "TmpUsage | None":
    """What a Node.js handler writes under /tmp, from the reading the recursion check shares."""
    from reviewer.code.javascript_reader import handler_node
    from reviewer.code.javascript_tmp_files import js_tmp_usage
    from reviewer.code.javascript_values import JsEvaluator
    from reviewer.code.reader import read_function_code

    reading = read_function_code(context.workspace, function, context.code_cache)
    program = reading.program
    if program is None:
        return None
    key = ("js-tmp-usage", id(program))
    if key not in context.code_cache:
        context.code_cache[key] = (program, js_tmp_usage(program, JsEvaluator(program, handler_node(program, program.entry))))
    return context.code_cache[key][1]


def _python(function: Function) -> bool:
    runtime = (function.runtime or "").lower()
    return runtime.startswith("python") or (not runtime and function.package_type.lower() != "image")


def _report(shared: SharedFindings, function: Function, location: Location, call: str, target: str) -> None:
    written = markdown.code(target)
    how = markdown.code(call)
    fix = ("Removing the file with `fs.rm` in a `finally` block, or writing under a directory from "
           "`fs.mkdtemp` that is removed at the end, keeps each invocation clean." if call.startswith("fs.") else
           "Writing inside `with tempfile.TemporaryDirectory() as workdir:`, or removing the file in a "
           "`finally:` block, keeps each invocation clean.")

    def describe(subject: str) -> str:
        return (f"The handler code of {subject} writes {written} under `/tmp` ({how}) and removes "
                "nothing it writes there. Lambda reuses the execution environment, `/tmp` included, "
                "for later invocations: the files pile up until the ephemeral storage (512 MB by "
                "default) is full and invocations fail, and one request's data stays readable by "
                f"the next. {fix} A deliberate cache shared by invocations can stay, with an ignore "
                "comment that says so.")

    shared.add(LR402, function, location, f"tmp-write {call} {target}", describe)
