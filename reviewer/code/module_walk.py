"""One breadth-first walk of a module for the two readers that sort its nodes.

The program index (reviewer.code.program) wants, for each statement, the calls and names of the
expressions the statement evaluates itself, each expression walked on its own; the /tmp reader
(reviewer.code.tmp_files) wants the module's calls, imports and assignments in the order a walk
of the whole module meets them. Each used to walk the module (the index one statement at a
time), so every module was walked twice. Here one walk of the whole module gives both: each
node carries the expression it belongs to (`own_calls`, `own_names`), and since a breadth-first
walk of a whole tree meets the nodes of any subtree in the order a walk of that subtree meets
them, each expression's calls and names come out in the order the index's own walk gave them
(tests/test_module_walk.py checks both readings against separate walks).

Same nodes as `syntax_walk.nodes`: the expression contexts and the fields that hold names,
numbers and flags are left out. Iterative: a module nested thousands deep is a long list.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any

from reviewer.code.syntax_walk import _CHILD_FIELDS, _child_fields
from reviewer.content_cache import ContentCache

# The expressions a compound statement evaluates itself (the rest of it: nested statements, or
# parts the index does not read, such as decorators and defaults). Any other statement is read
# whole. `With` evaluates the `context_expr` of each of its items.
_OWN_FIELDS: dict[type, frozenset[str]] = {
    ast.If: frozenset({"test"}), ast.While: frozenset({"test"}),
    ast.For: frozenset({"iter"}), ast.AsyncFor: frozenset({"iter"}),
    ast.Match: frozenset({"subject"}),
    ast.With: frozenset(), ast.AsyncWith: frozenset(),
    ast.Try: frozenset(), ast.TryStar: frozenset(),
    ast.FunctionDef: frozenset(), ast.AsyncFunctionDef: frozenset(), ast.ClassDef: frozenset(),
}

# How a node hands on the expression its children belong to.
_INHERIT, _WHOLE, _FIELDS, _WITH_ITEM = 0, 1, 2, 3
_ROLES: dict[type, int] = {}

# The nodes that bind a name to a value (`x = ...`, `x: T = ...`, `x += ...`, `(x := ...)`,
# `with ... as x`): the /tmp reader's assignments.
ASSIGNING = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.withitem)


@dataclass
class ModuleWalk:
    """A module's nodes sorted on one walk (whole-module walk order within each list)."""

    calls: list[ast.Call] = field(default_factory=list)
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    assignments: list[ast.AST] = field(default_factory=list)
    # Expression a statement evaluates itself (the statement, for a simple one) -> its calls, names.
    own_calls: dict[ast.AST, list[ast.Call]] = field(default_factory=dict)
    own_names: dict[ast.AST, list[ast.Name]] = field(default_factory=dict)


def module_walk(tree: ast.Module, cache: ContentCache | None = None) -> ModuleWalk:
    """The module's walk; with the run's parse cache, made once while the tree is held."""
    if cache is None:
        return walk_module(tree)
    return cache.derived("module-walk", tree, functools.partial(walk_module, tree))


def walk_module(tree: ast.AST) -> ModuleWalk:
    found = ModuleWalk()
    buckets: dict[type, list[Any]] = {ast.Call: found.calls, ast.Import: found.imports,
                                      ast.ImportFrom: found.imports}
    buckets.update(dict.fromkeys(ASSIGNING, found.assignments))
    own_calls, own_names = found.own_calls, found.own_names
    Call, Name, AST = ast.Call, ast.Name, ast.AST
    fields_of, roles = _CHILD_FIELDS, _ROLES
    pending: list[ast.AST] = [tree]
    owners: list[ast.AST | None] = [None]       # the expression each pending node belongs to
    index = 0
    while index < len(pending):
        current = pending[index]
        owner = owners[index]
        index += 1
        cls = current.__class__
        bucket = buckets.get(cls)
        if bucket is not None:
            bucket.append(current)
        if owner is not None:
            if cls is Call:
                own_calls.setdefault(owner, []).append(current)  # type: ignore[arg-type]
            elif cls is Name:
                own_names.setdefault(owner, []).append(current)  # type: ignore[arg-type]
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = _child_fields(cls)
        if not fields:
            continue
        role = roles.get(cls)
        if role is None:
            role = roles[cls] = _role(cls)
        if role == _WHOLE:
            owner = current
        own: frozenset[str] = _OWN_FIELDS.get(cls, frozenset()) if role == _FIELDS else frozenset()
        for name in fields:
            value = getattr(current, name, None)
            if role == _FIELDS:
                owner = value if name in own else None
            elif role == _WITH_ITEM:
                owner = value if name == "context_expr" else None
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, AST):
                        pending.append(item)
                        owners.append(owner)
            elif isinstance(value, AST):
                pending.append(value)
                owners.append(owner)
    return found


def _role(cls: type) -> int:
    if cls is ast.withitem:
        return _WITH_ITEM
    if issubclass(cls, ast.stmt):
        return _FIELDS if cls in _OWN_FIELDS else _WHOLE
    return _INHERIT
