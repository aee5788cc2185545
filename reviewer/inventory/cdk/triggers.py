"""Event sources of CDK functions and the resources their environment names, for the loop check
(TypeScript, JavaScript, Python).

Read from the source file that constructs the function, without running it:

- `fn.addEventSource(new S3EventSource(bucket, {events, filters}))`, and the same sources in the
  construct's `events` property: `SqsEventSource(queue)`, `SnsEventSource(topic)`,
  `DynamoEventSource(table)`, `KinesisEventSource(stream)` (Python: `add_event_source`, `events=`);
- `bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(fn), {prefix})`
  and `addObjectCreatedNotification(...)` (Python: `add_event_notification(...)`, a
  `NotificationKeyFilter(prefix=...)`);
- `topic.addSubscription(new LambdaSubscription(fn))`;
- `fn.addEnvironment('BUCKET', bucket.bucketName)` (`add_environment`), which the environment of
  the construct's properties does not show.

A resource is known by the variable or field it is kept in (`bucket`, `this.uploads`), the same
name an environment value uses (`BUCKET: bucket.bucketName` is `ResourceRef("cdk", "<file>#bucket")`),
so a handler that writes to `process.env.BUCKET` and is triggered by `bucket` is a loop. The
resource's construct is not looked at: a name is matched within its file only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.function_urls import NOT_FOLLOWED
from reviewer.inventory.cdk.constructs import RESOURCE_ATTRIBUTES, resource_name
from reviewer.inventory.cdk.syntax import CALL_TYPES, MEMBER_TYPES, Call, as_call, holder_parts
from reviewer.inventory.cdk.values import Env, ValueReader
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function, Location, ResourceRef, Trigger

LANGUAGES = frozenset({"typescript", "tsx", "javascript", "python"})
_SOURCES = {"S3EventSource": "s3", "S3EventSourceV2": "s3", "SqsEventSource": "sqs", "SnsEventSource": "sns",
            "DynamoEventSource": "dynamodb", "KinesisEventSource": "kinesis"}
_ADD_SOURCE = frozenset({"addEventSource", "add_event_source"})
_NOTIFICATIONS = frozenset({"addEventNotification", "add_event_notification", "addObjectCreatedNotification",
                            "add_object_created_notification"})
_SUBSCRIBE = frozenset({"addSubscription", "add_subscription"})
_FILTER_POLICIES = frozenset({"filterPolicy", "filterPolicyWithMessageBody", "filter_policy",
                              "filter_policy_with_message_body"})


@dataclass
class _Source:
    """One event source as written: its kind, the variable of the resource, the function's variable
    (or the construct's line, for its `events` property), and what it filters."""

    kind: str
    resource: str
    line: int
    function: str | None = None
    construct_line: int | None = None
    events: list[str] = field(default_factory=list)
    prefix: str = ""
    suffix: str = ""
    filtered: bool = False      # a filter the loop check cannot read (stream and queue filter criteria)
    how: str = ""


@dataclass(frozen=True)
class _Variable:
    """`fn.addEnvironment(name, value)`: a literal value, or the construct variable it names
    (`holder`), or neither (`written`, what the file computes)."""

    function: str
    name: str
    line: int
    literal: str | None = None
    holder: str | None = None
    written: str = ""


def resource_ref(rel: str, variable: str) -> ResourceRef:
    """The name of a construct kept in `variable` of the file `rel`, as triggers and environments write it."""
    return ResourceRef("cdk", f"{rel}#{variable}")


def attach_triggers(rel: str, language: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Add the event sources the file gives the functions it constructs."""
    if language not in LANGUAGES or not functions or not any(
            word in text for word in ("EventSource", "Notification", "LambdaSubscription", "event_source",
                                      "ddEnvironment", "add_environment")):
        return
    sources, variables = _python(calls) if calls.tree is not None else _tree_sitter(calls)
    stored = calls.stored
    by_line = {function.location.line: function for function in functions}
    for variable in variables:
        target = by_line.get(stored.get(variable.function, AMBIGUOUS))
        if target is None or variable.name in target.environment:
            continue
        target.environment[variable.name] = variable.literal if variable.literal is not None else \
            resource_ref(rel, variable.holder) if variable.holder is not None else \
            ResourceRef("unresolved", f"computed by `{variable.written[:60]}`")
        target.locations[f"Environment.{variable.name}"] = Location(rel, variable.line)
    for source in sources:
        line = source.construct_line if source.construct_line is not None else \
            stored.get(source.function or "", AMBIGUOUS)
        function = by_line.get(line)
        if function is None:
            continue
        attributes: dict[str, Any] = {"name": source.how, "type": source.how, "events": source.events,
                                      "prefix": source.prefix, "suffix": source.suffix}
        if source.filtered:   # a filter the loop check cannot read
            attributes[{"s3": "prefix_unresolved", "sns": "filter_policy"}.get(source.kind, "filter_patterns")] = True
        function.triggers.append(Trigger(source.kind, Location(rel, source.line), resource_ref(rel, source.resource),
                                         attributes))
        # Whether the app publishes versions is not read: LR401 would guess (reviewer.analyzers.deployment).
        function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


def s3_event(written: str) -> str:
    """`s3.EventType.OBJECT_CREATED_PUT` → `s3:ObjectCreated:Put`; `OBJECT_CREATED` → `s3:ObjectCreated:*`."""
    parts = written.rpartition(".")[2].upper().split("_")
    if len(parts) < 2 or parts[0] != "OBJECT":
        return "s3:" + "".join(part.title() for part in parts)
    rest = "".join(part.title() for part in parts[2:])
    return f"s3:Object{parts[1].title()}:{rest or '*'}"


# -- TypeScript, JavaScript -------------------------------------------------------------------------


def _tree_sitter(calls: FileCalls) -> tuple[list[_Source], list[_Variable]]:
    reader = calls.reader
    assert reader is not None
    sources: list[_Source] = []
    variables: list[_Variable] = []
    for call in calls.calls:
        node = call.node
        receiver = _name(call.receiver) if call.receiver is not None else ""
        resource = _resource(call.receiver) if call.receiver is not None else ""
        if call.method == "addEnvironment" and receiver and len(call.args) >= 2:
            name = reader.string(call.args[0], Env())
            value = st.unwrap(call.args[1]) or call.args[1]
            names = holder_parts(value) if value.type in MEMBER_TYPES else []
            if name is not None:
                variables.append(_Variable(receiver, name, st.line(node), reader.string(value, Env()),
                                           resource_name(names[:-1]) if len(names) >= 2
                                           and names[-1] in RESOURCE_ATTRIBUTES else None, st.text(value)))
        elif call.method in _ADD_SOURCE and call.args:
            found = _event_source(reader, call.args[0], st.line(node))
            if found is not None and receiver:
                found.function = receiver
                sources.append(found)
        elif call.method in _NOTIFICATIONS and resource:
            sources.extend(_notification(reader, call, resource))
        elif call.method in _SUBSCRIBE and resource and call.args:
            subscription = st.unwrap(call.args[0])
            inner = as_call(subscription) if subscription is not None else None
            if inner is not None and inner.callee[-1:] == ["LambdaSubscription"] and inner.args:
                options = _entries(reader, inner.args[1]) if len(inner.args) > 1 else {}
                sources.append(_Source("sns", resource, st.line(node), function=_name(inner.args[0]),
                                       how="addSubscription", filtered=bool(_FILTER_POLICIES & set(options))))
        elif len(call.args) >= 3:
            listed = _entries(reader, call.args[2]).get("events")
            array = st.unwrap(listed.value) if listed is not None else None
            for item in array.named_children if array is not None and array.type == "array" else []:
                found = _event_source(reader, item, st.line(item))
                if found is not None:
                    found.construct_line = st.line(node)
                    sources.append(found)
    return sources, variables


def _name(node: Any) -> str:
    return st.text(st.unwrap(node) or node).rpartition(".")[2] if node is not None else ""


def _resource(node: Any) -> str:
    """The construct a trigger names, as `resource_name` spells it (`this.uploads` → `uploads`)."""
    node = st.unwrap(node)
    if node is None:
        return ""
    return resource_name(holder_parts(node) if node.type in MEMBER_TYPES else [st.text(node)])


def _entries(reader: ValueReader, node: Any) -> dict:
    return {key[:1].lower() + key[1:]: entry for key, entry in reader.props(node, Env()).entries.items()}


def _event_source(reader: ValueReader, node: Any, line: int) -> _Source | None:
    """`new SqsEventSource(queue, {...})` (or held in a variable of the file)."""
    node = st.unwrap(node)
    if node is not None and node.type == "identifier":
        bound = reader.follow_name(st.text(node), Env(), near=node)
        node = st.unwrap(bound[0]) if bound is not None else None
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee or call.callee[-1] not in _SOURCES or not call.args:
        return None
    kind = _SOURCES[call.callee[-1]]
    found = _Source(kind, _resource(call.args[0]), line, how=call.callee[-1])
    options = _entries(reader, call.args[1]) if len(call.args) > 1 else {}
    if kind == "s3":
        events = options.get("events")
        listed = st.unwrap(events.value) if events is not None else None
        found.events = [s3_event(st.text(item)) for item in listed.named_children] \
            if listed is not None and listed.type == "array" else []
        filters = options.get("filters")
        items = st.unwrap(filters.value) if filters is not None else None
        for item in items.named_children if items is not None and items.type == "array" else []:
            _key_filter(found, _entries(reader, item))
    elif "filters" in options:
        found.filtered = True
    return found


def _notification(reader: ValueReader, call: Call, bucket: str) -> list[_Source]:
    """`bucket.addEventNotification(EventType.X, new LambdaDestination(fn), {prefix}, ...)`."""
    created = call.method in ("addObjectCreatedNotification", "add_object_created_notification")
    args = list(call.args)
    events = ["s3:ObjectCreated:*"] if created else ([s3_event(st.text(args.pop(0)))] if args else [])
    if not args:
        return []
    target = st.unwrap(args[0])
    destination = as_call(target) if target is not None else None
    if destination is None or destination.callee[-1:] != ["LambdaDestination"] or not destination.args:
        return []
    found = _Source("s3", bucket, st.line(call.node), function=_name(destination.args[0]), events=events,
                    how=str(call.method))
    for item in args[1:]:
        _key_filter(found, _entries(reader, item))
    return [found]


def _key_filter(found: _Source, entries: dict) -> None:
    for end in ("prefix", "suffix"):
        if end in entries:
            text = st.string_value(st.unwrap(entries[end].value) or entries[end].value)
            if text is None:
                found.filtered = True     # a filter the file computes: not known
            else:
                setattr(found, end, text)


# -- Python ---------------------------------------------------------------------------------------


def _python(calls: FileCalls) -> tuple[list[_Source], list[_Variable]]:
    tree, values = calls.tree, calls.values
    assert tree is not None
    sources: list[_Source] = []
    variables: list[_Variable] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        receiver = python_stored_name(node.func.value) if isinstance(node.func, ast.Attribute) else None
        if method == "add_environment" and receiver and len(node.args) >= 2 \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            value = node.args[1]
            literal = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
            holder = python_stored_name(value.value) if isinstance(value, ast.Attribute) \
                and value.attr in RESOURCE_ATTRIBUTES else None
            variables.append(_Variable(receiver, node.args[0].value, node.lineno, literal, holder, ast.unparse(value)))
        elif method in _ADD_SOURCE and node.args and receiver:
            found = _py_source(node.args[0], node.lineno, values)
            if found is not None:
                found.function = receiver
                sources.append(found)
        elif method in _NOTIFICATIONS and receiver:
            sources.extend(_py_notification(node, receiver))
        elif method in _SUBSCRIBE and receiver and node.args and isinstance(node.args[0], ast.Call) \
                and _last(node.args[0].func) == "LambdaSubscription" and node.args[0].args:
            function = python_stored_name(node.args[0].args[0])
            policies = {keyword.arg for keyword in node.args[0].keywords} & _FILTER_POLICIES
            if function is not None:
                sources.append(_Source("sns", receiver, node.lineno, function=function, how="add_subscription",
                                       filtered=bool(policies)))
        else:
            listed = next((k.value for k in node.keywords if k.arg == "events"), None)
            for item in listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else []:
                found = _py_source(item, item.lineno, values)
                if found is not None:
                    found.construct_line = node.lineno
                    sources.append(found)
    return sources, variables


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None


def _py_source(node: ast.expr, line: int, values: dict[str, list[ast.expr]]) -> _Source | None:
    if isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1:
        node = values[node.id][0]
    if not isinstance(node, ast.Call) or _last(node.func) not in _SOURCES or not node.args:
        return None
    resource = python_stored_name(node.args[0])
    if resource is None:
        return None
    kind = _SOURCES[str(_last(node.func))]
    found = _Source(kind, resource, line, how=str(_last(node.func)))
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    if kind == "s3":
        events = keywords.get("events")
        found.events = [s3_event(ast.unparse(item)) for item in events.elts] \
            if isinstance(events, (ast.List, ast.Tuple)) else []
        filters = keywords.get("filters")
        for item in filters.elts if isinstance(filters, (ast.List, ast.Tuple)) else []:
            _py_key_filter(found, item)
    elif "filters" in keywords:
        found.filtered = True
    return found


def _py_notification(node: ast.Call, bucket: str) -> list[_Source]:
    created = node.func.attr == "add_object_created_notification"  # type: ignore[attr-defined]
    args = list(node.args)
    events = ["s3:ObjectCreated:*"] if created else ([s3_event(ast.unparse(args.pop(0)))] if args else [])
    if not args or not isinstance(args[0], ast.Call) or _last(args[0].func) != "LambdaDestination" \
            or not args[0].args:
        return []
    function = python_stored_name(args[0].args[0])
    if function is None:
        return []
    found = _Source("s3", bucket, node.lineno, function=function, events=events,
                    how=str(node.func.attr))  # type: ignore[attr-defined]
    for item in args[1:]:
        _py_key_filter(found, item)
    return [found]


def _py_key_filter(found: _Source, item: ast.expr) -> None:
    """`s3.NotificationKeyFilter(prefix="uploads/")` (or a dict of the same keys)."""
    keywords = {k.arg: k.value for k in item.keywords if k.arg} if isinstance(item, ast.Call) else \
        {k.value: v for k, v in zip(item.keys, item.values, strict=True) if isinstance(k, ast.Constant)} \
        if isinstance(item, ast.Dict) else {}
    for end in ("prefix", "suffix"):
        value = keywords.get(end)
        if value is None:
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            setattr(found, end, value.value)
        else:
            found.filtered = True
