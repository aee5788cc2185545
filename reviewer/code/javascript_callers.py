"""Who calls the helper a JavaScript write sits in, and what the callers set on the event first.

A Node.js handler often hands its event to a helper that writes: `await save(event)`, where
`save` calls `putS3object(params)` from another module. The conditions around those calls guard
the write (`javascript_reader._key_guards`), and an assignment before them can overwrite the
event field the write re-emits: `event.source = 'orders.enriched'` before `putEvent(event)`,
which sends `Source: appEvent.source`. Read with tree-sitter, never run.
"""

from __future__ import annotations

from typing import Any

from reviewer import source_trees as st
from reviewer.code.javascript_program import FUNCTION_TYPES, unwrap
from reviewer.code.javascript_values import JsEvaluator, JsFunction, function_name
from reviewer.code.javascript_wrappers import wrapped_argument
from reviewer.code.values import EVENT, StaticValue

MAX_CALLER_LEVELS = 3
# The most calls of one helper whose conditions are judged one by one (`branching_sites`).
MAX_BRANCHES = 4
MAX_ASSIGNMENTS = 64
# What may stand between an unconditional assignment and its function's body.
_PLAIN_ANCESTORS = frozenset({"expression_statement", "statement_block", "try_statement", "parenthesized_expression",
                              "await_expression", "sequence_expression"})


def enclosing_function(node: Any) -> Any | None:
    """The function `node` is written in, past the callbacks it is passed to (`new Promise((resolve)
    => ...)`, `items.map(...)`), as `dominating_conditions` reads them; a function a wrapper makes
    into a helper (`const notify = co.wrap(function* (order) {...})`) is the helper."""
    return next((parent for parent in st.ancestors(node) if parent.type in FUNCTION_TYPES
                 and (parent.parent is None or parent.parent.type != "arguments" or _wrapped(parent))), None)


def _wrapped(function: Any) -> bool:
    call = function.parent.parent
    return call is not None and wrapped_argument(call) == function


def _helper_names(helper: Any, path: str, evaluator: JsEvaluator) -> list[str]:
    """The names the helper is called by: its own (for a wrapped one, the wrapper's variable) and
    those its module exports it under (`module.exports = { restaurantOfOrder: notifyRestaurant }`)."""
    name = function_name(helper.parent.parent) if _wrapped(helper) else function_name(helper)
    if not name:
        return []
    file = evaluator.program.files.get(path)
    aliases = [exported for exported, value in (file.exports.items() if file is not None else ())
               if exported != name and not isinstance(value, str) and value is not None
               and value.type == "identifier" and st.text(value) == name]
    return [name, *aliases[:4]]


def caller_sites(call: Any, path: str, evaluator: JsEvaluator) -> list[tuple[str, Any]]:
    """The one call of the function `call` sits in, the one call of that function's caller, and so
    on up to three levels, each with its file. A function called from several places ends the
    chain (a call without the condition would loop), and a call in another file counts only when
    it names the function itself (two modules may each define a `save`)."""
    chain: list[tuple[str, Any]] = []
    for _ in range(MAX_CALLER_LEVELS):
        sites = _own_sites(call, path, evaluator)
        if len(sites) != 1:
            break
        chain.append(sites[0])
        path, call = sites[0]
    return chain


def branching_sites(call: Any, path: str, evaluator: JsEvaluator) -> list[tuple[str, Any]]:
    """The calls of the function where `caller_sites` stops because it is called from several
    places (two to `MAX_BRANCHES`), each with its file: a poller's `checkLater(job)`, called once
    for the partner's request and once, behind a time limit, for its own check message. The write
    is bounded when each of them is. Empty when the chain ends for another reason."""
    chain = caller_sites(call, path, evaluator)
    last_path, last = chain[-1] if chain else (path, call)
    if len(chain) >= MAX_CALLER_LEVELS:
        return []
    sites = _own_sites(last, last_path, evaluator, several=True)
    return sites if 2 <= len(sites) <= MAX_BRANCHES else []


def _own_sites(call: Any, path: str, evaluator: JsEvaluator, several: bool = False) -> list[tuple[str, Any]]:
    """The calls of the function `call` sits in (one unless `several`), each in a file that names
    that function itself; none when one of them cannot be told to (another module's `save`)."""
    helper = enclosing_function(call)
    names = _helper_names(helper, path, evaluator) if helper is not None else []
    sites = list(dict.fromkeys(site for name in names for site in evaluator.call_sites.get(name, [])
                               if not evaluator.package_call(*site)))
    if len(sites) != 1 and not (several and len(sites) <= MAX_BRANCHES):
        return sites[:MAX_BRANCHES + 1]
    if any(site_path != path and not _names_function(site, site_path, helper, evaluator) for site_path, site in sites):
        return []
    return sites


def _names_function(site: Any, path: str, helper: Any, evaluator: JsEvaluator) -> bool:
    """Whether the call at `site` (in `path`) calls the function `helper`, through an import."""
    callee = site.child_by_field_name("function")
    return callee is not None and any(isinstance(value, JsFunction) and value.node == helper
                                      for value in evaluator.values(callee, path))


def overwritten_event_field(value: StaticValue, call: Any, path: str, evaluator: JsEvaluator) -> StaticValue:
    """`value` when it is no field of the incoming event, or nothing sets that field before the
    write; else what the last assignment to it sets (`event.source = 'orders.enriched'`), looked
    for before the write in its own function, then before each call in the chain of its callers.
    An assignment under a condition may not run, so it leaves the event's own value standing."""
    if len(value.parts) != 1 or value.parts[0].kind != EVENT:
        return value
    field = StaticValue.event(value.parts[0].text)
    for site_path, site in [(path, call), *caller_sites(call, path, evaluator)]:
        function = enclosing_function(site)
        if function is None:
            continue
        assignment = _last_assignment(function, site, site_path, field, evaluator)
        if assignment is None:
            continue
        if not _unconditional(assignment, function):
            return value
        found = evaluator.strings(assignment.child_by_field_name("right"), site_path)
        return found[0] if len(found) == 1 else value
    return value


def _last_assignment(function: Any, before: Any, path: str, field: StaticValue, evaluator: JsEvaluator) -> Any | None:
    """The last `x.y = ...` in `function`, before `before`, whose target is `field` of the event."""
    last = None
    seen = 0
    for node in st.walk(function):
        if node.type != "assignment_expression" or node.start_byte >= before.start_byte:
            continue
        seen += 1
        if seen > MAX_ASSIGNMENTS:
            break
        left = unwrap(node.child_by_field_name("left"))
        if left is None or left.type not in ("member_expression", "subscript_expression"):
            continue
        if evaluator.values(left, path) == [field] and (last is None or node.start_byte > last.start_byte):
            last = node
    return last


def _unconditional(assignment: Any, function: Any) -> bool:
    """Whether nothing but blocks, `try` and plain statements stand between the assignment and the
    body of `function` (no `if`, loop, `switch`, `&&`, `?:` or nested function)."""
    for parent in st.ancestors(assignment):
        if parent == function:
            return True
        if parent.type not in _PLAIN_ANCESTORS:
            return False
    return False
