"""HTTP routes of Serverless Framework `http` (REST) and `httpApi` events, for LR305.

An event is authorised by its `authorizer` (a name, an ARN, `aws_iam`, a map naming one);
`private: true` only requires an API key, which identifies a client but authorises nobody. A REST
event that takes a body is validated when it declares `request.schemas`.
"""

from __future__ import annotations

from typing import Any

from reviewer.model import HttpRoute, Location

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "ANY", "*"})


def serverless_route(event_type: str, config: Any, location: Location) -> HttpRoute | None:
    """The route one `http`/`httpApi` event declares (None for anything else)."""
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
    authorizer = settings.get("authorizer")
    name: str | None
    if isinstance(authorizer, dict):
        name = str(authorizer.get("name") or authorizer.get("arn") or authorizer.get("type") or "authorizer")
    elif authorizer is not None and str(authorizer).strip():
        name = str(authorizer)
    else:
        name = None
    request = settings.get("request")
    validated = isinstance(request, dict) and bool(request.get("schemas") or request.get("schema"))
    method = method.upper()
    private = settings.get("private")
    return HttpRoute(method=method, path=path or "/", authorizer=name, location=location,
                     unvalidated_body=event_type == "http" and method in _BODY_METHODS and not validated,
                     api_key_required=event_type == "http" and (
                         private is True or str(private).strip().lower() == "true"))
