"""CDK routes whose function is declared in another file, for Python CDK apps (see `route_links.py`).

The Python shapes of the same hand-over: a construct attribute (`self.handler = _lambda.Function(...)`
in `LambdaStack`, read as `lambda_stack.handler` or `self.functions.list_orders`), and a stack's
`__init__` parameter (`def __init__(self, scope, construct_id, handler: _lambda.IFunction, **kwargs)`
with `ApiStack(app, "Api", handler=lambda_stack.handler)` in `app.py`). Linked under the same
conditions: one class of that name, one assignment, every creation handing over the same function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewer.content_cache import ContentCache
from reviewer.model import Function
from reviewer.inventory.cdk.python_names import dotted_parts

if TYPE_CHECKING:
    from reviewer.inventory.cdk.route_links import PendingRoute

_MAX_STEPS = 24


@dataclass
class _Source:
    """One Python source of an app and the classes it declares."""

    rel: str
    tree: ast.Module
    classes: list[ast.ClassDef] = field(default_factory=list)


@dataclass
class _Index:
    """The app's Python sources, classes, constructions and functions, for following routes across files."""

    sources: dict[str, _Source]
    classes: dict[str, list[tuple[_Source, ast.ClassDef]]]
    creations: dict[str, list[tuple[_Source, ast.Call]]]
    functions: dict[tuple[str, int], Function]


def link_python_routes(pending: list[PendingRoute], texts: dict[str, str], functions: list[Function],
                       parsed: ContentCache) -> None:
    """Add each pending route of a Python file to the one function its target names, when certain."""
    index = _index(texts, functions, parsed)
    for waiting in pending:
        source = index.sources.get(waiting.rel)
        if source is None:
            continue
        found = _Resolver(index).name(source, _class_at(source, waiting.route.location.line), waiting.target)
        if found is not None:
            found.routes.append(waiting.route)


def _index(texts: dict[str, str], functions: list[Function], parsed: ContentCache) -> _Index:
    index = _Index({}, {}, {}, {(f.location.path, f.location.line): f for f in functions})
    for rel, text in texts.items():
        try:
            tree = parsed.python(text)   # shared and only read: the run's one parse of this text
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        source = _Source(rel, tree)
        index.sources[rel] = source
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                source.classes.append(node)
                index.classes.setdefault(node.name, []).append((source, node))
            elif isinstance(node, ast.Call) and (name := _dotted(node.func)):
                index.creations.setdefault(name.rpartition(".")[2], []).append((source, node))
    return index


class _Resolver:
    """Follows a name to the function construct it holds, or to None when that is not certain."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.steps = 0

    def name(self, source: _Source, klass: ast.ClassDef | None, name: str) -> Function | None:
        self.steps += 1
        parts = name.split(".")
        if self.steps > _MAX_STEPS or not all(parts):
            return None
        head, rest = parts[0], parts[1:]
        if head == "self":
            if klass is None or not rest:
                return None
            value = _single(_attribute_values(klass, rest[0]))
            return self.member(source, klass, value, rest[1:]) if value is not None else None
        if klass is not None and (position := _init_parameter(klass, head)) is not None:
            if len(_assigned_values(klass, head)) != 1:
                return None                              # not only the parameter: given another value too
            return self.parameter(klass, head, position, rest)
        values = _assigned_values(klass, head) if klass is not None else []
        value = _single(values or _assigned_values(source.tree, head))
        return self.member(source, klass, value, rest) if value is not None else None

    def parameter(self, klass: ast.ClassDef, name: str, position: int, rest: list[str]) -> Function | None:
        """An `__init__` parameter: what every `Klass(...)` of the app passes for it."""
        if len(self.index.classes.get(klass.name, [])) != 1:
            return None
        found: set[int] = set()
        result: Function | None = None
        for source, creation in self.index.creations.get(klass.name, []):
            if any(isinstance(argument, ast.Starred) for argument in creation.args):
                return None
            given = [keyword.value for keyword in creation.keywords if keyword.arg == name]
            value = given[0] if given else creation.args[position] if len(creation.args) > position else None
            if value is None or any(keyword.arg is None for keyword in creation.keywords) and not given:
                return None
            function = self.member(source, _class_at(source, creation.lineno), value, rest)
            if function is None:
                return None
            found.add(id(function))
            result = function
        return result if len(found) == 1 else None

    def member(self, source: _Source, klass: ast.ClassDef | None, value: ast.expr, rest: list[str]) -> Function | None:
        if isinstance(value, (ast.Name, ast.Attribute)):
            name = _dotted(value)
            return self.name(source, klass, ".".join([name, *rest])) if name else None
        if not isinstance(value, ast.Call):
            return None
        kind = _dotted(value.func).rpartition(".")[2]
        if not rest:
            if kind.endswith("LambdaIntegration"):
                at = 1 if kind.startswith("Http") else 0
                handler = [keyword.value for keyword in value.keywords if keyword.arg == "handler"]
                argument = value.args[at] if len(value.args) > at else (handler[0] if handler else None)
                return self.member(source, klass, argument, []) if argument is not None else None
            return self.index.functions.get((source.rel, value.lineno))
        declarations = self.index.classes.get(kind, [])
        if len(declarations) != 1:
            return None
        owner, declaration = declarations[0]
        assigned = _single(_attribute_values(declaration, rest[0]))
        return self.member(owner, declaration, assigned, rest[1:]) if assigned is not None else None


def _single(values: list[ast.expr]) -> ast.expr | None:
    return values[0] if len(values) == 1 else None


def _dotted(node: ast.expr) -> str:
    """`a.b.c` as written; "" for anything but a plain dotted name."""
    return ".".join(dotted_parts(node))


def _targets(node: ast.AST) -> list[tuple[ast.expr, ast.expr]]:
    """(target, value) of an assignment; a `None` constant marks a value that is not read here."""
    if isinstance(node, ast.Assign):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        for target in node.targets:
            if isinstance(target, (ast.Tuple, ast.List)):
                pairs.extend((element, ast.Constant(None)) for element in ast.walk(target)
                             if element is not target and isinstance(element, ast.expr))
            else:
                pairs.append((target, node.value))
        return pairs
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [(node.target, node.value)]
    if isinstance(node, (ast.AugAssign, ast.NamedExpr, ast.comprehension)):
        return [(node.target, ast.Constant(None))]
    if isinstance(node, ast.arg):                        # a parameter: given by each call
        return [(ast.Name(node.arg), ast.Constant(None))]
    if isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
        targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) else \
            [item.optional_vars for item in node.items if item.optional_vars is not None]
        return [(target, ast.Constant(None)) for target in targets]
    return []


def _attribute_values(klass: ast.ClassDef, name: str) -> list[ast.expr]:
    """Every value the class assigns to `self.name`."""
    return [value for node in ast.walk(klass) for target, value in _targets(node) if _dotted(target) == f"self.{name}"]


def _assigned_values(scope: ast.AST, name: str) -> list[ast.expr]:
    """Every value a variable of that name is given in the scope."""
    return [value for node in ast.walk(scope) for target, value in _targets(node)
            if isinstance(target, ast.Name) and target.id == name]


def _init_parameter(klass: ast.ClassDef, name: str) -> int | None:
    """The position (after `self`) of the `__init__` parameter called `name`."""
    for statement in klass.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == "__init__":
            positional = [argument.arg for argument in statement.args.posonlyargs + statement.args.args][1:]
            if name in positional:
                return positional.index(name)
            keyword_only = [argument.arg for argument in statement.args.kwonlyargs]
            return len(positional) + 1000 if name in keyword_only else None
    return None


def _class_at(source: _Source, line: int) -> ast.ClassDef | None:
    """The innermost class whose lines hold `line`."""
    around: ast.ClassDef | None = None
    for klass in source.classes:
        if klass.lineno <= line <= (klass.end_lineno or klass.lineno):
            if around is None or klass.lineno >= around.lineno:
                around = klass
    return around
