"""HTTP routes an API's inline OpenAPI document declares (`Body` of `AWS::ApiGateway::RestApi` and
`AWS::ApiGatewayV2::Api`, `DefinitionBody` of `AWS::Serverless::Api`/`HttpApi`), for LR305.

An API written this way says everything in the document: each operation under `paths` whose
`x-amazon-apigateway-integration` names a function of the template is a route to it, and its
`security` (or the document's top-level one) names the schemes that guard it. A scheme that API
Gateway enforces as an authorizer (`x-amazon-apigateway-authtype`, `x-amazon-apigateway-authorizer`)
authorises; a plain `apiKey` scheme only asks for an API key; a scheme the document does not define
is taken as an authorizer rather than guessed public. An operation's own `x-amazon-apigateway-auth`
(`type: AWS_IAM`) authorises it too, the way API Gateway's exports and many hand-written documents
say IAM. SAM applies its API's `Auth.DefaultAuthorizer`
(its own or `Globals`') to every path of the document, and a private endpoint is reachable only from a VPC. A document
kept in a local file (`DefinitionUri`, `BodyS3Location`, a `Fn::Transform` of `AWS::Include`) is
read like an inline one (`openapi_files.py`), each route located in that file.
Request validation is left to the other readers: the document's validators are not judged.

SAM also adds the route of each `Api`/`HttpApi` event on such an API to its inline document (not to
a file, which it uploads unread, nor to an included one): `event_route_in_document` says whether it
does, and what the document's own operation, if it has one without an integration, says of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.inventory.cloudformation.openapi_files import document_file, read_document
from reviewer.located import LocatedMap
from reviewer.model import Function, HttpRoute, Location
from reviewer.workspace import Workspace

_BODIES = {"AWS::ApiGateway::RestApi": "Body", "AWS::ApiGatewayV2::Api": "Body",
           "AWS::Serverless::Api": "DefinitionBody", "AWS::Serverless::HttpApi": "DefinitionBody"}
_GLOBALS = {"AWS::Serverless::Api": "Api", "AWS::Serverless::HttpApi": "HttpApi"}
_REST_APIS = frozenset({"AWS::ApiGateway::RestApi", "AWS::Serverless::Api"})
_ANY_METHOD = "x-amazon-apigateway-any-method"
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", _ANY_METHOD})
_AUTHORIZER_KEYS = ("x-amazon-apigateway-authtype", "x-amazon-apigateway-authorizer")
_OPERATION_AUTH = "x-amazon-apigateway-auth"


def attach_definition_routes(resources: LocatedMap, globals_: dict, path: str, by_id: dict[str, Function],
                             function_in: Callable[[Any, dict[str, Function]], Function | None],
                             workspace: Workspace | None = None) -> None:
    """Add the routes of every API document of the template, inline or in a local file the
    `workspace` reads, to the functions they invoke (`function_in` tells which function of
    `by_id` a Lambda ARN expression names; `globals_` is the template's SAM `Globals`, whose
    `Api`/`HttpApi` settings every SAM API takes)."""
    for resource in resources.values():
        if not isinstance(resource, LocatedMap) or resource.get("Type") not in _BODIES:
            continue
        properties = resource.get("Properties")
        properties = properties if isinstance(properties, dict) else {}
        body, body_path = properties.get(_BODIES[resource["Type"]]), path
        written = document_file(resource["Type"], properties, body)
        if written is not None:
            body, body_path = read_document(workspace, path, written) or (None, path)
        if not isinstance(body, LocatedMap) or not isinstance(body.get("paths"), LocatedMap):
            continue
        shared = globals_.get(_GLOBALS.get(resource["Type"], ""))
        api_guard = _api_guard(properties) or _api_guard(shared if isinstance(shared, dict) else {})
        rest = resource["Type"] in _REST_APIS
        for route_path, operations in body["paths"].items():
            if not isinstance(operations, LocatedMap):
                continue
            for verb, operation in operations.items():
                if str(verb).lower() not in _METHODS or not isinstance(operation, dict):
                    continue
                integration = operation.get("x-amazon-apigateway-integration")
                function = function_in(integration.get("uri"), by_id) if isinstance(integration, dict) else None
                if function is None:
                    continue
                authorizer, api_key = _guard(operation.get("security", body.get("security")), _schemes(body))
                function.routes.append(HttpRoute(
                    method="ANY" if str(verb).lower() == _ANY_METHOD else str(verb).upper(),
                    path=str(route_path), authorizer=authorizer or _operation_auth(operation) or api_guard,
                    location=Location(body_path, operations.line_of(verb)),
                    api_key_required=rest and api_key, in_definition=True))


def event_route_in_document(body: Any, path: str, method: str) -> tuple[bool, str | None]:
    """Whether SAM adds the route of an `Api`/`HttpApi` event (`path`, `method`) to an API whose
    `DefinitionBody` is `body`, and the authorizer the document names for it (its operation's
    `security` or `x-amazon-apigateway-auth`, else the document's top-level `security`).

    SAM edits an inline document only: a `Fn::Transform` (`AWS::Include`) or another intrinsic is
    resolved after it, and an operation that already has an integration makes SAM reject the
    event, so the document's own route (read by `attach_definition_routes`) is the one there is.
    """
    if not isinstance(body, dict) or any(str(key).startswith("Fn::") for key in body) \
            or not isinstance(body.get("paths"), dict):
        return False, None
    operations = body["paths"].get(path)
    wanted = _ANY_METHOD if method.upper() == "ANY" else method.lower()
    operation = next((value for verb, value in operations.items() if str(verb).lower() == wanted), None) \
        if isinstance(operations, dict) else None
    if not isinstance(operation, dict):
        operation = {}
    elif "x-amazon-apigateway-integration" in operation:
        return False, None
    authorizer, _ = _guard(operation.get("security", body.get("security")), _schemes(body))
    return True, authorizer or _operation_auth(operation)


def _api_guard(properties: dict) -> str | None:
    """What authorises every path of the API outside its document: SAM's default authorizer, which
    SAM writes into each path, or a private endpoint."""
    auth = properties.get("Auth")
    default = auth.get("DefaultAuthorizer") if isinstance(auth, dict) else None
    if isinstance(default, str) and default.strip() and default.strip().upper() != "NONE":
        return default
    if "PRIVATE" in str(properties.get("EndpointConfiguration", "")).upper():
        return "private API"
    return None


def _operation_auth(operation: dict) -> str | None:
    """The authorization type an operation's `x-amazon-apigateway-auth` sets (`AWS_IAM`), or None
    when it sets none or `NONE` (open access)."""
    auth = operation.get(_OPERATION_AUTH)
    kind = str(auth.get("type", "")).strip() if isinstance(auth, dict) else ""
    return kind if kind and kind.upper() != "NONE" else None


def _schemes(body: dict) -> dict:
    """The document's security schemes: Swagger 2 `securityDefinitions`, OpenAPI 3 `components.securitySchemes`."""
    schemes = body.get("securityDefinitions")
    if not isinstance(schemes, dict):
        components = body.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    return schemes if isinstance(schemes, dict) else {}


def _guard(security: Any, schemes: dict) -> tuple[str | None, bool]:
    """The authorizer an operation's `security` names (None when none), and whether it asks for an API key."""
    api_key = False
    for requirement in security if isinstance(security, list) else []:
        for name in requirement if isinstance(requirement, dict) else {}:
            scheme = schemes.get(name)
            if not isinstance(scheme, dict) or any(key in scheme for key in _AUTHORIZER_KEYS) \
                    or str(scheme.get("type", "")).lower() != "apikey":
                return str(name), api_key
            api_key = True
    return None, api_key
