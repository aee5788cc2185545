"""REST API methods (`resource.addMethod(...)`) and HTTP API routes (`api.addRoutes(...)`) of Java, Kotlin, C# and Go CDK apps, for LR305.

The TypeScript and Python readers of `cdk/routes.py` say what a route is; this one reads the same
calls as the other CDK languages spell them, through `cdk/values.py`'s `ValueReader`:

- the API: `RestApi.Builder.create(this, "Api")...build()`, `new RestApi(this, "Api", new
  RestApiProps {...})`, `awsapigateway.NewRestApi(stack, jsii.String("Api"), &props)` (and
  `LambdaRestApi` with `proxy` false, whose `handler` serves the methods that name no
  integration), with the
  `defaultMethodOptions` that authorise the methods saying nothing;
- the resource: `api.getRoot()` (Java), `api.root` (Kotlin), `api.Root` (C#), `api.Root()` (Go),
  then `addResource("dept")` / `AddResource(jsii.String("dept"), nil)`, `resourceForPath`,
  `addProxy`, through the variables of the file;
- the integration: `new LambdaIntegration(fn)`, `LambdaIntegration.Builder.create(fn)...build()`,
  `awsapigateway.NewLambdaIntegration(fn, nil)`, inline or in a variable; a method of another
  kind of integration (`MockIntegration`) invokes no function and is left out;
- the options (third argument): `authorizer`, `authorizationType`, `apiKeyRequired`;
- an HTTP API's routes: `api.addRoutes(AddRoutesOptions.builder().path("/x").methods(List.of(HttpMethod.GET))
  .integration(new HttpLambdaIntegration("Id", fn)).build())`, `api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
  Path: jsii.String("/x"), Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET}, Integration:
  integ.NewHttpLambdaIntegration(jsii.String("Id"), fn, nil)})`, C#'s `new AddRoutesOptions { ... }`: one route
  per method (`ANY` when none is written), authorised by the route's `authorizer` or the API's
  `defaultAuthorizer`; a route whose path or methods are computed when the app runs is left out.

A route is given to the function constructed in the file and stored in the variable the
integration names (matched to the inventory by the construct's line); `OPTIONS` methods are CORS
preflights, judged by nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.route_reading import V1_HTTP_INTEGRATION
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, as_call, assigned_name, chain_end, parts_of,
)
from reviewer.inventory.cdk.values import Env, Props, ValueReader

Node = tree_sitter.Node
LANGUAGES = frozenset({"java", "kotlin", "csharp", "go"})
MAX_DEPTH = 32
UNKNOWN_PART = "*"           # a path part computed when the app runs (`addResource(name)`)
_APIS = ("RestApi", "LambdaRestApi", "HttpApi")
_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"})
MAX_METHODS = 16             # methods read from one route's list
_RESOURCE_CALLS = frozenset({"addResource", "resourceForPath", "addProxy"})
_NO_VALUE = frozenset({"null", "nil", "undefined"})


@dataclass(frozen=True)
class MethodRoute:
    """One method: the variable holding the function it invokes, its verb and path, and what its
    options (over the API's defaults) say: `authorizer`, `authorizationType`, `apiKeyRequired`."""

    function: str
    verb: str
    path: str
    options: dict[str, str]
    line: int


@dataclass
class _Api:
    """A REST API of a Java, Kotlin, C# or Go app: its default handler and default method options."""

    handler: str | None
    defaults: dict[str, str] = field(default_factory=dict)
    # A `LambdaRestApi` proxying every path (the default): CDK refuses methods on its resources,
    # so none is a route (its one route is `cdk/proxy_routes.py`'s `ANY /{proxy+}`).
    proxying: bool = False
    http: bool = False           # an `HttpApi`, whose routes are added by `addRoutes`


def _lower(name: str | None) -> str:
    return (name or "")[:1].lower() + (name or "")[1:]


def _kind(call: Call) -> str:
    """The class a construct call makes: `RestApi` for `new RestApi(...)`, `RestApi.Builder.create(...)`
    and Go's `awsapigateway.NewRestApi(...)`."""
    callee = call.callee[:-2] if call.callee[-2:] == ["Builder", "create"] else call.callee
    name = callee[-1] if callee else ""
    return name[3:] if name.startswith("New") and name[3:4].isupper() and not call.is_new else name


def _props(reader: ValueReader, call: Call, position: int) -> Props:
    """The properties a construct call is given: the argument at `position`, or (Java, Kotlin) the
    builder chain `X.Builder.create(...)` starts."""
    if call.callee[-2:] == ["Builder", "create"]:
        top = chain_end(call.node)
        return reader.props(top, Env()) if top is not call.node else Props()
    return reader.props(call.args[position], Env()) if len(call.args) > position else Props()


def _options(reader: ValueReader, props: Props) -> dict[str, str]:
    """`{authorizer, authorizationType, apiKeyRequired}` as written, Go's `AuthorizationType_X` as `.X`."""
    options: dict[str, str] = {}
    for key, entry in props.entries.items():
        node = st.unwrap(entry.value) or entry.value
        call = as_call(node) if node.type in CALL_TYPES else None
        if call is not None and call.callee[:1] == ["jsii"] and len(call.args) == 1:
            node = st.unwrap(call.args[0]) or node     # Go's `jsii.Bool(true)`, `jsii.String("x")`
        value = st.string_value(node) or st.text(node)
        options[_lower(key)] = value.replace("AuthorizationType_", "AuthorizationType.")
    return options


class _Reader:
    def __init__(self, language: str, text: str) -> None:
        self.root = st.parse(language, text).root_node
        self.values = ValueReader(language, self.root, cdk_modules.symbols_of(language, self.root))
        self.apis: dict[str, _Api] = {}
        self.stored: dict[str, int] = {}

    def read(self) -> list[MethodRoute]:
        methods: list[Call] = []
        for node in st.walk(self.root):
            if node.type not in CALL_TYPES:
                continue
            call = as_call(node)
            if call is None:
                continue
            if len(call.args) >= 2 and (variable := assigned_name(node)) is not None:
                self.stored.setdefault(variable, st.line(node))
            if _kind(call) in _APIS and len(call.args) >= 2:
                self._api(call)
            elif _lower(call.method) in ("addMethod", "addRoutes") and call.receiver is not None and call.args:
                methods.append(call)
        routes: list[MethodRoute] = []
        for call in methods:
            if _lower(call.method) == "addRoutes":
                routes.extend(self._http_routes(call))
            elif (route := self._method(call)) is not None:
                routes.append(route)
        return routes

    def _http_routes(self, call: Call) -> list[MethodRoute]:
        """The routes one `addRoutes` of an HTTP API adds: one per method of its options."""
        api = self.apis.get(_name(call.receiver) or "")
        if api is None or not api.http:
            return []
        entries = {_lower(key): entry for key, entry in _props(self.values, call, 0).entries.items()}
        path = self.values.string(entries["path"].value, entries["path"].env) if "path" in entries else None
        integration = entries.get("integration")
        target = self._integration(integration.value, integration.env) if integration is not None else None
        verbs = _verbs(entries["methods"].value) if "methods" in entries else ["ANY"]
        if path is None or target is None or not verbs:
            return []
        options = dict(api.defaults)
        if "authorizer" in entries:
            options["authorizer"] = st.text(st.unwrap(entries["authorizer"].value) or entries["authorizer"].value)
        return [MethodRoute(target, verb, path, options, st.line(call.node)) for verb in verbs if verb != "OPTIONS"]

    def _api(self, call: Call) -> None:
        variable = assigned_name(call.node)
        if variable is None:
            return
        entries = {_lower(key): entry for key, entry in _props(self.values, call, 2).entries.items()}
        handler = entries.get("handler") if _kind(call) == "LambdaRestApi" else None
        target = _name(handler.value) if handler is not None else None
        if target is None and "defaultIntegration" in entries:
            target = self._integration(entries["defaultIntegration"].value, Env())
        if _kind(call) == "HttpApi":
            authorizer = entries.get("defaultAuthorizer")
            self.apis[variable] = _Api(None, {"defaultAuthorizer": st.text(st.unwrap(authorizer.value) or authorizer.value)}
                                       if authorizer is not None else {}, http=True)
            return
        defaults = entries.get("defaultMethodOptions")
        proxy = entries.get("proxy")
        self.apis[variable] = _Api(target, _options(self.values, self.values.props(defaults.value, defaults.env))
                                   if defaults is not None else {},
                                   proxying=_kind(call) == "LambdaRestApi" and (
                                       proxy is None or "false" not in st.text(proxy.value).lower()))

    def _method(self, call: Call) -> MethodRoute | None:
        verb = self.values.string(call.args[0], Env())
        place = self._place(call.receiver, Env(), 0)
        if verb is None or place is None or verb.upper() == "OPTIONS":
            return None
        api = self.apis[place[0]]
        if api.proxying:
            return None
        given = st.unwrap(call.args[1]) if len(call.args) > 1 else None
        if given is not None and st.text(given) not in _NO_VALUE:
            target = self._integration(given, Env())
        else:
            target = api.handler
        if target is None:
            return None
        options = dict(api.defaults)
        if len(call.args) > 2:
            options.update(_options(self.values, self.values.props(call.args[2], Env())))
        return MethodRoute(target, verb.upper(), place[1], options, st.line(call.args[0]))

    def _integration(self, node: Node | None, env: Env) -> str | None:
        """The variable of the function a Lambda integration invokes; None for another integration."""
        for _ in range(MAX_DEPTH):
            node = st.unwrap(node)
            if node is None:
                return None
            if node.type in IDENTIFIER_TYPES:
                bound = self.values.follow_name(st.text(node), env, near=node)
                if bound is None:
                    return None
                node, env = bound
                continue
            call = as_call(node) if node.type in CALL_TYPES else None
            root = _chain_root(call) if call is not None else None
            if root is not None and _kind(root) == "HttpLambdaIntegration" and len(root.args) >= 2:
                return _name(root.args[1])   # `new HttpLambdaIntegration("Id", fn)`
            if root is not None and _kind(root) == V1_HTTP_INTEGRATION:   # CDK v1: `{handler: fn}`
                handler = next((e for key, e in _props(self.values, root, 0).entries.items()
                                if _lower(key) == "handler"), None)
                return _name(handler.value) if handler is not None else None
            if root is None or _kind(root) != "LambdaIntegration" or not root.args:
                return None
            return _name(root.args[0])
        return None

    def _place(self, node: Node | None, env: Env, depth: int) -> tuple[str, str] | None:
        """(API variable, path) of a resource expression."""
        node = st.unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        if node.type in IDENTIFIER_TYPES:
            name = st.text(node)
            if name in self.apis:
                return name, "/"
            bound = self.values.follow_name(name, env, near=node)
            return self._place(bound[0], bound[1], depth + 1) if bound is not None else None
        if node.type in MEMBER_TYPES:   # `api.Root` (C#), `api.root` (Kotlin), `this.api` (a field)
            parts = parts_of(node) or st.text(node).split(".")
            if _lower(parts[-1]) == "root" and len(parts) >= 2 and parts[-2] in self.apis:
                return parts[-2], "/"
            return (parts[-1], "/") if parts[-1] in self.apis else None
        call = as_call(node) if node.type in CALL_TYPES else None
        if call is None or call.receiver is None:
            return None
        method = _lower(call.method)
        if method in ("root", "getRoot") and not call.args:   # Java `api.getRoot()`, Go `api.Root()`
            return self._place(call.receiver, env, depth + 1)
        if method not in _RESOURCE_CALLS:
            return None
        parent = self._place(call.receiver, env, depth + 1)
        if parent is None:
            return None
        part = "{proxy+}" if method == "addProxy" else (
            self.values.string(call.args[0], env) if call.args else None)
        return parent[0], f"{parent[1].rstrip('/')}/{(part or UNKNOWN_PART).strip('/')}"


def _verbs(node: Node | None) -> list[str]:
    """The methods a route's list writes (`HttpMethod.GET`, Go's `awsapigatewayv2.HttpMethod_GET`),
    in order; none when an element is computed (`route.HttpMethod`)."""
    node = st.unwrap(node)
    if node is None:
        return []
    verbs: list[str] = []
    named = [n for n in st.walk(node) if n.type in MEMBER_TYPES | IDENTIFIER_TYPES and "HttpMethod" in st.text(n)]
    for element in named[:MAX_METHODS * 4]:
        text = st.text(element)
        verb = text.rpartition("HttpMethod")[2].lstrip("._")
        if verb in _VERBS and verb not in verbs:
            verbs.append(verb)
    return verbs


def _chain_root(call: Call) -> Call:
    """`LambdaIntegration.Builder.create(fn)` from the `.build()` that ends its chain."""
    root = call
    for _ in range(200):
        receiver = st.unwrap(root.receiver) if root.receiver is not None else None
        inner = as_call(receiver) if receiver is not None and receiver.type in CALL_TYPES else None
        if inner is None:
            return root
        root = inner
    return root


def _name(node: Node | None) -> str | None:
    """`fn`, `this.fn`: the variable or field a function is kept in."""
    node = st.unwrap(node)
    if node is None or node.type not in IDENTIFIER_TYPES | MEMBER_TYPES:
        return None
    return st.text(node).rpartition(".")[2] or None


def method_routes(language: str, text: str) -> tuple[list[MethodRoute], dict[str, int]]:
    """The Lambda methods of one file's REST APIs, and each stored construct's variable → line."""
    reader = _Reader(language, text)
    routes = reader.read()
    return routes, reader.stored
