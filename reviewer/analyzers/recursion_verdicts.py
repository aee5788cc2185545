"""How one write relates to one trigger, for the recursion analyzer (`recursion.py`).

A write to the resource that triggers a function may still be safe: an S3 trigger that listens to
other event types or filters keys the write cannot produce, a condition in the handler that skips
the function's own output, an EventBridge pattern that does not match the event it puts. Each
check here gives a `Verdict` with the reason, the line it rests on and any caveat; `Edge` is one
step of a loop through several functions, whose S3 keys `keys_can_go_around` follows.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from reviewer import markdown
from reviewer.analyzers.recursion_targets import is_event_field, is_event_object_key
from reviewer.code.key_guards import EVENT_NAME
from reviewer.code.values import ENV, EVENT, LITERAL, KeyGuard, Part, ResourceWrite, StaticValue
from reviewer.model import Function, Location, ResourceRef, Trigger

_S3_EVENT_TYPES = {
    "put": ("Put",), "put_object": ("Put",), "copy_object": ("Copy",), "copy_from": ("Copy",),
    "copy": ("Copy", "CompleteMultipartUpload"), "upload_file": ("Put", "CompleteMultipartUpload"),
    "upload_fileobj": ("Put", "CompleteMultipartUpload"), "complete_multipart_upload": ("CompleteMultipartUpload",),
}


@dataclass(frozen=True)
class Verdict:
    """How one write relates to one trigger: "loop", "safe" (a filter excludes it), "unknown",
    or "none" (another resource). `reason` explains safe/unknown; `note` adds a caveat."""

    outcome: str
    reason: str = ""
    note: str = ""
    evidence_line: Location | None = None
    by_code: bool = False   # "safe" because of a condition in the handler, not the trigger's filter
    by_events: bool = False  # "safe" because the trigger listens to other event types than the write's
    by_filter: bool = False  # "safe" because the event source mapping's filter criteria keep the records out
    filter_checked: bool = False  # "loop" whose trigger filter criteria were evaluated and keep the write's records
    filter_partial: bool = False  # "loop" whose filter criteria keep some of the write's records (see `note`)


@dataclass(frozen=True)
class Edge:
    """A write of `writer` that invokes `reader` (through `trigger`, or directly by Lambda invoke)."""

    writer: Function
    write: ResourceWrite
    reader: Function
    trigger: Trigger | None
    resource: str


def s3_verdict(function: Function, write: ResourceWrite, trigger: Trigger, same_function: bool = True) -> Verdict:
    """A write to the S3 bucket that triggers a function: safe when the trigger's event types or key filter,
    or (same function) a condition on the incoming key, keep the written object out."""
    attributes = trigger.attributes
    events = [str(event) for event in attributes.get("events") or []]
    kinds = _s3_event_types(write.operation)
    if events and not any(_s3_event_matches(event, kinds) for event in events):
        return Verdict("safe", (f"the trigger listens to {_list(events)} only, and "
                                f"{markdown.code(write.call)} produces "
                                f"{_list(['s3:ObjectCreated:' + kind for kind in kinds])}"),
                       evidence_line=trigger.location, by_events=True)
    prefix, suffix = str(attributes.get("prefix") or ""), str(attributes.get("suffix") or "")
    if attributes.get("prefix_unresolved") or attributes.get("suffix_unresolved"):
        prefix = suffix = ""
        unfiltered = True
    else:
        unfiltered = not (prefix or suffix)
    known_prefix, known_suffix, exact = _key_bounds(write.key, function, prefix, suffix)
    if same_function:
        skipped = _skipped_by_guard(write, known_prefix, known_suffix, exact)
        if skipped is not None:
            return skipped
    if unfiltered:
        return Verdict("loop")
    filter_line = Location(trigger.location.path, attributes["filter_line"]) \
        if isinstance(attributes.get("filter_line"), int) else trigger.location
    if exact is not None:
        if prefix and not exact.startswith(prefix):
            return Verdict("safe", f"it writes the key {markdown.code(exact)}, outside the trigger's prefix "
                                   f"filter {markdown.code(prefix)}", evidence_line=filter_line)
        if suffix and not exact.endswith(suffix):
            return Verdict("safe", f"it writes the key {markdown.code(exact)}, outside the trigger's suffix "
                                   f"filter {markdown.code(suffix)}", evidence_line=filter_line)
        return Verdict("loop")
    if prefix and not known_prefix.startswith(prefix) and not prefix.startswith(known_prefix):
        return Verdict("safe", f"every key it writes starts with {markdown.code(known_prefix)}, and the trigger "
                               f"fires only for keys starting with {markdown.code(prefix)}",
                       evidence_line=filter_line)
    if suffix and known_suffix and not known_suffix.endswith(suffix) and not suffix.endswith(known_suffix):
        return Verdict("safe", f"every key it writes ends with {markdown.code(known_suffix)}, and the trigger "
                               f"fires only for keys ending with {markdown.code(suffix)}",
                       evidence_line=filter_line)
    described = markdown.quoted(write.key.describe() if write.key is not None else "unknown")
    if (not prefix or known_prefix.startswith(prefix)) and (not suffix or known_suffix.endswith(suffix)):
        return Verdict("loop", note=(
            f"The trigger filters keys ({_filter_text(prefix, suffix)}), and the written keys "
            f"({described}) match that filter too."))
    return Verdict("loop", note=(
        f"The trigger filters keys ({_filter_text(prefix, suffix)}), but the written key ({described}) is "
        "computed at run time, so the filter cannot be shown to exclude it."))


def eventbridge_verdict(write: ResourceWrite, trigger: Trigger, same_function: bool) -> Verdict:
    """An event put on the bus a rule listens to: a loop when the rule's pattern accepts it."""
    pattern = trigger.attributes.get("pattern") or {}
    if not isinstance(pattern, dict):
        return Verdict("unknown", "the rule's event pattern")
    checks = (("source", write.event_source), ("detail-type", write.detail_type))
    # Every field is judged before an unknown one is reported: one field the pattern refuses (a
    # detail-type outside its prefix) rules the event out whatever the field that cannot be read.
    results = [(field_name, value, _pattern_accepts(pattern.get(field_name), value, field_name, same_function))
               for field_name, value in checks]
    if any(result is False for _, _, result in results):
        return Verdict("none")
    for field_name, value, result in results:
        if result is None:
            shown = value.describe() if value is not None else "unknown"
            quoted = shown if "`" in shown else f"`{shown}`"      # never a code span in a code span
            if value is not None and value.is_literal:
                # The handler's value is known: what static reading could not evaluate is the pattern.
                return Verdict("unknown", f"the {field_name} the rule's pattern matches (the emitted event's is "
                                          f"{quoted})")
            return Verdict("unknown", f"the {field_name} of the emitted event ({quoted})")
    emitted = ", ".join(_emitted(name, value) for name, value in checks if value is not None)
    note = f"The event it puts ({emitted}) matches the rule's pattern."
    others = sorted(key for key in pattern if key not in ("source", "detail-type"))
    if others:
        note += (f" The pattern also matches on {', '.join(str(markdown.code(key)) for key in others)}, which "
                 "static reading does not evaluate.")
    return Verdict("loop", note=note)


def _emitted(field_name: str, value: StaticValue) -> str:
    """`source "orders"`, or, for a value the handler passes on from the event it received,
    "source taken from the received event's `source`" (never "source `event field source`")."""
    if len(value.parts) == 1 and value.parts[0].kind == EVENT and value.parts[0].replaced is None:
        return f"{field_name} taken from the received event's {markdown.code(value.parts[0].text)}"
    return f"{field_name} {markdown.quoted(value.describe())}"


def _list(items: list[str]) -> str:
    return ", ".join(str(markdown.code(item)) for item in items[:6])


def _filter_text(prefix: str, suffix: str) -> str:
    parts = []
    if prefix:
        parts.append(f"prefix {markdown.code(prefix)}")
    if suffix:
        parts.append(f"suffix {markdown.code(suffix)}")
    return " and ".join(parts)


def _s3_event_types(operation: str) -> tuple[str, ...]:
    """The S3 event types a write produces, by its Python (`put_object`) or JavaScript name
    (`putObject`, `send(PutObjectCommand)`, `Upload`)."""
    name = operation.split(".")[-1]
    if name.startswith("send(") and name.endswith(")"):
        name = name[5:-1]
    name = name.removesuffix("Command")
    snake = "".join(f"_{char.lower()}" if char.isupper() and index else char.lower()
                    for index, char in enumerate(name))
    if snake == "upload":
        return ("Put", "CompleteMultipartUpload")
    return _S3_EVENT_TYPES.get(snake, ("Put",))


def _s3_event_matches(event: str, kinds: tuple[str, ...]) -> bool:
    event = event.strip()
    for kind in kinds:
        full = f"s3:ObjectCreated:{kind}"
        if event == full or (event.endswith("*") and full.startswith(event[:-1])):
            return True
    return False


def _literal_environment(function: Function, name: str, default: str | None) -> str | None:
    value = function.environment.get(name)
    if isinstance(value, str) and "${" not in value:
        return str(value)
    if value is None and name in function.environment_defaults:
        return function.environment_defaults[name][0]
    return default if value is None else None


def _template_ends(function: Function, name: str) -> tuple[str, str] | None:
    """The literal start and end of an environment value only partly known, shown with its
    unknown parts as `${...}` (a Terraform template, `"actions-runner-${each.value.os_type}.tar.gz"`;
    a `!Sub` or a Serverless variable of unknown value): every key written from it starts and
    ends with them. Only ends without spaces: a reason (`chosen by a condition (${...})`) is no key."""
    value = function.environment.get(name)
    text = value.value if isinstance(value, ResourceRef) and value.kind == "unresolved" else value
    if not isinstance(text, str) or "${" not in text:
        return None
    start = text[:text.index("${")]
    tail = text[text.rindex("}") + 1:] if "}" in text else ""
    end = "" if "${" in tail or any(c.isspace() for c in tail) else tail
    if any(c.isspace() for c in start):
        return None
    return (start, end) if start or end else None


def _key_bounds(key: StaticValue | None, function: Function, prefix: str, suffix: str
                ) -> tuple[str, str, str | None]:
    """What every written key starts and ends with, and the exact key when fully known. The
    triggering object's key (from the event) starts with the filter prefix and ends with its suffix."""
    if key is None:
        return "", "", None
    pieces: list[tuple[str, str | None, str, str]] = []   # (kind, literal text or end, keeps, start)
    for part in key.parts:
        if part.kind == LITERAL:
            pieces.append((LITERAL, part.text, "both", part.text))
        elif part.kind == ENV and (text := _literal_environment(function, part.text, part.default)) is not None:
            pieces.append((LITERAL, text, "both", text))
        elif part.kind == ENV and (ends := _template_ends(function, part.text)) is not None:
            pieces.append(("template", ends[1], "none", ends[0]))
        elif part.kind == EVENT and is_event_object_key(part.text) and part.replaced is not None:
            replaced = _replacement(part, function)
            if replaced is None:
                pieces.append(("unknown", None, "none", ""))
            else:
                pieces.append(("replaced-key", _replaced_end(replaced, suffix), "none",
                               _replaced_start(replaced, prefix)))
        elif part.kind == EVENT and is_event_object_key(part.text):
            pieces.append(("trigger-key", None, part.keeps, ""))
        else:
            pieces.append(("unknown", None, "none", ""))
    if all(kind == LITERAL for kind, _, _, _ in pieces):
        return "", "", "".join(text or "" for _, text, _, _ in pieces)
    start = []
    for kind, text, keeps, starts in pieces:
        if kind == LITERAL:
            start.append(text or "")
            continue
        if kind == "trigger-key" and keeps in ("both", "prefix"):
            start.append(prefix)
        if kind in ("replaced-key", "template"):
            start.append(starts)
        break
    end = []
    for kind, text, keeps, _ in reversed(pieces):
        if kind == LITERAL:
            end.append(text or "")
            continue
        if kind == "trigger-key" and keeps in ("both", "suffix"):
            end.append(suffix)
        if kind in ("replaced-key", "template"):
            end.append(text or "")
        break
    return "".join(start), "".join(reversed(end)), None


def _skipped_by_guard(write: ResourceWrite, known_prefix: str, known_suffix: str,
                      exact: str | None) -> Verdict | None:
    """"safe" when a condition the write sits behind rejects the key the write itself produces:
    the invocation that key causes stops at the condition and writes nothing."""
    if exact is not None:
        known_prefix = known_suffix = exact
    for guard in write.key_guards:
        line = Location(guard.path or write.location.path, guard.line)
        if guard.end == "contains":
            # Only "every written key contains it" is provable from the known start and end.
            part = known_prefix if guard.text in known_prefix else known_suffix if guard.text in known_suffix else None
            if not guard.required and part is not None:
                verb = "starts" if part == known_prefix else "ends"
                return Verdict("safe", (f"every key it writes contains {markdown.code(guard.text)} (it {verb} with "
                                        f"{markdown.code(part)}), and the condition at {markdown.code(str(line))} "
                                        f"skips incoming keys that contain {markdown.code(guard.text)}"),
                               evidence_line=line, by_code=True)
            continue
        known = known_prefix if guard.end == "prefix" else known_suffix
        holds = known.startswith(guard.text) if guard.end == "prefix" else known.endswith(guard.text)
        possible = holds or (guard.text.startswith(known) if guard.end == "prefix" else guard.text.endswith(known))
        verb = "starts" if guard.end == "prefix" else "ends"
        if not guard.required and holds:
            return Verdict("safe", (f"every key it writes {verb} with {markdown.code(known)}, and the condition at "
                                    f"{markdown.code(str(line))} skips incoming keys that {verb[:-1]} with "
                                    f"{markdown.code(guard.text)}"), evidence_line=line, by_code=True)
        if guard.required and not possible:
            return Verdict("safe", (f"every key it writes {verb} with {markdown.code(known)}, and the write runs "
                                    f"only for incoming keys that {verb[:-1]} with {markdown.code(guard.text)} "
                                    f"(the condition at {markdown.code(str(line))})"),
                           evidence_line=line, by_code=True)
    return None


def _replacement(part: Part, function: Function) -> tuple[str, str] | None:
    """The (old, new) of a `.replace` on the incoming key, its environment variables read from
    the function's declared environment; None when one is not declared as plain text (then how
    the written key starts and ends is not known)."""
    texts: list[str] = []
    for name, text in zip(part.replaced_env, part.replaced or ("", ""), strict=True):
        if not name:
            texts.append(text)
            continue
        value = _literal_environment(function, name, None)
        if value is None:
            return None
        texts.append(value)
    return (texts[0], texts[1]) if texts[0] else None


def _replaced_start(replaced: tuple[str, str], prefix: str) -> str:
    """How the incoming key starts after `.replace(old, new)`, when it started with `prefix`: the
    first occurrence of `old` lies inside `prefix` when `prefix` holds it whole (nothing earlier
    can match), so the result starts with the text before it and `new`, whether one occurrence is
    replaced (JavaScript) or all of them (Python); otherwise nothing is known."""
    old, new = replaced
    index = prefix.find(old) if old else -1
    return prefix[:index] + new if index >= 0 else ""


def _replaced_end(replaced: tuple[str, str], suffix: str) -> str:
    """How the incoming key ends after `.replace(old, new)`, when it ended with `suffix`: with
    `new` when `suffix` ends with `old` and `old` cannot overlap itself (so the scan from the left
    replaces that last occurrence whole); otherwise nothing is known."""
    old, new = replaced
    overlaps = any(old[:size] == old[-size:] for size in range(1, len(old)))
    return new if old and suffix.endswith(old) and not overlaps else ""


# What a write of each service makes, and what a handler's condition reads of it, in words.
_PRODUCED = {"dynamodb": ("the item it writes has", "", "records"),
             "kinesis": ("the records it puts carry", " in their data", "records"),
             "sqs": ("the messages it sends carry", " in their body", "messages")}


# How a record guard's `end` reads in a sentence.
_HOW = {"prefix": "starts with", "suffix": "ends with", "equals": "is", "contains": "contains"}


def record_skipped_by_guard(write: ResourceWrite, kind: str = "dynamodb") -> Verdict | None:
    """"safe" when the write runs only for stream records (or messages) whose attribute passes a
    condition that what it writes, with a constant value for that attribute, fails (or the reverse)."""
    return _record_skip(write, write, kind, said=True)


def record_excluded(guarded: ResourceWrite, produced: ResourceWrite, kind: str) -> bool:
    """Whether `guarded`, a write of the function `produced`'s records invoke, runs only for records
    (or messages) of `kind` that `produced` never makes: a step of a loop through several functions
    that the next function's own condition ends."""
    return _record_skip(guarded, produced, kind, said=False) is not None


def _record_skip(guarded: ResourceWrite, produced: ResourceWrite, kind: str, said: bool) -> Verdict | None:
    written = dict(produced.item)
    for guard in guarded.key_guards:
        if not guard.attribute or (guard.record or "dynamodb") != kind:
            continue
        if guard.attribute == EVENT_NAME and kind == "dynamodb":
            verdict = _event_name_skips(produced, guard, line_of=guarded)
            if verdict is not None:
                return verdict
            continue
        value = written.get(guard.attribute)
        if value is None:
            continue
        if guard.admits(value):
            continue
        if not said:
            return Verdict("safe")
        how = _HOW[guard.end]
        line = Location(guard.path or guarded.location.path, guard.line)
        has, where, nouns = _PRODUCED.get(kind, _PRODUCED["dynamodb"])
        whose = f"writes only for {nouns} whose" if guard.required else f"skips {nouns} whose"
        return Verdict("safe", (f"{has} {markdown.code(guard.attribute)} = {markdown.code(value)}{where}, and it "
                                f"{whose} {markdown.code(guard.attribute)} {how} {markdown.code(guard.text)} (the "
                                f"condition at {markdown.code(str(line))})"), evidence_line=line, by_code=True)
    return None


def stream_record_events(write: ResourceWrite) -> tuple[frozenset[str], str] | None:
    """The `eventName`s of the stream records a DynamoDB write can make, with why in words: a put
    inserts or replaces (`INSERT`, `MODIFY`), a delete removes (`REMOVE`), an update modifies an
    item it can only find existing (`MODIFY`) and otherwise may create it (`INSERT`). None for
    batches and transactions, which may do any of these."""
    name = write.operation.split(".")[-1]
    if name.startswith("send(") and name.endswith(")"):
        name = name[5:-1]
    name = name.removesuffix("Command").lower().replace("_", "").removesuffix("item")
    if name == "put":
        return frozenset({"INSERT", "MODIFY"}), "a put inserts or replaces an item"
    if name == "delete":
        return frozenset({"REMOVE"}), "a delete removes an item"
    if name == "update" and write.updates_existing:
        return frozenset({"MODIFY"}), "the update can only change an item that exists"
    if name == "update":
        return frozenset({"INSERT", "MODIFY"}), "an update changes an item, or inserts it when it is new"
    return None


def _event_name_skips(write: ResourceWrite, guard: KeyGuard, line_of: ResourceWrite | None = None) -> Verdict | None:
    """"safe" when the write runs only for records of an event name its own records never have
    (`if record["eventName"] == "INSERT":` around an update of an existing item); `line_of` is the
    write the condition guards, when it is another function's."""
    produced = stream_record_events(write)
    if produced is None or guard.end != "equals":
        return None
    events, why = produced
    skipped = guard.text not in events if guard.required else events == {guard.text}
    if not skipped:
        return None
    line = Location(guard.path or (line_of or write).location.path, guard.line)
    whose = "writes only for records whose" if guard.required else "skips records whose"
    return Verdict("safe", (f"{markdown.code(write.call)} makes only {' or '.join(str(markdown.code(name)) for name in sorted(events))} "
                            f"records ({why}), "
                            f"and it {whose} {markdown.code(EVENT_NAME)} is {markdown.code(guard.text)} (the "
                            f"condition at {markdown.code(str(line))})"), evidence_line=line, by_code=True)


def _merge_bound(first: str, second: str, at_start: bool) -> str | None:
    """Two facts about one key ("starts with a", "starts with b"): the stronger one, or None when
    no key can satisfy both."""
    if at_start:
        if first.startswith(second):
            return first
        return second if second.startswith(first) else None
    if first.endswith(second):
        return first
    return second if second.endswith(first) else None


def _filter_of(trigger: Trigger) -> tuple[str, str] | None:
    attributes = trigger.attributes
    if attributes.get("prefix_unresolved") or attributes.get("suffix_unresolved"):
        return None
    return str(attributes.get("prefix") or ""), str(attributes.get("suffix") or "")


def keys_can_go_around(cycle: list[Edge]) -> bool:
    """Follow S3 keys around a cycle: each function's incoming key is the previous function's
    written key, so a prefix written upstream can prove that a filter downstream never matches
    (A writes previews/..., B passes keys through, A only listens to incoming/)."""
    incoming: tuple[str, str] | None = None
    for _ in range(2):
        for index, edge in enumerate(cycle):
            previous = cycle[index - 1]
            bounds_in = _filter_of(previous.trigger) if previous.trigger is not None and \
                previous.trigger.kind == "s3" else None
            target = _filter_of(edge.trigger) if edge.trigger is not None and edge.trigger.kind == "s3" else None
            if edge.write.service != "s3" or bounds_in is None or target is None:
                incoming = None
                continue
            prefix_in, suffix_in = bounds_in
            if incoming is not None:
                merged_prefix = _merge_bound(prefix_in, incoming[0], at_start=True)
                merged_suffix = _merge_bound(suffix_in, incoming[1], at_start=False)
                if merged_prefix is None or merged_suffix is None:
                    return False
                prefix_in, suffix_in = merged_prefix, merged_suffix
            known_prefix, known_suffix, exact = _key_bounds(edge.write.key, edge.writer, prefix_in, suffix_in)
            if exact is not None:
                known_prefix = known_suffix = exact
            prefix, suffix = target
            if prefix and _merge_bound(known_prefix, prefix, at_start=True) is None:
                return False
            if suffix and _merge_bound(known_suffix, suffix, at_start=False) is None:
                return False
            incoming = (known_prefix, known_suffix)
    return True


RECORD_KINDS = frozenset({"dynamodb", "kinesis", "sqs"})


def records_can_go_around(cycle: list[Edge]) -> bool:
    """Each function on a cycle writes for the record (or message) the previous one's write made:
    when a condition the next write sits behind rules that record out (`records.filter(r =>
    r.eventType === 'order_placed')` against a record that says `restaurant_notified`), the next
    function is invoked but writes nothing, and the cycle stops there."""
    for index, edge in enumerate(cycle):
        previous = cycle[index - 1]
        if previous.trigger is not None and previous.trigger.kind in RECORD_KINDS \
                and record_excluded(edge.write, previous.write, previous.trigger.kind):
            return False
    return True


def _pattern_accepts(expected: Any, value: StaticValue | None, field_name: str, same_function: bool) -> bool | None:
    """Whether an EventBridge pattern field accepts the emitted value: True, False, or None (unknown)."""
    if expected is None:
        return True
    if value is None:
        return None
    if len(value.parts) == 1 and value.parts[0].kind == EVENT and is_event_field(value.parts[0].text, field_name):
        return True if same_function else None   # re-emits the value it received
    if not value.is_literal:
        return None
    text = value.text
    options = expected if isinstance(expected, list) else [expected]
    undecided = False
    for option in options:
        if isinstance(option, str):
            if option == text:
                return True
        elif isinstance(option, dict) and len(option) == 1:
            (operator, argument), = option.items()
            result = pattern_operator(str(operator), argument, text)
            if result is True:
                return True
            if result is None:
                undecided = True
        else:
            undecided = True
    return None if undecided else False


def pattern_operator(operator: str, argument: Any, text: str) -> bool | None:
    """One content-filter operator of an event pattern (EventBridge rules and Lambda event source
    mapping filters share the syntax) applied to a string: True, False, or None (not evaluated)."""
    if operator == "prefix" and isinstance(argument, str):
        return text.startswith(argument)
    if operator == "suffix" and isinstance(argument, str):
        return text.endswith(argument)
    if operator == "equals-ignore-case" and isinstance(argument, str):
        return text.lower() == argument.lower()
    if operator == "wildcard" and isinstance(argument, str):
        return fnmatch.fnmatchcase(text, argument)
    if operator == "exists":
        return bool(argument)
    if operator == "anything-but":
        if isinstance(argument, str):
            return text != argument
        if isinstance(argument, list) and all(isinstance(item, str) for item in argument):
            return text not in argument
        if isinstance(argument, dict) and isinstance(argument.get("prefix"), str):
            return not text.startswith(argument["prefix"])
    return None
