"""What the CDK route readers share (`cdk/routes.py` for TypeScript and JavaScript,
`cdk/routes_python.py` for Python): the facts one file's reading gathers, and how a method's
options say who may call a route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NO_AUTH = ("NONE", "")
REST_APIS = ("RestApi", "LambdaRestApi")
HTTP_APIS = ("HttpApi",)
RESOURCE_CALLS = ("addResource", "resourceForPath", "addProxy", "add_resource", "resource_for_path", "add_proxy")
MAX_DEPTH = 32
MAX_OPTION_HOPS = 4         # `const a = b` chains followed to an options object literal
UNKNOWN_PART = "*"          # a path part computed at synth time (`addResource(config.name)`)
V1_HTTP_INTEGRATION = "LambdaProxyIntegration"   # CDK v1 aws-apigatewayv2-integrations: `{handler: fn}`


@dataclass(frozen=True)
class Access:
    """What a method's options (or an API's defaults) say about who may call a route."""

    authorizer: str | None = None
    api_key: bool | None = None


@dataclass
class Api:
    """An API construct: its default handler, whether it proxies, its line and its kind."""

    handler: str | None          # function variable of `handler` / `defaultIntegration`
    proxy: bool                  # LambdaRestApi proxying every path to its handler
    default: Access
    line: int
    http: bool = False


@dataclass
class Route:
    """One route of an API: its path, method, target function and access."""

    api: str
    path: str
    verb: str
    target: str | None           # function variable; None: the API's handler
    access: Access
    line: int


@dataclass
class Reading:
    """What one file's reading found: constructs, ids, integrations, APIs, values and routes."""

    constructs: dict[str, int] = field(default_factory=dict)    # variable -> line of its construct
    ids: dict[str, str] = field(default_factory=dict)           # variable -> construct id
    integrations: dict[str, str] = field(default_factory=dict)  # integration variable -> function variable
    apis: dict[str, Api] = field(default_factory=dict)         # variable -> API
    values: dict[str, Any] = field(default_factory=dict)        # variable -> expression assigned to it
    # Python: every expression a variable is assigned, for one reassigned between routes (`resource = ...`)
    assigned: dict[str, list[Any]] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    # Python: the file's functions and methods by name (None for a name two of them share), and the
    # calls of each by that name (`self._add_routes(resource, fn)`, `add_routes(resource, fn)`), so a
    # route added to a resource (or with a function) passed in as a parameter is read at each call.
    helpers: dict[str, Any] = field(default_factory=dict)
    helper_calls: dict[str, list[Any]] = field(default_factory=dict)


def access(options: dict[str, str], prefix: str = "") -> Access:
    """What an options object (`{authorizer, authorizationType, apiKeyRequired}`) says."""
    def get(*names: str) -> str | None:
        return next((options[prefix + name] for name in names if prefix + name in options), None)

    kind = get("authorizationType", "authorization_type")
    authorizer = get("authorizer", "defaultAuthorizer", "default_authorizer")
    name: str | None = None
    if kind is not None:
        name = kind.rpartition(".")[2].upper()
        name = None if name in NO_AUTH else name
    elif authorizer and "NoneAuthorizer" not in authorizer and authorizer not in ("None", "undefined", "null"):
        name = authorizer
    api_key = get("apiKeyRequired", "api_key_required")
    return Access(name, None if api_key is None else api_key.strip().lower() == "true")


def is_lambda_integration(kind: str) -> bool:
    """Whether a construct of this kind is an integration invoking a Lambda function."""
    return kind.endswith("LambdaIntegration") or kind == V1_HTTP_INTEGRATION


def join(path: str, part: str) -> str:
    """A resource path with one more part."""
    return f"{path.rstrip('/')}/{part.strip('/')}"


def short(name: str) -> str:
    """The last part of a dotted name (`apigw.RestApi` → `RestApi`)."""
    return name.rpartition(".")[2]
