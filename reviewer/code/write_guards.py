"""The conditions a write in handler code sits behind, for the loop check (Python handlers).

A write behind a condition that can stop it is a warning naming the condition, not an error
(`condition_line`); a Lambda invoke behind a depth counter the payload carries on is bounded
(`depth_guard`); and a write in a helper the handler calls once sits behind the handler's own
conditions too, and so does one called from a caller called once, up to a few levels and across
modules (`caller_conditions`); one in a helper called from a few places, when each call is so
bounded or runs only for records the write's own fail, sits behind the first such condition
(`every_call_guarded`). Which conditions make a key provably skipped is `key_guards.py`'s.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Callable

from reviewer.code.evaluate import Evaluator
from reviewer.code.evaluated_values import Scope
from reviewer.code.guard_words import DEPTH_WORDS, GUARD_WORDS
from reviewer.code.key_guards import dominating_conditions, record_guards
from reviewer.code.record_filters import Resolve
from reviewer.code.program import FunctionInfo
from reviewer.code.syntax_walk import walk
from reviewer.code.values import KeyGuard, StaticValue

MAX_CALLER_LEVELS = 4   # helper → caller → its caller ...: deeper chains get no conditions from above
MAX_BRANCHES = 4        # the most calls of one helper whose conditions are judged one by one
_MARKER_WORDS = re.compile(r"processed|already|marker|checksum|startswith|endswith|includes", re.I)


def _words(node: ast.AST | None, limit: int = 400) -> set[str]:
    words: set[str] = set()
    if node is None:
        return words
    for count, child in enumerate(walk(node)):
        if count > limit:
            break
        if isinstance(child, ast.Name):
            words.add(child.id)
        elif isinstance(child, ast.Attribute):
            words.add(child.attr)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and len(child.value) < 64:
            words.add(child.value)
    return words


def _mentions_depth(words: set[str]) -> bool:
    return any(DEPTH_WORDS.search(word) for word in words)


def caller_conditions(function: FunctionInfo | None, scope: Scope, evaluator: Evaluator,
                      resolve_in: Callable[[Scope], Resolve]) -> list[tuple[list[tuple[ast.expr, bool]], Scope]]:
    """The conditions around the one call of the helper that writes, and around the one call of
    that caller in turn, up to `MAX_CALLER_LEVELS` callers, each with the scope it is read in: a
    handler that skips its own output (`if key.endswith("_small.png"): continue`) and then calls
    `save(bucket, key + "_small.png")`, or a stream handler whose loop keeps only `INSERT`
    records (`for job_id, group in groupby(sorted(get_records(records, "JobEvent", "INSERT")))`)
    and calls `update_stats(job_id, group)` from another module, which calls the helper that
    updates. The walk stops at a function called from several places (one call without the
    condition would loop) or from none."""
    levels: list[tuple[list[tuple[ast.expr, bool]], Scope]] = []
    seen: set[tuple[str, str]] = set()
    while function is not None and len(levels) < MAX_CALLER_LEVELS:
        key = (function.module, function.qualname)
        sites = evaluator.call_sites.get(key, [])
        if key in seen or len(sites) != 1 or sites[0].scope.function is None:
            break
        seen.add(key)
        site = sites[0]
        caller = site.scope.function
        assert caller is not None
        levels.append((dominating_conditions(caller.node.body, site.call, resolve_in(site.scope)), site.scope))
        function = caller
    return levels


def every_call_guarded(function: FunctionInfo | None, levels: list[tuple[list[tuple[ast.expr, bool]], Scope]],
                       evaluator: Evaluator, resolve_in: Callable[[Scope], Resolve],
                       written: dict[str, str], service: str) -> int | None:
    """The line of a condition that can stop the write when the helper where `caller_conditions`
    stopped is called from a few places of the write's module and each call either sits behind
    such a condition or runs only for records whose field the write's own fails: a poller's
    `check_later(job)`, called for the partner's request (`if message["source"] == "partner"`,
    while it sends `"source": "poller"`) and, for its own check message, `if waited < MAX_WAIT`.
    The first guarded call's condition is named; None when a call has neither, or none is guarded."""
    top = levels[-1][1].function if levels else function
    if top is None or len(levels) >= MAX_CALLER_LEVELS:
        return None
    sites = evaluator.call_sites.get((top.module, top.qualname), [])
    if not 2 <= len(sites) <= MAX_BRANCHES or any(site.scope.function is None or site.scope.module != top.module
                                                   for site in sites):
        return None
    first: int | None = None
    for site in sites:
        caller = site.scope.function
        assert caller is not None
        found = dominating_conditions(caller.node.body, site.call, resolve_in(site.scope))
        above = [condition for conditions, _ in caller_conditions(caller, site.scope, evaluator, resolve_in)
                 for condition in conditions]
        line = condition_line(site.call, tuple(test for test, _ in found + above), caller)
        if line is not None:
            first = first if first is not None else line
            continue
        guards = record_guards(found, _bound_in(caller), strings_in(evaluator, site.scope))
        if not any(guard.record == service and guard.attribute in written and not guard.admits(written[guard.attribute])
                   for guard in guards):
            return None
    return first


def _bound_in(function: FunctionInfo) -> Callable[[str], list[ast.expr]]:
    """What a name of `function` is assigned, for the record guards read there."""
    return lambda name: [binding.expr for binding in function.bindings.get(name, []) if binding.expr is not None]


def strings_in(evaluator: Evaluator, where: Scope) -> Callable[[ast.expr], list[StaticValue]]:
    """What an expression read in `where` may be, as text: the caller's conditions are read there."""
    return lambda expr: evaluator.strings(expr, where)


def placed(guards: tuple[KeyGuard, ...], caller: Scope, evaluator: Evaluator, path: str) -> tuple[KeyGuard, ...]:
    """A caller's guards, named in its file when that is not the write's (a caller in another module)."""
    module = evaluator.program.modules.get(caller.module)
    where = module.source.path if module is not None else path
    return guards if where == path else tuple(replace(guard, path=guard.path or where) for guard in guards)


def condition_line(call: ast.Call, guards: tuple, function: FunctionInfo | None,
                any_condition: bool = False) -> int | None:
    """The line of a condition that can stop the write: an `if` around it, or an early exit
    before it, that compares a counter, or checks a marker, checksum or state (for a function
    invoking itself, any condition: `if not event.get("async")` dispatches once)."""
    tests = [test for test in guards if isinstance(test, ast.expr)]
    if function is not None:
        tests.extend(test for line, test in function.early_exits if line < call.lineno)
    for test in sorted(tests, key=lambda node: node.lineno, reverse=True):
        words = _words(test)
        compares = any(isinstance(node, ast.Compare) for node in walk(test))
        if any_condition or (compares and any(GUARD_WORDS.search(word) for word in words)) or \
                any(_MARKER_WORDS.search(word) for word in words):
            return test.lineno
    return None


def depth_guard(call: ast.Call, guards: tuple, function: FunctionInfo | None) -> bool:
    """A Lambda invoke behind a comparison of a depth-like counter that the payload carries on."""
    tests = list(guards)
    if function is not None:
        tests.extend(test for line, test in function.early_exits if line < call.lineno)
    checked = any(any(isinstance(node, ast.Compare) for node in walk(test)) and _mentions_depth(_words(test))
                  for test in tests)
    if not checked:
        return False
    payload = next((keyword.value for keyword in call.keywords if keyword.arg in ("Payload", "InvokeArgs")), None)
    words = _words(payload)
    if function is not None:
        for name in list(words):
            for binding in function.bindings.get(name, []):
                words |= _words(binding.expr)
    return _mentions_depth(words)
