"""HTTP routes of CDK apps (REST `RestApi`/`LambdaRestApi`, HTTP `HttpApi`), for LR305.

Read from the same source file as the function constructs, without running it:

- `new LambdaRestApi(this, 'Api', {handler: fn})` proxies every path to `fn` (`ANY /{proxy+}`)
  unless `proxy: false`; then, like `RestApi({defaultIntegration})`, the `addMethod` calls that
  name no integration use it.
- `resource.addMethod('GET', integration, {authorizer, authorizationType, apiKeyRequired})` is
  one route. The resource is followed through variables and chains (`api.root`,
  `.addResource('items')`, `.resourceForPath('a/b')`, `const items = ...`), the integration
  through a variable (`const i = new LambdaIntegration(fn)`); `defaultMethodOptions` of the API
  authorises the routes that say nothing.
- `httpApi.addRoutes({path, methods, integration: new HttpLambdaIntegration('Id', fn), authorizer})`
  is one route per method; the API's `defaultAuthorizer` covers the routes that say nothing. CDK
  v1 spells the integration `new LambdaProxyIntegration({handler: fn})`.

A function is known by the variable its construct is assigned to (`const fn = new Function(...)`,
`this.handler = new Function(...)`, `self.fn = _lambda.Function(...)`), matched to the inventory
by the construct's line. A route whose function (or integration) is named through another object
(`props.handler`, `this.functions.orders`, an `__init__` parameter in Python) and is not
constructed in the file is handed back as a `PendingRoute`, for `cdk/route_links.py` to follow
across files.
Kept apart from the construct readers, which are read differently (see cdk.py), so each can
change without the other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.method_routes import method_routes
from reviewer.inventory.cdk.proxy_routes import LANGUAGES, proxy_apis
from reviewer.inventory.cdk.route_links import PendingRoute
from reviewer.model import Function, HttpRoute, Location
from reviewer.python_downgrade import parse_python

_NO_AUTH = ("NONE", "")
_REST_APIS = ("RestApi", "LambdaRestApi")
_HTTP_APIS = ("HttpApi",)
_RESOURCE_CALLS = ("addResource", "resourceForPath", "addProxy", "add_resource", "resource_for_path", "add_proxy")
_MAX_DEPTH = 32
_MAX_OPTION_HOPS = 4         # `const a = b` chains followed to an options object literal
_UNKNOWN_PART = "*"          # a path part computed at synth time (`addResource(config.name)`)
_V1_HTTP_INTEGRATION = "LambdaProxyIntegration"   # CDK v1 aws-apigatewayv2-integrations: `{handler: fn}`


@dataclass(frozen=True)
class _Access:
    """What a method's options (or an API's defaults) say about who may call a route."""

    authorizer: str | None = None
    api_key: bool | None = None


@dataclass
class _Api:
    """An API construct: its default handler, whether it proxies, its line and its kind."""

    handler: str | None          # function variable of `handler` / `defaultIntegration`
    proxy: bool                  # LambdaRestApi proxying every path to its handler
    default: _Access
    line: int
    http: bool = False


@dataclass
class _Route:
    """One route of an API: its path, method, target function and access."""

    api: str
    path: str
    verb: str
    target: str | None           # function variable; None: the API's handler
    access: _Access
    line: int


@dataclass
class _Reading:
    """What one file's reading found: constructs, ids, integrations, APIs, values and routes."""

    constructs: dict[str, int] = field(default_factory=dict)    # variable -> line of its construct
    ids: dict[str, str] = field(default_factory=dict)           # variable -> construct id
    integrations: dict[str, str] = field(default_factory=dict)  # integration variable -> function variable
    apis: dict[str, _Api] = field(default_factory=dict)         # variable -> API
    values: dict[str, Any] = field(default_factory=dict)        # variable -> expression assigned to it
    # Python: every expression a variable is assigned, for one reassigned between routes (`resource = ...`)
    assigned: dict[str, list[Any]] = field(default_factory=dict)
    routes: list[_Route] = field(default_factory=list)


def attach_cdk_routes(rel: str, text: str, functions: list[Function]) -> list[PendingRoute]:
    """Add the routes a CDK source file declares to the functions constructed in it.

    Returns the routes whose function is named through another object and not constructed here.
    """
    if "LambdaRestApi" not in text and "LambdaIntegration" not in text and _V1_HTTP_INTEGRATION not in text:
        return []
    language = st.language_for(rel)
    if language in LANGUAGES:
        _attach_proxy_routes(rel, language, text, functions)
        return []
    try:
        reading = _python(text) if rel.endswith(".py") else _typescript(rel, text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    by_line = by_construct_line(functions)
    by_id = {function.name: function for function in functions}
    pending: list[PendingRoute] = []

    def functions_of(variable: str | None) -> list[Function]:
        if not variable:
            return []
        line = reading.constructs.get(variable)
        found = by_line.get(line, []) if line is not None else []
        named = by_id.get(reading.ids.get(variable, ""))
        return found or ([named] if named is not None else [])

    def attach(variable: str | None, route: HttpRoute) -> None:
        found = functions_of(variable)
        for function in found:
            function.routes.append(route)
        if not found and variable and variable not in reading.constructs:
            pending.append(PendingRoute(rel, variable, route))

    for declared in reading.apis.values():
        if declared.http:
            attach(declared.handler, _route("ANY", "$default", declared.default, Location(rel, declared.line)))
        elif declared.proxy:
            attach(declared.handler, _route("ANY", "/{proxy+}", declared.default, Location(rel, declared.line)))
    for route in reading.routes:
        api = reading.apis.get(route.api)
        default = api.default if api else _Access()
        access = _Access(route.access.authorizer if route.access.authorizer is not None else default.authorizer,
                         route.access.api_key if route.access.api_key is not None else default.api_key)
        attach(route.target if route.target is not None else (api.handler if api else None),
               _route(route.verb.upper(), route.path, access, Location(rel, route.line)))
    return pending


def _attach_proxy_routes(rel: str, language: str, text: str, functions: list[Function]) -> None:
    """Java, Kotlin, C# and Go: the `LambdaRestApi` proxy route (see `cdk/proxy_routes.py`) and
    the methods added to a REST API's resources (`cdk/method_routes.py`)."""
    try:
        apis, stored = proxy_apis(language, text)
        methods, _ = method_routes(language, text)
    except (ValueError, RecursionError, MemoryError):
        return
    by_line = by_construct_line(functions)
    for api in apis:
        for function in by_line.get(stored.get(api.handler, -1), []):
            function.routes.append(_route("ANY", "$default" if api.http else "/{proxy+}", _access(api.options),
                                          Location(rel, api.line)))
    for method in methods:
        for function in by_line.get(stored.get(method.function, -1), []):
            function.routes.append(_route(method.verb, method.path, _access(method.options),
                                          Location(rel, method.line)))


def _route(verb: str, path: str, access: _Access, location: Location) -> HttpRoute:
    return HttpRoute(verb, path, access.authorizer, location, api_key_required=bool(access.api_key))


def _access(options: dict[str, str], prefix: str = "") -> _Access:
    """What an options object (`{authorizer, authorizationType, apiKeyRequired}`) says."""
    def get(*names: str) -> str | None:
        return next((options[prefix + name] for name in names if prefix + name in options), None)

    kind = get("authorizationType", "authorization_type")
    authorizer = get("authorizer", "defaultAuthorizer", "default_authorizer")
    name: str | None = None
    if kind is not None:
        name = kind.rpartition(".")[2].upper()
        name = None if name in _NO_AUTH else name
    elif authorizer and "NoneAuthorizer" not in authorizer and authorizer not in ("None", "undefined", "null"):
        name = authorizer
    api_key = get("apiKeyRequired", "api_key_required")
    return _Access(name, None if api_key is None else api_key.strip().lower() == "true")


def _is_lambda_integration(kind: str) -> bool:
    return kind.endswith("LambdaIntegration") or kind == _V1_HTTP_INTEGRATION


def _join(path: str, part: str) -> str:
    return f"{path.rstrip('/')}/{part.strip('/')}"


# -- TypeScript / JavaScript ---------------------------------------------------------------------


def _typescript(rel: str, text: str) -> _Reading:
    tree = st.parse_file(rel if st.language_for(rel) else "app.ts", text)
    reading = _Reading()
    if tree is None:
        return reading
    for node in st.walk(tree.root_node):
        if node.type in ("variable_declarator", "assignment_expression", "public_field_definition"):
            target = node.child_by_field_name("name") or node.child_by_field_name("left")
            value = st.unwrap(node.child_by_field_name("value") or node.child_by_field_name("right"))
            variable = _ts_name(target)
            if node.type == "public_field_definition" and variable:
                variable = f"this.{variable}"
            if variable and value is not None:
                _ts_assignment(reading, variable, value)
        elif node.type == "new_expression" and _short(st.call_name(node)) in _REST_APIS + _HTTP_APIS:
            parent = node.parent
            while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                         "non_null_expression", "await_expression"):
                parent = parent.parent
            if parent is None or parent.type not in ("variable_declarator", "assignment_expression",
                                                     "public_field_definition"):
                _ts_api(reading, f"<api:{st.line(node)}>", node)
    for node in st.walk(tree.root_node):
        if node.type == "call_expression":
            _ts_call(reading, node)
    return reading


def _ts_name(node: Any) -> str:
    """`a.b.c` like `st.dotted`, and also `this.fn` (a construct kept on the stack)."""
    node = st.unwrap(node)
    if node is None:
        return ""
    if node.type == "this":
        return "this"
    if node.type == "shorthand_property_identifier":    # `{ integration }` names the variable
        return st.text(node)
    if node.type == "member_expression":
        base = _ts_name(node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        return f"{base}.{st.text(prop)}" if base and prop is not None else ""
    return st.dotted(node)


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def _ts_assignment(reading: _Reading, variable: str, value: Any) -> None:
    reading.values[variable] = value
    if value.type != "new_expression":
        return
    kind = _short(st.call_name(value))
    if kind in _REST_APIS + _HTTP_APIS:
        _ts_api(reading, variable, value)
    elif _is_lambda_integration(kind):
        target = _ts_integration_target(value)
        if target:
            reading.integrations[variable] = target
    else:
        arguments = st.arguments(value)
        if len(arguments) >= 2:
            reading.constructs[variable] = st.line(value)
            if (construct_id := st.string_value(arguments[1])) is not None:
                reading.ids[variable] = construct_id


def _ts_integration_target(node: Any) -> str | None:
    """The function a `new LambdaIntegration(fn)` / `new HttpLambdaIntegration('Id', fn)` /
    `new LambdaProxyIntegration({handler: fn})` invokes."""
    arguments = st.arguments(node)
    if _short(st.call_name(node)) == _V1_HTTP_INTEGRATION:
        return _ts_name(_ts_property(arguments[0], "handler")) or None if arguments else None
    index = 1 if _short(st.call_name(node)).startswith("Http") else 0
    return _ts_name(arguments[index]) or None if len(arguments) > index else None


def _ts_api(reading: _Reading, variable: str, node: Any) -> None:
    kind = _short(st.call_name(node))
    arguments = st.arguments(node)
    props = _ts_known(reading, arguments[2]) if len(arguments) > 2 else None
    options = _ts_object(props, reading)
    handler = options.get("handler") if kind == "LambdaRestApi" else None
    integration = _ts_property(props, "defaultIntegration")
    if handler is None and integration is not None:
        handler = _ts_integration(reading, integration)
    if kind in _HTTP_APIS:
        default = _access(options)
    else:
        default = _access(options, "defaultMethodOptions.")
    reading.apis[variable] = _Api(handler, kind == "LambdaRestApi" and options.get("proxy") != "false",
                                  default, st.line(node), http=kind in _HTTP_APIS)


def _ts_property(node: Any, name: str) -> Any:
    if node is None or node.type != "object":
        return None
    for entry in node.named_children:
        if entry.type == "pair" and st.text(entry.child_by_field_name("key")) == name:
            return st.unwrap(entry.child_by_field_name("value"))
        if entry.type == "shorthand_property_identifier" and st.text(entry) == name:
            return entry                     # `{ integration, methods }`: the variable of that name
    return None


def _ts_known(reading: _Reading, node: Any) -> Any:
    """The object literal an options argument names through a variable (`const authorized =
    {authorizationType, authorizer}` then `addMethod('GET', i, authorized)`), else `node` as written."""
    for _ in range(_MAX_OPTION_HOPS):
        node = st.unwrap(node)
        if node is None or node.type not in ("identifier", "member_expression"):
            break
        value = reading.values.get(_ts_name(node))
        if value is None or value is node:
            break
        node = value
    return node


def _ts_object(node: Any, reading: _Reading | None = None, depth: int = 0) -> dict[str, str]:
    """An object literal's entries as written, nested ones as `outer.inner`; with `reading`, one
    named through a variable, and the entries of a spread variable (`{...authorized, apiKeyRequired:
    true}`), are read too."""
    entries: dict[str, str] = {}
    if reading is not None:
        node = _ts_known(reading, node)
    if node is None or node.type != "object" or depth > _MAX_OPTION_HOPS:
        return entries
    for entry in node.named_children:
        if entry.type == "spread_element" and reading is not None and entry.named_children:
            entries.update(_ts_object(entry.named_children[0], reading, depth + 1))
        elif entry.type == "pair":
            key = entry.child_by_field_name("key")
            value = entry.child_by_field_name("value")
            entries[st.text(key)] = st.string_value(value) or st.text(value)
            if value is not None and value.type == "object":
                for inner_key, inner_value in _ts_object(value).items():
                    entries[f"{st.text(key)}.{inner_key}"] = inner_value
        elif entry.type == "shorthand_property_identifier":
            entries[st.text(entry)] = st.text(entry)
    return entries


def _ts_integration(reading: _Reading, node: Any) -> str | None:
    """The function variable an integration expression invokes; None when it is not a Lambda one."""
    node = st.unwrap(node)
    if node is None:
        return None
    if node.type == "new_expression":
        return _ts_integration_target(node) if _is_lambda_integration(_short(st.call_name(node))) else None
    name = _ts_name(node)
    if name in reading.integrations:
        return reading.integrations[name]
    # An integration handed over (`props.ordersIntegration`, a destructured prop): followed across files.
    return name or None if name not in reading.values else None


def _ts_place(reading: _Reading, node: Any, depth: int = 0) -> tuple[str, str] | None:
    """(API variable, path) of a resource expression: `api.root`, a chain of `addResource`, a variable."""
    node = st.unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.type == "member_expression" and st.text(node.child_by_field_name("property")) == "root":
        api = _ts_name(node.child_by_field_name("object"))
        return (api, "/") if api in reading.apis else None
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            return None
        method = st.text(function.child_by_field_name("property"))
        if method not in _RESOURCE_CALLS:
            return None
        parent = _ts_place(reading, function.child_by_field_name("object"), depth + 1)
        arguments = st.arguments(node)
        part = "{proxy+}" if method == "addProxy" else (st.string_value(arguments[0]) if arguments else None)
        return (parent[0], _join(parent[1], part or _UNKNOWN_PART)) if parent else None
    name = _ts_name(node)
    if name in reading.apis:
        return name, "/"
    if name in reading.values:
        return _ts_place(reading, reading.values[name], depth + 1)
    return None


def _ts_call(reading: _Reading, node: Any) -> None:
    function = node.child_by_field_name("function")
    if function is None or function.type != "member_expression":
        return
    prop = function.child_by_field_name("property")
    method = st.text(prop)
    if method not in ("addMethod", "addRoutes"):
        return
    arguments = st.arguments(node)
    line = st.line(prop) if prop is not None else st.line(node)
    if method == "addRoutes":
        api = _ts_name(function.child_by_field_name("object"))
        props = _ts_known(reading, arguments[0]) if arguments else None
        invoked = _ts_integration(reading, _ts_property(props, "integration"))
        if api not in reading.apis or not invoked:
            return
        options = _ts_object(props, reading)
        methods = _ts_property(props, "methods")
        verbs = [_short(st.string_value(item) or st.text(item)) for item in methods.named_children] \
            if methods is not None and methods.type == "array" else ["ANY"]
        for method_verb in verbs:
            reading.routes.append(_Route(api, options.get("path", "/"), method_verb, invoked, _access(options),
                                         line))
        return
    verb: str | None = st.string_value(arguments[0]) if arguments else None
    place = _ts_place(reading, function.child_by_field_name("object"))
    if verb is None or place is None or verb.upper() == "OPTIONS":
        return
    target: str | None = None
    if len(arguments) > 1 and arguments[1].type not in ("undefined", "null"):
        target = _ts_integration(reading, arguments[1])
        if target is None:
            return                                   # another kind of integration
    options = _ts_object(arguments[2] if len(arguments) > 2 else None, reading)
    reading.routes.append(_Route(place[0], place[1], verb, target, _access(options), line))


# -- Python ----------------------------------------------------------------------------------------


def _python(text: str) -> _Reading:
    tree = parse_python(text)
    reading = _Reading()
    for node in ast.walk(tree):
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if target is not None and isinstance(value, ast.expr):
            variable = _py_dotted(target)
            if variable:
                _py_assignment(reading, variable, value)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                _short(_py_dotted(node.value.func)) in _REST_APIS + _HTTP_APIS:
            _py_api(reading, f"<api:{node.lineno}>", node.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _py_call(reading, node)
    return reading


def _py_dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return ""


def _py_value(value: ast.expr) -> str:
    if isinstance(value, ast.Constant):
        return str(value.value)
    return _py_dotted(value) or ast.unparse(value)


def _py_options(call: ast.expr | None) -> dict[str, str]:
    """Keyword arguments of a call (or entries of a dict literal), nested ones as `outer.inner`."""
    pairs: list[tuple[str, ast.expr]] = []
    if isinstance(call, ast.Call):
        pairs = [(keyword.arg, keyword.value) for keyword in call.keywords if keyword.arg is not None]
    elif isinstance(call, ast.Dict):
        pairs = [(key.value, value) for key, value in zip(call.keys, call.values, strict=True)
                 if isinstance(key, ast.Constant) and isinstance(key.value, str)]
    entries: dict[str, str] = {}
    for name, value in pairs:
        entries[name] = _py_value(value)
        if isinstance(value, (ast.Call, ast.Dict)):
            for inner_key, inner_value in _py_options(value).items():
                entries[f"{name}.{inner_key}"] = inner_value
    return entries


def _py_keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _py_assignment(reading: _Reading, variable: str, value: ast.expr) -> None:
    reading.values[variable] = value
    reading.assigned.setdefault(variable, []).append(value)
    if not isinstance(value, ast.Call):
        return
    kind = _short(_py_dotted(value.func))
    if kind in _REST_APIS + _HTTP_APIS:
        _py_api(reading, variable, value)
    elif _is_lambda_integration(kind):
        target = _py_integration(reading, value)
        if target:
            reading.integrations[variable] = target
    elif len(value.args) >= 2 and kind and kind[0].isupper():
        reading.constructs[variable] = value.lineno
        if isinstance(value.args[1], ast.Constant) and isinstance(value.args[1].value, str):
            reading.ids[variable] = value.args[1].value


def _py_api(reading: _Reading, variable: str, call: ast.Call) -> None:
    kind = _short(_py_dotted(call.func))
    options = _py_options(call)
    handler = options.get("handler") if kind == "LambdaRestApi" else None
    integration = _py_keyword(call, "default_integration")
    if handler is None and integration is not None:
        handler = _py_integration(reading, integration)
    default = _access(options) if kind in _HTTP_APIS else _access(options, "default_method_options.")
    reading.apis[variable] = _Api(handler, kind == "LambdaRestApi" and options.get("proxy") != "False",
                                  default, call.lineno, http=kind in _HTTP_APIS)


def _py_value_at(reading: _Reading, name: str, line: int) -> ast.expr | None:
    """What `name` holds at `line`: of a variable assigned again and again (`resource = api.root.add_resource(
    "a")`, its method, then `resource = ...("b")`), the last assignment written before the line."""
    written = [value for value in reading.assigned.get(name, []) if value.lineno < line]
    return max(written, key=lambda value: value.lineno) if written else reading.values.get(name)


def _py_integration(reading: _Reading, node: ast.expr) -> str | None:
    """The function variable an integration expression invokes; None when it is not a Lambda one."""
    if isinstance(node, ast.Name) and len(reading.assigned.get(node.id, [])) > 1:
        held = _py_value_at(reading, node.id, node.lineno)
        if isinstance(held, ast.Call) and _is_lambda_integration(_short(_py_dotted(held.func))):
            return _py_integration(reading, held)
    if isinstance(node, ast.Call):
        kind = _short(_py_dotted(node.func))
        if not _is_lambda_integration(kind):
            return None
        index = 1 if kind.startswith("Http") else 0
        argument = node.args[index] if len(node.args) > index else _py_keyword(node, "handler")
        return _py_dotted(argument) or None if argument is not None else None
    name = _py_dotted(node)
    if name in reading.integrations:
        return reading.integrations[name]
    # An integration handed over (`integration` parameter, `self.backend.integration`): followed across files.
    return name or None if name not in reading.values else None


def _py_place(reading: _Reading, node: ast.expr, depth: int = 0) -> tuple[str, str] | None:
    """(API variable, path) of a resource expression: `api.root`, a chain of `add_resource`, a variable."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.Attribute) and node.attr == "root":
        api = _py_dotted(node.value)
        return (api, "/") if api in reading.apis else None
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Attribute) or node.func.attr not in _RESOURCE_CALLS:
            return None
        parent = _py_place(reading, node.func.value, depth + 1)
        part = "{proxy+}" if node.func.attr == "add_proxy" else (
            node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None)
        return (parent[0], _join(parent[1], str(part or _UNKNOWN_PART))) if parent else None
    name = _py_dotted(node)
    if name in reading.apis:
        return name, "/"
    held = _py_value_at(reading, name, node.lineno) if name in reading.values else None
    return _py_place(reading, held, depth + 1) if held is not None else None


def _py_call(reading: _Reading, call: ast.Call) -> None:
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in ("add_method", "add_routes"):
        return
    line = call.func.end_lineno or call.lineno
    if call.func.attr == "add_routes":
        api = _py_dotted(call.func.value)
        integration = _py_keyword(call, "integration")
        invoked = _py_integration(reading, integration) if integration is not None else None
        if api not in reading.apis or not invoked:
            return
        options = {key: value for key, value in _py_options(call).items() if not key.startswith("integration")}
        methods = _py_keyword(call, "methods")
        verbs = [_short(_py_value(item)) for item in methods.elts] \
            if isinstance(methods, (ast.List, ast.Tuple)) else ["ANY"]
        for method in verbs:
            reading.routes.append(_Route(api, options.get("path", "/"), method, invoked, _access(options), line))
        return
    verb: Any = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else \
        getattr(_py_keyword(call, "http_method"), "value", None)
    place = _py_place(reading, call.func.value)
    if not isinstance(verb, str) or place is None or verb.upper() == "OPTIONS":
        return
    target: str | None = None
    integration = call.args[1] if len(call.args) > 1 else _py_keyword(call, "integration")
    if integration is not None and not (isinstance(integration, ast.Constant) and integration.value is None):
        target = _py_integration(reading, integration)
        if target is None:
            return                                   # another kind of integration
    options = {key: value for key, value in _py_options(call).items() if not key.startswith("integration")}
    reading.routes.append(_Route(place[0], place[1], verb, target, _access(options), line))
