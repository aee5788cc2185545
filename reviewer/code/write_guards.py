"""The conditions a write in handler code sits behind, for the loop check (Python handlers).

A write behind a condition that can stop it is a warning naming the condition, not an error
(`condition_line`); a Lambda invoke behind a depth counter the payload carries on is bounded
(`depth_guard`); and a write in a helper the handler calls once sits behind the handler's own
conditions too (`caller_conditions`). Which conditions make a key provably skipped is
`key_guards.py`'s.
"""

from __future__ import annotations

import ast
import re

from reviewer.code.evaluate import Evaluator
from reviewer.code.evaluated_values import Scope
from reviewer.code.guard_words import DEPTH_WORDS, GUARD_WORDS
from reviewer.code.key_guards import dominating_conditions
from reviewer.code.program import FunctionInfo
from reviewer.code.syntax_walk import walk

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


def caller_conditions(function: FunctionInfo | None, scope: Scope,
                       evaluator: Evaluator) -> tuple[list[tuple[ast.expr, bool]], Scope]:
    """The conditions around the one call of the helper that writes, in the same module: a handler
    that skips its own output (`if key.endswith("_small.png"): continue`) and then calls
    `save(bucket, key + "_small.png")`. A helper called from several places, or from another
    module, gets none (one call without the condition would loop)."""
    sites = evaluator.call_sites.get((function.module, function.qualname), []) if function is not None else []
    if len(sites) != 1 or sites[0].scope.function is None or sites[0].scope.module != scope.module:
        return [], scope
    site = sites[0]
    caller = site.scope.function
    assert caller is not None
    return dominating_conditions(caller.node.body, site.call), site.scope


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
