"""What an expression in handler code can hold, found by reading it: never by running it.

The evaluator answers with a short list of alternatives (a name assigned in both branches of an
`if` holds either value). It follows names to their assignments, module constants, imports from
the code directory, `self.x` attributes set in any method, function parameters to the arguments
of every call site, and return values of the code's own functions. It knows the few library
calls that matter here: boto3 clients, resources and sessions, `os.environ`, `os.getenv`,
`os.path.join`/`basename`/`splitext`, `urllib.parse.unquote_plus`, `str.format`/`join`,
f-strings, `+` and `%`. Every walk is bounded in depth and breadth; anything else becomes an
"unknown" part that says what could not be followed. The library calls it knows are in
`library_calls.py`, the value kinds it answers with in `evaluated_values.py`, and what text
functions do to a partly known value in `text_functions.py`.
"""

from __future__ import annotations

import ast

from reviewer.code.evaluated_values import (
    CallSite, ClassRef, ContextRef, FunctionRef, Handle, InstanceRef, ModuleRef, Scope, Sequence, Value, is_event,
    strings_of, unknown,
)
from reviewer.code.library_calls import LibraryCalls, keyword_argument
from reviewer.code.operations import IDENTIFIER_ATTRIBUTES
from reviewer.code.program import Binding, ClassInfo, FunctionInfo, ImportRef, Program
from reviewer.code.text_functions import element, environment_value, join_path, percent_format
from reviewer.code.values import StaticValue

MAX_ALTERNATIVES = 6
MAX_DEPTH = 40
FALSY_CONSTANT = "None (or False)"

_BUILTINS = frozenset({"str", "len", "print", "int", "list", "dict", "tuple", "set", "repr", "format",
                       "sorted", "min", "max", "sum", "range", "enumerate", "zip", "map", "filter"})


def _dedupe(values: list[Value]) -> list[Value]:
    seen: list[Value] = []
    for value in values:
        if value not in seen:
            seen.append(value)
        if len(seen) >= MAX_ALTERNATIVES:
            break
    return seen


class Evaluator(LibraryCalls):
    """Evaluates expressions of one program; `call_sites` is filled by the reachability pass."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.call_sites: dict[tuple[str, str], list[CallSite]] = {}
        self.sites_ready = False
        # Each answer is kept with the expression it answers, which the key names by `id`: held
        # here, the expression cannot be freed and its number given to another one while the
        # answer is kept. Readers hand the evaluator expressions they build and drop (a record
        # filter inlined from a helper, `is_operation(records[0], "INSERT")`); keyed by number
        # alone, a later expression made at a freed one's address took its answer, a different
        # one from run to run (amazon-s3-find-and-forget's stream filters).
        self._memo: dict[tuple[int, Scope], tuple[ast.AST, list[Value]]] = {}
        self._active: set[tuple[int, Scope]] = set()

    def reset(self) -> None:
        self._memo.clear()

    # -- expressions -------------------------------------------------------------------------

    def values(self, expr: ast.AST | None, scope: Scope, depth: int = 0) -> list[Value]:
        if expr is None:
            return unknown("a missing value")
        if depth > MAX_DEPTH:
            return unknown("an expression too deep to follow")
        key = (id(expr), scope)
        known = self._memo.get(key)
        if known is not None and known[0] is expr:
            return known[1]
        if key in self._active:
            return unknown("a value defined in terms of itself")
        self._active.add(key)
        try:
            result = _dedupe(self._values(expr, scope, depth + 1)) or unknown("no value")
        finally:
            self._active.discard(key)
        self._memo[key] = (expr, result)
        return result

    def strings(self, expr: ast.AST | None, scope: Scope, depth: int = 0) -> list[StaticValue]:
        return strings_of(self.values(expr, scope, depth))

    def _values(self, expr: ast.AST, scope: Scope, depth: int) -> list[Value]:
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str):
                return [StaticValue.literal(expr.value)]
            if isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
                return [StaticValue.literal(str(expr.value))]
            if expr.value is None or expr.value is False:
                return unknown(FALSY_CONSTANT)
            return unknown(f"the constant {expr.value!r}"[:80])
        if isinstance(expr, ast.Name):
            return self.lookup(expr.id, scope, expr.lineno, depth)
        if isinstance(expr, ast.Attribute):
            return [value for receiver in self.values(expr.value, scope, depth)
                    for value in self.attribute(receiver, expr.attr, scope, depth)]
        if isinstance(expr, ast.Call):
            return self.call(expr, scope, depth)
        if isinstance(expr, ast.Subscript):
            return self._subscript(expr, scope, depth)
        if isinstance(expr, ast.JoinedStr):
            return self._fstring(expr, scope, depth)
        if isinstance(expr, ast.FormattedValue):
            return self.values(expr.value, scope, depth)
        if isinstance(expr, ast.BinOp):
            return self._binop(expr, scope, depth)
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, scope, depth) + self.values(expr.orelse, scope, depth)
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            return self._or(expr, scope, depth)
        if isinstance(expr, (ast.List, ast.Tuple)):
            items = tuple(self.values(item, scope, depth)[0] for item in expr.elts[:32])
            return [Sequence(items)]
        if isinstance(expr, ast.Await):
            return self.values(expr.value, scope, depth)
        if isinstance(expr, ast.NamedExpr):
            return self.values(expr.value, scope, depth)
        return unknown(f"a {type(expr).__name__} expression")

    def _fstring(self, expr: ast.JoinedStr, scope: Scope, depth: int) -> list[Value]:
        results = [StaticValue(())]
        for piece in expr.values:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                options = [StaticValue.literal(piece.value)]
            elif isinstance(piece, ast.FormattedValue):
                options = self.strings(piece.value, scope, depth)
            else:
                options = [StaticValue.unknown("a formatted value")]
            results = [left + right for left in results for right in options][:MAX_ALTERNATIVES]
        return list(results)

    def _binop(self, expr: ast.BinOp, scope: Scope, depth: int) -> list[Value]:
        if isinstance(expr.op, ast.Add):
            lefts = self.values(expr.left, scope, depth)
            rights = self.values(expr.right, scope, depth)
            out: list[Value] = []
            for left in lefts:
                for right in rights:
                    if isinstance(left, StaticValue) and isinstance(right, StaticValue):
                        out.append(left + right)
                    elif isinstance(left, Sequence) and isinstance(right, Sequence):
                        out.append(Sequence(left.items + right.items))
                    else:
                        out.append(StaticValue.unknown("a sum that is not text"))
            return out
        if isinstance(expr.op, ast.Mod):
            templates = self.strings(expr.left, scope, depth)
            if isinstance(expr.right, ast.Tuple):
                arguments = [self.strings(item, scope, depth)[0] for item in expr.right.elts]
            else:
                arguments = [self.strings(expr.right, scope, depth)[0]]
            return [percent_format(template, arguments) for template in templates]
        return unknown("the result of arithmetic")

    def _or(self, expr: ast.BoolOp, scope: Scope, depth: int) -> list[Value]:
        # `a or b` is b whenever a is None or empty: such alternatives of a are not values of the whole.
        first = [value for value in self.values(expr.values[0], scope, depth) if not _falsy(value)]
        rest = [value for operand in expr.values[1:] for value in self.values(operand, scope, depth)]
        if not first:
            return rest
        # `os.environ.get("X") or "fallback"`: one variable with a default.
        if len(first) == 1 and isinstance(first[0], StaticValue) and len(first[0].parts) == 1 \
                and first[0].parts[0].kind == "env" and len(rest) == 1 and isinstance(rest[0], StaticValue) \
                and rest[0].is_literal:
            part = first[0].parts[0]
            return [StaticValue.env(part.text, part.default or rest[0].text)]
        return first + rest

    def _subscript(self, expr: ast.Subscript, scope: Scope, depth: int) -> list[Value]:
        keys = self.values(expr.slice, scope, depth) if not isinstance(expr.slice, ast.Slice) else []
        key = keys[0] if len(keys) == 1 and isinstance(keys[0], StaticValue) and keys[0].is_literal else None
        index = expr.slice.value if isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, int) \
            else None
        out: list[Value] = []
        for container in self.values(expr.value, scope, depth):
            if isinstance(container, ModuleRef) and container.name == "os.environ" and key is not None:
                out.append(environment_value(key.text, None))
            elif is_event(container):
                assert isinstance(container, StaticValue)
                step = f".{key.text}" if key is not None and index is None else "[]"
                out.append(StaticValue.event(join_path(container.parts[0].text, step)))
            elif isinstance(container, Handle) and container.shape == "queue-url-response" and key is not None \
                    and key.text == "QueueUrl":
                out.append(container.identifiers[0])
            elif isinstance(container, Sequence) and index is not None and -len(container.items) <= index \
                    < len(container.items):
                out.append(container.items[index])
            else:
                out.append(StaticValue.unknown(f"{_source_text(expr)}, read at run time"))
        return out

    # -- names ---------------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope, line: int | None, depth: int) -> list[Value]:
        function = scope.function
        while function is not None:
            if name in function.global_names:
                break
            local = function.bindings.get(name, [])
            visible = _visible(local, line if function is scope.function else None)
            if visible:
                return [value for binding in visible
                        for value in self._binding(binding, scope if function is scope.function else
                                                   Scope(function.module, function), depth)]
            if name in function.params:
                if function is scope.function:
                    return self.parameter(function, name, scope, depth)
                return self.parameter(function, name, Scope(function.module, function), depth)
            if local:
                return [value for binding in local for value in
                        self._binding(binding, Scope(function.module, function), depth)]
            function = function.parent
            line = None
        return self.module_name(scope.module, name, line if scope.function is None else None, depth)

    def module_name(self, module: str, name: str, line: int | None, depth: int) -> list[Value]:
        index = self.program.modules.get(module)
        if index is None:
            return unknown(f"`{name}`")
        bindings = [binding for binding in index.bindings.get(name, []) if binding.expr is not None
                    or binding.kind != "value"]
        visible = _visible(bindings, line) or _visible(bindings, None)
        if visible:
            return [value for binding in visible
                    for value in self._binding(binding, Scope(binding.module, binding.function), depth)]
        if name in index.functions:
            return [FunctionRef(module, name)]
        if name in index.classes:
            return [ClassRef(module, name)]
        if name in index.imports:
            return self._import(index.imports[name], depth)
        if name in _BUILTINS:
            return [ModuleRef(name, False)]
        return unknown(f"`{name}`, which the code read does not define")

    def _import(self, ref: ImportRef, depth: int) -> list[Value]:
        modules = self.program.modules
        if ref.symbol is None:
            return [ModuleRef(ref.module, ref.module in modules)]
        dotted = f"{ref.module}.{ref.symbol}"
        if dotted in modules:
            return [ModuleRef(dotted, True)]
        if ref.module in modules:
            return self.module_name(ref.module, ref.symbol, None, depth + 1)
        return [ModuleRef(dotted, False)]

    def _binding(self, binding: Binding, scope: Scope, depth: int) -> list[Value]:
        if binding.kind == "unpacked":
            return unknown("one part of an unpacked tuple")
        if binding.expr is None:
            return unknown("a definition")
        values = self.values(binding.expr, scope, depth)
        if binding.kind == "element":
            return [element(value) for value in values]
        if binding.kind == "context":
            return values
        return values

    def parameter(self, function: FunctionInfo, name: str, scope: Scope, depth: int) -> list[Value]:
        override = scope.override(name) if scope.function is function else None
        if override is not None:
            return list(override)
        position = function.params.index(name)
        if function.module == self.program.entry_module and function.qualname == self.program.entry_function:
            if position == 0:
                return [StaticValue.event("")]
            if position == 1:
                return [ContextRef()]
        if function.is_method and position == 0 and function.class_name is not None:
            if "staticmethod" not in function.decorators:
                return [InstanceRef(function.module, function.class_name)]
        sites = self.call_sites.get((function.module, function.qualname), [])
        values: list[Value] = []
        for site in sites:
            argument = _argument(site, function, position, name)
            if argument is not None:
                values.extend(self.values(argument, site.scope, depth))
            elif name in function.defaults:
                values.extend(self.values(function.defaults[name], Scope(function.module), depth))
            else:
                values.extend(unknown(f"the parameter `{name}` of `{function.qualname}()`"))
        if not sites:
            if name in function.defaults and self.sites_ready:
                return self.values(function.defaults[name], Scope(function.module), depth)
            return unknown(f"the parameter `{name}` of `{function.qualname}()`")
        return values

    # -- attributes ----------------------------------------------------------------------------

    def attribute(self, receiver: Value, attr: str, scope: Scope, depth: int) -> list[Value]:
        if isinstance(receiver, ModuleRef):
            if receiver.internal:
                dotted = f"{receiver.name}.{attr}"
                if dotted in self.program.modules:
                    return [ModuleRef(dotted, True)]
                return self.module_name(receiver.name, attr, None, depth)
            return [ModuleRef(f"{receiver.name}.{attr}", False)]
        if isinstance(receiver, ContextRef):
            if attr in ("function_name", "invoked_function_arn"):
                return [StaticValue.function_name()]
            return unknown(f"the context attribute `{attr}`")
        if isinstance(receiver, Handle):
            position = IDENTIFIER_ATTRIBUTES.get((receiver.shape, attr))
            if position is not None and position < len(receiver.identifiers):
                return [receiver.identifiers[position]]
            if attr == "meta":
                return [Handle(receiver.service, f"{receiver.shape}.meta", receiver.identifiers)]
            if attr == "client" and receiver.shape.endswith(".meta"):
                return [Handle(receiver.service, "client")]   # resource.meta.client
            return unknown(f"the attribute `{attr}` of a boto3 {receiver.shape}")
        if isinstance(receiver, InstanceRef):
            return self.instance_attribute(receiver, attr, depth)
        if is_event(receiver):
            assert isinstance(receiver, StaticValue)
            return [StaticValue.event(join_path(receiver.parts[0].text, f".{attr}"))]
        return unknown(f"the attribute `{attr}` of a value read at run time")

    def class_info(self, module: str, name: str) -> ClassInfo | None:
        index = self.program.modules.get(module)
        return index.classes.get(name) if index else None

    def _class_chain(self, module: str, name: str, depth: int) -> list[ClassInfo]:
        chain: list[ClassInfo] = []
        pending = [(module, name)]
        while pending and len(chain) < 8:
            info = self.class_info(*pending.pop(0))
            if info is None or info in chain:
                continue
            chain.append(info)
            for base in info.node.bases:
                for value in self.values(base, Scope(info.module), depth):
                    if isinstance(value, ClassRef):
                        pending.append((value.module, value.name))
        return chain

    def instance_attribute(self, instance: InstanceRef, attr: str, depth: int) -> list[Value]:
        for info in self._class_chain(instance.module, instance.name, depth):
            bindings = info.attributes.get(attr)
            if bindings:
                return [value for binding in sorted(bindings, key=lambda b: b.line)
                        for value in self._binding(binding, Scope(binding.module, binding.function), depth)]
            method = info.methods.get(attr)
            if method is not None:
                if {"property", "cached_property"} & set(method.decorators):
                    return self.returns(method, Scope(method.module, method,
                                                      ((method.params[0], (instance,)),) if method.params else None),
                                        depth)
                return [FunctionRef(method.module, method.qualname)]
        return unknown(f"the attribute `{attr}` of `{instance.name}`")

    def method_of(self, instance: InstanceRef, name: str, depth: int) -> FunctionInfo | None:
        for info in self._class_chain(instance.module, instance.name, depth):
            if name in info.methods:
                return info.methods[name]
        return None

    # -- calls ---------------------------------------------------------------------------------

    def call(self, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        func = node.func
        out: list[Value] = []
        if isinstance(func, ast.Attribute):
            for receiver in self.values(func.value, scope, depth):
                out.extend(self._method_call(receiver, func.attr, node, scope, depth))
        else:
            for callee in self.values(func, scope, depth):
                out.extend(self._plain_call(callee, node, scope, depth))
        return out

    def _plain_call(self, callee: Value, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        if isinstance(callee, FunctionRef):
            info = self.program.function(callee.module, callee.qualname)
            if info is not None:
                return self.user_call(info, node, scope, depth, None)
        if isinstance(callee, ClassRef):
            return [InstanceRef(callee.module, callee.name)]
        if isinstance(callee, ModuleRef) and not callee.internal:
            return self.external_call(callee.name, node, scope, depth)
        return unknown("the result of a call static reading cannot follow")

    def _method_call(self, receiver: Value, method: str, node: ast.Call, scope: Scope,
                     depth: int) -> list[Value]:
        if isinstance(receiver, ModuleRef):
            if not receiver.internal:
                return self.external_call(f"{receiver.name}.{method}", node, scope, depth)
            return [value for callee in self.attribute(receiver, method, scope, depth)
                    for value in self._plain_call(callee, node, scope, depth)]
        if isinstance(receiver, Handle):
            return self.handle_call(receiver, method, node, scope, depth)
        if isinstance(receiver, InstanceRef):
            info = self.method_of(receiver, method, depth)
            if info is not None:
                return self.user_call(info, node, scope, depth, receiver)
            return unknown(f"the result of `{receiver.name}.{method}()`")
        if isinstance(receiver, StaticValue):
            return self.string_method(receiver, method, node, scope, depth)
        return unknown(f"the result of `.{method}()`")

    def user_call(self, info: FunctionInfo, node: ast.Call, scope: Scope, depth: int,
                  instance: InstanceRef | None) -> list[Value]:
        params = list(info.params)
        overrides: list[tuple[str, tuple[Value, ...]]] = []
        if instance is not None and params and info.is_method and "staticmethod" not in info.decorators:
            overrides.append((params.pop(0), (instance,)))
        for position, argument in enumerate(node.args):
            if isinstance(argument, ast.Starred) or position >= len(params):
                break
            overrides.append((params[position], tuple(self.values(argument, scope, depth))))
        for keyword in node.keywords:
            if keyword.arg and keyword.arg in params:
                overrides.append((keyword.arg, tuple(self.values(keyword.value, scope, depth))))
        return self.returns(info, Scope(info.module, info, tuple(overrides)), depth)

    def returns(self, info: FunctionInfo, scope: Scope, depth: int) -> list[Value]:
        if not info.returns:
            return unknown(f"the result of `{info.qualname}()`")
        return [value for expr in info.returns for value in self.values(expr, scope, depth)]


# -- helpers ---------------------------------------------------------------------------------


def _source_text(expr: ast.AST, limit: int = 60) -> str:
    """The expression as written, shortened, for messages (`CONFIG['bucket']`)."""
    try:
        text = ast.unparse(expr)
    except (RecursionError, ValueError, AttributeError):
        return "a value"
    text = " ".join(text.split())
    return f"`{text[:limit - 1]}…`" if len(text) > limit else f"`{text}`"


def _falsy(value: Value) -> bool:
    if not isinstance(value, StaticValue):
        return False
    if not value.parts:
        return True   # the empty string
    return len(value.parts) == 1 and value.parts[0].kind == "unknown" and value.parts[0].text == FALSY_CONSTANT


def _visible(bindings: list[Binding], line: int | None) -> list[Binding]:
    """The bindings a use at `line` can see: the last unconditional one before it and any later
    conditional ones (all bindings when `line` is None, as a function sees a module's names)."""
    if len(bindings) == 1:                       # most names are bound once
        return list(bindings) if line is None or bindings[0].line < line else []
    ordered = sorted(bindings, key=lambda binding: binding.line)
    before = [binding for binding in ordered if line is None or binding.line < line]
    chosen: list[Binding] = []
    for binding in reversed(before):
        chosen.append(binding)
        if not binding.conditional:
            break
    return chosen


def _argument(site: CallSite, function: FunctionInfo, position: int, name: str) -> ast.expr | None:
    keyword = keyword_argument(site.call, name)
    if keyword is not None:
        return keyword
    index = position - (1 if site.skip_self else 0)
    if index < 0:
        return None
    for argument_position, argument in enumerate(site.call.args):
        if isinstance(argument, ast.Starred):
            return None
        if argument_position == index:
            return argument
    return None


__all__ = ["Evaluator"]
