"""Whether an event source mapping's filter criteria let a function's own writes back in.

A stream processor often declares which records invoke it (SAM/CloudFormation `FilterCriteria`,
Serverless `filterPatterns`, Terraform `filter_criteria`, CDK `FilterCriteria.filter(...)`); the
inventory of each format normalises them into the trigger's `filter_patterns` attribute: a list
with one parsed pattern per filter, or None for a filter it could not read. Lambda invokes the
function for a record that matches any one filter, and a filter matches when every field it names
matches, so a write whose records no filter can match never invokes the function again (LR203).

Only what the loop check already knows about a write is evaluated: the `eventName`s its records
have (`stream_record_events`: a put makes `INSERT` or `MODIFY`, an update of an existing item only
`MODIFY`), that they carry no `userIdentity` (only the records of items TTL expires do), and the
string attributes of the written key or item whose values are constant (`Keys`, `NewImage`). A
field outside these, or a filter that could not be read, leaves the question open: the loop
finding then says the filter was not evaluated. A Kinesis stream's filter on its records' `data`
and an SQS queue's on its messages' `body` are evaluated the same way against the top-level fields
of the JSON the write puts whose values are constant (`write.item`: `Data: JSON.stringify({...,
eventType: 'order_placed'})`), with `eventSource`; any other field (`partitionKey`, `attributes`)
leaves the question open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from reviewer import markdown
from reviewer.analyzers.recursion_verdicts import Verdict, pattern_operator, stream_record_events
from reviewer.code.values import ResourceWrite
from reviewer.model import Location, Trigger

# The matchers of a field that only a present value can satisfy (an absent field fails them).
_NEEDS_VALUE = frozenset({"prefix", "suffix", "equals-ignore-case", "wildcard", "numeric"})
MAX_PATTERNS = 10


@dataclass(frozen=True)
class _Match:
    """One filter against one write: `matches` True, False or None (unknown), and why, in words."""

    matches: bool | None
    why: str = ""
    partial: bool = False   # matches some of the event names the write makes, not all
    accepted: tuple[str, ...] = ()   # those event names, when partial


def declared_patterns(trigger: Trigger) -> list[Any]:
    """The filter patterns the trigger declares (None for one that could not be read); [] when none."""
    patterns = trigger.attributes.get("filter_patterns")
    if patterns is True:
        return [None]
    return list(patterns) if isinstance(patterns, list) else []


def filter_verdict(write: ResourceWrite, trigger: Trigger) -> Verdict | None:
    """"safe" when no declared filter can match a record the write makes; "loop" (with the filter
    known to keep them, so no caveat) when one surely can; None when there is no filter or the
    check cannot tell (the loop finding then says so)."""
    patterns = declared_patterns(trigger)
    if not patterns or trigger.kind not in _SOURCES or len(patterns) > MAX_PATTERNS:
        return None
    if trigger.kind != "dynamodb":
        return _payload_verdict(write, trigger, patterns)
    produced = stream_record_events(write)
    if produced is None:
        return None
    events, how = produced
    results = [_pattern(pattern, events, dict(write.item)) for pattern in patterns]
    line = _criteria_line(trigger)
    made = " or ".join(str(markdown.code(name)) for name in sorted(events))
    call = markdown.code(write.call)
    if all(result.matches is False for result in results):
        reasons = "; ".join(dict.fromkeys(result.why for result in results))
        matches = "none of its filters matches them" if len(results) > 1 else "its filter does not match them"
        return Verdict("safe", (f"{call} makes only {made} records ({how}), and {matches} ({reasons})"),
                       evidence_line=line, by_filter=True)
    full = next((result for result in results if result.matches is True and not result.partial), None)
    if full is not None:
        return Verdict("loop", note=(f"The trigger's filter criteria ({markdown.code(str(line))}) do not keep "
                                     f"them out: {call} makes {made} records ({how}), and {full.why}."),
                       filter_checked=True)
    if any(result.matches is None for result in results):
        return None
    # Some filter keeps one kind of record the write makes but not the other (`INSERT` of an
    # update that may create the item): whether the chain goes on depends on the items written.
    accepted = sorted({name for result in results if result.partial for name in result.accepted})
    kept = " or ".join(str(markdown.code(name)) for name in accepted)
    return Verdict("loop", note=(f"Of the {made} records {call} makes ({how}), the trigger's filter criteria "
                                 f"({markdown.code(str(line))}) keep {kept} ones, so whether its writes invoke it "
                                 "again depends on which items it writes."), filter_partial=True)


# What a Kinesis record's or an SQS message's filter names its payload and its source by.
_SOURCES = {"dynamodb": ("", "aws:dynamodb"), "kinesis": ("data", "aws:kinesis"), "sqs": ("body", "aws:sqs")}
_PUTS = {"kinesis": "puts records whose data has", "sqs": "sends messages whose body has"}


def _payload_verdict(write: ResourceWrite, trigger: Trigger, patterns: list[Any]) -> Verdict | None:
    """A Kinesis stream's or SQS queue's filters against the constant top-level fields of the JSON
    the write puts (`write.item`): "safe" when no filter matches them, "loop" when one surely
    does, None when a filter reads a field whose value the write does not fix."""
    fields = dict(write.item)
    results = [_payload_pattern(pattern, trigger.kind, fields) for pattern in patterns]
    full = next((result for result in results if result.matches is True), None)
    if full is None and not all(result.matches is False for result in results):
        return None
    shown = " and ".join(f"{markdown.code(name)} = {markdown.code(value)}" for name, value in list(fields.items())[:3])
    made = f"{markdown.code(write.call)} {_PUTS[trigger.kind]} {shown}" if fields else markdown.code(write.call)
    line = _criteria_line(trigger)
    if all(result.matches is False for result in results):
        reasons = "; ".join(dict.fromkeys(result.why for result in results))
        matches = "none of its filters matches them" if len(results) > 1 else "its filter does not match them"
        return Verdict("safe", f"{made}, and {matches} ({reasons})", evidence_line=line, by_filter=True)
    assert full is not None
    return Verdict("loop", note=(f"The trigger's filter criteria ({markdown.code(str(line))}) do not keep "
                                 f"them out: {made}, and {full.why}."), filter_checked=True)


def _payload_pattern(pattern: Any, kind: str, fields: dict[str, str]) -> _Match:
    """One filter on a Kinesis record or SQS message: False as soon as one field rules the write's out."""
    if not isinstance(pattern, dict) or not pattern or not _readable(pattern, 0):
        return _Match(None)
    payload, source = _SOURCES[kind]
    return _all_of((_payload_fields(expected, payload, fields) if field == payload
                    else _field(expected, "eventSource", source) if field == "eventSource" else _Match(None)
                    for field, expected in pattern.items()), "; ")


def _payload_fields(expected: Any, payload: str, fields: dict[str, str]) -> _Match:
    """`data: {eventType: [...]}` (`body: {...}`) against the written payload's top-level fields."""
    if not isinstance(expected, dict) or not expected:
        return _Match(None)
    return _all_of((_Match(None) if (value := fields.get(str(name))) is None or isinstance(options, dict)
                    else _field(options, f"{payload}.{name}", value)
                    for name, options in expected.items()), " and ")


def _all_of(results: Iterable[_Match], joiner: str) -> _Match:
    """Every field of one filter must match: False at the first that rules the write out (the
    rest are not judged), else None when one is undecided, else True with every reason."""
    kept: list[str] = []
    undecided = False
    for result in results:
        if result.matches is False:
            return result
        if result.matches is None:
            undecided = True
        else:
            kept.append(result.why)
    return _Match(None) if undecided else _Match(True, joiner.join(kept))


def _criteria_line(trigger: Trigger) -> Location:
    line = trigger.attributes.get("filter_line")
    return Location(trigger.location.path, line) if isinstance(line, int) else trigger.location


def _pattern(pattern: Any, events: frozenset[str], item: dict[str, str]) -> _Match:
    """One filter: False as soon as one field rules every record of the write out."""
    if not isinstance(pattern, dict) or not pattern or not _readable(pattern, 0):
        return _Match(None)
    undecided = partial = False
    accepted: tuple[str, ...] = ()
    kept: list[str] = []
    for field, expected in pattern.items():
        if field == "eventName":
            result = _event_names(expected, events)
        elif field == "eventSource":
            result = _field(expected, "eventSource", "aws:dynamodb")
        elif field == "userIdentity":
            result = _user_identity(expected)
        elif field == "dynamodb":
            result = _images(expected, item)
        else:
            result = _Match(None)
        if result.matches is False:
            return result
        if result.matches is None:
            undecided = True
        else:
            kept.append(result.why)
            if result.partial:
                partial, accepted = True, result.accepted
    if undecided:
        return _Match(None)
    return _Match(True, "; ".join(kept) or "the filter matches every record", partial=partial, accepted=accepted)


def _readable(value: Any, depth: int) -> bool:
    """Plain JSON values all the way down, without a `${...}` the format left unresolved (a
    Serverless variable, a Terraform reference): such text is not the value Lambda compares."""
    if depth > 8:
        return False
    if isinstance(value, dict):
        return all(isinstance(key, str) and _readable(item, depth + 1) for key, item in value.items())
    if isinstance(value, list):
        return all(_readable(item, depth + 1) for item in value)
    if isinstance(value, str):
        return "${" not in value
    return value is None or isinstance(value, (bool, int, float))


def _event_names(expected: Any, events: frozenset[str]) -> _Match:
    accepted = []
    for name in sorted(events):
        result = _accepts(expected, name)
        if result is None:
            return _Match(None)
        if result:
            accepted.append(name)
    shown = _shown(expected)
    if not accepted:
        return _Match(False, f"it keeps only records whose {markdown.code('eventName')} is {shown}")
    return _Match(True, f"it keeps records whose {markdown.code('eventName')} is {shown}",
                  partial=len(accepted) < len(events), accepted=tuple(accepted))


def _user_identity(expected: Any) -> _Match:
    """A write by the function makes records without `userIdentity` (only TTL deletions have one),
    so a filter requiring one of its fields to hold a value never matches them."""
    if not isinstance(expected, dict) or not expected:
        return _Match(None)
    for name, options in expected.items():
        if _needs_value(options):
            return _Match(False, (f"it keeps only records with {markdown.code('userIdentity.' + str(name))}, "
                                  "which only the deletions of items whose TTL expired carry"))
    return _Match(None)


def _images(expected: Any, item: dict[str, str]) -> _Match:
    """`dynamodb.Keys` / `dynamodb.NewImage` string attributes against the constant values written."""
    if not isinstance(expected, dict) or not expected or not set(expected) <= {"Keys", "NewImage"}:
        return _Match(None)
    kept: list[str] = []
    undecided = False
    for image, attributes in expected.items():
        if not isinstance(attributes, dict) or not attributes:
            return _Match(None)
        for name, typed in attributes.items():
            value = item.get(str(name))
            options = typed.get("S") if isinstance(typed, dict) and set(typed) == {"S"} else None
            if value is None or options is None:
                undecided = True
                continue
            result = _field(options, f"{image}.{name}", value)
            if result.matches is False:
                return _Match(False, (f"it keeps only records whose {markdown.code(f'{image}.{name}')} is "
                                      f"{_shown(options)}, and the item it writes has {markdown.code(str(name))} = "
                                      f"{markdown.code(value)}"))
            if result.matches is None:
                undecided = True
            else:
                kept.append(result.why)
    return _Match(None) if undecided else _Match(True, " and ".join(kept))


def _field(expected: Any, label: str, value: str) -> _Match:
    """A field the records of the write have with `value`."""
    result = _accepts(expected, value)
    if result is None:
        return _Match(None)
    if result:
        return _Match(True, f"it keeps records whose {markdown.code(label)} is {markdown.code(value)}")
    return _Match(False, f"it keeps only records whose {markdown.code(label)} is {_shown(expected)}")


def _accepts(expected: Any, value: str) -> bool | None:
    """Whether a field's list of matchers accepts the value: True, False, or None (unknown)."""
    options = expected if isinstance(expected, list) else [expected]
    undecided = False
    for option in options[:20]:
        if isinstance(option, str):
            if option == value:
                return True
        elif isinstance(option, dict) and len(option) == 1:
            (operator, argument), = option.items()
            result = pattern_operator(str(operator), argument, value)
            if result:
                return True
            undecided = undecided or result is None
        elif option is not None and not isinstance(option, (int, float, bool)):
            undecided = True
    return None if undecided else False


def _needs_value(expected: Any) -> bool:
    """Every matcher in the list needs the field to be there (a string, `prefix`, `exists: true`)."""
    options = expected if isinstance(expected, list) else [expected]
    for option in options:
        if isinstance(option, (str, int, float)) and not isinstance(option, bool):
            continue
        if isinstance(option, dict) and len(option) == 1:
            (operator, argument), = option.items()
            if operator in _NEEDS_VALUE or (operator == "exists" and argument is True):
                continue
        return False
    return bool(options)


def _shown(expected: Any) -> str:
    """A field's matchers in words: "`INSERT` or `MODIFY`", "anything but `MODIFY`"."""
    options = expected if isinstance(expected, list) else [expected]
    return " or ".join(_option(option) for option in options[:6])


_OPERATOR_WORDS = {"prefix": "a value starting with", "suffix": "a value ending with",
                   "equals-ignore-case": "any case of", "wildcard": "a value matching"}


def _option(option: Any) -> str:
    if isinstance(option, str):
        return str(markdown.code(option))
    if isinstance(option, dict) and len(option) == 1:
        (operator, argument), = option.items()
        if operator == "anything-but":
            listed = argument if isinstance(argument, list) else [argument]
            if all(isinstance(item, str) for item in listed):
                return "anything but " + " or ".join(str(markdown.code(item)) for item in listed[:6])
        if operator in _OPERATOR_WORDS and isinstance(argument, str):
            return f"{_OPERATOR_WORDS[operator]} {markdown.code(argument)}"
    return str(markdown.code(_compact(option)))


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"))[:80]
    except (TypeError, ValueError):
        return str(value)[:80]
