"""The routes of WebSocket APIs (API Gateway v2, `ProtocolType: WEBSOCKET`), for LR305.

A WebSocket API takes an authorizer on its `$connect` route only: a client reaches every other
route (`$disconnect`, `$default`, an action such as `sendmessage`) through a connection that
`$connect` accepted. So `$connect` is the one route LR305 judges; the others are never reported,
whatever they say of authorization, since the fix for them is on `$connect`. An HTTP API's route
keys are `$default` or `METHOD /path`: any other key belongs to a WebSocket API, which is how a
route is told apart when its API is not declared beside it.
"""

from __future__ import annotations

from reviewer.model import HttpRoute, Location

CONNECT_ROUTE = "$connect"
WEBSOCKET = "WEBSOCKET"


def is_websocket_route(route_key: str, protocol: str | None) -> bool:
    """Whether the route belongs to a WebSocket API: its API says so (`protocol`, when known),
    or its key could not be an HTTP API's."""
    if protocol is not None:
        return protocol.strip().upper() == WEBSOCKET
    key = route_key.strip()
    return key != "$default" and " " not in key


def websocket_route(route_key: str, authorizer: str | None, location: Location) -> HttpRoute | None:
    """The `$connect` route as LR305 judges it; None for every other route of the API."""
    if route_key.strip() != CONNECT_ROUTE:
        return None
    return HttpRoute(method=WEBSOCKET, path=CONNECT_ROUTE, authorizer=authorizer, location=location, websocket=True)
