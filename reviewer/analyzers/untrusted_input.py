"""LR306: event data that reaches a dangerous sink in a handler (command, code, SQL, DynamoDB,
deserialisation, HTML, server-side request).

Which code is read: the handler of every declared Python or Node.js function (and, for Python,
the local modules it imports), and every other Python, JavaScript or TypeScript file that holds
something shaped like a Lambda handler (a top-level `def f(event, context)`, an exported
`handler`), even when no template declares it: a function the inventory could not see is
still deployed code, and a file of handlers alone in a folder still deserves the check. A file
is only read from those functions, and only flows from their event parameter count, so library
code and tests stay quiet. A file a declared handler imports is read only through that handler,
with what it passes: its functions shaped like handlers (`handleMigrations(opts)`) are no entry
points of their own. Code a template embeds from a file of the repository (Rain's
`ZipFile: !Rain::Embed handler.py`) is that function's handler.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.untrusted_hosts import HostOrigin, host_origin, is_host_header
from reviewer.analyzers.untrusted_pages import group_pages, page_context
from reviewer.analyzers.untrusted_writers import SEVERITY, EventWriter, event_writer, state_machines
from reviewer.code.code_location import handler_source, holds_handler
from reviewer.code.javascript_files import handler_file
from reviewer.code.modules import ModuleSet, SourceModule, load_modules, parse_handler
from reviewer.code.ownership import handler_root
from reviewer.code.taint_common import FAMILY_CWE, FAMILY_WORDS, SinkHit, Val
from reviewer.inventory.build_output import is_build_output
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location
from reviewer.rules import LR306
from reviewer.wording import finding_message
from reviewer.workspace import UnreadableFile, Workspace

if TYPE_CHECKING:
    from reviewer.code.taint_javascript import HandlerReading

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_SKIPPED_SUFFIXES = (".d.ts", ".min.js", ".bundle.js")
_SKIPPED_PARTS = frozenset({"dist", "build", "coverage", ".next", "site-packages"})
MAX_JS_BYTES = 512 * 1024
MAX_RETURN_DEPTH = 2       # relative imports read for what their functions return, modules deep
MAX_RETURN_MODULES = 12    # relative imports of one file read so
# A first parameter named like an event, anywhere in a file: only such files are parsed here.
_HANDLER_SIGNATURE = re.compile(r"\(\s*(?:event|evt|_event|lambda_event)\s*[,):]")

# The message's words: templates/findings/untrusted_input.md.j2.
MESSAGES = "untrusted_input"


@dataclass(frozen=True)
class DeclaredReading:
    """What reading a declared function's handler found: the (file, function) it is, what its
    event reaches, and the local files it imports (read through it, not as handlers of their own)."""

    entry: tuple[str, str] | None = None
    hits: tuple[SinkHit, ...] = ()
    imports: frozenset[str] = frozenset()


UNREAD = DeclaredReading()


class UntrustedInputAnalyzer:
    name = "untrusted-input"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        workspace = context.workspace
        hits: dict[tuple[str, int], tuple[SinkHit, list[str]]] = {}
        read_entries: set[tuple[str, str]] = set()   # (module file, function) already read
        imported: set[str] = set()                    # files declared handlers import
        files = 0
        for function in context.inventory.functions:
            if not context.in_focus(function):
                continue
            reading = self._declared_once(context, function)
            if reading.entry is not None:
                read_entries.add(reading.entry)
            imported |= reading.imports
            for hit in reading.hits:
                _collect(hits, hit, function.name)
        candidates = [rel for rel in workspace.iter_files((".py", *JS_SUFFIXES))
                      if not (rel.lower().endswith(_SKIPPED_SUFFIXES) or _SKIPPED_PARTS & set(rel.split("/")[:-1])
                              or is_build_output(rel) or rel in imported)]
        # a git revision hands the files over together rather than one request each
        workspace.prefetch([rel for rel in candidates if context.focus is None or context.focus.touches_path(rel)])
        for rel in candidates:
            found = self._undeclared(context, rel, read_entries)
            if found is None:
                continue
            files += 1
            for hit in found:
                _collect(hits, hit, None)
        context.report(self.name, f"{files:,} handler files")
        findings: list[Finding] = []
        seen: Counter[str] = Counter()
        functions = {function.name: function for function in reversed(context.inventory.functions)}
        for hit, owners, also in group_pages(sorted(hits.values(), key=lambda item: (item[0].path, item[0].line))):
            host = host_origin(owners, functions) if is_host_header(hit.flow) else None
            if host is HostOrigin.OWN:
                continue        # API Gateway or a function URL: the Host is the API's own name
            writer = event_writer(hit.flow, owners, functions) if host is None else EventWriter.CALLER
            if SEVERITY[writer] is None:
                # a field the invoking service writes: the value's other event data decides, if any
                hit, writer = _other_data(hit, owners, functions)
                if SEVERITY[writer] is None:
                    continue
            evidence = f"{hit.family}|{hit.sink}|{hit.flow.field}"
            machines = state_machines(owners, functions) \
                if writer in (EventWriter.STATE_MACHINE, EventWriter.FIXED_PAYLOAD) else ([], False)
            findings.append(_finding(hit, owners, f"{evidence}|{seen[hit.path + evidence]}", also,
                                     page_context(owners, functions), host, writer, machines))
            seen[hit.path + evidence] += 1
        return findings

    def prepare(self, context: AnalysisContext, function: Function) -> None:
        """What the function's event reaches, kept in the scan's code cache for `analyze`."""
        if context.in_focus(function):
            self._declared_once(context, function)

    # -- declared functions -------------------------------------------------------------------

    def _declared_once(self, context: AnalysisContext, function: Function) -> DeclaredReading:
        key = ("untrusted-declared", id(function))
        found = context.code_cache.get(key)
        if found is None or found[0] is not function:
            found = context.code_cache[key] = (function, self._declared(context, function))
        declared: DeclaredReading = found[1]
        return declared

    def _declared(self, context: AnalysisContext, function: Function) -> DeclaredReading:
        """The (file, function) a declared handler is, what its event reaches, what it imports."""
        if function.package_type.lower() == "image" and (function.task_root is None or not function.handler):
            return UNREAD       # read only when its Dockerfile copies the handler's folder (code/reader.py)
        runtime = (function.runtime or "").lower()
        if not runtime and function.properties.get("HandlerLanguage") == "javascript":
            # a Node.js runtime the review cannot name (`determineLatestNodeRuntime(scope)`,
            # `Runtime.NODEJS_LATEST` of an unknown release): read as Node.js, as the reader does
            runtime = "nodejs"
        embedded = _embedded_file(context.workspace, function)
        if embedded is not None and function.handler:
            return self._embedded(context, embedded, function.handler, runtime)
        if not function.handler:
            return self._entry(context, function) if not runtime or runtime.startswith("nodejs") else UNREAD
        if not runtime.startswith(("python", "nodejs")):
            return UNREAD
        root = _handler_folder(context, function, "javascript" if runtime.startswith("nodejs") else "python")
        if root is None:
            return UNREAD
        if runtime.startswith("python"):
            module_set = load_modules(context.workspace, root, function.handler, context.code_cache,
                                      function.layer_paths, function.task_root_copies)
            if isinstance(module_set, str) or module_set.entry is None:
                return UNREAD
            from reviewer.code.python_handlers import route_functions

            for module in module_set.modules.values():      # while its tree is at hand
                _handler_names(context.workspace, module.path, module.tree)
            names = [module_set.entry_function, *route_functions(module_set.entry.tree)]
            return _python_reading(context, module_set, names)
        if runtime.startswith("nodejs"):
            spec, dot, export = function.handler.strip().rpartition(".")
            if not dot or not spec:
                return UNREAD
            # the file the recursion check reads: a build output's source too (`.out/handlers/main` → `src/...`)
            rel = handler_file(context.workspace, root, spec)
            if rel is not None:
                return _javascript_reading(context, rel, export)
        return UNREAD

    def _entry(self, context: AnalysisContext, function: Function) -> DeclaredReading:
        """CDK's `NodejsFunction` names its file (`entry`) and no handler: the export is `handler`."""
        from reviewer.code.reader import entry_file

        rel = entry_file(context.workspace, function)
        return _javascript_reading(context, rel, "handler") if rel is not None else UNREAD

    def _embedded(self, context: AnalysisContext, rel: str, handler: str, runtime: str) -> DeclaredReading:
        """A template's inline code that is a whole file of the repository (Rain's `!Rain::Embed`):
        Lambda writes it as the handler's module (`index.py`), alone, so it is read on its own."""
        _, dot, name = handler.strip().rpartition(".")
        if not dot or not name:
            return UNREAD
        if runtime.startswith("nodejs") and rel.endswith(JS_SUFFIXES):
            return _javascript_reading(context, rel, name)
        text = _read(context.workspace, rel) if runtime.startswith("python") and rel.endswith(".py") else None
        try:
            tree = context.workspace.parsed.python(text, rel) if text is not None else None
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        if tree is None:
            return UNREAD
        module_set = ModuleSet(str(PurePosixPath(rel).parent), "handler_module", name,
                               {"handler_module": SourceModule("handler_module", rel, tree)})
        return _python_reading(context, module_set, [name])

    # -- handler-shaped files no template declares -----------------------------------------------

    def _undeclared(self, context: AnalysisContext, rel: str, read_entries: set[tuple[str, str]]
                    ) -> list[SinkHit] | None:
        if context.focus is not None and not context.focus.touches_path(rel):
            return None
        text = _read(context.workspace, rel)
        if text is None or "event" not in text and "handler" not in text.lower():
            return None
        if rel.endswith(".py"):
            return self._python_file(context, rel, read_entries)
        if len(text) > MAX_JS_BYTES or "export" not in text:
            return None
        return _read_javascript(context, rel, text, None).hits

    def _python_file(self, context: AnalysisContext, rel: str,
                     read_entries: set[tuple[str, str]]) -> list[SinkHit] | None:
        handlers = _handler_names(context.workspace, rel)
        names = [name for name in handlers or () if (rel, name) not in read_entries]
        if not names:
            return None
        from reviewer.code.taint_python import read_module_set

        path = PurePosixPath(rel)
        root = str(path.parent) if str(path.parent) not in ("", ".") else "."
        module_set: ModuleSet | str = "not importable"
        if path.stem.isidentifier() and parse_handler(f"{path.stem}.{names[0]}") is not None:
            module_set = load_modules(context.workspace, root, f"{path.stem}.{names[0]}", context.code_cache)
        if isinstance(module_set, str) or module_set.entry is None or module_set.entry.path != rel:
            # A file Python could not import by its name (`tainted-sql.py`) is still read, on its own.
            tree = context.workspace.parsed.python(context.workspace.read_text(rel), rel)   # it parsed: _handler_names
            module_set = ModuleSet(root, "handler_module", names[0],
                                   {"handler_module": SourceModule("handler_module", rel, tree)})
        return read_module_set(module_set, [(module_set.entry_module, name) for name in names],
                               context.workspace.parsed)


def _other_data(hit: SinkHit, owners: list[str], functions: dict[str, Function]) -> tuple[SinkHit, EventWriter]:
    """The hit as the first other event data its value holds shows it, when the data it names is a
    field the invoking service writes (`untrusted_writers.py`); that field's own writer when none
    is left. A value that held more event data than was kept is judged as the caller's."""
    for other in hit.flow.mixed:
        writer = event_writer(other, owners, functions)
        if SEVERITY[writer] is not None:
            return replace(hit, flow=other), writer
    if hit.flow.crowded:
        return hit, EventWriter.CALLER
    return hit, EventWriter.AWS


def _python_reading(context: AnalysisContext, module_set: ModuleSet, names: list[str]) -> DeclaredReading:
    """A Python handler's reading from its entry function (and the routes its app declares)."""
    from reviewer.code.taint_python import read_module_set

    entry = module_set.entry
    assert entry is not None
    hits = read_module_set(module_set, [(module_set.entry_module, name) for name in names], context.workspace.parsed,
                           declared=True)
    imports = frozenset(module.path for module in module_set.modules.values()) - {entry.path}
    return DeclaredReading((entry.path, module_set.entry_function), tuple(hits), imports)


def _javascript_reading(context: AnalysisContext, rel: str, export: str) -> DeclaredReading:
    """A JavaScript or TypeScript handler's reading, and the files it imports. A function of one
    of those the handler hands event data to, or a method of a class of one (`Class.method`), is
    read from that call, with what it hands over (the reading of one file does not follow its
    imports), in the file that writes it past a barrel's re-exports; that file and its imports
    are the handler's too."""
    text = _read(context.workspace, rel)
    if text is None:
        return UNREAD
    from reviewer.code.javascript_program import defining_file, relative_file

    reading = _read_javascript(context, rel, text, export)
    hits = list(reading.hits)
    imports = {found for specifier in reading.relative_imports
               if (found := relative_file(context.workspace, rel, specifier)) is not None}
    for (specifier, name), value in reading.passed.items():
        target = defining_file(context.workspace, rel, specifier, name.partition(".")[0])
        text = _read(context.workspace, target) if target is not None and target != rel else None
        if target is None or text is None or len(text) > MAX_JS_BYTES:
            continue
        # A helper many handlers call alike is read once: its hits are kept by their line (`_collect`),
        # the first reading's words naming the event data for every owner.
        key = ("untrusted-passed", target, hash(text), name, value.kind, value.template is None,
               value.fields is not None)
        helper = context.code_cache.get(key)
        if helper is None:
            helper = context.code_cache[key] = _read_javascript(context, target, text, name, value)
        hits += helper.hits
        imports.add(target)
        imports |= {found for specifier in helper.relative_imports
                    if (found := relative_file(context.workspace, target, specifier)) is not None}
    return DeclaredReading((rel, export), tuple(hits), frozenset(imports) - {rel})


def _read_javascript(context: AnalysisContext, rel: str, text: str, export: str | None,
                     given: Val | None = None) -> HandlerReading:
    """A JavaScript file's handler reading, read again with what its relative imports' functions
    return when a flow reached a sink (`_ending_calls`): most files have none, and pay nothing."""
    from reviewer.code.taint_javascript import read_handler

    reading = read_handler(rel, text, export, given)
    if reading.hits and reading.relative_imports:
        ending = _ending_calls(context, rel, reading.relative_imports, depth=MAX_RETURN_DEPTH)
        if ending:
            reading = read_handler(rel, text, export, given, ending)
    return reading


def _ending_calls(context: AnalysisContext, importer: str, specifiers: tuple[str, ...], *,
                  depth: int) -> frozenset[str]:
    """The calls of `importer`'s relative imports whose result holds none of their arguments
    (`code/taint_javascript_returns.py`), each module read once per run; its own imports' such
    calls are known to it `depth` modules deep (a handler, `getUser` of `./users`, the table
    module `./libs/dynamodb-lib` it calls)."""
    from reviewer.code.javascript_program import relative_file
    from reviewer.code.taint_javascript_returns import ending_calls, ending_exports

    found: set[str] = set()
    for specifier in specifiers[:MAX_RETURN_MODULES]:
        target = relative_file(context.workspace, importer, specifier)
        text = _read(context.workspace, target) if target is not None else None
        if target is None or text is None or len(text) > MAX_JS_BYTES:
            continue
        key = ("untrusted-ending", target, hash(text), depth)
        names = context.code_cache.get(key)
        if names is None:
            context.code_cache[key] = frozenset()     # while being read: a module importing itself ends nothing
            names = context.code_cache[key] = ending_exports(
                target, text, partial(_ending_calls, context, target, depth=depth - 1) if depth > 1
                else lambda _: frozenset())
        found |= ending_calls(specifier, names)
    return frozenset(found)


def _embedded_file(workspace: Workspace, function: Function) -> str | None:
    """The file of the repository a template embeds whole as the function's inline code."""
    inline = function.inline_code
    if inline is None or inline.text is None or inline.location.line != 1 or \
            inline.location.path == function.location.path:
        return None
    return inline.location.path if _read(workspace, inline.location.path) == inline.text else None


def _handler_folder(context: AnalysisContext, function: Function, language: str) -> str | None:
    """The folder the handler is read from: its code's, or, when that holds no source of it (a
    package built elsewhere), the source the recursion check reads too (`code_location`), so the
    flows found there are this function's."""
    root = handler_root(context.workspace, function)
    if root is not None and holds_handler(context.workspace, root, function.handler or "", language):
        return root
    source = handler_source(context.workspace, function, language, context.code_cache)
    return source.folder if source is not None else root


def _handler_names(workspace: Workspace, rel: str, tree: ast.Module | None = None) -> tuple[str, ...] | None:
    """The functions of a Python file shaped like handlers; None when it does not parse.

    Kept by the file's content for the run (a few names, not the tree): the sweep over every
    file asks again for the handler modules the declared functions' reading parsed already.
    """
    text = _read(workspace, rel)
    if text is None or "event" not in text and "handler" not in text.lower():
        return ()
    if _HANDLER_SIGNATURE.search(text) is None and "current_event" not in text and \
            "current_request" not in text:          # cheap: most modules define no handler
        return ()
    from reviewer.code.python_handlers import handler_functions

    parsed = workspace.parsed
    try:
        return parsed.get("handler-names", text, lambda source: tuple(
            handler_functions(tree if tree is not None else parsed.python(source, rel))))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _read(workspace: Workspace, rel: str) -> str | None:
    try:
        return workspace.read_text(rel)
    except UnreadableFile:
        return None


def _collect(hits: dict[tuple[str, int], tuple[SinkHit, list[str]]], hit: SinkHit, owner: str | None) -> None:
    key = (hit.path, hit.line)
    known = hits.get(key)
    if known is None or (known[0].built and not hit.built):
        hits[key] = (hit, known[1] if known else [])
    if owner is not None and owner not in hits[key][1]:
        hits[key][1].append(owner)


def _finding(hit: SinkHit, owners: list[str], evidence: str, also: list[int],
             page: tuple[list[str], bool], host: HostOrigin | None, writer: EventWriter,
             machines: tuple[list[str], bool] = ([], False)) -> Finding:
    """`also`: other lines of the same HTML text; `page`: the owners' HTTP invokers, and whether all
    are declared; `host`: who chose the request's `Host` header, when that is the data (else None);
    `writer`: who writes the value otherwise (reviewer.analyzers.untrusted_writers); `machines`:
    the state machines that invoke the owners, and whether only schedules start them."""
    message = finding_message(MESSAGES, "reaches_sink", field=hit.flow.field, source=f"{hit.flow.path}:{hit.flow.line}",
                              what=FAMILY_WORDS[hit.family], at=f"{hit.path}:{hit.line}", sink=Markup(hit.sink),
                              cwe=FAMILY_CWE[hit.family], kind=hit.family, owners=owners,
                              python=hit.python, page=hit.family == "html" and hit.built, also=also,
                              http=page[0], declared=page[1], host=host.value if host is not None else "",
                              writer=writer.value, machines=tuple(machines[0]), scheduled=machines[1])
    related = [Location(hit.flow.path, hit.flow.line)] if (hit.flow.path, hit.flow.line) != (hit.path, hit.line) \
        else []
    related += [Location(hit.path, line) for line in also]
    # A Host header no declared trigger decides on is the caller's only behind a load balancer; a
    # value no outsider writes is a warning or a notice that says who does.
    severity = Severity.WARNING if host is HostOrigin.UNKNOWN else SEVERITY[writer]
    if severity is Severity.ERROR:
        severity = None         # the rule's own severity, which settings may change
    return LR306.finding(message, hit.path, hit.line, severity=severity,
                         function=owners[0] if len(owners) == 1 else None, evidence=evidence, related=related)
