"""HTTP routes of Terraform API Gateway resources, for LR305.

An integration that invokes a function (`aws_api_gateway_integration.uri`,
`aws_apigatewayv2_integration.integration_uri`) is already linked to it by the Terraform reader;
here the integration leads to its route: the `aws_api_gateway_method` its `http_method` refers to
(or the method of the same resource and verb), or each `aws_apigatewayv2_route` whose `target`
names the integration. `authorization = "NONE"` (and, for v2, no `authorization_type`) means no
authorizer; `api_key_required = true` is recorded, and authorises nobody. Of a WebSocket API, only
the `$connect` route is kept (reviewer.inventory.websocket_routes).

What the API itself demands of every caller counts as the route's authorizer, as the CloudFormation
reader says it: a REST API whose `endpoint_configuration` is `PRIVATE` (`private API`, reached from
a VPC endpoint only), and an API whose `execute-api` endpoint is disabled
(`disable_execute_api_endpoint = true`) and whose every base path or API mapping of its module goes
to a custom domain with `mutual_tls_authentication` (`mutual TLS`: a caller needs a client
certificate the truststore accepts).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.websocket_routes import is_websocket_route, websocket_route
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import Literal, Reference, Scope
from reviewer.model import HttpRoute, Location

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "ANY"})


class RootBlocks(Mapping[str, tuple[Block, Instance]]):
    """The blocks of one root module by address: the reader keys every block by (root, address),
    since two root modules of a monorepo may declare the same address."""

    def __init__(self, blocks: dict[tuple[str, str], tuple[Block, Instance]], root: str) -> None:
        self._blocks = blocks
        self._root = root

    def __getitem__(self, address: str) -> tuple[Block, Instance]:
        return self._blocks[(self._root, address)]

    def __contains__(self, address: object) -> bool:
        return (self._root, address) in self._blocks

    def __iter__(self) -> Iterator[str]:
        return (address for root, address in self._blocks if root == self._root)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def integration_routes(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], address: str,
                       integration: Block, scope: Scope) -> list[HttpRoute]:
    """The routes that reach the function through one integration block."""
    if integration.labels[:1] == ("aws_api_gateway_integration",):
        method = _rest_method(evaluator, blocks, integration, scope)
        if method is None:
            return []
        rest = _rest_route(evaluator, blocks, method, Scope(scope.instance, method.path))
        proxy = (evaluator.literal_text(integration.get("type"), scope) or "").upper() == "AWS_PROXY"
        return [replace(rest, proxy_event=proxy)]
    name = address.rpartition(".")[2]
    routes = []
    for _, route in scope.instance.module.resources_of("aws_apigatewayv2_route"):
        if f"aws_apigatewayv2_integration.{name}." in str(route.get("target", "")):
            routes.extend(_http_route(evaluator, blocks, route, Scope(scope.instance, route.path)))
    return routes


def _rest_method(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], integration: Block,
                 scope: Scope) -> Block | None:
    result = evaluator.evaluate(integration.get("http_method"), scope)
    if isinstance(result, Reference) and result.resource_type == "aws_api_gateway_method" \
            and result.ref.value in blocks:
        return blocks[result.ref.value][0]
    verb = result.value if isinstance(result, Literal) else None
    resource = str(integration.get("resource_id"))
    for _, method in scope.instance.module.resources_of("aws_api_gateway_method"):
        if str(method.get("resource_id")) == resource and evaluator.literal_text(
                method.get("http_method"), Scope(scope.instance, method.path)) == verb:
            return method
    return None


def _rest_route(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], method: Block, scope: Scope
                ) -> HttpRoute:
    verb = (evaluator.literal_text(method.get("http_method"), scope) or "ANY").upper()
    authorization, open_when = _authorization(evaluator, method.get("authorization"), scope)
    validated = "request_validator_id" in method.attributes and "request_models" in method.attributes
    api_key = evaluator.truthy(method.get("api_key_required"), scope) is True
    path = "/"
    resource = evaluator.evaluate(method.get("resource_id"), scope)
    if isinstance(resource, Reference) and resource.ref.value in blocks:
        block, instance = blocks[resource.ref.value]
        path += evaluator.literal_text(block.get("path_part"), Scope(instance, block.path)) or ""
    return HttpRoute(method=verb, path=path, location=Location(method.path, method.line),
                     authorizer=authorization if authorization != "NONE" else _api_gate(
                         evaluator, blocks, method.get("rest_api_id"), scope),
                     unvalidated_body=verb in _BODY_METHODS and not validated, api_key_required=api_key,
                     open_when=open_when, open_by=tuple(name for name, _ in open_when))


def _authorization(evaluator: Any, value: Any, scope: Scope) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """A REST method's `authorization`, and when a condition static reading cannot decide chooses
    it (`contains(local.authorized_api_prefixes, each.key) ? "COGNITO_USER_POOLS" : "NONE"`, one
    method per API of a `for_each`), the condition's text and the value it takes where the method
    is open: "NONE" then, said with that case, not of every case."""
    written = evaluator.literal_text(value, scope)
    if written is not None or not isinstance(value, Expression):
        return (written or "NONE").upper(), ()
    if value.kind == "template" and len(value.args) == 1 and isinstance(value.args[0], Expression):
        value = value.args[0]
    if value.kind != "conditional" or len(value.args) != 3:
        return "NONE", ()
    condition, then, otherwise = value.args
    chosen = [(evaluator.literal_text(branch, scope) or "").upper() for branch in (then, otherwise)]
    if "" in chosen or chosen.count("NONE") != 1:
        return ("NONE", ()) if "NONE" in chosen or "" in chosen else (chosen[0], ())
    return "NONE", ((str(condition), chosen[0] == "NONE"),)


def _http_route(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], route: Block,
                scope: Scope) -> list[HttpRoute]:
    key = _route_key(evaluator, route.get("route_key"), scope) if "route_key" in route.attributes else "$default"
    authorization = (evaluator.literal_text(route.get("authorization_type"), scope) or "NONE").upper()
    has_authorizer = "authorizer_id" in route.attributes
    authorizer = None if authorization == "NONE" and not has_authorizer else (
        authorization if authorization != "NONE" else "authorizer")
    if authorizer is None:
        authorizer = _api_gate(evaluator, blocks, route.get("api_id"), scope)
    location = Location(route.path, route.line)
    if is_websocket_route(key, _protocol(evaluator, blocks, route, scope)):
        connect = websocket_route(key, authorizer, location)
        return [connect] if connect is not None else []
    verb, _, path = key.partition(" ")
    return [HttpRoute(method=verb if "${" in verb else verb.upper(), path=path or key, location=location,
                      authorizer=authorizer)]


def _route_key(evaluator: Any, value: Any, scope: Scope) -> str:
    """The route key, or, built from values the review cannot know, its written words with each
    unknown part as written (`GET /${module.gate.function_name}/.well-known/{proxy+}`)."""
    literal = evaluator.literal_text(value, scope)
    if literal is not None:
        return literal
    if not (isinstance(value, Expression) and value.kind == "template"):
        return "${" + str(value) + "}" if isinstance(value, Expression) else "$default"
    pieces = []
    for part in value.args:
        text = part if isinstance(part, str) else evaluator.literal_text(part, scope)
        pieces.append(text if text is not None else "${" + str(part) + "}")
    return "".join(pieces)


def _protocol(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], route: Block,
              scope: Scope) -> str | None:
    """The `protocol_type` of the `aws_apigatewayv2_api` the route's `api_id` refers to, when known."""
    api = evaluator.evaluate(route.get("api_id"), scope)
    if not (isinstance(api, Reference) and api.resource_type == "aws_apigatewayv2_api" and api.ref.value in blocks):
        return None
    block, instance = blocks[api.ref.value]
    return evaluator.literal_text(block.get("protocol_type"), Scope(instance, block.path))


# The API's resource type → its custom domain's and its mapping's, for the mutual TLS gate.
_GATED_APIS = {
    "aws_api_gateway_rest_api": ("aws_api_gateway_domain_name", "aws_api_gateway_base_path_mapping"),
    "aws_apigatewayv2_api": ("aws_apigatewayv2_domain_name", "aws_apigatewayv2_api_mapping"),
}


def _api_gate(evaluator: Any, blocks: Mapping[str, tuple[Block, Instance]], api_value: Any,
              scope: Scope) -> str | None:
    """What the API a route belongs to demands of every caller (`private API`, `mutual TLS`), or None."""
    api = evaluator.evaluate(api_value, scope)
    if not (isinstance(api, Reference) and api.resource_type in _GATED_APIS and api.ref.value in blocks):
        return None
    block, instance = blocks[api.ref.value]
    api_scope = Scope(instance, block.path)
    for endpoint in block.blocks_named("endpoint_configuration"):
        types = evaluator.to_plain(endpoint.get("types"), Scope(instance, endpoint.path))
        if isinstance(types, list) and "PRIVATE" in (str(item).upper() for item in types):
            return "private API"
    if evaluator.truthy(block.get("disable_execute_api_endpoint"), api_scope) is not True:
        return None
    domain_type, mapping_type = _GATED_APIS[api.resource_type]
    domains = []
    for _, mapping in instance.module.resources_of(mapping_type):
        mapping_scope = Scope(instance, mapping.path)
        mapped = evaluator.evaluate(mapping.get("api_id"), mapping_scope)
        if isinstance(mapped, Reference) and mapped.ref.value == api.ref.value:
            domains.append(evaluator.evaluate(mapping.get("domain_name"), mapping_scope))
    if domains and all(_mutual_tls(domain, domain_type, blocks) for domain in domains):
        return "mutual TLS"
    return None


def _mutual_tls(domain: Any, domain_type: str, blocks: Mapping[str, tuple[Block, Instance]]) -> bool:
    """Whether a mapping's `domain_name` is a custom domain of the configuration that requires a
    client certificate."""
    if not (isinstance(domain, Reference) and domain.resource_type == domain_type and domain.ref.value in blocks):
        return False
    return bool(blocks[domain.ref.value][0].blocks_named("mutual_tls_authentication"))
