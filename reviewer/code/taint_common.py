"""What the Python and JavaScript taint readers share: a flow from the event, a sink hit, and the
shapes of text (SQL, HTML, a URL with its host fixed) that decide whether a built string matters.

Nothing here parses code. A `Flow` is where untrusted event data entered (the field read and its
line) and what constant text precedes it in the value that carries it: `https://api.example.com/`
before an event field fixes the host a request goes to, `grep ` before it fixes the program.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

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
_HTML_TEXT = re.compile(r"<\s*/?([a-zA-Z][a-zA-Z0-9_-]*)(?=\s|>|/>|$)")
# HTML's own elements. Tag-like text with other names (`<text>`, `<document>`, `<instructions>`) is how
# prompts to a model mark their parts, not a page: it is not HTML text. Nor is text that mixes such
# tags with a few that share a name with HTML's (`<search_result><content>…</content><source>…</source>`):
# a page is written in HTML's elements, its custom elements (with a hyphen) and, inside `<svg>`, SVG's.
_HTML_ELEMENTS = frozenset("""
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption center
cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure
font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd
label legend li link main map mark marquee menu meta meter nav noscript object ol optgroup option output p
param picture pre progress q rp rt ruby s samp script search section select slot small source span strong
style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track u ul var
video wbr""".split())
_HOST_FIXED = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\x00]+[/?#]")
_SHELL = re.compile(r"(^|/)(sh|bash|ksh|csh|tcsh|zsh|dash|ash|cmd|cmd\.exe|powershell|pwsh)$")


@dataclass(frozen=True)
class Flow:
    """Event data in a value: the field read (`event['cmd']`), where, and the constant text before it."""

    field: str
    path: str
    line: int
    prefix: str = ""

    via: str = ""         # members read off the value after `field` (`.inputS3Url`), for `trusted_url`
    # Other event data the same value holds (`f"s3://{bucket}/{key}"` carries the key beside the
    # bucket), for a reader that sets this flow aside by its field; `crowded`: more than MAX_MIXED.
    mixed: tuple[Flow, ...] = ()
    crowded: bool = False

    def after(self, prefix: str) -> Flow:
        """The same data with more text in front of it."""
        return replace(self, prefix=prefix + self.prefix)

    def member(self, name: str | None) -> Flow:
        """The same data, read one member further (`ctx` → `ctx.inputS3Url`)."""
        if not name or len(self.via) > 200:
            return self
        return replace(self, via=f"{self.via}.{name}")


MAX_MIXED = 4


def join(first: Flow | None, other: Flow | None) -> Flow | None:
    """The flow of a value made of two that hold event data: the first one's, which the sinks judge
    (its prefix, its field), with the other's data kept among its `mixed` flows."""
    if first is None or other is None or other is first:
        return first if first is not None else other
    known = {(flow.field, flow.via) for flow in (first, *first.mixed)}
    added = [flow for flow in (replace(other, mixed=(), crowded=False), *other.mixed)
             if (flow.field, flow.via) not in known]
    if not added and not other.crowded:
        return first
    mixed = first.mixed + tuple(added)
    return replace(first, mixed=mixed[:MAX_MIXED],
                   crowded=first.crowded or other.crowded or len(mixed) > MAX_MIXED)


def member_flow(flow: Flow | None, name: str | None) -> Flow | None:
    return flow.member(name) if flow is not None else None


@dataclass(frozen=True)
class SinkHit:
    """Event data reaching a dangerous call or a built string, at `line` of `path`."""

    family: str
    sink: str
    path: str
    line: int
    flow: Flow
    built: bool = False   # the sink is the building of a string (SQL or HTML text), not a call
    python: bool = True   # read from Python (else JavaScript/TypeScript): the fix shows that language
    # The first line of the innermost statement the sink is in (0: not known). HTML text built in
    # one statement (an array of tag strings, one long expression) is one value, said once.
    statement: int = 0


def looks_like_sql(template: str | None) -> bool:
    return template is not None and _SQL_TEXT.search(template.replace(UNKNOWN, "?")) is not None


def looks_like_html(template: str | None) -> bool:
    if template is None:
        return False
    text = template.replace(UNKNOWN, "?")
    names = {match.group(1).lower() for match in _HTML_TEXT.finditer(text)}
    if not names & _HTML_ELEMENTS:
        return False
    return "svg" in names or all(name in _HTML_ELEMENTS or "-" in name for name in names)


def host_fixed(prefix: str) -> bool:
    """Whether constant text (or code, not the event) before the event data fixes a URL's host."""
    if prefix.startswith((UNKNOWN, "/")):
        return True
    return _HOST_FIXED.match(prefix) is not None


# URLs and hosts AWS itself puts in an event, which the function is meant to request (trusted for
# server-side requests only, never for other sinks). Each is a sequence of member names in the path read.
TRUSTED_URL_PATHS: tuple[tuple[str, ...], ...] = (
    ("responseurl",),                 # CloudFormation custom resource: pre-signed URL for the answer
    ("waitconditionhandle",),         # CloudFormation wait condition handle: pre-signed URL for the signal
    ("inputs3url",),                  # S3 Object Lambda: `getObjectContext.inputS3Url`, pre-signed URL
    ("cf", "request", "origin"),      # Lambda@Edge: the origin CloudFront's own configuration names
    # API Gateway authorizers: the ARN of the method or route called, which API Gateway writes. Its
    # region and account (an authorizer builds its user pool's key URL from them) come first; the
    # caller's path sits at its end, after the API id, where no host can come from.
    ("methodarn",),
    ("routearn",),
    # API Gateway and function URLs: the host name the request came in on, which the service writes
    # (an API's or a function URL's own name, or a custom domain name the owner set up).
    ("requestcontext", "domainname"),
)
# Parts of an HTTP request: whoever calls the API writes these, whatever they are named.
_CALLER_PARTS = frozenset({"body", "querystringparameters", "multivaluequerystringparameters",
                           "pathparameters", "headers", "multivalueheaders", "rawquerystring", "cookies"})
_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def trusted_url(flow: Flow) -> bool:
    """A URL or host the event carries from AWS itself (TRUSTED_URL_PATHS), to which the function is
    meant to send a request: not a server-side request forgery. The same name inside an HTTP
    request's body, query or headers is the caller's, and stays untrusted."""
    names = [name.lower() for name in _NAME.findall(flow.field + flow.via)]
    if names[1:2] and names[1] in _CALLER_PARTS:
        return False
    for path in TRUSTED_URL_PATHS:
        if any(names[start:start + len(path)] == list(path) for start in range(len(names))):
            return True
    return False


# Calls that send text to a model as its prompt (Amazon Bedrock, both SDKs): tag-like text in their
# arguments marks the prompt's parts and is never a page, so it is not judged as built HTML.
MODEL_PROMPT_CALLS = frozenset({
    "converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream", "invoke_agent",
    "retrieve_and_generate", "invokeModel", "invokeModelWithResponseStream", "ConverseCommand",
    "ConverseStreamCommand", "InvokeModelCommand", "InvokeModelWithResponseStreamCommand", "InvokeAgentCommand",
    "RetrieveAndGenerateCommand",
})


def model_prompt_call(qual: str | None, method: str | None) -> bool:
    return (method or (qual or "").rpartition(".")[2]) in MODEL_PROMPT_CALLS


def is_shell(program: str | None) -> bool:
    return program is not None and _SHELL.search(program.strip()) is not None


def shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Val:
    """What an expression holds, as far as this reading cares.

    `flow`: event data in it; `template`: its text with unknown parts as UNKNOWN (None: not text
    or not known); `kind`: "db", "http", "dynamodb", "condition", "event", "dict" (a dict the code
    built, whose keys hold no event data), "dict-result" (what a JavaScript function the reader
    cannot open returns when handed only such dicts: its keys the function's, not the event's),
    "dict-items" (its `.items()`), "list", "dict-list" (a list whose every element that holds
    event data is such a dict), "instance" (a JavaScript `new` of a class the reader opens, `qual`
    the class: reviewer/code/taint_javascript_classes.py) or None;
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

# Calls that sign a URL for S3 (boto3, AWS SDK v2 and v3): it points at S3 whatever the event put
# in its key or body, so a request to it reaches no host the event chose.
PRESIGNING_CALLS = frozenset({"generate_presigned_url", "generate_presigned_post", "getSignedUrl",
                              "getSignedUrlPromise", "createPresignedPost"})


def merge(a: Val, b: Val) -> Val:
    if a == b:
        return a
    kind = a.kind if a.kind == b.kind else (a.kind or b.kind)
    if kind in ("dict", "dict-result") and a.kind != b.kind and (b if a.kind == kind else a).flow is not None:
        kind = None     # event data from a value that is no dict of the code's own keys
    if {a.kind, b.kind} == {"list", "dict-list"}:
        # a list before any push, joined with the same list after pushes of the code's own dicts
        kind = "dict-list" if (a if a.kind == "list" else b).flow is None else "list"
    qual = a.qual if a.qual == b.qual else None
    if kind == "instance" and qual is None:
        # `streaming ? responseStream : new Collector()`: an instance of one class on one branch
        # only is no instance whose methods the reader can open on the other.
        kind = None
    return Val(join(a.flow, b.flow), a.template if a.template == b.template else None,
               kind, qual, a.fields if a.fields == b.fields else None)


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
        flow: Flow | None = join(left.flow, right.flow)
    elif right.flow is not None:
        flow = right.flow.after(left.template if left.template is not None else UNKNOWN)
    else:
        flow = None
    return Val(flow, template)


def first_flow(values: Iterable[Val]) -> Flow | None:
    """The first event data among `values`, the others' kept as its `mixed` flows."""
    return joined(value.flow for value in values)


def joined(flows: Iterable[Flow | None]) -> Flow | None:
    found: Flow | None = None
    for flow in flows:
        found = join(found, flow)
    return found


def pushed(container: Val, items: list[Val]) -> Val:
    """A list after `push(...items)`: it keeps the first event data it held, and stays a list of
    the code's own dicts (`dict-list`) only while every element that brought event data was one.

    A handler that collects DynamoDB requests built from constant expressions (`requests.push(
    makeQuery(...))`) and sends them in a loop passes the event only as placeholder values, which
    its object literals were already checked for; a raw event value pushed among them is not.
    """
    flowing = [item for item in items if item.flow is not None]
    listed = container.kind in ("list", "dict-list")
    own_dicts = listed and (container.flow is None or container.kind == "dict-list") and \
        all(item.kind == "dict" for item in flowing)
    kind = "dict-list" if own_dicts else ("list" if listed else container.kind)
    return Val(join(container.flow, first_flow(flowing)), None, kind)


def listed(items: list[Val]) -> Val:
    """An array literal: a `dict-list` when every element that holds event data is a dict of the code."""
    return pushed(Val(kind="list"), items)


MAX_POSITIONS = 32


def positional(items: list[Val]) -> Val:
    """An array whose elements are known by position (`[id, "Population", "PersonId"]`, the
    arguments a rest parameter `...params` gathers): a list that keeps what each index holds, so
    `const [id, table, attribute] = params` gives `attribute` its own element, not the event data
    another element holds."""
    return replace(listed(items), fields=tuple((str(index), item) for index, item in enumerate(items[:MAX_POSITIONS])))


def at_position(container: Val, index: int) -> Val:
    """What position `index` of an array holds: its own element when known (`positional`), else
    any element's."""
    if container.kind in ("list", "dict-list") and container.fields is not None and index < MAX_POSITIONS:
        return container.field(str(index))
    return Val(container.flow)


def element(container: Val) -> Val:
    """What one element of a list holds, for a loop variable or a callback's item parameter."""
    return Val(container.flow, kind="dict" if container.kind == "dict-list" else None)
