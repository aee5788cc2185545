"""What the Python and JavaScript taint readers share: a flow from the event, a sink hit, and the
shapes of text (SQL, HTML, a URL with its host fixed) that decide whether a built string matters.

Nothing here parses code. A `Flow` is where untrusted event data entered (the field read and its
line) and what constant text precedes it in the value that carries it: `https://api.example.com/`
before an event field fixes the host a request goes to, `grep ` before it fixes the program.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Families of dangerous sinks, with the CWE each one is.
FAMILY_CWE = {
    "command": 78, "code": 94, "sql": 89, "nosql": 943, "deserialization": 502, "html": 79, "ssrf": 918,
}
FAMILY_WORDS = {
    "command": "command execution", "code": "code execution", "sql": "an SQL statement",
    "nosql": "a DynamoDB request", "deserialization": "deserialisation", "html": "an HTML response",
    "ssrf": "a server-side request",
}
# Stands for a part of a built string whose value is not known statically (but is not event data).
UNKNOWN = "\x00"

_SQL_TEXT = re.compile(
    r"^[\s(]*(select\b[\s\S]*\bfrom\b|insert\s+(ignore\s+)?into\b|update\b[\s\S]*\bset\b|delete\s+from\b"
    r"|replace\s+into\b|create\s+(or\s+replace\s+)?(temporary\s+|temp\s+)?(table|view|index|database|schema)\b"
    r"|alter\s+table\b|drop\s+(table|view|index|database|schema)\b|merge\s+into\b|truncate\s+table\b"
    r"|with\b[\s\S]*\bselect\b)",
    re.IGNORECASE,
)
_HTML_TEXT = re.compile(r"<\s*/?[a-zA-Z][a-zA-Z0-9-]*(\s|>|/>|$)")
_HOST_FIXED = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\x00]+[/?#]")
_SHELL = re.compile(r"(^|/)(sh|bash|ksh|csh|tcsh|zsh|dash|ash|cmd|cmd\.exe|powershell|pwsh)$")


@dataclass(frozen=True)
class Flow:
    """Event data in a value: the field read (`event['cmd']`), where, and the constant text before it."""

    field: str
    path: str
    line: int
    prefix: str = ""

    def after(self, prefix: str) -> Flow:
        """The same data with more text in front of it."""
        return Flow(self.field, self.path, self.line, prefix + self.prefix)


@dataclass(frozen=True)
class SinkHit:
    """Event data reaching a dangerous call or a built string, at `line` of `path`."""

    family: str
    sink: str
    path: str
    line: int
    flow: Flow
    built: bool = False   # the sink is the building of a string (SQL or HTML text), not a call


def looks_like_sql(template: str | None) -> bool:
    return template is not None and _SQL_TEXT.search(template.replace(UNKNOWN, "?")) is not None


def looks_like_html(template: str | None) -> bool:
    return template is not None and _HTML_TEXT.search(template.replace(UNKNOWN, "?")) is not None


def host_fixed(prefix: str) -> bool:
    """Whether constant text (or code, not the event) before the event data fixes a URL's host."""
    if prefix.startswith((UNKNOWN, "/")):
        return True
    return _HOST_FIXED.match(prefix) is not None


def trusted_url(flow: Flow) -> bool:
    """A URL the event carries from AWS itself: the pre-signed `ResponseURL` CloudFormation gives a
    custom resource, to which the function must send its answer."""
    return "ResponseURL" in flow.field


def is_shell(program: str | None) -> bool:
    return program is not None and _SHELL.search(program.strip()) is not None


def shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Val:
    """What an expression holds, as far as this reading cares.

    `flow`: event data in it; `template`: its text with unknown parts as UNKNOWN (None: not text
    or not known); `kind`: "db", "http", "dynamodb", "condition", "event", "dict", "list" or None;
    `qual`: the dotted name of an imported module or function it is; `fields`: what each
    constant key of a dict display holds, so `{"cmd": "ls", "arg": event["x"]}["cmd"]` is clean.
    """

    flow: Flow | None = None
    template: str | None = None
    kind: str | None = None
    qual: str | None = None
    fields: tuple[tuple[str, Val], ...] | None = None

    def field(self, name: str) -> Val:
        """What key `name` of this value holds: its own entry when known, else the whole value's flow."""
        for key, value in self.fields or ():
            if key == name:
                return value
        return Val(self.flow)


CLEAN = Val()


def merge(a: Val, b: Val) -> Val:
    if a == b:
        return a
    return Val(a.flow or b.flow, a.template if a.template == b.template else None,
               a.kind if a.kind == b.kind else (a.kind or b.kind), a.qual if a.qual == b.qual else None,
               a.fields if a.fields == b.fields else None)


def merge_envs(a: dict[str, Val], b: dict[str, Val]) -> dict[str, Val]:
    merged = dict(a)
    for name, value in b.items():
        merged[name] = merge(merged[name], value) if name in merged else value
    return merged


def concat(left: Val, right: Val) -> Val:
    template = None
    if left.template is not None or right.template is not None:
        left_text = left.template if left.template is not None else UNKNOWN
        right_text = right.template if right.template is not None else UNKNOWN
        template = left_text + right_text
    if left.flow is not None:
        flow: Flow | None = left.flow
    elif right.flow is not None:
        flow = right.flow.after(left.template if left.template is not None else UNKNOWN)
    else:
        flow = None
    return Val(flow, template)


def first_flow(values: Iterable[Val]) -> Flow | None:
    return next((value.flow for value in values if value.flow is not None), None)
