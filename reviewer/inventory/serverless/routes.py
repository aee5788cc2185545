"""HTTP routes of Serverless Framework `http` (REST) and `httpApi` events, and the `$connect`
route of `websocket` events, for LR305.

An event is authorised by its `authorizer` (a name, an ARN, `aws_iam`, a map naming one);
`private: true` only requires an API key, which identifies a client but authorises nobody. A REST
event that takes a body is validated when it declares `request.schemas`. A `websocket` event
(`route: $connect`, or the short `websocket: $connect`) is judged like any WebSocket API's route:
only `$connect` takes an authorizer, so only it is a route here (`websocket_routes.py`).
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.websocket_routes import websocket_route
from reviewer.model import HttpRoute, Location

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "ANY", "*"})
# How an `http` event's `integration` names a Lambda proxy integration (its default); `lambda`
# and `aws` build the event from a mapping template instead.
_PROXY_INTEGRATIONS = frozenset({"lambda-proxy", "lambda_proxy", "aws-proxy", "aws_proxy"})


def serverless_route(event_type: str, config: Any, location: Location) -> HttpRoute | None:
    """The route one `http`/`httpApi` event declares, or a `websocket` event's `$connect` route
    (None for anything else)."""
    if event_type == "websocket":
        return _websocket_route(config, location)
    if event_type not in ("http", "httpApi"):
        return None
    if isinstance(config, str):
        method, _, path = config.strip().partition(" ")
        settings: dict[str, Any] = {}
        if config.strip() == "*":
            method, path = "ANY", "*"
    elif isinstance(config, dict):
        settings = config
        method, path = str(settings.get("method") or "ANY"), str(settings.get("path") or "/")
    else:
        return None
    name = _authorizer_name(settings.get("authorizer"))
    request = settings.get("request")
    validated = isinstance(request, dict) and bool(request.get("schemas") or request.get("schema"))
    method = method.upper()
    private = settings.get("private")
    integration = settings.get("integration", "lambda-proxy")
    return HttpRoute(method=method, path=path or "/", authorizer=name, location=location,
                     proxy_event=event_type == "http" and isinstance(integration, str)
                     and integration.strip().lower() in _PROXY_INTEGRATIONS,
                     unvalidated_body=event_type == "http" and method in _BODY_METHODS and not validated,
                     api_key_required=event_type == "http" and (
                         private is True or str(private).strip().lower() == "true"))


def _websocket_route(config: Any, location: Location) -> HttpRoute | None:
    """The `$connect` route of a `websocket` event (its `route`, or the event's short string form)."""
    if isinstance(config, str):
        return websocket_route(config, None, location)
    if isinstance(config, dict) and isinstance(config.get("route"), str):
        return websocket_route(config["route"], _authorizer_name(config.get("authorizer")), location)
    return None


def _authorizer_name(authorizer: Any) -> str | None:
    """What an event's `authorizer` names (a function, an ARN, a type), None when it has none."""
    if isinstance(authorizer, dict):
        return str(authorizer.get("name") or authorizer.get("arn") or authorizer.get("type") or "authorizer")
    if authorizer is not None and str(authorizer).strip():
        return str(authorizer)
    return None
