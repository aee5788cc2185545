"""HTTP routes of SAM and CloudFormation templates, with what authorises them (for LR305).

SAM: `Api` and `HttpApi` events, authorised by the event's `Auth.Authorizer` or the API's
`Auth.DefaultAuthorizer` (the `AWS::Serverless::Api`/`HttpApi` it names in `RestApiId`/`ApiId`,
or `Globals.Api`/`Globals.HttpApi` for the implicit API). An API defined by an OpenAPI document
(`DefinitionBody`, `DefinitionUri`) says its security there: its operations are read, inline or
from its local file (`openapi_routes.py`), and a SAM event on it is a route only where SAM adds
it to an inline document (an operation with no integration of its own, or none at all). A
private endpoint is reachable only from a VPC, so it counts as authorised. `ApiKeyRequired`
(the event's or the API's `Auth`, or the method's) is recorded; it authorises nobody. CloudFormation: `AWS::ApiGateway::Method` (`AuthorizationType`, `NONE` by default)
and `AWS::ApiGatewayV2::Route` (`AuthorizationType`/`AuthorizerId`), tied to a function by the
Lambda ARN in their integration; of a WebSocket API, only `$connect` (reviewer.inventory.websocket_routes).
A value given by `Fn::If` (an authorizer, an authorization type, an API key requirement) is read as
each value it may deploy, and the route judged in every case (route_conditions.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from typing import Any

from reviewer.inventory.cloudformation.route_conditions import Access, route_access
from reviewer.inventory.cloudformation.openapi_routes import attach_definition_routes, event_route_in_document
from reviewer.inventory.websocket_routes import is_websocket_route, websocket_route
from reviewer.located import LocatedMap
from reviewer.model import Function, HttpRoute, Location
from reviewer.workspace import Workspace

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD"})
_SUB_NAMES = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}")
NO_AUTH = frozenset({"NONE", ""})


def attach_routes(template: LocatedMap, path: str, functions: list[Function],
                  workspace: Workspace | None = None) -> None:
    """Add the routes the template declares to the functions they invoke (an API's OpenAPI
    document kept in a local file is read through `workspace`)."""
    resources = template.get("Resources")
    if not isinstance(resources, LocatedMap) or not functions:
        return
    by_id = {function.name: function for function in functions}
    globals_ = _map(template.get("Globals"))
    for function in functions:
        if function.format == "sam":
            _sam_events(function, resources, globals_, path)
    for logical_id, resource in resources.items():
        if not isinstance(resource, LocatedMap):
            continue
        kind = resource.get("Type")
        location = Location(path, resources.line_of(logical_id))
        properties = _map(resource.get("Properties"))
        if kind == "AWS::ApiGateway::Method":
            _rest_method(properties, resources, by_id, location)
        elif kind == "AWS::ApiGatewayV2::Route":
            _http_route(properties, resources, by_id, location)
    attach_definition_routes(resources, globals_, path, by_id, _function_in, workspace)


def _sam_events(function: Function, resources: LocatedMap, globals_: dict, path: str) -> None:
    events = function.properties.get("Events")
    if not isinstance(events, LocatedMap):
        return
    for name, event in events.items():
        if not isinstance(event, LocatedMap) or event.get("Type") not in ("Api", "HttpApi"):
            continue
        http_api = event.get("Type") == "HttpApi"
        properties = _map(event.get("Properties"))
        api_ref = _ref(properties.get("ApiId" if http_api else "RestApiId"))
        if api_ref is not None:
            api = _map(_map(resources.get(api_ref)).get("Properties"))
        else:
            api = _map(globals_.get("HttpApi" if http_api else "Api"))
        method = (_text(properties.get("Method")) or "ANY").upper()
        route_path = _text(properties.get("Path")) or "/"
        document_guard = None
        if "DefinitionBody" in api or "DefinitionUri" in api:
            added, document_guard = event_route_in_document(api.get("DefinitionBody"), route_path, method)
            if not added:
                continue
        auth = _map(properties.get("Auth"))
        api_auth = _map(api.get("Auth"))
        private = "PRIVATE" in str(api.get("EndpointConfiguration", "")).upper()
        access = route_access(
            {"Authorizer": auth.get("Authorizer"), "DefaultAuthorizer": api_auth.get("DefaultAuthorizer"),
             "ApiKeyRequired": auth.get("ApiKeyRequired"), "DefaultApiKeyRequired": api_auth.get("ApiKeyRequired")},
            partial(_sam_access, private=private, document_guard=document_guard))
        model = _map(properties.get("RequestModel"))
        validated = bool(model.get("Model")) and str(model.get("ValidateBody", True)).lower() != "false"
        function.routes.append(HttpRoute(
            method=method, path=route_path, authorizer=access.access.authorizer,
            location=Location(path, events.line_of(name)), declared_public=access.access.declared_public,
            unvalidated_body=not http_api and method in _BODY_METHODS and not validated,
            api_key_required=not http_api and access.access.api_key_required,
            proxy_event=not http_api,           # a SAM `Api` event is always a Lambda proxy integration
            open_when=access.open_when, open_by=access.open_by,
        ))


def _sam_access(chosen: dict[str, Any], private: bool, document_guard: str | None) -> Access:
    """A SAM event's access in one case: its own `Auth.Authorizer` (`NONE` declares it public),
    else the API's default authorizer, else a private endpoint, else the OpenAPI document's guard."""
    own, default = _text(chosen["Authorizer"]), _text(chosen["DefaultAuthorizer"])
    own_key = chosen["ApiKeyRequired"]
    api_key = _true(own_key if own_key is not None else chosen["DefaultApiKeyRequired"])
    if own is not None and own.upper() == "NONE":
        return Access(None, declared_public=True, api_key_required=api_key)
    authorizer = own or default or ("private API" if private else document_guard)
    return Access(authorizer, api_key_required=api_key)


def _rest_method(properties: dict, resources: LocatedMap, by_id: dict[str, Function], location: Location) -> None:
    method = (_text(properties.get("HttpMethod")) or "ANY").upper()
    if method == "OPTIONS":
        return
    function = _function_in(_map(properties.get("Integration")).get("Uri"), by_id)
    if function is None:
        return
    api = _map(_map(resources.get(_ref(properties.get("RestApiId")) or "")).get("Properties"))
    private = "PRIVATE" in str(api.get("EndpointConfiguration", "")).upper()
    access = route_access({key: properties.get(key) for key in ("AuthorizationType", "ApiKeyRequired")},
                          lambda chosen: _rest_access(chosen, private))
    resource = _map(_map(resources.get(_ref(properties.get("ResourceId")) or "")).get("Properties"))
    validated = bool(properties.get("RequestValidatorId")) and bool(properties.get("RequestModels"))
    function.routes.append(HttpRoute(
        method=method, path="/" + (_text(resource.get("PathPart")) or ""), authorizer=access.access.authorizer,
        location=location, unvalidated_body=method in _BODY_METHODS and not validated,
        api_key_required=access.access.api_key_required,
        proxy_event=(_text(_map(properties.get("Integration")).get("Type")) or "").upper() == "AWS_PROXY",
        open_when=access.open_when, open_by=access.open_by,
    ))


def _rest_access(chosen: dict[str, Any], private: bool) -> Access:
    """A REST method's access in one case: its `AuthorizationType` (`NONE` by default), a private
    endpoint reachable only from a VPC counting as authorised."""
    authorization = (_text(chosen["AuthorizationType"]) or "NONE").upper()
    authorizer = None if authorization in NO_AUTH else authorization
    return Access(authorizer or ("private API" if private else None), api_key_required=_true(chosen["ApiKeyRequired"]))


def _http_route(properties: dict, resources: LocatedMap, by_id: dict[str, Function], location: Location) -> None:
    integration_id = _integration_id(properties.get("Target"))
    if integration_id is None:
        return
    integration = _map(_map(resources.get(integration_id)).get("Properties"))
    function = _function_in(integration.get("IntegrationUri"), by_id)
    if function is None:
        return
    access = route_access({key: properties.get(key) for key in ("AuthorizationType", "AuthorizerId")}, _http_access)
    key = _text(properties.get("RouteKey")) or "$default"
    api = _map(_map(resources.get(_ref(properties.get("ApiId")) or "")).get("Properties"))
    if is_websocket_route(key, _text(api.get("ProtocolType"))):
        route = websocket_route(key, access.access.authorizer, location)
        if route is not None:
            function.routes.append(replace(route, open_when=access.open_when, open_by=access.open_by))
        return
    method, _, route_path = key.partition(" ")
    function.routes.append(HttpRoute(method=method.upper(), path=route_path or key, authorizer=access.access.authorizer,
                                     location=location, open_when=access.open_when, open_by=access.open_by))


def _http_access(chosen: dict[str, Any]) -> Access:
    """An HTTP or WebSocket API route's access in one case: its `AuthorizationType`, or an
    `AuthorizerId` given with none."""
    authorization = (_text(chosen["AuthorizationType"]) or "NONE").upper()
    if authorization not in NO_AUTH:
        return Access(authorization)
    return Access("authorizer" if chosen["AuthorizerId"] is not None else None)


def _integration_id(target: Any) -> str | None:
    """`integrations/<IntegrationId>` written with Fn::Join or Fn::Sub → the integration's logical id."""
    if isinstance(target, dict) and len(target) == 1:
        (intrinsic, argument), = target.items()
        if intrinsic == "Fn::Sub" and isinstance(argument, str):
            match = _SUB_NAMES.search(argument)
            return match.group(1) if match else None
        if intrinsic == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                and isinstance(argument[1], list):
            return next((_ref(part) for part in argument[1] if _ref(part)), None)
    return None


def _function_in(value: Any, by_id: dict[str, Function], depth: int = 0) -> Function | None:
    """The first function of the template that a Lambda ARN expression names (Ref, GetAtt, Sub)."""
    if depth > 8 or value is None:
        return None
    if isinstance(value, str):
        for name in _SUB_NAMES.findall(value):
            if name in by_id:
                return by_id[name]
        return by_id.get(value.split(":function:")[-1].split(":")[0]) if ":function:" in value else None
    if isinstance(value, dict):
        reference = _ref(value)
        if reference is not None and reference in by_id:
            return by_id[reference]
        for item in value.values():
            found = _function_in(item, by_id, depth + 1)
            if found is not None:
                return found
    if isinstance(value, list):
        for item in value:
            found = _function_in(item, by_id, depth + 1)
            if found is not None:
                return found
    return None


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref" and isinstance(argument, str):
            return argument
        if intrinsic == "Fn::GetAtt":
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                return argument[0]
            if isinstance(argument, str):
                return argument.split(".")[0]
    return None


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _true(value: Any) -> bool:
    """A YAML/JSON boolean written as `true` or `"true"`."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)
