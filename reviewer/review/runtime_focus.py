"""Which functions a pull request's summary shows in its runtime table.

A one-function change to a monorepo of 144 functions put 144 rows at the top of the summary
comment, none of them about the change. In a review the table keeps to the functions the change
touches (`ScanResult.focused`) and counts the others, whose full table the job summary and the
JSON report keep. When the change touches a runtime (a runtime declaration's line is edited, or
a function's runtime is not the base's), the whole table stays: the reviewer then weighs the
runtimes of every function, not only those of the files edited. A full scan keeps the whole table.
"""

from __future__ import annotations

from reviewer.analyzers.runtimes import runtime_declaration
from reviewer.model import Function
from reviewer.review.diff import DiffMap


def runtime_focus(functions: list[Function], focused: list[Function] | None, diff: DiffMap,
                  base_functions: list[Function] | None) -> list[Function] | None:
    """The touched functions the table lists (in the head's order), or None for the whole table."""
    if focused is None or touches_a_runtime(functions, diff, base_functions):
        return None
    touched = {id(function) for function in focused}
    return [function for function in functions if id(function) in touched]


def touches_a_runtime(functions: list[Function], diff: DiffMap, base_functions: list[Function] | None) -> bool:
    """Whether the change edits the line a function's runtime is declared on, or leaves a function
    declared where the base declared it with another runtime (a removed `Runtime` that `Globals`
    now supplies). A function the base did not have counts only by that: its new declaration is
    a touched function's row already. Without the base, an edited declaration line decides."""
    before = {(function.name, function.location.path): function.runtime for function in base_functions or []}
    for function in functions:
        key = (function.name, function.location.path)
        if base_functions is not None and key not in before:
            continue
        if key in before and before[key] != function.runtime:
            return True
        declared = runtime_declaration(function)
        if any(diff.is_added(declared.path, line) for line in range(declared.line, declared.last_line + 1)):
            return True
    return False
