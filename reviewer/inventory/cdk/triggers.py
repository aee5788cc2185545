"""Event sources of CDK functions and the resources their environment names, for the loop check
(TypeScript, JavaScript, Python, Java, Kotlin, C#, Go).

Read from the source file that constructs the function, without running it:

- `fn.addEventSource(new S3EventSource(bucket, {events, filters}))`, and the same sources in the
  construct's `events` property: `SqsEventSource(queue)`, `SnsEventSource(topic)`,
  `DynamoEventSource(table)`, `KinesisEventSource(stream)` (Python: `add_event_source`, `events=`);
- `bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(fn), {prefix})`
  and `addObjectCreatedNotification(...)` (Python: `add_event_notification(...)`, a
  `NotificationKeyFilter(prefix=...)`);
- `topic.addSubscription(new LambdaSubscription(fn))`;
- `new EventSourceMapping(this, id, {target: fn, eventSourceArn: queue.queueArn})` and
  `fn.addEventSourceMapping(id, {eventSourceArn: ...})` (Python: `event_source_arn=queue.queue_arn`):
  the ARN says the source, `queueArn` a queue, `tableStreamArn` a table's stream, `streamArn` a
  Kinesis stream (a Kafka topic or a broker's queue is no trigger the loop check follows);
- what a topic or bucket passes on to a queue or topic (`topic.addSubscription(new
  SqsSubscription(queue))`, `bucket.addEventNotification(EventType.X, new SqsDestination(queue),
  {prefix})`, `SnsDestination(topic)`), as `Delivery`s: a write to the topic or bucket reaches the
  function that consumes the queue;
- `fn.addEnvironment('BUCKET', bucket.bucketName)` (`add_environment`), which the environment of
  the construct's properties does not show;
- the variables that keep each function (`name_by_variables`), so that another function's
  `TARGET: worker.functionName` names it as `QUEUE: queue.queueUrl` names a queue.

Java, Kotlin, C# and Go spell the same calls their own way (`AddEventSource`, `NewSqsEventSource`,
`SqsEventSource.Builder.create(queue)...build()`, `bucket.getBucketName()`); see `_tree_sitter`.

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
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.function_urls import NOT_FOLLOWED
from reviewer.inventory.cdk.record_filters import python_filter_patterns, script_filter_patterns
from reviewer.inventory.cdk.constructs import RESOURCE_ATTRIBUTES, resource_name
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, as_call, attribute_holder, chain_end, holder_parts,
)
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.inventory.interface import Delivery, Target
from reviewer.inventory.targets import VARIABLE_NAMES
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function, Location, ResourceRef, Trigger

LANGUAGES = frozenset({"typescript", "tsx", "javascript", "python", "java", "kotlin", "csharp", "go"})
_SOURCES = {"S3EventSource": "s3", "S3EventSourceV2": "s3", "SqsEventSource": "sqs", "SnsEventSource": "sns",
            "DynamoEventSource": "dynamodb", "KinesisEventSource": "kinesis"}
_SOURCE_NAMES = frozenset(_SOURCES)
_LAMBDA_DESTINATION = frozenset({"LambdaDestination"})
_LAMBDA_SUBSCRIPTION = frozenset({"LambdaSubscription"})
# What a bucket notifies or a topic delivers to besides a function: the service it passes events on to.
_PASSED_ON = {"SqsDestination": "sqs", "SnsDestination": "sns", "SqsSubscription": "sqs"}
_DESTINATIONS = _LAMBDA_DESTINATION | {"SqsDestination", "SnsDestination"}
_SUBSCRIPTIONS = _LAMBDA_SUBSCRIPTION | {"SqsSubscription"}
# Calls that make a list of their arguments (Java, Kotlin).
_LIST_CALLS = frozenset({"of", "asList", "listOf", "mutableListOf", "arrayOf", "arrayListOf"})
MAX_CHAIN = 200
_ADD_SOURCE = frozenset({"addEventSource", "add_event_source"})
_ADD_MAPPING = frozenset({"addEventSourceMapping", "add_event_source_mapping"})
_MAPPINGS = frozenset({"EventSourceMapping", "NewEventSourceMapping"})
# The attribute an event source mapping's `eventSourceArn` reads → the kind of source it is.
_MAPPED_ARNS = {"queueArn": "sqs", "tableStreamArn": "dynamodb", "streamArn": "kinesis",
                "queue_arn": "sqs", "table_stream_arn": "dynamodb", "stream_arn": "kinesis"}
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
    filtered: bool = False      # a filter the loop check cannot read (S3 key, SNS policy) or must evaluate
    patterns: list[Any] = field(default_factory=list)   # a stream's or queue's filters (`record_filters`)
    how: str = ""
    via_kind: str = ""          # a delivery rather than a trigger: the service of the queue or topic
    via: str = ""               # ... and its variable


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


def name_by_variables(rel: str, functions: list[Function], calls: FileCalls) -> None:
    """Give each function the variables of the file that keep its construct (`<file>#worker`), the
    name an environment value that invokes it uses (`resource_ref`). A variable given two
    constructs names neither."""
    by_line = by_construct_line(functions)
    for variable, line in calls.stored.items():
        for function in by_line.get(line, []) if line != AMBIGUOUS else ():
            function.properties.setdefault(VARIABLE_NAMES, []).append(resource_ref(rel, variable).value)


def attach_triggers(rel: str, language: str, text: str, functions: list[Function],
                    calls: FileCalls) -> list[Delivery]:
    """Add the event sources the file gives the functions it constructs; return what its topics
    and buckets pass on to a queue or topic."""
    if language not in LANGUAGES or not functions or not any(
            word in text for word in ("EventSource", "Notification", "_notification", "Subscription",
                                      "event_source", "ddEnvironment", "add_environment")):
        return []
    found, variables = _python(calls) if calls.tree is not None else _tree_sitter(calls)
    sources = [source for source in found if not source.via_kind]
    stored = calls.stored
    by_line = by_construct_line(functions)
    for variable in variables:
        for target in by_line.get(stored.get(variable.function, AMBIGUOUS), []):
            if variable.name in target.environment:
                continue
            target.environment[variable.name] = variable.literal if variable.literal is not None else \
                resource_ref(rel, variable.holder) if variable.holder is not None else \
                ResourceRef("unresolved", f"computed by `{variable.written[:60]}`")
            target.locations[f"Environment.{variable.name}"] = Location(rel, variable.line)
    for source in sources:
        line = source.construct_line if source.construct_line is not None else \
            stored.get(source.function or "", AMBIGUOUS)
        for function in by_line.get(line, []):
            _add_source(rel, source, function)
    return [_delivery(rel, source) for source in found if source.via_kind]


def _delivery(rel: str, source: _Source) -> Delivery:
    """A topic's queue subscription or a bucket's queue or topic notification, as the loop check reads it."""
    attributes: dict[str, Any] = {"events": source.events, "prefix": source.prefix, "suffix": source.suffix} \
        if source.kind == "s3" else {}
    if source.filtered:   # a filter the loop check cannot read
        attributes["prefix_unresolved" if source.kind == "s3" else "filter_policy"] = True
    return Delivery(source.kind, Target("cdk", resource_ref(rel, source.resource).value), source.via_kind,
                    Target("cdk", resource_ref(rel, source.via).value), Location(rel, source.line),
                    attributes=attributes)


def _add_source(rel: str, source: _Source, function: Function) -> None:
    """The trigger an event source written in the file gives `function`."""
    attributes: dict[str, Any] = {"name": source.how, "type": source.how, "events": source.events,
                                  "prefix": source.prefix, "suffix": source.suffix}
    if source.filtered and source.kind in ("s3", "sns"):   # a filter the loop check cannot read
        attributes["prefix_unresolved" if source.kind == "s3" else "filter_policy"] = True
    elif source.filtered:
        attributes["filter_patterns"] = source.patterns or [None]
    function.triggers.append(Trigger(source.kind, Location(rel, source.line), resource_ref(rel, source.resource),
                                     attributes))
    # Whether the app publishes versions is not read: LR401 would guess (reviewer.analyzers.deployment).
    function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


def s3_event(written: str) -> str:
    """`s3.EventType.OBJECT_CREATED_PUT` → `s3:ObjectCreated:Put`; `OBJECT_CREATED` → `s3:ObjectCreated:*`
    (Go: `awss3.EventType_OBJECT_CREATED`)."""
    parts = written.rpartition(".")[2].rpartition("EventType_")[2].upper().split("_")
    if len(parts) < 2 or parts[0] != "OBJECT":
        return "s3:" + "".join(part.title() for part in parts)
    rest = "".join(part.title() for part in parts[2:])
    return f"s3:Object{parts[1].title()}:{rest or '*'}"


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ----------------------------------------------------
#
# One reading for every tree-sitter language: a method is compared camel-cased (`AddEventSource` in
# C# and Go is `addEventSource`), a class by its name whichever way it is made (`new SqsEventSource(q)`,
# Kotlin's `SqsEventSource(q)`, Go's `NewSqsEventSource(q, &props)`, the JVM builder
# `SqsEventSource.Builder.create(q)...build()`), and options through `ValueReader.props`, which
# reads an object literal, a builder chain, a C# object initializer and a Go struct alike.


def _tree_sitter(calls: FileCalls) -> tuple[list[_Source], list[_Variable]]:
    reader = calls.reader
    assert reader is not None
    sources: list[_Source] = []
    variables: list[_Variable] = []
    for call in calls.calls:
        node = call.node
        method = _camel(call.method or "")
        receiver = _name(call.receiver) if call.receiver is not None else ""
        resource = resource_of(call.receiver) if call.receiver is not None else ""
        if method == "addEnvironment" and receiver and len(call.args) >= 2:
            name = reader.string(call.args[0], Env())
            value = st.unwrap(call.args[1]) or call.args[1]
            if name is not None:
                variables.append(_Variable(receiver, name, st.line(node), reader.string(value, Env()),
                                           attribute_holder(value), st.text(value)))
        elif method in _ADD_SOURCE and call.args:
            found = _event_source(reader, call.args[0], st.line(node))
            if found is not None and receiver:
                found.function = receiver
                sources.append(found)
        elif method in _ADD_MAPPING and receiver and len(call.args) >= 2:
            found = _mapping(reader, _entries(reader, call.args[1]), st.line(node), "addEventSourceMapping")
            if found is not None:
                found.function = receiver
                sources.append(found)
        elif (call.callee[-1:] or [""])[0] in _MAPPINGS or call.callee[-3:-2] == ["EventSourceMapping"]:
            options = _construct_options(reader, call)
            entries = _entries(reader, options) if options is not None else {}
            found = _mapping(reader, entries, st.line(node), "EventSourceMapping") if "target" in entries else None
            if found is not None:
                found.function = _name(entries["target"].value)
                sources.append(found)
        elif method in _NOTIFICATIONS and resource:
            sources.extend(_notification(reader, call, resource))
        elif method in _SUBSCRIBE and resource and call.args:
            found = _subscription(reader, call.args[0], resource, st.line(node))
            if found is not None:
                sources.append(found)
        else:
            options = _construct_options(reader, call)
            listed = _entries(reader, options).get("events") if options is not None else None
            for item in items_of(listed.value) if listed is not None else []:
                found = _event_source(reader, item, st.line(item))
                if found is not None:
                    found.construct_line = st.line(node)
                    sources.append(found)
    return sources, variables


def _camel(method: str) -> str:
    return method[:1].lower() + method[1:]


def _name(node: Any) -> str:
    return st.text(st.unwrap(node) or node).rpartition(".")[2] if node is not None else ""


def resource_of(node: Any) -> str:
    """The construct a trigger names, as `resource_name` spells it (`this.uploads` → `uploads`)."""
    node = st.unwrap(node)
    if node is None:
        return ""
    return resource_name(holder_parts(node) if node.type in MEMBER_TYPES else [st.text(node)])


def _entries(reader: ValueReader, node: Any) -> dict:
    props = node if isinstance(node, Props) else reader.props(node, Env())
    return {_camel(key): entry for key, entry in props.entries.items()}


def _construct_options(reader: ValueReader, call: Call) -> Props | None:
    """The properties of a construct call: `new X(scope, id, {...})` or `X.Builder.create(scope, id)...`."""
    if len(call.args) >= 3:
        return reader.props(call.args[2], Env())
    if call.callee[-2:] == ["Builder", "create"] and len(call.args) == 2:
        top = chain_end(call.node, MAX_CHAIN)
        return reader.props(top, Env()) if top is not call.node else None
    return None


def made_by(reader: ValueReader, node: Any, names: frozenset[str]) -> tuple[str, Call, Props] | None:
    """What `node` makes, when it is one of the classes `names`: the class, its call (whose first
    argument is the resource or function), and its options, in any language's spelling."""
    node = st.unwrap(node)
    if node is not None and node.type in IDENTIFIER_TYPES:
        bound = reader.follow_name(st.text(node), Env(), near=node)
        node = st.unwrap(bound[0]) if bound is not None else None
    outer = node
    for _ in range(MAX_CHAIN):    # `X.Builder.create(a).b(...).build()`: down the chain to `create`
        call = as_call(node) if node is not None and node.type in CALL_TYPES else None
        if call is None:
            return None
        last = call.callee[-1] if call.callee else ""
        name = last[3:] if last.startswith("New") and last[3:] in names else last
        if name in names and call.args:
            return name, call, reader.props(call.args[1], Env()) if len(call.args) > 1 else Props()
        if len(call.callee) >= 3 and call.callee[-3] in names and call.callee[-2:] == ["Builder", "create"]:
            if not call.args:
                return None
            return call.callee[-3], call, reader.props(outer, Env()) if outer is not node else Props()
        node = st.unwrap(call.receiver) if call.receiver is not None else None
    return None


def _event_source(reader: ValueReader, node: Any, line: int) -> _Source | None:
    """`new SqsEventSource(queue, {...})` (or held in a variable of the file), in any language."""
    made = made_by(reader, node, _SOURCE_NAMES)
    if made is None:
        return None
    name, call, props = made
    kind = _SOURCES[name]
    found = _Source(kind, resource_of(call.args[0]), line, how=name)
    options = _entries(reader, props)
    if kind == "s3":
        events = options.get("events")
        found.events = [s3_event(st.text(item)) for item in items_of(events.value)] if events is not None else []
        filters = options.get("filters")
        for item in items_of(filters.value) if filters is not None else []:
            _key_filter(reader, found, item)
    elif "filters" in options:
        found.filtered = True
        found.patterns = script_filter_patterns(reader, items_of(options["filters"].value))
    return found


def _mapping(reader: ValueReader, entries: dict, line: int, how: str) -> _Source | None:
    """The source an event source mapping's `eventSourceArn` names (`queue.queueArn`, Java's
    `queue.getQueueArn()`, Go's `queue.QueueArn()`), with its `filters`; None for any other ARN."""
    arn = entries.get("eventSourceArn")
    node = st.unwrap(arn.value) if arn is not None else None
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is not None:
        if call.args or call.receiver is None or not call.method:
            return None
        method = call.method[3:] if call.method.startswith("get") and call.method[3:4].isupper() else call.method
        parts = [*holder_parts(st.unwrap(call.receiver)), method]
    else:
        parts = holder_parts(node) if node is not None and node.type in MEMBER_TYPES else []
    kind = _MAPPED_ARNS.get(_camel(parts[-1])) if len(parts) >= 2 else None
    if kind is None:
        return None
    found = _Source(kind, resource_name(parts[:-1]), line, how=how)
    if "filters" in entries:
        found.filtered = True
        found.patterns = script_filter_patterns(reader, items_of(entries["filters"].value))
    return found


def _subscription(reader: ValueReader, node: Any, topic: str, line: int) -> _Source | None:
    """`topic.addSubscription(new LambdaSubscription(fn, {filterPolicy}))`, or a queue's
    `SqsSubscription(queue)`, in any language."""
    made = made_by(reader, node, _SUBSCRIPTIONS)
    if made is None:
        return None
    name, call, props = made
    filtered = bool(_FILTER_POLICIES & set(_entries(reader, props)))
    if name in _PASSED_ON:
        return _Source("sns", topic, line, how="addSubscription", filtered=filtered, via_kind=_PASSED_ON[name],
                       via=resource_of(call.args[0]))
    return _Source("sns", topic, line, function=_name(call.args[0]), how="addSubscription", filtered=filtered)


def _notification(reader: ValueReader, call: Call, bucket: str) -> list[_Source]:
    """`bucket.addEventNotification(EventType.X, new LambdaDestination(fn), {prefix}, ...)`."""
    method = _camel(call.method or "")
    created = method in ("addObjectCreatedNotification",)
    args = list(call.args)
    events = ["s3:ObjectCreated:*"] if created else ([s3_event(st.text(args.pop(0)))] if args else [])
    made = made_by(reader, args[0], _DESTINATIONS) if args else None
    if made is None:
        return []
    if made[0] in _PASSED_ON:
        found = _Source("s3", bucket, st.line(call.node), events=events, how=method, via_kind=_PASSED_ON[made[0]],
                        via=resource_of(made[1].args[0]))
    else:
        found = _Source("s3", bucket, st.line(call.node), function=_name(made[1].args[0]), events=events, how=method)
    for item in args[1:]:
        _key_filter(reader, found, item)
    return [found]


def items_of(node: Any) -> list[Any]:
    """The elements of a list as each language writes it: `[a, b]`, `List.of(a, b)`, `listOf(a, b)`,
    `Arrays.asList(a, b)`, C#'s `new[] { a, b }`, Go's `&[]T{a, b}`; [] for anything else."""
    node = st.unwrap(node)
    if node is not None and node.type == "unary_expression" and st.text(node).startswith("&") \
            and node.named_children:
        node = st.unwrap(node.named_children[-1])
    if node is None:
        return []
    if node.type == "array":
        return [item for item in node.named_children if item.type != "comment"]
    if node.type in ("implicit_array_creation_expression", "array_creation_expression"):
        body = next((c for c in node.named_children if c.type == "initializer_expression"), None)
        return list(body.named_children) if body is not None else []
    if node.type == "composite_literal":
        body = node.child_by_field_name("body")
        return [st.unwrap(item) or item for item in body.named_children if item.type != "comment"] \
            if body is not None else []
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None and call.callee and call.callee[-1] in _LIST_CALLS:
        return [st.unwrap(arg) or arg for arg in call.args]
    return []


def _key_filter(reader: ValueReader, found: _Source, node: Any) -> None:
    """`{prefix: 'in/'}`, `NotificationKeyFilter.builder().prefix("in/").build()`, C#'s and Go's."""
    written = _entries(reader, node)
    for end in ("prefix", "suffix"):
        if end in written:
            text = reader.string(written[end].value, written[end].env)
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
        elif method in _ADD_MAPPING and receiver or _last(node.func) == "EventSourceMapping":
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            function = receiver if method in _ADD_MAPPING else \
                python_stored_name(keywords["target"]) if "target" in keywords else None
            found = _py_mapping(keywords, node.lineno, method or "EventSourceMapping")
            if found is not None and function is not None:
                found.function = function
                sources.append(found)
        elif method in _NOTIFICATIONS and receiver:
            sources.extend(_py_notification(node, receiver))
        elif method in _SUBSCRIBE and receiver and node.args and isinstance(node.args[0], ast.Call) \
                and _last(node.args[0].func) in _SUBSCRIPTIONS and node.args[0].args:
            held = python_stored_name(node.args[0].args[0])
            policies = {keyword.arg for keyword in node.args[0].keywords} & _FILTER_POLICIES
            passed_on = _PASSED_ON.get(str(_last(node.args[0].func)), "")
            if held is not None:
                sources.append(_Source("sns", receiver, node.lineno, function=None if passed_on else held,
                                       how="add_subscription", filtered=bool(policies), via_kind=passed_on,
                                       via=held if passed_on else ""))
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
        found.patterns = python_filter_patterns(keywords["filters"])
    return found


def _py_mapping(keywords: dict[str, ast.expr], line: int, how: str) -> _Source | None:
    """`event_source_arn=queue.queue_arn` of an event source mapping (see `_mapping`)."""
    arn = keywords.get("event_source_arn")
    kind = _MAPPED_ARNS.get(arn.attr) if isinstance(arn, ast.Attribute) else None
    resource = python_stored_name(arn.value) if isinstance(arn, ast.Attribute) else None
    if kind is None or resource is None:
        return None
    found = _Source(kind, resource, line, how=how)
    if "filters" in keywords:
        found.filtered = True
        found.patterns = python_filter_patterns(keywords["filters"])
    return found


def _py_notification(node: ast.Call, bucket: str) -> list[_Source]:
    created = node.func.attr == "add_object_created_notification"  # type: ignore[attr-defined]
    args = list(node.args)
    events = ["s3:ObjectCreated:*"] if created else ([s3_event(ast.unparse(args.pop(0)))] if args else [])
    if not args or not isinstance(args[0], ast.Call) or _last(args[0].func) not in _DESTINATIONS \
            or not args[0].args:
        return []
    held = python_stored_name(args[0].args[0])
    if held is None:
        return []
    passed_on = _PASSED_ON.get(str(_last(args[0].func)), "")
    found = _Source("s3", bucket, node.lineno, function=None if passed_on else held, events=events,
                    how=str(node.func.attr), via_kind=passed_on, via=held if passed_on else "")  # type: ignore[attr-defined]
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
