"""What Python's text and path functions do to a value only partly known.

`os.path.basename` of an event's object key keeps how the key ends; `"{}-out".format(name)` keeps
a literal suffix; `"%s/%s" % (prefix, key)` keeps both. These are pure functions over
`StaticValue`s, kept apart from the evaluator's walk over the syntax so each can be read (and
bounded) on its own: every result is built with `StaticValue`'s `+`, which caps its size.
"""

from __future__ import annotations

import re

from reviewer.code.evaluated_values import Sequence, Value, is_event
from reviewer.code.values import ENV, EVENT, Part, StaticValue

FUNCTION_NAME_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME"


def environment_value(name: str, default: str | None) -> StaticValue:
    if name == FUNCTION_NAME_VARIABLE:
        return StaticValue.function_name()
    return StaticValue.env(name, default)


def join_path(path: str, step: str) -> str:
    joined = f"{path}{step}"
    return joined[1:] if joined.startswith(".") else joined


def element(value: Value) -> Value:
    if is_event(value):
        assert isinstance(value, StaticValue)
        return StaticValue.event(join_path(value.parts[0].text, "[]"))
    if isinstance(value, Sequence) and value.items:
        return value.items[0]
    return StaticValue.unknown("an element of a sequence read at run time")


def join_text(parts: list[StaticValue], separator: str) -> StaticValue:
    result = StaticValue(())
    for position, part in enumerate(parts):
        if position:
            result = result + StaticValue.literal(separator)
        result = result + part
    return result


def replace_text(receiver: StaticValue, olds: list[StaticValue], news: list[StaticValue]) -> StaticValue | None:
    """`text.replace(old, new)` with constant old and new: literal text is replaced; the event's
    object key alone keeps the replacement, for the analyzer to work out how the result ends.
    On the event's key, old and new may also be environment variables (see `replaced_event_key`)."""
    if len(olds) != 1 or len(news) != 1:
        return None
    if olds[0].is_literal and news[0].is_literal and olds[0].text and receiver.is_literal:
        return StaticValue.literal(receiver.text.replace(olds[0].text, news[0].text))
    return replaced_event_key(receiver, olds[0], news[0])


def replaced_event_key(receiver: StaticValue, old: StaticValue, new: StaticValue) -> StaticValue | None:
    """The incoming event field with `old` replaced by `new`, each a literal or one environment
    variable (`UPLOAD_FOLDER` -> `PARSED_FOLDER`, the shape of many import pipelines), or None
    for any other receiver or argument. An environment variable is kept by name: only the
    function's declared environment says its text, and a key read as the incoming key unchanged
    would claim the write lands where the trigger listens."""
    if len(receiver.parts) != 1 or receiver.parts[0].kind != EVENT or receiver.parts[0].keeps != "both":
        return None
    texts: list[str] = []
    names: list[str] = []
    for value in (old, new):
        if value.is_literal:
            texts.append(value.text)
            names.append("")
        elif len(value.parts) == 1 and value.parts[0].kind == ENV and value.parts[0].default is None:
            texts.append("")
            names.append(value.parts[0].text)
        else:
            return None
    if not texts[0] and not names[0]:
        return None
    return StaticValue((Part(EVENT, receiver.parts[0].text, keeps="replaced", replaced=(texts[0], texts[1]),
                             replaced_env=(names[0], names[1])),))


def keep_end(value: StaticValue, end: str) -> StaticValue:
    """`basename(v)` keeps v's end ("suffix"); `splitext(v)[0]` keeps its start ("prefix")."""
    if value.is_literal:
        text = value.text
        if end == "suffix":
            return StaticValue.literal(text.rsplit("/", 1)[-1])
        return StaticValue.literal(text.rsplit(".", 1)[0] if "." in text.rsplit("/", 1)[-1] else text)
    lost = StaticValue.unknown("a part removed by a path function")
    if end == "suffix":
        tail = [Part(part.kind, part.text, part.default, "suffix") if part.kind == EVENT else part
                for part in value.parts[-1:]]
        literal = value.literal_suffix
        if literal and "/" in literal:
            return StaticValue.literal(literal.rsplit("/", 1)[-1])
        return lost + StaticValue(tuple(tail)) if not literal else lost + StaticValue.literal(literal)
    head = [Part(part.kind, part.text, part.default, "prefix") if part.kind == EVENT else part
            for part in value.parts[:1]]
    literal = value.literal_prefix
    return (StaticValue.literal(literal) if literal else StaticValue(tuple(head))) + lost


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirf]|%%")
_BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def percent_format(template: StaticValue, arguments: list[StaticValue]) -> StaticValue:
    if not template.is_literal:
        return StaticValue.unknown("text formatted with %")
    result = StaticValue(())
    position = 0
    used = 0
    for match in _PERCENT.finditer(template.text):
        result = result + StaticValue.literal(template.text[position:match.start()])
        if match.group(0) == "%%":
            result = result + StaticValue.literal("%")
        else:
            result = result + (arguments[used] if used < len(arguments) else StaticValue.unknown("a % argument"))
            used += 1
        position = match.end()
    return result + StaticValue.literal(template.text[position:])


def brace_format(template: str, positional: list[StaticValue], named: dict[str, StaticValue]) -> StaticValue:
    result = StaticValue(())
    position = 0
    automatic = 0
    for match in _BRACES.finditer(template):
        result = result + StaticValue.literal(template[position:match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            result = result + StaticValue.literal(token[0])
        else:
            field_name = (match.group(1) or "").split("!")[0].split(":")[0]
            if field_name == "":
                value = positional[automatic] if automatic < len(positional) else None
                automatic += 1
            elif field_name.isascii() and field_name.isdecimal():   # `²` is a digit `int` refuses
                value = positional[int(field_name)] if int(field_name) < len(positional) else None
            else:
                value = named.get(field_name)
            result = result + (value or StaticValue.unknown("a format argument"))
        position = match.end()
    return result + StaticValue.literal(template[position:])
