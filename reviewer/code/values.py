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


@dataclass(frozen=True)
class Part:
    """One piece of a string value.

    literal: `text` is the text. env: `text` is the variable name, `default` its fallback.
    function-name: the running function's own name or ARN (`context.function_name`,
    `AWS_LAMBDA_FUNCTION_NAME`). event: `text` is the path read from the handler's event, such as
    `Records[].s3.object.key`; `keeps` says which end of it survived a transformation ("both",
    "prefix" after `splitext(...)[0]`, "suffix" after `basename`). unknown: `text` says what
    could not be followed.
    """

    kind: str
    text: str
    default: str | None = None
    keeps: str = "both"


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
        parts = list(self.parts)
        for part in other.parts:
            if parts and part.kind == LITERAL and parts[-1].kind == LITERAL:
                parts[-1] = Part(LITERAL, parts[-1].text + part.text)
            else:
                parts.append(part)
        return StaticValue(tuple(parts))

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


def _describe_part(part: Part) -> str:
    if part.kind == LITERAL:
        return repr(part.text)
    if part.kind == ENV:
        return f"environment variable {part.text}"
    if part.kind == FUNCTION_NAME:
        return "the function's own name"
    if part.kind == EVENT:
        return f"event field {part.text}"
    return part.text


@dataclass(frozen=True)
class ResourceWrite:
    """One call in handler code that writes to (or invokes) an AWS resource.

    `operation` is the boto3 method as called (`put_object`, `Object.put`, `invoke`);
    `target` names the resource (bucket, queue URL, topic ARN, table, stream, function, bus) as
    far as static reading resolves it, and `target_parameter` says which argument that was.
    S3 writes carry the object `key`; EventBridge writes carry `event_source` and `detail_type`.
    `depth_guard` is true for a Lambda invoke placed behind a visible depth check whose counter
    travels in the payload.
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

    @property
    def call(self) -> str:
        """`s3.put_object`, `lambda.invoke`: the service and operation as a reader says them."""
        return f"{self.service}.{self.operation}"
