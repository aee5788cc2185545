"""The flow-sensitive reading of one Python function (or a module's top level) for LR306.

Statements in order and the environment they leave, of what each name holds (event data or not,
a known constant text, the kind of object: a database cursor, an HTTP session, a DynamoDB table);
branches merge, and an allow-list or shape check (`if name in ALLOWED:`) ends a name's flow in
the branch it proves safe. What each expression holds, calls and sanitisers included, is read by
taint_python_expressions.py, mixed in. Kept apart from the reading across functions and modules (reviewer/code/taint_python.py: the
module index, the entry points, the call budget), which this reader calls back for the code's own
functions. The sinks it checks are in taint_python_sinks.py.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from reviewer.code.taint_common import CLEAN, Val, concat, join, joined, merge, merge_envs
from reviewer.code.taint_python_expressions import DICT_ITEMS, PythonExpressions
from reviewer.code.taint_python_sinks import builds_string, dotted, guards, load, root_name

if TYPE_CHECKING:
    from reviewer.code.taint_python import IndexedModule, PythonTaint

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


class PythonFlowReader(PythonExpressions):
    """Reads the statements of one function (or a module's top level) in order."""

    def __init__(self, taint: PythonTaint, module: IndexedModule, env: dict[str, Val],
                 function: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int) -> None:
        self.taint = taint
        self.module = module
        self.env = env
        self.function = function
        self.depth = depth
        self.returned: Val | None = None
        self.local_defs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.path = module.source.path
        self.init_pages()

    # -- statements -------------------------------------------------------------------------

    def block(self, statements: list[ast.stmt]) -> bool:
        """Read statements in order; True when the block always leaves (return, raise, ...)."""
        for stmt in statements:
            self.statement(stmt)
            if isinstance(stmt, _EXITS):
                return True
        return False

    def statement(self, stmt: ast.stmt) -> None:
        self.read_statement(stmt.lineno, lambda: self._statement(stmt))

    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.local_defs[stmt.name] = stmt
            self.env.pop(stmt.name, None)
        elif isinstance(stmt, ast.ClassDef):
            return
        elif isinstance(stmt, ast.Assign):
            value = self.eval_assigned(stmt.value, stmt.targets)
            for target in stmt.targets:
                self.assign(target, value, stmt.value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.eval_assigned(stmt.value, [stmt.target]), stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            def read() -> Val:
                current = self.eval(load(stmt.target))
                added = self.eval(stmt.value)
                return concat(current, added) if isinstance(stmt.op, ast.Add) else \
                    Val(join(current.flow, added.flow))
            name = stmt.target.id if isinstance(stmt.target, ast.Name) and isinstance(stmt.op, ast.Add) else None
            # `text += f"<doc>{d}</doc>"`: what is built waits with the name, as for `text = text + ...`
            self.assign(stmt.target, self.assigned(name, read) if name is not None else read(), None)
        elif isinstance(stmt, ast.Expr):
            self.eval(stmt.value)
        elif isinstance(stmt, ast.Return):
            if stmt.value is not None:
                returned = stmt.value
                # A helper's text waits for its caller; the entry function's return is its response.
                value = self.returning(lambda: self.eval(returned)) if self.depth > 0 else self.eval(returned)
                self.returned = value if self.returned is None else merge(self.returned, value)
        elif isinstance(stmt, ast.If):
            self.branch(stmt)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            iterated = self.eval(stmt.iter)
            before = dict(self.env)
            self.bind_iterated(stmt.target, iterated)
            self.block(stmt.body)
            self.env = merge_envs(before, self.env)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.While):
            self.eval(stmt.test)
            before = dict(self.env)
            self.block(stmt.body)
            self.env = merge_envs(before, self.env)
            self.block(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, None)
            self.block(stmt.body)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            before = dict(self.env)
            self.block(stmt.body)
            after_body = dict(self.env)
            for handler in stmt.handlers:
                self.env = merge_envs(before, after_body)
                if handler.name:
                    self.env[handler.name] = CLEAN
                self.block(handler.body)
                after_body = merge_envs(after_body, self.env)
            self.env = after_body
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            self.eval(stmt.subject)
            before = dict(self.env)
            merged = dict(before)
            for case in stmt.cases:
                self.env = dict(before)
                self.block(case.body)
                merged = merge_envs(merged, self.env)
            self.env = merged
        elif isinstance(stmt, (ast.Delete, ast.Global, ast.Nonlocal, ast.Pass, ast.Import, ast.ImportFrom)):
            return
        else:
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.expr):
                    self.eval(child)

    def branch(self, stmt: ast.If) -> None:
        self.eval(stmt.test)
        when_true, when_false = guards(stmt.test)
        before = dict(self.env)
        for name in when_true:
            if name in self.env:
                self.env[name] = replace(self.env[name], flow=None)
        body_exits = self.block(stmt.body)
        after_body = self.env
        self.env = dict(before)
        for name in when_false:
            if name in self.env:
                self.env[name] = replace(self.env[name], flow=None)
        else_exits = self.block(stmt.orelse)
        if body_exits and not else_exits:
            return                      # only the else path (or the fall-through) continues
        if else_exits and not body_exits:
            self.env = after_body
            return
        self.env = merge_envs(after_body, self.env)

    def eval_assigned(self, node: ast.expr, targets: list[ast.expr]) -> Val:
        """A statement's right side; HTML it builds (or its called helper returns) into a name waits for a use."""
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return self.eval(node)
        if builds_string(node):
            return self.assigned(targets[0].id, lambda: self.eval(node))
        return self.received(targets[0].id, node, lambda: self.eval(node)) if isinstance(node, ast.Call) \
            else self.eval(node)

    def bind_iterated(self, target: ast.expr, iterated: Val) -> None:
        """Bind a loop's target: a dict the code built yields its own keys, clean, and `.items()`
        pairs those keys with values that may hold event data (`for k, v in changes.items()`), so
        text built from the keys alone is not event data."""
        if iterated.kind == "dict":
            self.assign(target, CLEAN, None)
        elif iterated.kind == DICT_ITEMS and isinstance(target, (ast.Tuple, ast.List)) and \
                len(target.elts) == 2 and not any(isinstance(element, ast.Starred) for element in target.elts):
            self.assign(target.elts[0], CLEAN, None)
            self.assign(target.elts[1], Val(iterated.flow), None)
        else:
            self.assign(target, Val(iterated.flow), None)

    def assign(self, target: ast.expr, value: Val, expr: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(expr, (ast.Tuple, ast.List)) and len(expr.elts) == len(target.elts):
                for sub_target, sub_expr in zip(target.elts, expr.elts, strict=True):
                    self.assign(sub_target, self.eval(sub_expr), sub_expr)
            else:
                for element in target.elts:
                    self.assign(element.value if isinstance(element, ast.Starred) else element,
                                Val(value.flow), None)
        elif isinstance(target, ast.Subscript):
            index = self.eval(target.slice)
            container = root_name(target)
            if container is None:
                return
            known = self.env.get(container, CLEAN)
            if index.flow is not None and known.kind == "dict":
                # the event now names a key: the dict's keys are no longer the code's own
                self.env[container] = Val(joined((known.flow, index.flow, value.flow)))
            elif value.flow is not None:
                self.env[container] = Val(join(known.flow, value.flow), None, known.kind)
        elif isinstance(target, ast.Attribute):
            key = dotted(target)
            if key is not None:
                self.env[key] = value
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, None)
