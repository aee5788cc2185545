"""LR306 on the request's `Host` header: whether the caller chose it depends on what invokes the function.

A handler behind an API often calls a sibling route of the same API through the host it was
called on (`https://{event['headers']['Host']}/{stage}/users`). Whether that is a server-side
request forgery depends on the trigger, not on the code:

- API Gateway (REST, HTTP and WebSocket APIs) and function URLs serve an API or a function under
  its own host names (`{api-id}.execute-api.{region}.amazonaws.com`, a custom domain name the
  owner set up, `{url-id}.lambda-url.{region}.on.aws`) and choose what a request is for by that
  name: a request whose `Host` is another name never reaches the function, so the header is one
  of the owner's names, never the caller's choice.
- An Application Load Balancer's listener forwards a request by its rules, and its default rule
  has no condition: whatever `Host` the caller writes, the function gets it.

So a `Host` header is judged by the HTTP invokers the declarations give the functions that ship the
code: only API Gateway and function URLs, the flow is dropped; an Application Load Balancer among
them, it stays an error; nothing known (a handler no template declares, a trigger declared where
the review cannot link it), it stays, as a warning that says on which trigger it depends.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from reviewer.analyzers.untrusted_pages import ALB, http_invokers
from reviewer.code.taint_common import Flow
from reviewer.model import Function

# One step of a read path: `['Host']`, `.get('host')`, `.headers`, `[0]`; the first name is the event.
_STEP = re.compile(r"""\[\s*(['"])([^'"]{0,100})\1\s*\]|\.get\(\s*(['"])([^'"]{0,100})\3|\.([A-Za-z_$][\w$]*)|\[\s*\d+\s*\]""")
_HEADER_MAPS = frozenset({"headers", "multivalueheaders"})
MAX_PATH = 400   # characters of a read path looked at: a longer one is not an event's header


class HostOrigin(enum.Enum):
    """Who chose the `Host` header a flow carries, by what invokes the functions that ship it."""

    OWN = "own"            # API Gateway or a function URL only: one of the API's own names
    CALLER = "caller"      # an Application Load Balancer invokes one of them
    UNKNOWN = "unknown"    # no HTTP invoker is known for one of them


def read_path(flow: Flow) -> list[str]:
    """The keys the flow read off the event, in order (`event['headers'].get('Host')` → headers, Host)."""
    text = (flow.field + flow.via)[:MAX_PATH]
    keys: list[str] = []
    for match in _STEP.finditer(text):
        key = match.group(2) or match.group(4) or match.group(5)
        if key is not None:
            keys.append(key)
    return keys


def is_host_header(flow: Flow) -> bool:
    """Whether the flow is the request's `Host` header (`headers.Host`, `multiValueHeaders.host[0]`)."""
    keys = [key.lower() for key in read_path(flow)]
    return len(keys) == 2 and keys[0] in _HEADER_MAPS and keys[1] == "host"


def host_origin(owners: Sequence[str], functions: dict[str, Function]) -> HostOrigin:
    """Who chose the `Host` header for the functions `owners` (none: a file no template declares)."""
    if not owners:
        return HostOrigin.UNKNOWN
    origin = HostOrigin.OWN
    for owner in owners:
        function = functions.get(owner)
        invokers = http_invokers(function) if function is not None else []
        if ALB in invokers:
            return HostOrigin.CALLER
        if not invokers:
            origin = HostOrigin.UNKNOWN
    return origin
