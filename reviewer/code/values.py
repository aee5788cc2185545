"""What static reading can know about a value in handler code, and the writes it finds.

A string in handler code is rarely a plain literal: bucket names come from environment
variables, keys are f-strings around the incoming key, queue URLs come from the event. A
`StaticValue` keeps what is known as a sequence of parts (literal text, an environment variable,
"this function's name", a field of the triggering event, or something unknown with the reason),
so that the recursion analyzer can follow a name into infrastructure code and reason about an S3
key's literal prefix and suffix without ever running the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.model import Location

LITERAL = "literal"
ENV = "env"
FUNCTION_NAME = "function-name"
EVENT = "event"
UNKNOWN = "unknown"
# Every value static reading builds is bounded: far above any bucket name, key or URL, far below
# what an adversarial handler could make a concatenation cost.
MAX_VALUE_CHARS = 8 * 1024
MAX_VALUE_PARTS = 256
TOO_LONG_REASON = f"unknown: too long (more than {MAX_VALUE_CHARS:,} characters or {MAX_VALUE_PARTS} parts)"


@dataclass(frozen=True)
class Part:
    """One piece of a string value.

    literal: `text` is the text. env: `text` is the variable name, `default` its fallback.
    function-name: the running function's own name or ARN (`context.function_name`,
    `AWS_LAMBDA_FUNCTION_NAME`). event: `text` is the path read from the handler's event, such as
    `Records[].s3.object.key`; `keeps` says which end of it survived a transformation ("both",
    "prefix" after `splitext(...)[0]`, "suffix" after `basename`). unknown: `text` says what
    could not be followed. `replaced` is (old, new) after `.replace(old, new)` on an event
    field (`keeps` is then "replaced"): what the field ended with decides what the result ends with.
    `replaced_env` names the environment variables that give `old` and `new` when the code reads
    them there (`key.replace(os.environ["IN"], os.environ["OUT"])`; "" where `replaced` holds the
    literal): the analyzer reads them from the function's environment, as it does a bucket name.
    `case` is the text method without arguments called on an environment variable's value
    (`os.environ["BUCKET"].strip()`, `.lower()`), which the analyzer applies to what it reads there.
    """

    kind: str
    text: str
    default: str | None = None
    keeps: str = "both"
    replaced: tuple[str, str] | None = None
    replaced_env: tuple[str, str] = ("", "")
    case: str = ""


@dataclass(frozen=True)
class StaticValue:
    """A string value as a sequence of parts; an empty sequence is the empty string."""

    parts: tuple[Part, ...]

    @classmethod
    def literal(cls, text: str) -> "StaticValue":
        return cls((Part(LITERAL, text),) if text else ())

    @classmethod
    def env(cls, name: str, default: str | None = None) -> "StaticValue":
        return cls((Part(ENV, name, default),))

    @classmethod
    def function_name(cls) -> "StaticValue":
        return cls((Part(FUNCTION_NAME, "this function"),))

    @classmethod
    def event(cls, path: str) -> "StaticValue":
        return cls((Part(EVENT, path),))

    @classmethod
    def unknown(cls, reason: str) -> "StaticValue":
        return cls((Part(UNKNOWN, reason),))

    def __add__(self, other: "StaticValue") -> "StaticValue":
        """The concatenation, or "unknown: too long" past MAX_VALUE_CHARS characters or
        MAX_VALUE_PARTS parts, which is never built: `"{0}{0}".format(...)` chained a few dozen
        times in a 2 KB handler would otherwise ask for about 100 GB."""
        if self.too_long or other.too_long:
            return TOO_LONG
        if (len(self.parts) + len(other.parts) > MAX_VALUE_PARTS
                or self.size + other.size > MAX_VALUE_CHARS):
            return TOO_LONG
        parts = list(self.parts)
        for part in other.parts:
            if parts and part.kind == LITERAL and parts[-1].kind == LITERAL:
                parts[-1] = Part(LITERAL, parts[-1].text + part.text)
            else:
                parts.append(part)
        return StaticValue(tuple(parts))

    @property
    def size(self) -> int:
        """Characters this value holds (its parts' text)."""
        return sum(len(part.text) for part in self.parts)

    @property
    def too_long(self) -> bool:
        return len(self.parts) == 1 and self.parts[0].kind == UNKNOWN and self.parts[0].text == TOO_LONG_REASON

    @property
    def is_literal(self) -> bool:
        return all(part.kind == LITERAL for part in self.parts)

    @property
    def text(self) -> str:
        """The literal text (meaningful when `is_literal`)."""
        return "".join(part.text for part in self.parts if part.kind == LITERAL)

    @property
    def dynamic(self) -> tuple[Part, ...]:
        """The parts that are not literal text."""
        return tuple(part for part in self.parts if part.kind != LITERAL)

    @property
    def literal_prefix(self) -> str:
        prefix = []
        for part in self.parts:
            if part.kind != LITERAL:
                break
            prefix.append(part.text)
        return "".join(prefix)

    @property
    def literal_suffix(self) -> str:
        suffix = []
        for part in reversed(self.parts):
            if part.kind != LITERAL:
                break
            suffix.append(part.text)
        return "".join(reversed(suffix))

    def describe(self) -> str:
        """How the value is built, for messages: `'thumbnails/' + event Records[].s3.object.key`."""
        if not self.parts:
            return "''"
        return " + ".join(_describe_part(part) for part in self.parts)


TOO_LONG = StaticValue((Part(UNKNOWN, TOO_LONG_REASON),))


def _describe_part(part: Part) -> str:
    if part.kind == LITERAL:
        return repr(part.text)
    if part.kind == ENV and part.case:
        return f"environment variable {part.text}, `.{part.case}()`"
    if part.kind == ENV:
        return f"environment variable {part.text}"
    if part.kind == FUNCTION_NAME:
        return "the function's own name"
    if part.kind == EVENT and part.replaced is not None:
        old, new = (f"environment variable {name}" if name else repr(text)
                    for name, text in zip(part.replaced_env, part.replaced, strict=True))
        return f"event field {part.text} with {old} replaced by {new}"
    if part.kind == EVENT:
        return f"event field {part.text}"
    return part.text


@dataclass(frozen=True)
class KeyGuard:
    """A condition on the incoming object key that the write sits behind: the write runs only
    when the key starts (`end` "prefix"), ends ("suffix") with or contains ("contains") `text` (`required`), or only when
    it does not (an `if key.startswith("thumbs/"): continue` before it). `line` is the condition's
    line. A write whose own key fails the condition cannot run again in the invocation it causes."""

    end: str
    text: str
    required: bool
    line: int
    attribute: str = ""   # "": the S3 object key; else the stream record's attribute or field (`end` may be "equals")
    path: str = ""        # the file the condition is written in, when it is not the write's (a caller's)
    # Whose attribute: "dynamodb" (a DynamoDB record's `eventName`, or an attribute of its keys or
    # images), "kinesis" (a field of a Kinesis record's decoded data), "sqs" (of a message's JSON body).
    record: str = ""

    def admits(self, value: str) -> bool:
        """Whether a key or attribute of `value` gets past the condition."""
        if self.end == "prefix":
            passes = value.startswith(self.text)
        elif self.end == "suffix":
            passes = value.endswith(self.text)
        elif self.end == "contains":
            passes = self.text in value
        else:
            passes = value == self.text
        return passes == self.required


@dataclass(frozen=True)
class ResourceWrite:
    """One call in handler code that writes to (or invokes) an AWS resource.

    `operation` is the boto3 method as called (`put_object`, `Object.put`, `invoke`);
    `target` names the resource (bucket, queue URL, topic ARN, table, stream, function, bus) as
    far as static reading resolves it, and `target_parameter` says which argument that was.
    S3 writes carry the object `key`; EventBridge writes carry `event_source` and `detail_type`.
    `depth_guard` is true for a Lambda invoke placed behind a visible depth check whose counter
    travels in the payload. `guard_line` is the line of a condition that can stop the write (a
    counter compared with a limit, a marker or state checked first), when the reader sees one, in
    `guard_path` when that is another file (around the one call of the helper that writes);
    `key_guards` are such conditions on the incoming S3 object key (or a DynamoDB stream record's
    attribute), when the reader can state them.
    """

    service: str
    operation: str
    target: StaticValue
    target_parameter: str
    location: Location
    key: StaticValue | None = None
    event_source: StaticValue | None = None
    detail_type: StaticValue | None = None
    depth_guard: bool = False
    code_function: str = ""
    guard_line: int | None = None
    guard_path: str = ""
    key_guards: tuple[KeyGuard, ...] = ()
    item: tuple[tuple[str, str], ...] = ()   # DynamoDB: attributes of the written item's key/item with constant values
    updates_existing: bool = False   # DynamoDB: an `update_item` that can only change an item that exists (MODIFY)

    @property
    def call(self) -> str:
        """`s3.put_object`, `lambda.invoke`: the service and operation as a reader says them."""
        return f"{self.service}.{self.operation}"
