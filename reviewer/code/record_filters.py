"""The records a stream handler's loop visits: the conditions of the comprehension it iterates.

A DynamoDB stream processor often keeps only some records before it writes:
`for record in [r for r in event["Records"] if r["eventName"] == "INSERT"]:`, the same list kept
in a variable first, or a helper that returns such a comprehension and takes the event name as
an argument (`for job in records_of(records, "INSERT")`, its test in a one-line helper
`is_operation(record, operation)`), sorted or grouped first (`groupby(sorted(events, key=...))`). A write inside the loop runs only for the records those
conditions let through, so they guard it as an `if` around it would (`key_guards.py` reads them).
A helper's condition is returned with its parameters replaced by the call's constant arguments,
placed on the call's line: that call is where the reader sees the filter chosen.
"""

from __future__ import annotations

import ast
import copy
import threading
from typing import Callable

from reviewer.code.syntax_walk import nodes, walk

# The function (its definition) a call runs, when the reader knows it; None otherwise.
Resolve = Callable[[ast.Call], "ast.FunctionDef | ast.AsyncFunctionDef | None"]
_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.SetComp)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
MAX_DEPTH = 3
# Builtins and itertools functions whose items are those of their first argument.
_ITEM_KEEPING_CALLS = frozenset({"sorted", "list", "tuple", "reversed", "enumerate", "groupby"})


def iteration_filters(root: list[ast.stmt], loop: ast.For | ast.AsyncFor,
                      resolve: Resolve | None) -> list[tuple[ast.expr, bool]]:
    """The conditions every item the loop visits has passed (each with polarity True)."""
    iterated: ast.expr | None = loop.iter
    for _ in range(2 * MAX_DEPTH):
        if isinstance(iterated, ast.Name):
            iterated = _single_assignment(root, iterated.id, loop.lineno)
        elif isinstance(iterated, ast.Call) and _keeps_items(iterated):
            iterated = iterated.args[0]
        else:
            break
    if iterated is None:
        return []
    return _filters_of(iterated, resolve, 0)


def _keeps_items(call: ast.Call) -> bool:
    """A call that visits the items of its first argument, all and only them, reordered, grouped
    or numbered (`groupby(sorted(events, key=...), key=...)`, `enumerate(records)`): a loop over it
    runs for the records that argument keeps."""
    if not call.args or isinstance(call.args[0], ast.Starred):
        return False
    func = call.func
    if isinstance(func, ast.Attribute):
        return isinstance(func.value, ast.Name) and func.value.id == "itertools" and func.attr in _ITEM_KEEPING_CALLS
    return isinstance(func, ast.Name) and func.id in _ITEM_KEEPING_CALLS


def _single_assignment(root: list[ast.stmt], name: str, before: int) -> ast.expr | None:
    """The value of the one assignment to `name` in the function, made before the loop."""
    values = _assignments(root).get(name)
    if values is None or len(values) != 1 or values[0].lineno >= before:
        return None
    return values[0]


# The assignments of the few function bodies read last (`_assignments`): a loop's name is looked
# up once per write in it, and a handler writes several times inside one loop.
_RECENT_ASSIGNMENTS: list[tuple[list[ast.stmt], dict[str, list[ast.expr]]]] = []
_RECENT_KEPT = 4
_RECENT_LOCK = threading.Lock()
# What a name rebound other than by a plain assignment maps to: no value, so never a single one.
_REBOUND: list[ast.expr] = []


def _assignments(root: list[ast.stmt]) -> dict[str, list[ast.expr]]:
    """The values assigned to each name in the body (nested scopes included, as the walk finds
    them), in one pass; a name also rebound otherwise (`+=`, a bare annotation, a loop's, a
    `with`'s or `:=`'s target) maps to `_REBOUND`."""
    with _RECENT_LOCK:
        for body, known in _RECENT_ASSIGNMENTS:
            if body is root:
                return known
    found: dict[str, list[ast.expr]] = {}
    rebound: set[str] = set()
    for node in nodes(ast.Module(body=root, type_ignores=[])):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {target.id for target in targets if isinstance(target, ast.Name)}
            if isinstance(node, ast.AugAssign) or node.value is None:
                rebound.update(names)
            else:
                for name in names:
                    found.setdefault(name, []).append(node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.NamedExpr)):
            target = node.target if isinstance(node, (ast.For, ast.AsyncFor, ast.NamedExpr)) else ast.Tuple(
                elts=[item.optional_vars for item in node.items if item.optional_vars is not None], ctx=ast.Load())
            rebound.update(child.id for child in walk(target)
                           if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store))
    for name in rebound:
        found[name] = _REBOUND
    with _RECENT_LOCK:
        _RECENT_ASSIGNMENTS.insert(0, (root, found))
        del _RECENT_ASSIGNMENTS[_RECENT_KEPT:]
    return found


def _filters_of(value: ast.expr, resolve: Resolve | None, depth: int) -> list[tuple[ast.expr, bool]]:
    if isinstance(value, _COMPREHENSIONS):
        return [(_as_element(test, generator), True) for generator in value.generators[:4]
                for test in generator.ifs[:8]]
    if not (isinstance(value, ast.Call) and resolve is not None and depth < MAX_DEPTH):
        return []
    helper = resolve(value)
    returned = _only_return(helper)
    if helper is None or not isinstance(returned, _COMPREHENSIONS):
        return []
    bindings = _arguments(helper, value)
    found: list[tuple[ast.expr, bool]] = []
    for test, polarity in _filters_of(returned, None, depth + 1):
        inlined = _inline(test, bindings, resolve, depth + 1)
        for node in walk(inlined):
            if isinstance(node, ast.expr):
                node.lineno, node.end_lineno = value.lineno, value.end_lineno
        found.append((inlined, polarity))
    return found


def _as_element(test: ast.expr, generator: ast.comprehension) -> ast.expr:
    """The test with the comprehension's name replaced by an element of what it iterates
    (`r` of `for r in event["Records"]` read as `event["Records"][0]`): the evaluator knows no
    comprehension's names, and so can say what `json.loads(r["body"])["stage"]` is."""
    if not isinstance(generator.target, ast.Name) or any(
            isinstance(node, _NESTED_SCOPES + _COMPREHENSIONS) for node in walk(test)):
        return test
    element = ast.Subscript(value=generator.iter, slice=ast.Constant(0), ctx=ast.Load())
    ast.copy_location(element, generator.iter)
    element.slice.lineno, element.slice.col_offset = element.lineno, element.col_offset
    inlined = _Substitute({generator.target.id: element}).visit(_copied(test))
    return inlined if isinstance(inlined, ast.expr) else test


def _only_return(function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> ast.expr | None:
    """The expression of a function whose body (past its docstring) is one `return`."""
    if function is None:
        return None
    body = [stmt for stmt in function.body
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    return body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None


def _arguments(function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> dict[str, ast.expr]:
    """Each parameter bound to a constant by the call (positionally, by keyword or by default)."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(keyword.arg is None for keyword in call.keywords):
        return {}
    params = [arg.arg for arg in function.args.posonlyargs + function.args.args]
    bound: dict[str, ast.expr] = {}
    defaults = function.args.defaults
    for name, default in zip(params[len(params) - len(defaults):], defaults, strict=True):
        bound[name] = default
    for name, argument in zip(params, call.args, strict=False):
        bound[name] = argument
    for keyword in call.keywords:
        if keyword.arg is not None:
            bound[keyword.arg] = keyword.value
    return {name: value for name, value in bound.items() if isinstance(value, ast.Constant)}


def _copied(node: ast.AST) -> ast.AST:
    """A copy of an expression's syntax: its fields and positions, nothing else. CPython gives
    every tree of the process the same `Load`, `Store` and operator nodes (`ast.Eq()`, `ast.And()`),
    and bandit, scanning in this process on a thread of its own, hangs its `_bandit_parent` (its
    tree of the file it scans) on them: `copy.deepcopy` followed it into that tree while bandit
    was still writing it. The evaluator may be asked about a copy: it keeps each expression it
    answers for as long as the answer (`Evaluator.values`)."""
    fields: dict[str, object] = {}
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            value = _copied(value)
        elif isinstance(value, list):
            value = [_copied(item) if isinstance(item, ast.AST) else item for item in value]
        fields[name] = value
    copied = type(node)(**fields)
    for name in node._attributes:
        if hasattr(node, name):
            setattr(copied, name, getattr(node, name))
    return copied


class _Substitute(ast.NodeTransformer):
    """A parameter's name replaced by the constant the call passes for it."""

    def __init__(self, bindings: dict[str, ast.expr]) -> None:
        self.bindings = bindings

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self.bindings.get(node.id)
        return copy.copy(value) if value is not None and isinstance(node.ctx, ast.Load) else node


def _inline(test: ast.expr, bindings: dict[str, ast.expr], resolve: Resolve | None, depth: int) -> ast.expr:
    """The test with the call's constants in place of parameters, and a call of a one-line helper
    (`is_operation(r, operation)`) replaced by the comparison it returns, its own parameters
    bound to what the call passes (the record's name, the constant)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):   # `is_type(r, t) and is_operation(r, op)`
        joined = ast.BoolOp(op=ast.And(), values=[_inline(value, bindings, resolve, depth) for value in test.values[:8]])
        return ast.copy_location(joined, test)
    result = _Substitute(bindings).visit(_copied(test))
    if isinstance(result, ast.Call) and isinstance(test, ast.Call) and resolve is not None and depth < MAX_DEPTH:
        helper = resolve(test)   # the call as written, or as `_as_element` copied it
        returned = _only_return(helper)
        if helper is not None and returned is not None and not isinstance(returned, _COMPREHENSIONS) \
                and not any(isinstance(arg, ast.Starred) for arg in result.args):
            params = [arg.arg for arg in helper.args.posonlyargs + helper.args.args]
            passed: dict[str, ast.expr] = dict(zip(params, result.args, strict=False))
            passed.update({keyword.arg: keyword.value for keyword in result.keywords if keyword.arg is not None})
            return _Substitute(passed).visit(_copied(returned))
    return result
