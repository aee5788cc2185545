"""LR306's HTML findings: one per page built from an event field, worded by what invokes the function.

A handler that builds a page as a list of tag strings (`["<h2>" + item.title + "</h2>", "<p>" +
item.text + "</p>", ...]`) puts the same event field into many lines of one text. Each line is a
separate concatenation to the readers, but a reviewer fixes them together (escape the field, or
escape where the parts are joined): the review says it once, at the first line, and lists the
other lines as related. Only HTML text built from strings is grouped this way, per file,
statement (one statement builds one value; two variables built from one field are two texts to
fix), event field (the same read of it) and shipping functions; a `text/html` response body and
the other sinks stay one finding a line, since each is its own call to fix.

Whether that text is an HTTP response depends on what invokes the function. HTML text built in a
function that API Gateway, a function URL or a load balancer invokes may be the page a browser
gets; in one invoked otherwise (a state machine, a queue) it is text the function builds, which
becomes a page wherever it is later stored or sent. The finding says which it knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reviewer.code.taint_common import SinkHit
from reviewer.model import Function

# What invokes a function over HTTP, in the words of the messages.
API_GATEWAY = "API Gateway"
FUNCTION_URL = "a function URL"
ALB = "an Application Load Balancer"
# Principals of resource-based permissions that make an invocation an HTTP request.
_HTTP_PRINCIPALS = {
    "apigateway.amazonaws.com": API_GATEWAY,
    "elasticloadbalancing.amazonaws.com": ALB,
}


def http_invokers(function: Function) -> list[str]:
    """What invokes the function with an HTTP request, as the declarations say (none may be known)."""
    found: list[str] = []

    def add(name: str) -> None:
        if name not in found:
            found.append(name)

    for trigger in function.triggers:
        if trigger.kind == "api":
            add(API_GATEWAY)
        elif str(trigger.attributes.get("type", "")).lower() == "alb":
            add(ALB)
    if function.routes:
        add(API_GATEWAY)
    if function.url is not None:
        add(FUNCTION_URL)
    for permission in function.permissions:
        name = _HTTP_PRINCIPALS.get(permission.service)
        if name is not None:
            add(name)
    return found


def page_context(owners: Sequence[str], functions: dict[str, Function]) -> tuple[list[str], bool]:
    """The HTTP invokers of the functions that ship the code, and whether every one is declared.

    With no owner (a handler-shaped file no template declares) nothing is known of its invokers.
    """
    invokers: list[str] = []
    declared = bool(owners)
    for owner in owners:
        function = functions.get(owner)
        if function is None:
            declared = False
            continue
        for name in http_invokers(function):
            if name not in invokers:
                invokers.append(name)
    return invokers, declared


def group_pages(items: Iterable[tuple[SinkHit, list[str]]]) -> list[tuple[SinkHit, list[str], list[int]]]:
    """The hits with HTML text built from one event field folded into its first line.

    Each result is (hit, owners, other lines of the same text), in the order the hits came.
    """
    grouped: list[tuple[SinkHit, list[str], list[int]]] = []
    pages: dict[tuple, int] = {}
    for hit, owners in items:
        if hit.family != "html" or not hit.built or not hit.statement:
            grouped.append((hit, owners, []))
            continue
        key = (hit.path, hit.statement, hit.flow.field, hit.flow.path, hit.flow.line, tuple(owners))
        index = pages.get(key)
        if index is None:
            pages[key] = len(grouped)
            grouped.append((hit, owners, []))
        elif hit.line != grouped[index][0].line:
            grouped[index][2].append(hit.line)
    return grouped
