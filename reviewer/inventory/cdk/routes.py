"""HTTP routes of CDK apps (`LambdaRestApi`, `LambdaIntegration` on `addMethod`), for LR305.

Read from the same source file as the function constructs, without running it:

- `new LambdaRestApi(this, 'Api', {handler: fn})` proxies every path to `fn` (`ANY /{proxy+}`)
  unless `proxy: false`; with `proxy: false`, `addMethod` calls without an integration use it.
- `resource.addMethod('GET', new LambdaIntegration(fn), {authorizer, authorizationType})` is one
  route; `defaultMethodOptions` of the API authorises the routes that say nothing.

A function is known by the variable its construct is assigned to (`const fn = new Function(this,
'Orders', ...)` → construct id `Orders`). Kept apart from the construct readers, which are read
differently (see cdk.py), so each can change without the other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reviewer import source_trees as st
from reviewer.model import Function, HttpRoute, Location

_NO_AUTH = ("NONE", "")


@dataclass
class _Api:
    handler: str | None
    proxy: bool
    default_auth: str | None
    line: int


@dataclass
class _Reading:
    ids: dict[str, str] = field(default_factory=dict)           # variable -> construct id
    apis: dict[str, _Api] = field(default_factory=dict)         # variable -> LambdaRestApi
    resources: dict[str, str] = field(default_factory=dict)     # resource variable -> API variable
    paths: dict[str, str] = field(default_factory=dict)         # resource variable -> its path
    methods: list[tuple[str, str, str | None, str | None, int]] = field(default_factory=list)
    # (resource variable, verb, function variable, authorization, line)


def attach_cdk_routes(rel: str, text: str, functions: list[Function]) -> None:
    """Add the routes a CDK source file declares to the functions constructed in it."""
    if "LambdaRestApi" not in text and "LambdaIntegration" not in text:
        return
    try:
        reading = _python(text) if rel.endswith(".py") else _typescript(rel, text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    by_id = {function.name: function for function in functions}

    def function_of(variable: str | None) -> Function | None:
        return by_id.get(reading.ids.get(variable or "", ""))

    for rest_api in reading.apis.values():
        function = function_of(rest_api.handler)
        if rest_api.proxy and function is not None:
            function.routes.append(HttpRoute("ANY", "/{proxy+}", rest_api.default_auth,
                                             Location(rel, rest_api.line)))
    for resource, verb, target, authorization, line in reading.methods:
        api = reading.apis.get(reading.resources.get(resource, resource))
        function = function_of(target if target is not None else (api.handler if api else None))
        if function is None:
            continue
        authorizer = authorization if authorization is not None else (api.default_auth if api else None)
        function.routes.append(HttpRoute(verb.upper(), reading.paths.get(resource, "/"), authorizer,
                                         Location(rel, line)))


def _auth_of(options: dict[str, str]) -> str | None:
    """What an options object (`{authorizer, authorizationType}`) says authorises a route."""
    kind = options.get("authorizationType") or options.get("authorization_type")
    if kind is not None:
        name = kind.rpartition(".")[2].upper()
        return None if name in _NO_AUTH else name
    if options.get("authorizer"):
        return options["authorizer"]
    return None


# -- TypeScript / JavaScript ---------------------------------------------------------------------


def _typescript(rel: str, text: str) -> _Reading:
    tree = st.parse_file(rel if st.language_for(rel) else "app.ts", text)
    reading = _Reading()
    if tree is None:
        return reading
    for node in st.walk(tree.root_node):
        if node.type == "variable_declarator" or node.type == "assignment_expression":
            target = node.child_by_field_name("name") or node.child_by_field_name("left")
            value = node.child_by_field_name("value") or node.child_by_field_name("right")
            variable = st.dotted(target)
            if variable and value is not None:
                _ts_assignment(reading, variable, value)
        elif node.type == "call_expression":
            _ts_add_method(reading, node)
        if node.type == "new_expression" and st.call_name(node).rpartition(".")[2] == "LambdaRestApi":
            parent = node.parent
            named = parent.child_by_field_name("name") if parent is not None and \
                parent.type == "variable_declarator" else None
            _ts_rest_api(reading, st.dotted(named) or f"<api:{st.line(node)}>", node)
    return reading


def _ts_rest_api(reading: _Reading, variable: str, node: object) -> None:
    arguments = _ts_arguments(node)
    options = _ts_object(arguments[2] if len(arguments) > 2 else None)
    default = _auth_of({key.partition(".")[2]: item for key, item in options.items()
                        if key.startswith("defaultMethodOptions.")})
    reading.apis[variable] = _Api(options.get("handler"), options.get("proxy") != "false", default,
                                  st.line(node))  # type: ignore[arg-type]


def _ts_arguments(node: object) -> list:
    arguments = node.child_by_field_name("arguments")  # type: ignore[attr-defined]
    return [child for child in arguments.named_children if child.type != "comment"] if arguments else []


def _ts_object(node: object | None) -> dict[str, str]:
    entries: dict[str, str] = {}
    if node is None or node.type != "object":  # type: ignore[attr-defined]
        return entries
    for entry in node.named_children:  # type: ignore[attr-defined]
        if entry.type == "pair":
            key = entry.child_by_field_name("key")
            value = entry.child_by_field_name("value")
            entries[st.text(key)] = st.string_value(value) or st.text(value)
            if value is not None and value.type == "object":
                for inner_key, inner_value in _ts_object(value).items():
                    entries[f"{st.text(key)}.{inner_key}"] = inner_value
        elif entry.type == "shorthand_property_identifier":
            entries[st.text(entry)] = st.text(entry)
    return entries


def _ts_assignment(reading: _Reading, variable: str, value: object) -> None:
    while value is not None and value.type in ("await_expression", "parenthesized_expression", "as_expression"):  # type: ignore[attr-defined]
        value = value.named_children[0] if value.named_children else None  # type: ignore[attr-defined]
    if value is None:
        return
    if value.type == "new_expression":  # type: ignore[attr-defined]
        arguments = _ts_arguments(value)
        if len(arguments) >= 2 and (construct_id := st.string_value(arguments[1])) is not None:
            reading.ids[variable] = construct_id
    elif value.type == "call_expression":  # type: ignore[attr-defined]
        name = st.call_name(value)  # type: ignore[arg-type]
        base, _, method = name.rpartition(".")
        if method in ("addResource", "resourceForPath", "addProxy"):
            root = base.split(".")[0]
            reading.resources[variable] = reading.resources.get(root, root)
            arguments = _ts_arguments(value)
            part = st.string_value(arguments[0]) if arguments else None
            reading.paths[variable] = f"{reading.paths.get(root, '') if base == root else ''}/{part or '{proxy+}'}"


def _ts_add_method(reading: _Reading, node: object) -> None:
    name = st.call_name(node)  # type: ignore[arg-type]
    base, _, method = name.rpartition(".")
    if method != "addMethod":
        return
    arguments = _ts_arguments(node)
    verb = st.string_value(arguments[0]) if arguments else None
    if verb is None:
        return
    target: str | None = None
    if len(arguments) > 1:
        integration = arguments[1]
        if integration.type == "new_expression" and st.call_name(integration).endswith("LambdaIntegration"):
            inner = _ts_arguments(integration)
            target = st.dotted(inner[0]) if inner else None
        else:
            return                                   # another kind of integration
    options = _ts_object(arguments[2] if len(arguments) > 2 else None)
    root = base.split(".")[0]
    reading.methods.append((root if base == root else base.split(".")[0], verb, target, _auth_of(options),
                            st.line(node)))  # type: ignore[arg-type]


# -- Python ----------------------------------------------------------------------------------------


def _python(text: str) -> _Reading:
    tree = ast.parse(text)
    reading = _Reading()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            variable = _py_dotted(node.targets[0])
            if variable and isinstance(node.value, ast.Call):
                _py_assignment(reading, variable, node.value)
        elif isinstance(node, ast.Call):
            _py_add_method(reading, node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                _py_dotted(node.value.func).rpartition(".")[2] == "LambdaRestApi":
            _py_rest_api(reading, f"<api:{node.lineno}>", node.value)
    return reading


def _py_rest_api(reading: _Reading, variable: str, call: ast.Call) -> None:
    options = _py_options(call)
    default = _auth_of({key.partition(".")[2]: item for key, item in options.items()
                        if key.startswith("default_method_options.")})
    reading.apis[variable] = _Api(options.get("handler"), options.get("proxy") != "False", default, call.lineno)


def _py_dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return ""


def _py_options(call: ast.Call | None) -> dict[str, str]:
    entries: dict[str, str] = {}
    if call is None:
        return entries
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        value = keyword.value
        entries[keyword.arg] = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) \
            else (_py_dotted(value) or ast.unparse(value))
        if isinstance(value, ast.Call):
            for inner_key, inner_value in _py_options(value).items():
                entries[f"{keyword.arg}.{inner_key}"] = inner_value
    return entries


def _py_assignment(reading: _Reading, variable: str, call: ast.Call) -> None:
    name = _py_dotted(call.func)
    construct = name.rpartition(".")[2]
    if len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str):
        reading.ids[variable] = call.args[1].value
    if construct == "LambdaRestApi":
        _py_rest_api(reading, variable, call)
    elif construct in ("add_resource", "resource_for_path", "add_proxy") and isinstance(call.func, ast.Attribute):
        base = _py_dotted(call.func.value)
        root = base.split(".root")[0]
        reading.resources[variable] = reading.resources.get(root, root)
        part = str(call.args[0].value) if call.args and isinstance(call.args[0], ast.Constant) else "{proxy+}"
        reading.paths[variable] = f"{reading.paths.get(root, '') if base == root else ''}/{part}"


def _py_add_method(reading: _Reading, call: ast.Call) -> None:
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "add_method":
        return
    if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
        return
    target: str | None = None
    integration = call.args[1] if len(call.args) > 1 else next(
        (keyword.value for keyword in call.keywords if keyword.arg == "integration"), None)
    if integration is not None:
        if not (isinstance(integration, ast.Call) and _py_dotted(integration.func).endswith("LambdaIntegration")):
            return
        target = _py_dotted(integration.args[0]) if integration.args else None
    base = _py_dotted(call.func.value).split(".root")[0]
    options = {key: value for key, value in _py_options(call).items() if key != "integration"}
    reading.methods.append((base, call.args[0].value, target, _auth_of(options), call.lineno))
