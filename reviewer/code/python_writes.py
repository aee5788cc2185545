"""The writes a Python handler makes: which boto3 call, to which resource, from which line.

The counterpart of `javascript_reader.py` for Python functions, with the same result
(`ResourceWrite`s whose targets are `StaticValue`s). Reading starts at the handler function and
follows the code's own calls (functions, methods, classes of the modules read), so another
handler in the same file does not lend its writes to this function. Module-level code of every
module read runs at import, so its calls count too. `reader.py` chooses which modules to read
and keeps the readings; this module only reads them.
"""

from __future__ import annotations

import ast
from typing import Callable, TypedDict

from reviewer.code.evaluate import Evaluator
from reviewer.code.evaluated_values import CallSite, ClassRef, FunctionRef, Handle, InstanceRef, ModuleRef, Scope
from reviewer.code.key_guards import (
    dominating_conditions, key_guards, record_guards, updates_existing, written_attributes,
)
from reviewer.code.modules import ModuleSet
from reviewer.code.operations import (
    EVENT_ENTRIES, IDENTIFIER, REQUEST_ITEMS, TRANSACT_ITEMS, WRITE_OPERATIONS, WRITES_BY_SHAPE, WriteOperation,
)
from reviewer.code.program import FunctionInfo, Program, build_program
from reviewer.code.python_record_payloads import PAYLOADS, payload_fields
from reviewer.code.values import ResourceWrite, StaticValue
from reviewer.code.write_guards import (caller_conditions, condition_line, depth_guard, every_call_guarded, placed,
                                        strings_in)
from reviewer.content_cache import ContentCache
from reviewer.model import Location

WRITE_METHODS = frozenset(op.method for op in WRITE_OPERATIONS)
MAX_WRITES = 200


def read_python_writes(module_set: ModuleSet,
                       cache: ContentCache | None = None) -> tuple[list[ResourceWrite], list[Location]]:
    """The writes of the code the handler of `module_set` can reach, sorted by place, and its SNS
    publishes sent as SMS to a phone number (they name no resource, so they are no write)."""
    program = build_program(module_set, cache)
    evaluator = Evaluator(program)
    scopes = _reachable_scopes(program, evaluator)
    evaluator.sites_ready = True
    evaluator.reset()
    writes: list[ResourceWrite] = []
    sms_publishes: list[Location] = []
    seen: set[ResourceWrite] = set()
    for scope, calls in scopes:
        path = program.modules[scope.module].source.path
        for call, guards in calls:
            if not isinstance(call.func, ast.Attribute) or call.func.attr not in WRITE_METHODS:
                continue
            for receiver in evaluator.values(call.func.value, scope):
                if not isinstance(receiver, Handle):
                    continue
                operation = WRITES_BY_SHAPE.get((receiver.service, receiver.shape, call.func.attr))
                if operation is None:
                    continue
                if _sends_sms(operation, call):
                    sms = Location(path, call.lineno)
                    if sms not in sms_publishes:
                        sms_publishes.append(sms)
                    continue
                for write in _writes(operation, receiver, call, scope, guards, path, evaluator):
                    if write not in seen and len(seen) < MAX_WRITES:
                        seen.add(write)
                        writes.append(write)
    writes.sort(key=lambda write: (write.location.path, write.location.line, write.call))
    return writes, sms_publishes


# -- reachability ------------------------------------------------------------------------------


def _reachable_scopes(program: Program, evaluator: Evaluator) -> list[tuple[Scope, list]]:
    """Module-level code plus every function the handler can reach; call sites recorded on the way."""
    scopes: list[tuple[Scope, list]] = []
    reached: dict[int, FunctionInfo] = {}
    pending: list[FunctionInfo] = []

    def reach(info: FunctionInfo) -> None:
        if id(info) not in reached:
            reached[id(info)] = info
            pending.append(info)

    for name, index in program.modules.items():
        scope = Scope(name)
        scopes.append((scope, index.calls))
        for call, _ in index.calls:
            for callee, skip_self in _callees(call, scope, program, evaluator):
                _record(evaluator, callee, call, scope, skip_self)
                reach(callee)
    entry = program.function(program.entry_module, program.entry_function)
    for info in [entry] if entry is not None else list(program.all_functions()):
        reach(info)
    while pending:
        info = pending.pop()
        scope = Scope(info.module, info)
        scopes.append((scope, info.calls))
        for call, _ in info.calls:
            for callee, skip_self in _callees(call, scope, program, evaluator):
                _record(evaluator, callee, call, scope, skip_self)
                reach(callee)
        index = program.modules[info.module]
        for name in info.names:   # functions passed as callbacks (map, executor.submit, ...)
            nested = program.function(info.module, f"{info.qualname}.{name}")
            target = nested or index.functions.get(name)
            if target is not None:
                reach(target)
            elif name in index.imports:
                for value in evaluator.module_name(info.module, name, None, 0):
                    if isinstance(value, FunctionRef) and (found := program.function(value.module, value.qualname)):
                        reach(found)
    return scopes


def _record(evaluator: Evaluator, callee: FunctionInfo, call: ast.Call, scope: Scope, skip_self: bool | None) -> None:
    if skip_self is None:
        return
    evaluator.call_sites.setdefault((callee.module, callee.qualname), []).append(CallSite(call, scope, skip_self))


def _callees(call: ast.Call, scope: Scope, program: Program,
             evaluator: Evaluator) -> list[tuple[FunctionInfo, bool | None]]:
    """Functions a call can run, each with whether the call passes `self` implicitly (None:
    matched by method name only, so its arguments are not attributed to the method)."""
    func = call.func
    found: list[tuple[FunctionInfo, bool | None]] = []
    if isinstance(func, ast.Attribute):
        receivers = evaluator.values(func.value, scope)
        for receiver in receivers:
            if isinstance(receiver, ModuleRef) and receiver.internal:
                found.extend(_from_values(evaluator.attribute(receiver, func.attr, scope, 0), program, evaluator))
            elif isinstance(receiver, InstanceRef):
                method = evaluator.method_of(receiver, func.attr, 0)
                if method is not None:
                    found.append((method, True))
        if not found and not any(isinstance(receiver, (ModuleRef, Handle)) for receiver in receivers):
            found.extend((info, None) for info in program.methods_named(func.attr))
        return found
    return _from_values(evaluator.values(func, scope), program, evaluator)


def _from_values(values: list, program: Program, evaluator: Evaluator) -> list[tuple[FunctionInfo, bool | None]]:
    found: list[tuple[FunctionInfo, bool | None]] = []
    for value in values:
        if isinstance(value, FunctionRef):
            info = program.function(value.module, value.qualname)
            if info is not None:
                found.append((info, info.is_method and "staticmethod" not in info.decorators))
        elif isinstance(value, ClassRef):
            init = evaluator.method_of(InstanceRef(value.module, value.name), "__init__", 0)
            if init is not None:
                found.append((init, True))
    return found


# -- writes ------------------------------------------------------------------------------------


class _WriteBase(TypedDict):
    """What every ResourceWrite of one call shares (passed on as keyword arguments)."""

    service: str
    operation: str
    location: Location
    code_function: str


def _writes(operation: WriteOperation, handle: Handle, call: ast.Call, scope: Scope, guards: tuple,
            path: str, evaluator: Evaluator) -> list[ResourceWrite]:
    location = Location(path, call.lineno, call.end_lineno if call.end_lineno != call.lineno else None)
    name = operation.method if operation.shape == "client" else f"{operation.shape}.{operation.method}"
    function = scope.function
    base = _WriteBase(service=operation.service, operation=name, location=location,
                      code_function=function.qualname if function else "<module>")
    if operation.convention == EVENT_ENTRIES:
        return _event_writes(call, scope, evaluator, base)
    targets = _targets(operation, handle, call, scope, evaluator)
    if targets is None:
        return []
    parameter = _target_parameter(operation, call)
    keys: list[StaticValue | None] = [None]
    if operation.key_identifier is not None:
        keys = [handle.identifiers[operation.key_identifier] if operation.key_identifier < len(handle.identifiers)
                else StaticValue.unknown("the object key")]
    elif operation.key is not None:
        expr = _argument(call, operation, operation.key)
        keys = list(evaluator.strings(expr, scope)) if expr is not None else [StaticValue.unknown("the object key")]
    guard = operation.service == "lambda" and depth_guard(call, guards, function)
    conditions = dominating_conditions(function.node.body, call, _resolver(evaluator, scope)) if function else []
    levels = caller_conditions(function, scope, evaluator, lambda where: _resolver(evaluator, where))
    outer = [condition for found, _ in levels for condition in found]
    guard_line = condition_line(call, guards + tuple(test for test, _ in conditions + outer), function,
                             any_condition=operation.service == "lambda")
    on_key = key_guards(conditions, lambda expr: evaluator.strings(expr, scope)) + tuple(
        guard for found, caller in levels
        for guard in placed(key_guards(found, strings_in(evaluator, caller)), caller, evaluator, path)) \
        if operation.service == "s3" else ()
    item: tuple[tuple[str, str], ...] = ()
    existing = operation.service == "dynamodb" and updates_existing(call, lambda expr: evaluator.strings(expr, scope))
    if operation.service != "s3" and function is not None:
        # Any other write's conditions on the incoming record or message: they decide whether a
        # record it (or another function on a cycle) puts makes it write again.
        on_key = record_guards(conditions, lambda name: [binding.expr for binding in function.bindings.get(name, [])
                                                         if binding.expr is not None],
                               lambda expr: evaluator.strings(expr, scope)) \
            + tuple(guard for found, caller in levels
                    for guard in placed(record_guards(found, lambda name: [], strings_in(evaluator, caller)),
                                         caller, evaluator, path))
    if operation.service == "dynamodb" and function is not None:
        item = tuple(attribute for name in ("Key", "Item")
                     for attribute in written_attributes(_keyword_value(call, name),
                                                         lambda expr: evaluator.strings(expr, scope)))
    elif operation.service in PAYLOADS:
        item = payload_fields(_argument(call, operation, PAYLOADS[operation.service]), call,
                              function.node.body if function else None, lambda expr: evaluator.strings(expr, scope),
                              lambda expr: [value.name for value in evaluator.values(expr, scope)
                                            if isinstance(value, ModuleRef)])
    guard_line = guard_line if guard_line is not None else every_call_guarded(
        function, levels, evaluator, lambda where: _resolver(evaluator, where), dict(item), operation.service)
    return [ResourceWrite(target=target, target_parameter=parameter, key=key, depth_guard=guard, guard_line=guard_line,
                          key_guards=on_key, item=item, updates_existing=existing, **base)
            for target in targets for key in keys][:12]


def _resolver(evaluator: Evaluator, where: Scope) -> Callable[[ast.Call], ast.FunctionDef | ast.AsyncFunctionDef | None]:
    """The function a call read in `where` runs (its first callee), for the record filters' helpers."""
    return lambda node: next((info.node for info, _ in _callees(node, where, evaluator.program, evaluator)), None)


def _sends_sms(operation: WriteOperation, call: ast.Call) -> bool:
    """An SNS publish to a `PhoneNumber` and to no topic or endpoint: an SMS, which names no resource."""
    return operation.service == "sns" and any(keyword.arg == "PhoneNumber" for keyword in call.keywords) \
        and not any(_argument(call, operation, name) is not None for name in operation.targets)


def _target_parameter(operation: WriteOperation, call: ast.Call) -> str:
    if operation.convention == IDENTIFIER:
        return "the resource object's name"
    for name in operation.targets:
        if _argument(call, operation, name) is not None:
            return name
    return operation.targets[0] if operation.targets else ""


def _keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _argument(call: ast.Call, operation: WriteOperation, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if name in operation.positional:
        position = operation.positional.index(name)
        if position < len(call.args) and not any(isinstance(arg, ast.Starred) for arg in call.args[:position + 1]):
            return call.args[position]
    return None


def _targets(operation: WriteOperation, handle: Handle, call: ast.Call, scope: Scope,
             evaluator: Evaluator) -> list[StaticValue] | None:
    if operation.convention == IDENTIFIER:
        position = operation.target_identifier
        return [handle.identifiers[position] if position < len(handle.identifiers)
                else StaticValue.unknown(f"the {handle.shape}'s name")]
    if operation.convention == REQUEST_ITEMS:
        items = _literal_node(_argument(call, operation, "RequestItems"), scope)
        if isinstance(items, ast.Dict):
            return [value for key in items.keys if key is not None for value in evaluator.strings(key, scope)][:6] \
                or [StaticValue.unknown("the tables named in RequestItems")]
        return [StaticValue.unknown("the tables named in RequestItems")]
    if operation.convention == TRANSACT_ITEMS:
        listing = _literal_node(_argument(call, operation, "TransactItems"), scope)
        tables: list[StaticValue] = []
        for item in _elements(listing, scope):
            if isinstance(item, ast.Dict):
                for kind, body in zip(item.keys, item.values, strict=True):
                    if isinstance(kind, ast.Constant) and kind.value in ("Put", "Update", "Delete"):
                        table = _dict_value(_literal_node(body, scope), "TableName")
                        tables.extend(evaluator.strings(table, scope) if table is not None else [])
        return tables[:6] or [StaticValue.unknown("the tables named in TransactItems")]
    for name in operation.targets:
        expr = _argument(call, operation, name)
        if expr is not None:
            return evaluator.strings(expr, scope)
    if _sends_sms(operation, call):
        return None   # an SMS, not a topic
    if any(keyword.arg is None for keyword in call.keywords):
        return [StaticValue.unknown(f"the {operation.targets[0]} passed in **kwargs")]
    return [StaticValue.unknown(f"the {operation.targets[0]} argument, which the call does not pass")]


def _event_writes(call: ast.Call, scope: Scope, evaluator: Evaluator, base: _WriteBase) -> list[ResourceWrite]:
    entries_expr = next((keyword.value for keyword in call.keywords if keyword.arg == "Entries"), None)
    listing = _literal_node(entries_expr, scope)
    writes: list[ResourceWrite] = []
    for element in _elements(listing, scope)[:6]:
        entry = _literal_node(element, scope)
        if not isinstance(entry, ast.Dict):
            continue
        bus = _dict_value(entry, "EventBusName")
        buses = evaluator.strings(bus, scope) if bus is not None else [StaticValue.literal("default")]
        source = _dict_value(entry, "Source")
        detail_type = _dict_value(entry, "DetailType")
        for target in buses[:3]:
            writes.append(ResourceWrite(
                target=target, target_parameter="EventBusName",
                event_source=(evaluator.strings(source, scope)[0] if source is not None
                              else StaticValue.unknown("the Source of the entry")),
                detail_type=(evaluator.strings(detail_type, scope)[0] if detail_type is not None
                             else StaticValue.unknown("the DetailType of the entry")),
                **base,
            ))
    if not writes:
        unknown_entries = StaticValue.unknown("the entries, built at run time")
        writes.append(ResourceWrite(target=unknown_entries, target_parameter="EventBusName",
                                    event_source=unknown_entries, detail_type=unknown_entries, **base))
    return writes


def _literal_node(expr: ast.expr | None, scope: Scope) -> ast.expr | None:
    """A dict/list display, following one name to the display it was assigned."""
    if isinstance(expr, ast.Name):
        function = scope.function
        bindings = (function.bindings.get(expr.id, []) if function else []) or []
        for binding in sorted(bindings, key=lambda b: b.line, reverse=True):
            if binding.kind == "value" and binding.line <= expr.lineno and \
                    isinstance(binding.expr, (ast.Dict, ast.List, ast.Tuple, ast.ListComp)):
                return binding.expr
        return None
    return expr


def _elements(listing: ast.expr | None, scope: Scope) -> list[ast.expr]:
    if isinstance(listing, (ast.List, ast.Tuple)):
        return list(listing.elts)
    if isinstance(listing, ast.ListComp):
        return [listing.elt]
    return []


def _dict_value(node: ast.expr | None, key: str) -> ast.expr | None:
    if not isinstance(node, ast.Dict):
        return None
    for name, value in zip(node.keys, node.values, strict=True):
        if isinstance(name, ast.Constant) and name.value == key:
            return value
    return None
