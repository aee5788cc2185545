"""Event data reaching dangerous sinks in JavaScript and TypeScript handlers (LR306), read with tree-sitter.

The same reading as the Python one (reviewer/code/taint_python.py): statements in order, an
environment of what each name holds, branches merged, sanitisers ending a flow, the file's own
functions read with their arguments' state. Handlers are the functions a file exports
(`exports.handler = ...`, `module.exports = {handler}`, `export const handler = ...`); the event is
their first parameter. Nothing is run.

This module reads the whole file (its functions and imports, the handler entries, the call
summaries and budget); one function's statements are read by taint_javascript_flow.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import handler_entries, parameters_of
from reviewer.code.taint_common import CLEAN, Flow, SinkHit, Val, first_flow, positional
from reviewer.code.taint_javascript_classes import INSTANCE, owning_class
from reviewer.code.taint_javascript_flow import JavaScriptFlowReader
from reviewer.code.taint_javascript_sinks import DDB_MODULES, SQL_LIBRARIES

Node = tree_sitter.Node
MAX_CALL_DEPTH = 4
MAX_ANALYSES = 400
# The functions of the file's relative imports a handler hands event data to, kept at most.
MAX_PASSED = 8


class JavaScriptTaint:
    """One file's reading from its handler functions; `run` gives what reached a sink."""

    def __init__(self, path: str, root: Node) -> None:
        self.path = path
        self.root = root
        self.hits: dict[tuple[str, int], SinkHit] = {}
        self.analyses = 0
        self.functions: dict[str, Node] = {}
        self.classes: dict[str, Node] = {}      # the file's own classes, by name
        self.imports: set[str] = set()
        # (relative module, its function) -> the event data a call hands it as first argument
        self.passed: dict[tuple[str, str], Val] = {}
        self._summaries: dict[tuple, Val] = {}
        self._active: set[tuple] = set()
        self.module_env: dict[str, Val] = {}
        # Calls of relative imports whose result holds none of their arguments
        # (`./libs/dynamodb-lib.get`: `taint_javascript_returns.py`), read as the file's own are.
        self.ending: frozenset[str] = frozenset()
        reader = JavaScriptFlowReader(self, self.module_env, 0)
        for statement in root.named_children:
            try:
                reader.statement(statement)
            except RecursionError:
                break
        self.module_env = reader.env

    @property
    def uses_sql(self) -> bool:
        """Whether the file imports an SQL client. A property, not a field set after the module's
        statements are read: a handler wrapped at module level (`export const main =
        middy(async (event) => ...)`) is read while they are, and its calls ask already."""
        return bool(self.imports & SQL_LIBRARIES)

    @property
    def uses_dynamodb(self) -> bool:
        """Whether the file imports a DynamoDB client (asked as `uses_sql` is, at any time)."""
        return any(name.startswith(DDB_MODULES) for name in self.imports)

    def run(self, entries: Iterable[Node], given: Val | None = None) -> list[SinkHit]:
        """`given`: what the entries' first parameter holds, when a caller in another file hands
        it over; else the event itself."""
        for function in entries:
            params = parameters_of(function)
            if not params:
                continue
            event = given if given is not None else \
                Val(Flow(st.text(params[0]) if params[0].type == "identifier" else "event", self.path,
                         st.line(function)), kind="event")
            try:
                self.call_function(function, [event], 0, self.module_env)
            except RecursionError:
                continue
        return sorted(self.hits.values(), key=lambda hit: hit.line)

    def note_passed(self, qual: str, value: Val) -> None:
        """A call of `qual` hands event data over as its first argument: kept when `qual` is a
        function of a relative import (`./handlers/rds.migrate`), which is read from that call."""
        module, dot, name = qual.rpartition(".")
        if dot and name.isidentifier():
            self.hand_over(module, name, value)

    def hand_over(self, module: str, name: str, value: Val) -> None:
        """Keep `name` of `module` (a function, or a class's method `Class.method`) to read from
        the call that hands it `value`, when `module` is a relative import."""
        if module.startswith(".") and len(self.passed) < MAX_PASSED:
            self.passed.setdefault((module, name), value)

    def record(self, hit: SinkHit) -> None:
        key = (hit.path, hit.line)
        known = self.hits.get(key)
        if known is None or (known.built and not hit.built):
            self.hits[key] = hit

    def call_function(self, function: Node, args: list[Val], depth: int, closure: dict[str, Val]) -> Val:
        # An object whose every key the code wrote walks clean keys (`for (k in {count: n})`), one
        # with keys from elsewhere (`{...body}`) does not: the same kind, read apart.
        key = (function.id, tuple((value.flow is not None, value.kind, value.fields is not None) for value in args))
        if key in self._summaries:
            return self._summaries[key]
        if key in self._active or depth > MAX_CALL_DEPTH or self.analyses >= MAX_ANALYSES:
            return Val(first_flow(args))
        self.analyses += 1
        self._active.add(key)
        try:
            reader = JavaScriptFlowReader(self, dict(closure), depth)
            if (owner := owning_class(function, self.classes)) is not None:
                reader.env["this"] = Val(kind=INSTANCE, qual=owner)     # `this.parse(record)`
            for index, param in enumerate(parameters_of(function)):
                if param.type == "rest_pattern":     # `...params`: the arguments from here on, by position
                    reader.bind(param, positional(args[index:]), None)
                    break
                reader.bind(param, args[index] if index < len(args) else CLEAN, None)
            body = function.child_by_field_name("body")
            if body is not None and body.type == "statement_block":
                reader.block(body)
            elif body is not None:
                reader.returned = reader.eval(body)
            result = reader.returned or CLEAN
        finally:
            self._active.discard(key)
        self._summaries[key] = result
        return result


def read_file(path: str, source: str | bytes, export: str | None = None) -> list[SinkHit]:
    """What event data reaches in one JavaScript/TypeScript file, from its handler functions."""
    return read_handler(path, source, export).hits


@dataclass(frozen=True)
class HandlerReading:
    """What one file's handler reading found: the hits, the functions of relative imports it
    hands event data to (`JavaScriptTaint.passed`) and the relative modules it imports."""

    hits: list[SinkHit] = field(default_factory=list)
    passed: dict[tuple[str, str], Val] = field(default_factory=dict)
    relative_imports: tuple[str, ...] = ()


def read_handler(path: str, source: str | bytes, export: str | None = None, given: Val | None = None,
                 ending: frozenset[str] = frozenset()) -> HandlerReading:
    """`read_file`, with what the handler passes on; `given`: what the export's first parameter
    holds (see `JavaScriptTaint.run`); `ending`: calls of its relative imports whose result holds
    none of their arguments (`JavaScriptTaint.ending`)."""
    tree = st.parse_file(path, source)
    if tree is None:
        return HandlerReading()
    entries = handler_entries(tree.root_node, export)
    if not entries:
        return HandlerReading()
    taint = JavaScriptTaint(path, tree.root_node)
    taint.ending = ending
    hits = taint.run(entries, given)
    return HandlerReading(hits, taint.passed, tuple(sorted(name for name in taint.imports if name.startswith("."))))
