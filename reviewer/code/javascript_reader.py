"""The writes a JavaScript or TypeScript handler makes, read with tree-sitter: never run.

The counterpart of `python_writes.py` for Node.js functions, with the same result (`ResourceWrite`s
whose targets are `StaticValue`s), so the recursion analyzer treats both languages alike.
Reading starts at the exported handler and follows the calls it makes to the code's own
functions (in its file and the local modules it imports); module-level code always counts, and
another handler exported from the same file does not lend its writes to this one.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from reviewer import source_trees as st
from reviewer.code.javascript_operations import (
    DOCUMENT_WRITES_BY_COMMAND, DOCUMENT_WRITES_BY_METHOD, LIB_STORAGE_UPLOAD, WRITES_BY_COMMAND,
    WRITES_BY_METHOD, JsWrite,
)
from reviewer.code.guard_words import DEPTH_WORDS, GUARD_WORDS
from reviewer.code.javascript_callers import branching_sites, caller_sites, overwritten_event_field
from reviewer.code.javascript_event_entries import entry_objects
from reviewer.code.javascript_handlers import class_method
from reviewer.code.javascript_key_guards import dominating_conditions, exits, key_guards
from reviewer.code.javascript_program import FUNCTION_TYPES, JsProgram, reexported, unwrap
from reviewer.code.javascript_record_guards import (RECORD_SERVICES, record_guards, updates_existing, value_node,
                                                     written_fields)
from reviewer.code.javascript_values import JsEvaluator, JsFunction, JsObject, Sdk, Special
from reviewer.code.javascript_wrappers import bound_function, chained_receiver
from reviewer.code.operations import EVENT_ENTRIES, REQUEST_ITEMS, TRANSACT_ITEMS
from reviewer.code.key_guards import MAX_CONDITIONS
from reviewer.code.values import KeyGuard, ResourceWrite, StaticValue
from reviewer.model import Location

MAX_WRITES = 200
_COMPARISONS = frozenset({"<", ">", "<=", ">=", "===", "!==", "==", "!="})


def handler_node(program: JsProgram, evaluator_file: str) -> Any:
    """The function node of the handler's export, or None when the export is not found. An entry
    file that only passes the export on (`export { handler } from '../src/orders'`) is followed."""
    path, export = reexported(program, evaluator_file, program.export)
    return _export_node(program, path, export)


def _export_node(program: JsProgram, evaluator_file: str, export: str) -> Any:
    file = program.files.get(evaluator_file)
    if file is None:
        return None
    value = file.exports.get(export)
    seen = 0
    while isinstance(value, str) and seen < 4:
        bound = file.functions.get(value)
        if bound:
            return bound[0]
        bindings = file.bindings.get(value, [])
        value = bindings[0].node if bindings and bindings[0].kind in ("value", "function") else None
        seen += 1
    value = unwrap(value) if value is not None and not isinstance(value, str) else None
    for _ in range(4):   # `module.exports.handler = processEvent`, `const handler = wrap(processEvent)`
        if value is None or value.type != "identifier":
            break
        name = st.text(value)
        if file.functions.get(name):
            return file.functions[name][0]
        bindings = file.bindings.get(name, [])
        value = unwrap(bindings[0].node) if bindings and bindings[0].kind == "value" else None
    if value is not None and value.type in FUNCTION_TYPES:
        return value
    if value is not None and (method := _bound_method(program, file, value)) is not None:
        return method
    for _ in range(4):   # middy(handler), wrap(async (e) => ...), wrapper(handler).use(metrics)
        if value is None or value.type != "call_expression":
            break
        chained = chained_receiver(value)
        if chained is not None:
            value = unwrap(chained)
            continue
        found, value = _wrapped_function(file, value)
        if found is not None:
            return found
    functions = file.functions.get(export)
    return functions[0] if functions else None


def _bound_method(program: JsProgram, file: Any, call: Any) -> Any:
    """The method `publisher.handler.bind(publisher)` runs, when `publisher` is bound to `new
    Publisher(...)` and exactly one class of that name is written in the files read; else None."""
    bound = unwrap(bound_function(call))
    if bound is None or bound.type != "member_expression":
        return None
    instance, method = unwrap(bound.child_by_field_name("object")), st.text(bound.child_by_field_name("property"))
    if instance is None or instance.type != "identifier":
        return None
    bindings = file.bindings.get(st.text(instance), [])
    made = unwrap(bindings[0].node) if len(bindings) == 1 and bindings[0].kind == "value" else None
    constructor = made.child_by_field_name("constructor") if made is not None and made.type == "new_expression" else None
    if constructor is None or constructor.type != "identifier":
        return None
    found = [member for other in program.files.values() for declaration in _classes(other.tree.root_node)
             if st.text(declaration.child_by_field_name("name")) == st.text(constructor)
             and (member := class_method(declaration, method)) is not None]
    return found[0] if len(found) == 1 else None


def _classes(root: Any) -> list[Any]:
    """The classes a module declares at its top level, exported or not."""
    declarations = []
    for statement in root.named_children:
        inner = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if inner is not None and inner.type == "class_declaration":
            declarations.append(inner)
    return declarations


def _wrapped_function(file: Any, call: Any) -> tuple[Any, Any]:
    """(the function a wrapper call is given, None) or, when an argument names a wrapped helper
    (`const handler = co.wrap(function* ...)` then `wrapper(handler)`), (None, that helper's call)."""
    arguments = call.child_by_field_name("arguments")
    bound = None
    for argument in arguments.named_children if arguments is not None else []:
        argument = unwrap(argument)
        if argument.type in FUNCTION_TYPES:
            return argument, None
        if argument.type == "identifier" and file.functions.get(st.text(argument)):
            return file.functions[st.text(argument)][0], None
        if argument.type == "identifier" and bound is None:
            bindings = file.bindings.get(st.text(argument), [])
            value = unwrap(bindings[0].node) if len(bindings) == 1 and bindings[0].kind == "value" else None
            bound = value if value is not None and value.type == "call_expression" else None
    return None, bound


def read_javascript_writes(program: JsProgram, sms: list[Location] | None = None) -> list[ResourceWrite]:
    """The writes the handler can reach; the SNS publishes it sends as SMS to a phone number,
    which name no resource, go to `sms` instead (the role's LR301 check reads them)."""
    handler = handler_node(program, program.entry)
    evaluator = JsEvaluator(program, handler)
    reachable = _reachable(program, evaluator, handler)
    writes: list[ResourceWrite] = []
    seen: set[ResourceWrite] = set()
    for path, file in program.files.items():
        for call in file.calls:
            owner = _owner(call)
            if owner is not None and owner.id not in reachable:
                continue
            for write in _writes_of(call, path, evaluator, sms):
                if write not in seen and len(seen) < MAX_WRITES:
                    seen.add(write)
                    writes.append(write)
    writes.sort(key=lambda write: (write.location.path, write.location.line, write.call))
    return writes


# -- reachability ------------------------------------------------------------------------------


def _owner(node: Any) -> Any:
    """The outermost function enclosing `node` that is not an inline callback of another call's
    arguments; None at module level."""
    owner = None
    for parent in st.ancestors(node):
        if parent.type in FUNCTION_TYPES:
            owner = parent
            if parent.parent is not None and parent.parent.type == "arguments":
                continue
            break
    return owner


def _reachable(program: JsProgram, evaluator: JsEvaluator, handler: Any) -> set[int]:
    if handler is None:   # the export was not found: every function may run
        return {node.id for file in program.files.values() for nodes in file.functions.values() for node in nodes} \
            | {_owner(call).id for file in program.files.values() for call in file.calls if _owner(call) is not None}
    reached: set[int] = set()
    pending = [(_file_of(program, handler, reexported(program, program.entry, program.export)[0]), handler)]
    module_level = [(path, call) for path, file in program.files.items() for call in file.calls if _owner(call) is None]
    for path, call in module_level:
        for function in _called(call, path, evaluator, program):
            pending.append(function)
    while pending:
        path, node = pending.pop()
        if node.parent is not None and node.parent.type == "arguments" and _owner(node) is not None:
            # A callback written inside another function (`trackTime(() => put(order))` in a
            # helper) runs when that function runs, and reaching that function reads it whole;
            # reached alone, through the parameter it is passed as, it would lend the helper's
            # other writes to every caller of `trackTime`.
            continue
        if node.id in reached:
            continue
        reached.add(node.id)
        file = program.files[path]
        for call in file.calls:
            if _inside(call, node):
                pending.extend(_called(call, path, evaluator, program))
    return reached


def _file_of(program: JsProgram, function: Any, entry: str) -> str:
    """The file that writes `function`: the entry's, or another module's for a method of a class it
    imports (`publisher.handler.bind(publisher)`)."""
    for path in [entry, *program.files]:
        file = program.files.get(path)
        if file is not None and any(node.id == function.id for nodes in file.functions.values() for node in nodes):
            return path
    return entry


def _inside(node: Any, ancestor: Any) -> bool:
    return ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte


def _called(call: Any, path: str, evaluator: JsEvaluator, program: JsProgram) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    target = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    arguments = call.child_by_field_name("arguments")
    candidates = [target] + [item for item in (arguments.named_children if arguments is not None else [])
                             if item.type == "identifier"]
    for candidate in candidates:
        if candidate is None:
            continue
        for value in evaluator.values(candidate, path):
            if isinstance(value, JsFunction):
                found.append((value.file, value.node))
    if target is not None and target.type == "member_expression" and not found:
        name = st.text(target.child_by_field_name("property"))
        for file_path, file in program.files.items():
            for node in file.functions.get(name, []):
                if node.type == "method_definition":
                    found.append((file_path, node))
    return found


# -- writes ------------------------------------------------------------------------------------


def _writes_of(call: Any, path: str, evaluator: JsEvaluator,
               sms: list[Location] | None = None) -> list[ResourceWrite]:
    file = evaluator.program.files[path]
    arguments = call.child_by_field_name("arguments")
    items = list(arguments.named_children) if arguments is not None else []
    if call.type == "new_expression":
        constructor = call.child_by_field_name("constructor")
        if constructor is None or not st.text(constructor).endswith("Upload"):
            return []
        if not any(isinstance(value, Sdk) and value.kind == "upload-class" for value in evaluator.values(constructor, path)):
            return []
        options = _object(items[0] if items else None, path, evaluator)
        params = evaluator._property(options, "params", 0) if options is not None else []
        params_object = next((value for value in params if isinstance(value, JsObject)), None)
        return _build(LIB_STORAGE_UPLOAD, "Upload", params_object, call, path, evaluator, file)
    target = unwrap(call.child_by_field_name("function"))
    if target is None or target.type != "member_expression":
        return []
    method = st.text(target.child_by_field_name("property"))
    if method != "send" and not any(method == op.method for op in WRITES_BY_METHOD.values()) \
            and method not in DOCUMENT_WRITES_BY_METHOD:
        return []
    writes: list[ResourceWrite] = []
    for receiver in evaluator.values(target.child_by_field_name("object"), path):
        if not isinstance(receiver, Sdk) or receiver.kind != "client":
            continue
        if method == "send":
            for command in evaluator.values(items[0] if items else None, path):
                if not isinstance(command, Sdk) or command.kind != "command":
                    continue
                table = DOCUMENT_WRITES_BY_COMMAND if command.doc else WRITES_BY_COMMAND
                operation = table.get(command.name)
                if operation is None and command.doc:
                    operation = WRITES_BY_COMMAND.get(command.name)
                if operation is None or operation.service != command.service:
                    continue
                writes += _build(operation, f"send({command.name})",
                                 _object(command.input, command.file, evaluator), call, path, evaluator, file, sms)
            continue
        operation = (DOCUMENT_WRITES_BY_METHOD.get(method) if receiver.doc else None) \
            or WRITES_BY_METHOD.get((receiver.service, method))
        if operation is None or operation.service != receiver.service:
            continue
        writes += _build(operation, method, _object(items[0] if items else None, path, evaluator),
                         call, path, evaluator, file, sms)
    return writes


def _object(node: Any, path: str, evaluator: JsEvaluator) -> JsObject | None:
    if node is None:
        return None
    for value in evaluator.values(node, path):
        if isinstance(value, JsObject):
            return value
    return None


def _build(operation: JsWrite, name: str, params: JsObject | None, call: Any, path: str,
           evaluator: JsEvaluator, file: Any, sms: list[Location] | None = None) -> list[ResourceWrite]:
    location = Location(path, file.line(call), file.end_line(call) if file.end_line(call) != file.line(call) else None)
    guard_line, guard_path = _guard(call, path, file, evaluator, operation.service == "lambda")
    base: dict[str, Any] = {"service": operation.service, "operation": name, "location": location,
                            "code_function": "", "guard_path": guard_path}
    if params is None:
        unknown = StaticValue.unknown("the parameters, built at run time")
        return [ResourceWrite(target=unknown, target_parameter=operation.targets[0] if operation.targets else "",
                              key=unknown if operation.key else None, **base,
                              **_guard_fields(operation, guard_line, None, call, file))]
    if operation.convention == EVENT_ENTRIES:
        return _event_writes(params, evaluator, base, call, path)
    if operation.convention in (REQUEST_ITEMS, TRANSACT_ITEMS):
        targets = _tables(params, operation.convention, evaluator)
    else:
        if operation.service == "sns" and _has(params, "PhoneNumber", evaluator):
            if sms is not None and Location(path, location.line) not in sms:
                sms.append(Location(path, location.line))   # an SMS, not a topic
            return []
        targets = []
        for parameter in operation.targets:
            if _has(params, parameter, evaluator):
                targets = _strings(evaluator._property(params, parameter, 0))
                break
        if not targets:
            targets = [StaticValue.unknown(f"the {operation.targets[0]} parameter, which the code does not set")]
    keys: list[StaticValue | None] = [None]
    if operation.key is not None:
        keys = [StaticValue.unknown("the object key") if _missing(value) else value
                for value in _strings(evaluator._property(params, operation.key, 0))]
    payload = value_node(params, "Payload")
    # An S3 write's conditions on the incoming key; any other's on the incoming record, which
    # decide whether a record another function put (a step of a cycle) makes it write.
    records: dict[str, Any] = {"key_guards": _key_guards(call, path, evaluator) if operation.service == "s3"
                               else record_guards(call, path, evaluator)}
    if operation.service in RECORD_SERVICES:
        records["item"] = written_fields(operation.service, params, evaluator)
        records["updates_existing"] = operation.service == "dynamodb" and updates_existing(name, params, evaluator)
    if guard_line is None:
        guard_line, base["guard_path"] = _guard_of_every_call(call, path, evaluator, operation.service,
                                                              dict(records.get("item", ())))
    return [ResourceWrite(target=target, target_parameter=operation.targets[0] if operation.targets else "",
                          key=key, **records, **base,
                          **_guard_fields(operation, guard_line, payload, call, file))
            for target in targets for key in keys][:12]


def _guard(call: Any, path: str, file: Any, evaluator: JsEvaluator, any_condition: bool) -> tuple[int | None, str]:
    """The line (and file, when another) of a condition that can stop the write: in its own
    function, else around the one call of each helper on the way to it (`caller_sites`), as a
    handler retrying a delivery calls `await enqueue(record.body)` only `if (attempt < 3)`."""
    line = guard_of(call, file, any_condition)
    if line is not None:
        return line, ""
    for site_path, site in caller_sites(call, path, evaluator):
        line = guard_of(site, evaluator.program.files[site_path], any_condition)
        if line is not None:
            return line, site_path if site_path != path else ""
    return None, ""


def _guard_of_every_call(call: Any, path: str, evaluator: JsEvaluator, service: str,
                         written: dict[str, str]) -> tuple[int | None, str]:
    """The condition that can stop the write when the helper it sits in is called from several
    places and each call either sits behind such a condition or runs only for records the write
    itself never makes: a poller's `checkLater(job)`, called for the partner's request (`if
    (message.Source === 'Partner')`, while it sends `Source: 'ExportPoller'`) and, for its own
    check message, only `if (waited < maxWait)`. The first guarded call's condition is named; a
    call with neither keeps the write unbounded, and so do calls that all skip the write's records
    (which the loop check's record guards, not a condition, would have to say)."""
    guarded: tuple[int, str] | None = None
    for site_path, site in branching_sites(call, path, evaluator):
        line, shown = _guard(site, site_path, evaluator.program.files[site_path], evaluator, service == "lambda")
        if line is not None:
            guarded = guarded or (line, shown or site_path)
            continue
        if not any(guard.record == service and guard.attribute in written and not guard.admits(written[guard.attribute])
                   for guard in record_guards(site, site_path, evaluator)):
            return None, ""
    if guarded is None:
        return None, ""
    return guarded[0], guarded[1] if guarded[1] != path else ""


def _key_guards(call: Any, path: str, evaluator: JsEvaluator) -> tuple[KeyGuard, ...]:
    """The conditions on the incoming object key that the write sits behind, in its own function
    and around the one call of each helper on the way to it (`caller_sites`): the handler skips its
    own output (`if (key.startsWith('resized/')) return;`) and then calls `save(...)`. Each
    condition is read, and named, in the file it is written in."""
    guards: list[KeyGuard] = []
    sites = [(path, dominating_conditions(call))] + [(site_path, dominating_conditions(site))
                                                      for site_path, site in caller_sites(call, path, evaluator)]
    for site_path, conditions in sites:
        guards += key_guards(conditions, functools.partial(evaluator.strings, file=site_path),
                             evaluator.program.files[site_path].line, site_path if site_path != path else "")
    return tuple(dict.fromkeys(guards))[:MAX_CONDITIONS]


def _guard_fields(operation: JsWrite, guard_line: int | None, payload: Any, call: Any, file: Any) -> dict:
    fields: dict[str, Any] = {}
    if guard_line is not None:
        fields["guard_line"] = guard_line
        if operation.service == "lambda" and payload is not None and DEPTH_WORDS.search(st.text(payload)):
            fields["depth_guard"] = True
    return fields


def _missing(value: object) -> bool:
    return isinstance(value, StaticValue) and len(value.parts) == 1 and value.parts[0].kind == "unknown" \
        and value.parts[0].text.startswith("no property")


def _has(params: JsObject, name: str, evaluator: JsEvaluator) -> bool:
    return not all(_missing(value) for value in evaluator._property(params, name, 0))


def _strings(values: list) -> list[StaticValue]:
    return [value if isinstance(value, StaticValue) else StaticValue.unknown("a value that is not text")
            for value in values]


def _tables(params: JsObject, convention: str, evaluator: JsEvaluator) -> list[StaticValue]:
    if convention == REQUEST_ITEMS:
        items = _object(value_node(params, "RequestItems"), params.file, evaluator)
        tables: list[StaticValue] = []
        for child in items.node.named_children if items is not None else []:
            assert items is not None
            if child.type == "pair":
                key = child.child_by_field_name("key")
                if key is not None and key.type == "computed_property_name" and key.named_children:
                    tables.extend(evaluator.strings(key.named_children[0], items.file))
                elif key is not None:
                    tables.append(StaticValue.literal(st.string_value(key) or st.text(key)))
        return tables[:6] or [StaticValue.unknown("the tables named in RequestItems")]
    listing = value_node(params, "TransactItems")
    tables = []
    if listing is not None and unwrap(listing).type == "array":
        for element in unwrap(listing).named_children:
            if element.type != "object":
                continue
            for kind in ("Put", "Update", "Delete"):
                inner = value_node(JsObject(params.file, element), kind)
                if inner is not None and unwrap(inner).type == "object":
                    table = value_node(JsObject(params.file, unwrap(inner)), "TableName")
                    if table is not None:
                        tables.extend(evaluator.strings(table, params.file))
    return tables[:6] or [StaticValue.unknown("the tables named in TransactItems")]


def _event_writes(params: JsObject, evaluator: JsEvaluator, base: dict, call: Any, path: str) -> list[ResourceWrite]:
    """One write per entry and bus, the entries found wherever the list is built
    (`javascript_event_entries`); a `Source` or `DetailType` taken from the incoming event is the
    value the handler set on it before the write, when it set one (`event.source = 'x'`). A list
    only partly followed adds a write the review could not resolve."""
    listing = value_node(params, "Entries")
    writes: list[ResourceWrite] = []
    entries = entry_objects(listing, params.file, evaluator)
    for obj, assigned in entries.objects:
        buses = _entry_field(obj, assigned, "EventBusName", evaluator) or [StaticValue.literal("default")]
        sources = _entry_field(obj, assigned, "Source", evaluator) or [StaticValue.unknown("the Source of the entry")]
        details = _entry_field(obj, assigned, "DetailType", evaluator) or [
            StaticValue.unknown("the DetailType of the entry")]
        for target in buses[:3]:
            for source in sources:
                for detail in details:
                    writes.append(ResourceWrite(
                        target=target, target_parameter="EventBusName",
                        event_source=overwritten_event_field(source, call, path, evaluator),
                        detail_type=overwritten_event_field(detail, call, path, evaluator), **base))
    if not writes or not entries.complete:
        unknown = StaticValue.unknown("the entries, built at run time")
        writes.append(ResourceWrite(target=unknown, target_parameter="EventBusName", event_source=unknown,
                                    detail_type=unknown, **base))
    return writes


def _entry_field(obj: JsObject, assigned: dict[str, list[Any]], name: str, evaluator: JsEvaluator) -> list[StaticValue]:
    """The entry's value of `name` and those its code assigns it later (`entry.DetailType = ...`)."""
    written = value_node(obj, name)
    nodes = ([written] if written is not None else []) + assigned.get(name, [])
    return [value for node in nodes for value in evaluator.strings(node, obj.file)][:3]


# -- guards ------------------------------------------------------------------------------------


def guard_of(call: Any, file: Any, any_condition: bool = False) -> int | None:
    """The line of a condition that can stop the write: an `if` around it, or an early
    `return`/`throw`/`continue`/`break` before it in an enclosing block, whose test compares a counter, a marker, a
    checksum or a state (`if (depth >= MAX) return;`, `if (head.Metadata.processed) return`).
    For a function invoking itself any condition counts (`if (!event.async)` dispatches once)."""
    for parent in st.ancestors(call):
        if parent.type in FUNCTION_TYPES and parent.parent is not None and parent.parent.type != "arguments":
            break
        if parent.type == "if_statement" and _guarding(parent.child_by_field_name("condition"), any_condition):
            return file.line(parent)
        if parent.type == "statement_block":
            for sibling in parent.named_children:
                if sibling.start_byte >= call.start_byte:
                    break
                if sibling.type == "if_statement" and exits(sibling.child_by_field_name("consequence")) \
                        and _guarding(sibling.child_by_field_name("condition"), any_condition):
                    return file.line(sibling)
    return None


def _guarding(condition: Any, any_condition: bool = False) -> bool:
    if condition is None:
        return False
    if any_condition:
        return True
    words = [st.text(node) for node in st.walk(condition, max_depth=30)
             if node.type in ("identifier", "property_identifier", "string_fragment")]
    compares = any(node.type == "binary_expression" and st.text(node.child_by_field_name("operator")) in _COMPARISONS
                   for node in st.walk(condition, max_depth=30))
    return compares and any(GUARD_WORDS.search(word) for word in words) or \
        any(re.search(r"processed|already|marker|checksum|startswith|endswith|includes", word, re.I) for word in words)


__all__ = ["read_javascript_writes", "handler_node", "guard_of", "Special"]
