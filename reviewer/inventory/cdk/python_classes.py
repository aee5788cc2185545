"""Class attributes a Python CDK construct reads through `self` (or the class's name).

CDK constructs written as classes keep the settings their functions share as class attributes
(`class ApiConstruct(Construct): LAMBDA_RUNTIME = _lambda.Runtime.PYTHON_3_13`) and pass them as
`runtime=self.LAMBDA_RUNTIME`. Without following the attribute every such function's runtime is
"unresolved". Only what the file itself writes counts: the class around the use (or the class
named, `ApiConstruct.LAMBDA_RUNTIME`) or one of its bases declared in the same file, assigning the
name exactly once in its body, and never reassigning it through `self.NAME = ...` (a value set
when the app runs is not the class's).
"""

from __future__ import annotations

import ast

# Bases followed from the class around the use (`class Api(BaseConstruct)`), within the file.
MAX_BASE_DEPTH = 4


class ClassAttributes:
    """The class attributes one module assigns, indexed once."""

    def __init__(self, tree: ast.Module) -> None:
        self._classes: list[ast.ClassDef] = []
        self._by_name: dict[str, list[ast.ClassDef]] = {}
        self._reassigned: set[str] = set()   # names set through `self.NAME = ...` / `cls.NAME = ...`
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                self._classes.append(node)
                self._by_name.setdefault(node.name, []).append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                            and target.value.id in ("self", "cls"):
                        self._reassigned.add(target.attr)

    def value(self, node: ast.expr) -> ast.expr | None:
        """What `self.NAME`, `cls.NAME` or `Class.NAME` holds when the class (or a base of it in
        this file) assigns NAME once in its body; None otherwise."""
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name) \
                or node.attr in self._reassigned:
            return None
        owner = node.value.id
        if owner in ("self", "cls"):
            start = self._around(node)
            if start is not None and self._overridden_below(start, node.attr):
                return None   # a subclass of this file sets its own value: which one runs is not known
        else:
            named = self._by_name.get(owner, [])
            start = named[0] if len(named) == 1 else None
        return self._lookup(start, node.attr, 0) if start is not None else None

    def _around(self, node: ast.expr) -> ast.ClassDef | None:
        """The innermost class whose body holds `node`."""
        line = getattr(node, "lineno", None)
        if line is None:
            return None
        holding = [c for c in self._classes if c.lineno <= line <= (c.end_lineno or c.lineno)]
        return max(holding, key=lambda c: c.lineno) if holding else None

    def _overridden_below(self, cls: ast.ClassDef, name: str) -> bool:
        return any(_class_level(other, name) for other in self._classes if other is not cls and any(
            isinstance(base, ast.Name) and base.id == cls.name for base in other.bases))

    def _lookup(self, cls: ast.ClassDef, name: str, depth: int) -> ast.expr | None:
        assigned = _class_level(cls, name)
        if len(assigned) == 1:
            return assigned[0]
        if assigned or depth >= MAX_BASE_DEPTH:
            return None
        for base in cls.bases:
            declared = self._by_name.get(base.id, []) if isinstance(base, ast.Name) else []
            if len(declared) == 1:
                found = self._lookup(declared[0], name, depth + 1)
                if found is not None:
                    return found
        return None


def _class_level(cls: ast.ClassDef, name: str) -> list[ast.expr]:
    """The values `cls`'s own body assigns to `name` (`NAME = value`, `NAME: T = value`)."""
    values: list[ast.expr] = []
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and statement.value is not None and any(
                isinstance(t, ast.Name) and t.id == name for t in statement.targets):
            values.append(statement.value)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                and statement.target.id == name and statement.value is not None:
            values.append(statement.value)
    return values


__all__ = ["ClassAttributes"]
