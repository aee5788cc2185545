"""An index of parsed modules: functions, classes, imports and every place a name is bound.

Built once per handler, iteratively (a hostile file may nest statements deeply), so that the
evaluator can answer "what can this name hold here?" without walking trees again.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field, replace
from typing import Iterator

from reviewer.code.modules import ModuleSet, SourceModule, resolve_relative
from reviewer.code.syntax_walk import nodes
from reviewer.content_cache import ContentCache

# Statements whose bodies run only sometimes.
_CONDITIONAL = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Match)


@dataclass(frozen=True)
class Binding:
    """One place a name receives a value.

    kind "value": the name is `expr`; "element": the name is an element of `expr` (a `for`
    target); "context": the name is what `with expr as name` yields; "unpacked": a tuple target
    static reading does not split (a `for` target's, a starred one's; an assignment's names are
    each a "value", the item of the assigned value at their place). `conditional` is true inside if/for/while/except blocks.
    """

    kind: str
    expr: ast.expr | None
    line: int
    conditional: bool
    module: str
    function: "FunctionInfo | None" = field(default=None, compare=False, hash=False)


@dataclass(eq=False)
class FunctionInfo:
    """One function or method of the code read: its parameters, bindings, calls and returns."""

    module: str
    qualname: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    class_name: str | None
    parent: "FunctionInfo | None"
    params: list[str] = field(default_factory=list)
    defaults: dict[str, ast.expr] = field(default_factory=dict)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    returns: list[ast.expr] = field(default_factory=list)
    calls: list[tuple[ast.Call, tuple[ast.expr, ...]]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    early_exits: list[tuple[int, ast.expr]] = field(default_factory=list)

    @property
    def is_method(self) -> bool:
        return self.class_name is not None and self.parent is None

    @property
    def decorators(self) -> list[str]:
        names = []
        for decorator in self.node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name):
                names.append(target.id)
            elif isinstance(target, ast.Attribute):
                names.append(target.attr)
        return names


@dataclass
class ClassInfo:
    """One class of the code read: its methods and its attributes."""

    module: str
    name: str
    node: ast.ClassDef
    methods: dict[str, FunctionInfo] = field(default_factory=dict)
    attributes: dict[str, list[Binding]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportRef:
    """A name bound by an import: a whole module, or one name taken from a module."""

    module: str
    symbol: str | None = None


@dataclass
class ModuleIndex:
    """What one module defines and imports, indexed by name."""

    source: SourceModule
    imports: dict[str, ImportRef] = field(default_factory=dict)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    calls: list[tuple[ast.Call, tuple[ast.expr, ...]]] = field(default_factory=list)


    def release(self) -> None:
        """Let go of the tree: called by the run's parse cache when it drops this index with its
        tree, so both are freed at once rather than by the garbage collector (bindings refer
        back to their function: cycles)."""
        for info in self.functions.values():
            info.bindings.clear()
        for klass in self.classes.values():
            klass.methods.clear()
            klass.attributes.clear()
        self.bindings.clear()


@dataclass
class Program:
    """The modules a handler's code reaches, and the function Lambda calls first."""

    modules: dict[str, ModuleIndex]
    entry_module: str
    entry_function: str
    _methods: dict[str, list[FunctionInfo]] | None = field(default=None, init=False, repr=False, compare=False)

    def function(self, module: str, qualname: str) -> FunctionInfo | None:
        index = self.modules.get(module)
        return index.functions.get(qualname) if index else None

    def all_functions(self) -> Iterator[FunctionInfo]:
        for index in self.modules.values():
            yield from index.functions.values()

    def methods_named(self, name: str) -> list[FunctionInfo]:
        """The methods called `name` in every class of the program, in `all_functions` order.

        A call on a receiver static reading cannot name (`payload.get(...)`) asks this for each
        call of a reading: the table is built once per program instead of a pass over every
        function per call."""
        if self._methods is None:
            self._methods = {}
            for info in self.all_functions():
                if info.is_method:
                    self._methods.setdefault(info.node.name, []).append(info)
        return self._methods.get(name, [])


def build_program(module_set: ModuleSet, cache: ContentCache | None = None) -> Program:
    """The indexed modules of one function's code.

    An index depends only on the module's name and tree (its path is only carried along) and is
    never changed once built, so with a `cache` a module that many functions ship (a copied
    helper, a layer) is indexed once per run and each function gets it under its own path.
    """
    modules = {}
    for name, source in module_set.modules.items():
        if cache is None:
            modules[name] = _index_module(source)
            continue
        shared = cache.derived("module-index", (source.name, source.tree),
                               functools.partial(_index_module, source))
        modules[name] = shared if shared.source == source else replace(shared, source=source)
    return Program(modules, module_set.entry_module, module_set.entry_function)


def _index_module(source: SourceModule) -> ModuleIndex:
    index = ModuleIndex(source)
    _Indexer(index).run()
    return index


class _Indexer:
    """One iterative pass over a module: scopes, bindings, calls, returns and guards."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.name = index.source.name

    def run(self) -> None:
        # Work items: (statements, function, class, conditional, guards)
        work: list[tuple[list[ast.stmt], FunctionInfo | None, ClassInfo | None, bool, tuple[ast.expr, ...]]]
        work = [(list(self.index.source.tree.body), None, None, False, ())]
        while work:
            body, function, klass, conditional, guards = work.pop()
            for stmt in body:
                self._statement(stmt, function, klass, conditional, guards, work)

    def _statement(self, stmt: ast.stmt, function: FunctionInfo | None, klass: ClassInfo | None,
                   conditional: bool, guards: tuple[ast.expr, ...], work: list) -> None:
        # Dispatch on the exact class (the trees come from ast.parse): one lookup, not a chain of
        # isinstance calls, for each of the hundred thousand statements of a large scan.
        kind = stmt.__class__
        if kind in _FUNCTION_DEFINITIONS:
            self._define_function(stmt, function, klass, work)  # type: ignore[arg-type]
            return
        if kind is ast.ClassDef:
            assert isinstance(stmt, ast.ClassDef)
            info = ClassInfo(self.name, stmt.name, stmt)
            if function is None and klass is None:
                self.index.classes[stmt.name] = info
            self._bind(stmt.name, Binding("value", None, stmt.lineno, conditional, self.name, function),
                       function, None)
            work.append((list(stmt.body), None, info, False, ()))
            return
        if kind in _IMPORTS:
            self._import(stmt, function)  # type: ignore[arg-type]
        self._collect_expressions(stmt, function, guards)
        if kind in _ASSIGNMENTS:
            self._assignment(stmt, function, klass, conditional)  # type: ignore[arg-type]
        elif kind in _LOOPS:
            assert isinstance(stmt, (ast.For, ast.AsyncFor))
            self._target(stmt.target, Binding("element", stmt.iter, stmt.lineno, True, self.name, function),
                         function, klass)
            work.append((stmt.body + stmt.orelse, function, klass, True, guards))
        elif kind in _WITHS:
            assert isinstance(stmt, (ast.With, ast.AsyncWith))
            for item in stmt.items:
                if item.optional_vars is not None:
                    self._target(item.optional_vars,
                                 Binding("context", item.context_expr, stmt.lineno, conditional, self.name,
                                         function), function, klass)
            work.append((list(stmt.body), function, klass, conditional, guards))
        elif kind is ast.Global:
            if function is not None:
                function.global_names.update(stmt.names)  # type: ignore[attr-defined]
        elif kind is ast.Return:
            assert isinstance(stmt, ast.Return)
            if function is not None and stmt.value is not None:
                function.returns.append(stmt.value)
        elif kind is ast.If:
            assert isinstance(stmt, ast.If)
            if function is not None and _exits(stmt.body):
                function.early_exits.append((stmt.lineno, stmt.test))
            if not (function is None and klass is None and runs_as_script(stmt.test)):
                work.append((list(stmt.body), function, klass, True, guards + (stmt.test,)))
            work.append((list(stmt.orelse), function, klass, True, guards + (stmt.test,)))
        elif kind is ast.While:
            assert isinstance(stmt, ast.While)
            work.append((stmt.body + stmt.orelse, function, klass, True, guards + (stmt.test,)))
        elif kind in _TRIES:
            assert isinstance(stmt, (ast.Try, ast.TryStar))
            work.append((stmt.body + stmt.finalbody, function, klass, conditional, guards))
            handlers = [s for handler in stmt.handlers for s in handler.body]
            work.append((handlers + stmt.orelse, function, klass, True, guards))
        elif kind is ast.Match:
            assert isinstance(stmt, ast.Match)
            work.append(([s for case in stmt.cases for s in case.body], function, klass, True, guards))

    def _define_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, parent: FunctionInfo | None,
                         klass: ClassInfo | None, work: list) -> None:
        if parent is not None:
            qualname = f"{parent.qualname}.{node.name}"
        elif klass is not None:
            qualname = f"{klass.name}.{node.name}"
        else:
            qualname = node.name
        info = FunctionInfo(self.name, qualname, node, klass.name if klass and parent is None else
                            (parent.class_name if parent else None), parent)
        arguments = node.args
        positional = list(arguments.posonlyargs) + list(arguments.args)
        info.params = [arg.arg for arg in positional] + [arg.arg for arg in arguments.kwonlyargs]
        # Defaults belong to the last positional parameters, so the two lists differ in length.
        for arg, default in zip(reversed(positional), reversed(arguments.defaults), strict=False):
            info.defaults[arg.arg] = default
        for kwarg, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if kw_default is not None:
                info.defaults[kwarg.arg] = kw_default
        self.index.functions[qualname] = info
        if klass is not None and parent is None:
            klass.methods[node.name] = info
        else:
            self._bind(node.name, Binding("value", None, node.lineno, False, self.name, parent), parent, None)
        work.append((list(node.body), info, klass if parent is None else None, False, ()))

    def _import(self, stmt: ast.Import | ast.ImportFrom, function: FunctionInfo | None) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.index.imports[alias.asname] = ImportRef(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    self.index.imports[top] = ImportRef(top)
            return
        base = resolve_relative(self.index.source, stmt.module, stmt.level)
        if base is None:
            return
        for alias in stmt.names:
            if alias.name == "*":
                continue
            self.index.imports[alias.asname or alias.name] = ImportRef(base, alias.name)

    def _collect_expressions(self, stmt: ast.stmt, function: FunctionInfo | None,
                             guards: tuple[ast.expr, ...]) -> None:
        """Every call and name in the statement's own expressions (not in nested bodies)."""
        calls = function.calls if function is not None else self.index.calls
        Call, Name = ast.Call, ast.Name
        for expression in _own_expressions(stmt):
            for node in nodes(expression):
                kind = node.__class__
                if kind is Call:
                    calls.append((node, guards))  # type: ignore[arg-type]
                elif kind is Name and function is not None:
                    function.names.add(node.id)  # type: ignore[attr-defined]

    def _assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, function: FunctionInfo | None,
                    klass: ClassInfo | None, conditional: bool) -> None:
        if isinstance(stmt, ast.AugAssign):
            if stmt.op.__class__ is ast.Add and isinstance(stmt.target, (ast.Name, ast.Attribute)):
                load = _as_load(stmt.target)
                combined = ast.BinOp(left=load, op=ast.Add(), right=stmt.value)
                ast.copy_location(combined, stmt)
                self._target(stmt.target, Binding("value", combined, stmt.lineno, conditional, self.name, function),
                             function, klass)
            else:
                self._target(stmt.target, Binding("unpacked", None, stmt.lineno, conditional, self.name, function),
                             function, klass)
            return
        if stmt.value is None:
            return
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(stmt.value, (ast.Tuple, ast.List)) \
                    and len(target.elts) == len(stmt.value.elts):
                for sub_target, sub_value in zip(target.elts, stmt.value.elts, strict=True):
                    self._target(sub_target, Binding("value", sub_value, stmt.lineno, conditional, self.name,
                                                     function), function, klass)
            else:
                self._target(target, Binding("value", stmt.value, stmt.lineno, conditional, self.name, function),
                             function, klass)

    def _target(self, target: ast.expr, binding: Binding, function: FunctionInfo | None,
                klass: ClassInfo | None) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, binding, function, klass)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and function is not None:
            owner = self._class_of(function)
            if owner is not None and function.params and target.value.id == function.params[0]:
                owner.attributes.setdefault(target.attr, []).append(binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            # `bucket, key = parse(event)`: each name is one item of the value, read as
            # `parse(event)[0]`, `parse(event)[1]` (a starred name shifts the rest: not split)
            split = binding.kind == "value" and binding.expr is not None \
                and not any(isinstance(element, ast.Starred) for element in target.elts)
            for index, element in enumerate(target.elts):
                if split and binding.expr is not None:
                    item = ast.Subscript(value=binding.expr, slice=ast.Constant(index), ctx=ast.Load())
                    ast.copy_location(item, binding.expr)
                    part = Binding("value", item, binding.line, binding.conditional, self.name, function)
                else:
                    part = Binding("unpacked", None, binding.line, binding.conditional, self.name, function)
                self._target(element, part, function, klass)

    def _class_of(self, function: FunctionInfo) -> ClassInfo | None:
        if not function.is_method or function.class_name is None:
            return None
        return self.index.classes.get(function.class_name)

    def _bind(self, name: str, binding: Binding, function: FunctionInfo | None, klass: ClassInfo | None) -> None:
        if function is not None:
            if name in function.global_names:
                self.index.bindings.setdefault(name, []).append(
                    Binding(binding.kind, binding.expr, binding.line, True, binding.module, function))
            else:
                function.bindings.setdefault(name, []).append(binding)
        elif klass is not None:
            klass.attributes.setdefault(name, []).append(binding)
        else:
            self.index.bindings.setdefault(name, []).append(binding)


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def _as_load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    assert isinstance(target, ast.Attribute)
    return ast.copy_location(ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()), target)


def _own_expressions(stmt: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself, leaving nested statement bodies out."""
    kind = stmt.__class__
    if kind is ast.If or kind is ast.While:
        return [stmt.test]  # type: ignore[attr-defined]
    if kind in _LOOPS:
        return [stmt.iter]  # type: ignore[attr-defined]
    if kind in _WITHS:
        return [item.context_expr for item in stmt.items]  # type: ignore[attr-defined]
    if kind is ast.Match:
        return [stmt.subject]  # type: ignore[attr-defined]
    if kind in _NO_OWN_EXPRESSIONS:
        return []
    return [stmt]


# Statement classes, for dispatch on `stmt.__class__` (ast.parse builds exactly these classes).
_FUNCTION_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})
_IMPORTS = frozenset({ast.Import, ast.ImportFrom})
_ASSIGNMENTS = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign})
_LOOPS = frozenset({ast.For, ast.AsyncFor})
_WITHS = frozenset({ast.With, ast.AsyncWith})
_TRIES = frozenset({ast.Try, ast.TryStar})
_NO_OWN_EXPRESSIONS = frozenset({ast.Try, ast.TryStar, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def runs_as_script(test: ast.expr) -> bool:
    """`if __name__ == "__main__":` at module level: a developer's local run, which never happens
    when Lambda imports the module (its `__name__` is the module's name)."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and \
        any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides)
