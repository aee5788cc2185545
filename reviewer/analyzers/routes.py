"""LR305: HTTP routes that invoke a function and that nothing authorises.

Every format reader fills `Function.routes` (SAM and CloudFormation, Serverless, Terraform, CDK);
this analyzer only judges them. A route without an authorizer is a warning, and still one when it
requires an API key (a key identifies a client, it authorises nobody), with a message that says
so. A route declared public on purpose is a notice: SAM `Auth: {Authorizer: NONE}`, or a comment
`lambda-review: public` on the route's line or the line above it, in any format. An authorised REST
route that takes a body with no request validator or model is an LR307 notice (input is best
validated at the edge); on a route LR305 already reports, its message says it instead, so each
route is reported once. Neither is said of a function whose handler provably never reads the
request body (`reviewer.code.event_keys`: it reads only `event.pathParameters` and the like): the
unchecked body then reaches no code that must reject it. The proof is made while the function
pass reads a function's code (`prepare`), so a pull request review makes it for the functions it
touches only, on both sides. A CORS preflight route (`OPTIONS`) is
judged by neither: browsers send it without credentials, so an authorizer on it would refuse every
preflight. A route open only in some cases of the conditions a template chooses its authorization
by (`Fn::If`) is reported as open, its message saying in which.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.code.event_keys import never_reads_event_key
from reviewer.inventory.spelling import PUBLIC_COMMENT, PUBLIC_ROUTE, spelled
from reviewer.findings import Finding, Severity
from reviewer.model import Function, HttpRoute
from reviewer.workspace import UnreadableFile, Workspace
from reviewer.rules import LR305, LR307
from reviewer.wording import finding_message

# The messages' words: templates/findings/routes.md.j2.
MESSAGES = "routes"
PUBLIC_MARKER = re.compile(r"lambda-review:\s*public\b")
# The key of a REST API's proxy event that carries the request body.
BODY_KEY = "body"
# The method of a CORS preflight route (a Serverless `method: OPTIONS` event, a SAM `Method: options`
# event): it answers browsers before they send credentials, so it is public by design in every format.
PREFLIGHT = "OPTIONS"
# Where a service publishes what callers read before they can authenticate (RFC 8615: an issuer's
# signing keys, its OpenID configuration): such a route is public by design.
WELL_KNOWN = "/.well-known/"


class RouteAuthorizationAnalyzer:
    name = "routes"

    def __init__(self) -> None:
        # Functions (by id) whose handler provably never reads the body, proven in `prepare`.
        self._body_unread: set[int] = set()

    def prepare(self, context: AnalysisContext, function: Function) -> None:
        """Prove, while the function pass holds its modules, that the handler never reads the body.

        Only functions whose code the scan reads are asked (all of them in a full scan, the
        touched ones in a pull request review, on both sides alike): reading every routed
        handler of a review's untouched templates cost a fifth of the review. An untouched
        function keeps the sentence, on the head and the base, so the review stays exact.
        """
        if _proof_wanted(function) and never_reads_event_key(context.workspace, function, BODY_KEY,
                                                             context.code_cache):
            self._body_unread.add(id(function))

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        warnings = SharedFindings()
        notices = SharedFindings()
        lines = _FileLines(context.workspace)
        for function in context.inventory.functions:
            reads_body = id(function) not in self._body_unread
            for route in function.routes:
                _judge(warnings, notices, function, route, lines, reads_body)
        found = list(warnings.findings())
        for finding in notices.findings():
            finding.severity = Severity.NOTICE
            found.append(finding)
        return found


def shown_path(path: str) -> str:
    """The path as API Gateway serves it: Serverless lets `path: hello` drop the leading slash
    that `GET /hello` has everywhere else (`$default` and other stage keys stay as written).
    Only the message changes; the fingerprint keeps the path as declared, so baselines hold."""
    return path if path.startswith(("/", "$")) or not path else "/" + path


def shown_method(method: str) -> str:
    """The method as API Gateway matches it: a template's or Terraform's `$default` route key names
    no method (read as `$DEFAULT`), and takes every one. Only the message changes, as `shown_path`.
    A verb written as an expression the review cannot evaluate (`${each.key}`) stays as written."""
    return "ANY" if method.upper() == "$DEFAULT" else method


def _proof_wanted(function: Function) -> bool:
    """Whether a route of the function would say its unchecked body reaches the code."""
    return any(route.unvalidated_body and route.proxy_event for route in function.routes)


def _judge(warnings: SharedFindings, notices: SharedFindings, function: Function, route: HttpRoute,
           lines: _FileLines, reads_body: bool) -> None:
    if route.method == PREFLIGHT and not route.websocket:
        return  # a browser sends a CORS preflight without credentials: no authorizer could pass it
    public = route.declared_public or (route.authorizer is None and _marked_public(lines, route))

    def describing(message: str, **values: object) -> Callable[[str], str]:
        """The message macro `message` for the function(s) the route invokes (`subject`, Markdown)."""
        return lambda subject: finding_message(MESSAGES, message, method=shown_method(route.method),
                                               path=shown_path(route.path),
                                               websocket=route.websocket, subject=Markup(subject), **values)

    unvalidated_body = route.unvalidated_body and (not route.proxy_event or reads_body)
    said = {"unvalidated_body": unvalidated_body, "open_when": route.open_when, "open_by": route.open_by}
    if route.authorizer is None and not public and WELL_KNOWN in route.path:
        notices.add(LR305, function, route.location, f"well-known {route.method} {route.path}",
                    describing("well_known", **said))
        return
    if route.authorizer is None and not public and route.api_key_required:
        warnings.add(LR305, function, route.location, f"api-key-only {route.method} {route.path}",
                     describing("api_key_only", **said))
        return
    if route.authorizer is None and not public:
        warnings.add(LR305, function, route.location, f"no-authorizer {route.method} {route.path}",
                     describing("no_authorizer", public_route=Markup(_public_route(function, route)),
                                definition=route.in_definition, **said))
        return
    if route.authorizer is None:
        notices.add(LR305, function, route.location, f"public {route.method} {route.path}",
                    describing("declared_public", **said))
        return
    if unvalidated_body:
        notices.add(LR307, function, route.location, f"unvalidated-body {route.method} {route.path}",
                    describing("unvalidated_body"), describe_shared=describing("unvalidated_body", several=True))


def _public_route(function: Function, route: HttpRoute) -> str:
    """How the route can say it is public: an OpenAPI operation has no event to carry SAM's
    `Auth: {Authorizer: NONE}`, so only the comment is offered there."""
    return PUBLIC_COMMENT if route.in_definition else spelled(function, PUBLIC_ROUTE)


class _FileLines:
    """Each declaring file's lines, split once per analysis: a template declares many routes."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lines: dict[str, list[str] | None] = {}

    def of(self, path: str) -> list[str] | None:
        """The lines of `path`, or None when it cannot be read."""
        if path not in self._lines:
            try:
                self._lines[path] = self.workspace.read_text(path).splitlines()
            except UnreadableFile:
                self._lines[path] = None
        return self._lines[path]


def _marked_public(file_lines: _FileLines, route: HttpRoute) -> bool:
    lines = file_lines.of(route.location.path)
    if lines is None:
        return False
    line = route.location.line
    nearby = lines[max(0, line - 2): line]
    return any(PUBLIC_MARKER.search(text) for text in nearby)
