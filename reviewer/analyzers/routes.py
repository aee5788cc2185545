"""LR305: HTTP routes that invoke a function and that nothing authorises.

Every format reader fills `Function.routes` (SAM and CloudFormation, Serverless, Terraform, CDK);
this analyzer only judges them. A route without an authorizer is a warning, and still one when it
requires an API key (a key identifies a client, it authorises nobody), with a message that says
so. A route declared public on purpose is a notice: SAM `Auth: {Authorizer: NONE}`, or a comment
`lambda-review: public` on the route's line or the line above it, in any format. An authorised REST
route that takes a body with no request validator or model is an LR307 notice (input is best
validated at the edge); on a route LR305 already reports, its message says it instead, so each
route is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reviewer import markdown
from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.model import Finding, Function, HttpRoute, Severity
from reviewer.workspace import UnreadableFile, Workspace
from reviewer.rules import LR305, LR307

PUBLIC_MARKER = re.compile(r"lambda-review:\s*public\b")


class RouteAuthorizationAnalyzer:
    name = "routes"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        warnings = SharedFindings()
        notices = SharedFindings()
        for function in context.inventory.functions:
            for route in function.routes:
                _judge(warnings, notices, function, route, context.workspace)
        found = list(warnings.findings())
        for finding in notices.findings():
            finding.severity = Severity.NOTICE
            found.append(finding)
        return found


def _judge(warnings: SharedFindings, notices: SharedFindings, function: Function, route: HttpRoute,
           workspace: Workspace) -> None:
    shown = markdown.code(f"{route.method} {route.path}")
    body_note = (" The route also accepts a request body that no request validator or model checks, so "
                 "malformed or oversized input reaches the code." if route.unvalidated_body else "")
    public = route.declared_public or (route.authorizer is None and _marked_public(workspace, route))
    if route.authorizer is None and not public and route.api_key_required:
        def describe_key(subject: str) -> str:
            return (f"The route {shown} invokes {subject} and requires an API key but has no authorizer. "
                    "An API key identifies a client for usage plans and throttling; it is not "
                    "authorization: keys are shared by every user of a client, shipped inside apps and "
                    "long-lived, so whoever holds one can call the route with any input. An authorizer "
                    "(Cognito, JWT, a Lambda authorizer or IAM) on the route, or a default authorizer on "
                    "the API, decides who may call it; keep the key for metering if it is needed."
                    f"{body_note}")

        warnings.add(LR305, function, route.location, f"api-key-only {route.method} {route.path}", describe_key)
        return
    if route.authorizer is None and not public:
        def describe(subject: str) -> str:
            return (f"The route {shown} invokes {subject} and has no authorizer: anyone on the internet "
                    "who finds the API can call it with any input, and every call is billed to the "
                    "account. An authorizer (Cognito, JWT, a Lambda authorizer or IAM) on the route, or "
                    "a default authorizer on the API, limits it to known callers; a route meant to be "
                    "public can say so (`Auth: {Authorizer: NONE}` in SAM, or a `lambda-review: public` "
                    f"comment on its line).{body_note}")

        warnings.add(LR305, function, route.location, f"no-authorizer {route.method} {route.path}", describe)
        return
    if route.authorizer is None:
        def describe_public(subject: str) -> str:
            return (f"The route {shown} invokes {subject} and is declared public: it has no authorizer "
                    f"on purpose. Its input is then anyone's to choose, so the code must validate it.{body_note}")

        notices.add(LR305, function, route.location, f"public {route.method} {route.path}", describe_public)
        return
    if route.unvalidated_body:
        def describe_body(subject: str) -> str:
            return (f"The route {shown} invokes {subject} with a request body that no request validator "
                    "or model checks, so malformed or oversized input reaches the code, which must "
                    "reject it itself. API Gateway can reject it before the function runs: a model "
                    "(`RequestModel` in SAM, `RequestModels` and `RequestValidatorId` on a method, "
                    "`request.schemas` in Serverless) with body validation on.")

        notices.add(LR307, function, route.location, f"unvalidated-body {route.method} {route.path}",
                    describe_body)


def _marked_public(workspace: Workspace, route: HttpRoute) -> bool:
    try:
        lines = workspace.read_text(route.location.path).splitlines()
    except UnreadableFile:
        return False
    line = route.location.line
    nearby = lines[max(0, line - 2): line]
    return any(PUBLIC_MARKER.search(text) for text in nearby)
