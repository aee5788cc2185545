"""Event data reaching dangerous sinks in Python handler code, found by reading it (LR306).

A forward, flow-sensitive reading of each handler: statements in order, an environment of what
each name holds (event data or not, a known constant text, the kind of object: a database
cursor, an HTTP session, a DynamoDB table). Branches merge; a sanitiser (`int()`, `shlex.quote`,
`html.escape`, an allow-list check guarding the use) ends a flow. Calls to the module's own
functions (and those of the local modules the handler imports) are read with their arguments'
state, a few levels deep. Nothing is imported or run.

This module reads across functions and modules (the index of each module, the entry points, the
call summaries and budget); one function's statements are read by taint_python_flow.py, its
expressions by taint_python_expressions.py.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from reviewer.code.modules import ModuleSet, SourceModule, resolve_relative
from reviewer.code.python_handlers import (
    VALIDATING_FRAMEWORKS,
    dependency_parameters,
    handler_like,
    path_parameters,
    scalar_annotation,
)
from reviewer.code.taint_common import CLEAN, Flow, SinkHit, Val, joined
from reviewer.code.taint_pages import PageHits
from reviewer.code.taint_python_flow import PythonFlowReader
from reviewer.code.taint_python_sinks import DB_MODULES, import_statements
from reviewer.content_cache import ContentCache

MAX_CALL_DEPTH = 4
MAX_ANALYSES = 400


@dataclass
class IndexedModule:
    """One module as the reading knows it: its imports, functions, classes and top-level names."""

    source: SourceModule
    imports: dict[str, str]
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    classes: dict[str, dict[str, ast.FunctionDef | ast.AsyncFunctionDef]]
    env: dict[str, Val]
    uses_db: bool
    uses_boto3: bool


class PythonTaint:
    """One reading of a module set from a list of entry functions; `hits` holds what reached a sink."""

    def __init__(self, module_set: ModuleSet, cache: ContentCache | None = None) -> None:
        self.modules: dict[str, IndexedModule] = {}
        self.hits: dict[tuple[str, int], SinkHit] = {}
        self.analyses = 0
        self._summaries: dict[tuple, Val] = {}
        self._returned_pages: dict[tuple, tuple[SinkHit, ...]] = {}   # HTML text a helper returns
        self._active: set[tuple] = set()
        for name, module in module_set.modules.items():
            if cache is None:
                self.modules[name] = self._index(module)
            else:   # kept while the tree is (reviewer.content_cache)
                self.modules[name] = cache.derived("taint-index", (module.name, module.path, module.tree),
                                                   functools.partial(self._index, module))

    # -- set-up -----------------------------------------------------------------------------

    def _index(self, source: SourceModule) -> IndexedModule:
        imports: dict[str, str] = {}
        functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        classes: dict[str, dict[str, ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        for node in import_statements(source.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    imports[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                        alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom):
                base = resolve_relative(source, node.module, node.level) or ""
                for alias in node.names:
                    if alias.name != "*":
                        imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        for node in source.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                classes[node.name] = {item.name: item for item in node.body
                                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        roots = {qual.split(".")[0] for qual in imports.values()}
        module = IndexedModule(source, imports, functions, classes, {}, bool(roots & DB_MODULES), "boto3" in roots)
        reader = PythonFlowReader(self, module, {}, None, 0)
        for stmt in source.tree.body:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                try:
                    reader.statement(stmt)
                except RecursionError:
                    break
        module.env = reader.env
        return module

    # -- entry points -----------------------------------------------------------------------

    def run(self, entries: Iterable[tuple[str, str]], declared: tuple[str, str] | None = None) -> list[SinkHit]:
        """`declared`, the function a template names as the handler: Lambda calls it with the event
        and the context alone, so its first parameter is the event and any further one keeps its
        default (`def main(event=None, context=None, s3_client=None)`, a seam for tests), however
        many it takes."""
        for module_name, function_name in entries:
            module = self.modules.get(module_name)
            node = module.functions.get(function_name) if module else None
            if module is None or node is None:
                continue
            params = [arg.arg for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            if handler_like(node) or (module_name, function_name) == declared:
                bound = {params[0]: Val(Flow(params[0], module.source.path, node.lineno), kind="event")} \
                    if params else {}
            else:                        # a route function: every parameter is a part of the request path
                validated = any(qual.split(".")[0] in VALIDATING_FRAMEWORKS for qual in module.imports.values())
                in_path = path_parameters(node)
                own = dependency_parameters(node) if validated else frozenset()
                bound = {arg.arg: Val(Flow(f"{arg.arg} (from the request{' path' if arg.arg in in_path else ''})",
                                           module.source.path, node.lineno))
                         for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                         if arg.arg not in own and not (validated and scalar_annotation(arg.annotation))}
            try:
                self.call_function(module, node, bound, 0)
            except RecursionError:
                continue
        return sorted(self.hits.values(), key=lambda hit: (hit.path, hit.line))

    def record(self, hit: SinkHit) -> None:
        key = (hit.path, hit.line)
        known = self.hits.get(key)
        if known is None or (known.built and not hit.built):
            self.hits[key] = hit

    def call_function(self, module: IndexedModule, node: ast.FunctionDef | ast.AsyncFunctionDef,
                      bound: dict[str, Val], depth: int, closure: dict[str, Val] | None = None,
                      caller: tuple[PageHits, ast.Call] | None = None) -> Val:
        """Read `node` with its parameters bound; the value it returns. HTML text it returns is
        handed back to the `caller`'s reader at its call (`PageHits.handed_back`)."""
        key = (id(node), tuple(sorted((name, value.flow is not None, value.kind) for name, value in bound.items())))
        if key in self._summaries:
            if caller is not None:
                caller[0].handed_back(caller[1], self._returned_pages.get(key, ()))
            return self._summaries[key]
        if key in self._active or depth > MAX_CALL_DEPTH or self.analyses >= MAX_ANALYSES:
            return Val(joined(value.flow for value in bound.values()))
        self.analyses += 1
        self._active.add(key)
        try:
            env = dict(closure or {})
            for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
                env[arg.arg] = bound.get(arg.arg, CLEAN)
            for extra in (node.args.vararg, node.args.kwarg):
                if extra is not None:
                    env[extra.arg] = bound.get(extra.arg, CLEAN)
            reader = PythonFlowReader(self, module, env, node, depth)
            reader.block(node.body)
            result = reader.returned or CLEAN
        finally:
            self._active.discard(key)
        self._summaries[key] = result
        self._returned_pages[key] = tuple(reader.returned_pages)
        if caller is not None:
            caller[0].handed_back(caller[1], self._returned_pages[key])
        return result


def read_module_set(module_set: ModuleSet, entries: list[tuple[str, str]],
                    cache: ContentCache | None = None, declared: bool = False) -> list[SinkHit]:
    """Every sink event data reaches from the given entry functions (module name, function name).

    `cache`, the run's parse cache, keeps each module's index as long as its tree: a module that
    many handlers import is indexed once. `declared`: the module set's entry function is the
    handler a template names, which Lambda calls with the event and the context.
    """
    handler = (module_set.entry_module, module_set.entry_function) if declared else None
    return PythonTaint(module_set, cache).run(entries, handler)
