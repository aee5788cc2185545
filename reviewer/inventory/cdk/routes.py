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

from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.class_factories import parameter_names
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.method_routes import method_routes
from reviewer.inventory.cdk.proxy_routes import LANGUAGES, proxy_apis
from reviewer.inventory.cdk.route_links import PendingRoute
from reviewer.inventory.cdk.route_reading import (
    HTTP_APIS, MAX_DEPTH, MAX_OPTION_HOPS, RESOURCE_CALLS, REST_APIS, UNKNOWN_PART, V1_HTTP_INTEGRATION, Access, Api,
    Reading, Route, access, is_lambda_integration, join, short,
)
from reviewer.inventory.cdk.routes_python import python_reading
from reviewer.model import Function, HttpRoute, Location

_MAX_CALL_SITES = 16     # calls of one helper read for the routes it adds
_TS_SCOPES = ("method_definition", "function_declaration", "arrow_function", "function_expression", "function")
_TS_NAMED = ("method_definition", "function_declaration")

def attach_cdk_routes(rel: str, text: str, functions: list[Function]) -> list[PendingRoute]:
    """Add the routes a CDK source file declares to the functions constructed in it.

    Returns the routes whose function is named through another object and not constructed here.
    """
    if "LambdaRestApi" not in text and "LambdaIntegration" not in text and V1_HTTP_INTEGRATION not in text:
        return []
    language = st.language_for(rel)
    if language in LANGUAGES:
        _attach_proxy_routes(rel, language, text, functions)
        return []
    try:
        reading = python_reading(text) if rel.endswith(".py") else _typescript(rel, text)
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
        default = api.default if api else Access()
        access = Access(route.access.authorizer if route.access.authorizer is not None else default.authorizer,
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
            function.routes.append(_route("ANY", "$default" if api.http else "/{proxy+}", access(api.options),
                                          Location(rel, api.line)))
    for method in methods:
        for function in by_line.get(stored.get(method.function, -1), []):
            function.routes.append(_route(method.verb, method.path, access(method.options),
                                          Location(rel, method.line)))


def _route(verb: str, path: str, access: Access, location: Location) -> HttpRoute:
    return HttpRoute(verb, path, access.authorizer, location, api_key_required=bool(access.api_key))



# -- TypeScript / JavaScript ---------------------------------------------------------------------


def _typescript(rel: str, text: str) -> Reading:
    tree = st.parse_file(rel if st.language_for(rel) else "app.ts", text)
    reading = Reading()
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
        elif node.type == "new_expression" and short(st.call_name(node)) in REST_APIS + HTTP_APIS:
            parent = node.parent
            while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                         "non_null_expression", "await_expression"):
                parent = parent.parent
            if parent is None or parent.type not in ("variable_declarator", "assignment_expression",
                                                     "public_field_definition"):
                _ts_api(reading, f"<api:{st.line(node)}>", node)
    calls = [node for node in st.walk(tree.root_node) if node.type == "call_expression"]
    for node in calls:
        callee = node.child_by_field_name("function")
        name = st.text(callee.child_by_field_name("property")) if callee is not None \
            and callee.type == "member_expression" and st.text(callee.child_by_field_name("object")) == "this" \
            else st.text(callee) if callee is not None and callee.type == "identifier" else None
        if name:
            reading.helper_calls.setdefault(name, []).append(node)
    for node in calls:
        for passed in _ts_at_each_call(reading, node):
            _ts_call(reading, node, passed)
    return reading


def _ts_at_each_call(reading: Reading, node: Any) -> list[dict[str, Any]]:
    """What each call of the method or function holding an `addMethod` call passes for the
    parameters that call uses (`resource.addMethod('GET', new LambdaIntegration(fn))` in
    `private addRoute(resource: IResource, fn: IFunction)`, called `this.addRoute(items, listFn)`):
    one map per call of it in the file, or one empty map when it uses none."""
    function = node.child_by_field_name("function")
    if function is None or function.type != "member_expression" or \
            st.text(function.child_by_field_name("property")) != "addMethod":
        return [{}]
    holder = next((a for a in st.ancestors(node) if a.type in _TS_SCOPES), None)
    key = holder.child_by_field_name("name") if holder is not None and holder.type in _TS_NAMED else None
    if holder is None or key is None:
        return [{}]
    parameters = [name for name in parameter_names(holder) if name]
    used = {st.text(n) for n in st.walk(node) if n.type == "identifier"}
    passed = [name for name in parameters if name in used]
    bindings = []
    for site in reading.helper_calls.get(st.text(key), [])[:_MAX_CALL_SITES]:
        given = {name: argument for name, argument in zip(parameters, st.arguments(site), strict=False)
                 if name in passed}
        if given:
            bindings.append(given)
    return bindings if passed and bindings else [{}]


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


def _ts_assignment(reading: Reading, variable: str, value: Any) -> None:
    reading.values[variable] = value
    if value.type != "new_expression":
        return
    kind = short(st.call_name(value))
    if kind in REST_APIS + HTTP_APIS:
        _ts_api(reading, variable, value)
    elif is_lambda_integration(kind):
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
    if short(st.call_name(node)) == V1_HTTP_INTEGRATION:
        return _ts_name(_ts_property(arguments[0], "handler")) or None if arguments else None
    index = 1 if short(st.call_name(node)).startswith("Http") else 0
    return _ts_name(arguments[index]) or None if len(arguments) > index else None


def _ts_api(reading: Reading, variable: str, node: Any) -> None:
    kind = short(st.call_name(node))
    arguments = st.arguments(node)
    props = _ts_known(reading, arguments[2]) if len(arguments) > 2 else None
    options = _ts_object(props, reading)
    handler = options.get("handler") if kind == "LambdaRestApi" else None
    integration = _ts_property(props, "defaultIntegration")
    if handler is None and integration is not None:
        handler = _ts_integration(reading, integration)
    if kind in HTTP_APIS:
        default = access(options)
    else:
        default = access(options, "defaultMethodOptions.")
    reading.apis[variable] = Api(handler, kind == "LambdaRestApi" and options.get("proxy") != "false",
                                  default, st.line(node), http=kind in HTTP_APIS)


def _ts_property(node: Any, name: str) -> Any:
    if node is None or node.type != "object":
        return None
    for entry in node.named_children:
        if entry.type == "pair" and st.text(entry.child_by_field_name("key")) == name:
            return st.unwrap(entry.child_by_field_name("value"))
        if entry.type == "shorthand_property_identifier" and st.text(entry) == name:
            return entry                     # `{ integration, methods }`: the variable of that name
    return None


# The options of a method a file may set on its options object after writing it, each a statement
# of its own (`authorizationOptions.authorizationType = apigateway.AuthorizationType.COGNITO`).
_ASSIGNED_OPTIONS = ("authorizationType", "authorizer", "apiKeyRequired")


def _ts_known(reading: Reading, node: Any) -> Any:
    """The object literal an options argument names through a variable (`const authorized =
    {authorizationType, authorizer}` then `addMethod('GET', i, authorized)`), else `node` as written."""
    for _ in range(MAX_OPTION_HOPS):
        node = st.unwrap(node)
        if node is None or node.type not in ("identifier", "member_expression"):
            break
        value = reading.values.get(_ts_name(node))
        if value is None or value is node:
            break
        node = value
    return node


def _ts_object(node: Any, reading: Reading | None = None, depth: int = 0) -> dict[str, str]:
    """An object literal's entries as written, nested ones as `outer.inner`; with `reading`, one
    named through a variable, and the entries of a spread variable (`{...authorized, apiKeyRequired:
    true}`), are read too."""
    entries: dict[str, str] = {}
    named = _ts_name(node) if reading is not None and getattr(st.unwrap(node), "type", "") == "identifier" else ""
    if reading is not None:
        node = _ts_known(reading, node)
    if node is None or node.type != "object" or depth > MAX_OPTION_HOPS:
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
    if named and reading is not None:   # `options.authorizer = props.authorizer` after `const options = {...}`
        for key in _ASSIGNED_OPTIONS:
            value = reading.values.get(f"{named}.{key}")
            if value is not None:
                entries[key] = st.string_value(value) or st.text(value)
    return entries


def _ts_integration(reading: Reading, node: Any) -> str | None:
    """The function variable an integration expression invokes; None when it is not a Lambda one."""
    node = st.unwrap(node)
    if node is None:
        return None
    if node.type == "new_expression":
        return _ts_integration_target(node) if is_lambda_integration(short(st.call_name(node))) else None
    name = _ts_name(node)
    if name in reading.integrations:
        return reading.integrations[name]
    # An integration handed over (`props.ordersIntegration`, a destructured prop): followed across files.
    return name or None if name not in reading.values else None


def _ts_place(reading: Reading, node: Any, depth: int = 0, passed: dict[str, Any] | None = None
              ) -> tuple[str, str] | None:
    """(API variable, path) of a resource expression: `api.root`, a chain of `addResource`, a
    variable, a parameter of the helper holding the route (what the call of it `passed`)."""
    node = st.unwrap(node)
    if node is None or depth > MAX_DEPTH:
        return None
    if passed and node.type == "identifier" and st.text(node) in passed:
        return _ts_place(reading, passed[st.text(node)], depth + 1)
    if node.type == "member_expression" and st.text(node.child_by_field_name("property")) == "root":
        api = _ts_name(node.child_by_field_name("object"))
        return (api, "/") if api in reading.apis else None
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            return None
        method = st.text(function.child_by_field_name("property"))
        if method not in RESOURCE_CALLS:
            return None
        parent = _ts_place(reading, function.child_by_field_name("object"), depth + 1, passed)
        arguments = st.arguments(node)
        part = "{proxy+}" if method == "addProxy" else (st.string_value(arguments[0]) if arguments else None)
        return (parent[0], join(parent[1], part or UNKNOWN_PART)) if parent else None
    name = _ts_name(node)
    if name in reading.apis:
        return name, "/"
    if name in reading.values:
        return _ts_place(reading, reading.values[name], depth + 1)
    return None


def _ts_call(reading: Reading, node: Any, passed: dict[str, Any]) -> None:
    """One `addMethod` or `addRoutes` call as a route; `passed`: what a call of the helper holding
    it passes for the helper's parameters (`_ts_at_each_call`)."""
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
        verbs = [short(st.string_value(item) or st.text(item)) for item in methods.named_children] \
            if methods is not None and methods.type == "array" else ["ANY"]
        for method_verb in verbs:
            reading.routes.append(Route(api, options.get("path", "/"), method_verb, invoked, access(options),
                                         line))
        return
    def given(argument: Any) -> Any:
        return passed.get(st.text(argument), argument) if argument.type == "identifier" else argument

    verb: str | None = st.string_value(given(arguments[0])) if arguments else None
    place = _ts_place(reading, function.child_by_field_name("object"), passed=passed)
    if verb is None or place is None or verb.upper() == "OPTIONS":
        return
    target: str | None = None
    if len(arguments) > 1 and arguments[1].type not in ("undefined", "null"):
        target = _ts_integration(reading, given(arguments[1]))
        if target is None:
            return                                   # another kind of integration
        if target in passed:                         # `new LambdaIntegration(fn)`, `fn` a parameter
            target = _ts_name(passed[target]) or target
    options = _ts_object(arguments[2] if len(arguments) > 2 else None, reading)
    reading.routes.append(Route(place[0], place[1], verb, target, access(options), line))
