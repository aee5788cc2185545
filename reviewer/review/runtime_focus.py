"""Which functions a pull request's summary shows in its runtime table.

A one-function change to a monorepo of 144 functions put 144 rows at the top of the summary
comment, none of them about the change. In a review the table keeps to the functions the change
touches (`ScanResult.focused`) and counts the others, whose full table the job summary and the
JSON report keep. When the change touches a runtime (a runtime declaration's line is edited, or
a function's runtime is not the base's), the reviewer weighs the runtimes of the functions
beside it too, so the table also lists every function declared in the same file, or whose runtime
is written in the same file (a template's `Globals`, a CDK settings module), or of the same
Terraform root: their app. The rest of a monorepo (235 functions in step-functions-workflows-collection,
where one app's change listed them all) keep their runtimes, as the check of every function's
runtime against the base's says, and are counted. A full scan keeps the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.analyzers.runtimes import runtime_declaration
from reviewer.model import Function
from reviewer.review.diff import DiffMap


@dataclass(frozen=True)
class RuntimeFocus:
    """The functions the table lists (in the head's order), and whether the change touches a runtime,
    so that they are the touched functions and their apps' others, not the touched ones only."""

    functions: list[Function]
    runtime_touched: bool = False


def runtime_focus(functions: list[Function], focused: list[Function] | None, diff: DiffMap,
                  base_functions: list[Function] | None) -> RuntimeFocus | None:
    """What the table lists, or None for the whole table (a full scan)."""
    if focused is None:
        return None
    touched = {id(function) for function in focused}
    changed = runtime_changes(functions, diff, base_functions)
    if not changed:
        return RuntimeFocus([function for function in functions if id(function) in touched])
    seeds = [function for function in functions if id(function) in touched or id(function) in changed]
    apps = {key for function in seeds for key in _app_keys(function)}
    return RuntimeFocus([function for function in functions
                         if id(function) in touched or id(function) in changed
                         or any(key in apps for key in _app_keys(function))], runtime_touched=True)


def runtime_changes(functions: list[Function], diff: DiffMap, base_functions: list[Function] | None) -> set[int]:
    """The functions (by identity) whose runtime declaration's line the change edits, or that stay
    declared where the base declared them with another runtime (a removed `Runtime` that `Globals`
    now supplies). A function the base did not have counts only by that: its new declaration is
    a touched function's row already. Without the base, an edited declaration line decides."""
    before = {(function.name, function.location.path): function.runtime for function in base_functions or []}
    changed: set[int] = set()
    for function in functions:
        key = (function.name, function.location.path)
        if base_functions is not None and key not in before:
            continue
        if key in before and before[key] != function.runtime:
            changed.add(id(function))
            continue
        declared = runtime_declaration(function)
        if any(diff.is_added(declared.path, line) for line in range(declared.line, declared.last_line + 1)):
            changed.add(id(function))
    return changed


def _app_keys(function: Function) -> tuple[tuple[str, str], ...]:
    """What ties a function to the others of its app: the file declaring it, the file its runtime is
    written in, and its Terraform root module."""
    keys = [("file", function.location.path), ("file", runtime_declaration(function).path)]
    if function.name_scope is not None:
        keys.append(("root", function.name_scope))
    return tuple(keys)
