"""The Python reader of CDK routes (see `cdk/routes.py`): the APIs, integrations, constructs and
`add_method`/`add_routes` calls of one Python file."""

from __future__ import annotations

import ast
import copy
from typing import Any

from reviewer.inventory.cdk.route_reading import (
    HTTP_APIS, MAX_DEPTH, RESOURCE_CALLS, REST_APIS, UNKNOWN_PART, Api, Reading, Route, access, is_lambda_integration,
    join, short,
)
from reviewer.python_downgrade import parse_python
from reviewer.inventory.cdk.python_names import dotted_parts

_MAX_CALL_SITES = 16     # calls of one helper read for the routes it adds, and routes one add_method makes
_MAX_HELPER_HOPS = 2     # helpers that pass a resource on to another helper, followed so deep


def python_reading(text: str) -> Reading:
    """What one Python CDK source declares: its APIs, integrations, constructs and routes."""
    tree = parse_python(text)
    reading = Reading()
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
                short(_py_dotted(node.value.func)) in REST_APIS + HTTP_APIS:
            _py_api(reading, f"<api:{node.lineno}>", node.value)
    _index_helpers(reading, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for bound in _at_each_call(reading, node):
                _py_call(reading, bound)
    return reading


def _index_helpers(reading: Reading, tree: ast.AST) -> None:
    """The file's functions and methods by name, and the calls of each by that name."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            reading.helpers[node.name] = None if node.name in reading.helpers else node
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                else None
            if name is not None:
                reading.helper_calls.setdefault(name, []).append(node)


def _enclosing(reading: Reading, node: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function or method of the file that holds `node`."""
    holders = [helper for helper in reading.helpers.values() if helper is not None
               and helper.lineno <= node.lineno <= (helper.end_lineno or helper.lineno)]
    return max(holders, key=lambda helper: helper.lineno, default=None)


def _parameters(helper: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The parameters a caller fills, in order (`self` and `cls` are the instance's)."""
    names = [argument.arg for argument in helper.args.posonlyargs + helper.args.args]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _reassigned(helper: ast.AST, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
               for node in ast.walk(helper))


def _at_each_call(reading: Reading, call: ast.Call, where: ast.expr | None = None, hops: int = 0) -> list[ast.Call]:
    """An `add_method` call as it reads at each call of the helper that holds it, when it uses the
    helper's parameters (`api_resource.add_method("GET", LambdaIntegration(handler=fn))` in a method
    its constructor calls with `entity_id_resource`): each is a copy with the caller's expressions
    in place of the parameters, so the route is the caller's resource's. Else the call as written.
    `where` is the call of the helper whose caller is read next (a helper passing a resource on)."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "add_method" or hops > _MAX_HELPER_HOPS:
        return [call]
    helper = _enclosing(reading, where or call)
    if helper is None:
        return [call]
    parameters = _parameters(helper)
    used = {node.id for node in ast.walk(call) if isinstance(node, ast.Name)}
    passed = [name for name in parameters if name in used and not _reassigned(helper, name)]
    calls = reading.helper_calls.get(helper.name, [])[:_MAX_CALL_SITES]
    if not passed or not calls:
        return [call]
    bound: list[ast.Call] = []
    for site in calls:
        arguments = dict(zip(parameters, site.args, strict=False))
        arguments.update({keyword.arg: keyword.value for keyword in site.keywords if keyword.arg is not None})
        given = {name: arguments[name] for name in passed if name in arguments}
        if given:
            bound.extend(_at_each_call(reading, _Substitute(given).visit(copy.deepcopy(call)), site, hops + 1))
        if len(bound) >= _MAX_CALL_SITES:
            break
    return bound[:_MAX_CALL_SITES] or [call]


class _Substitute(ast.NodeTransformer):
    """Puts a caller's argument expressions in place of a helper's parameter names."""

    def __init__(self, given: dict[str, ast.expr]) -> None:
        self.given = given

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.given.get(node.id, node)


def _py_dotted(node: ast.expr) -> str:
    """`a.b.c` as written; "" for anything but a plain dotted name."""
    return ".".join(dotted_parts(node))


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


def _py_assignment(reading: Reading, variable: str, value: ast.expr) -> None:
    reading.values[variable] = value
    reading.assigned.setdefault(variable, []).append(value)
    if not isinstance(value, ast.Call):
        return
    kind = short(_py_dotted(value.func))
    if kind in REST_APIS + HTTP_APIS:
        _py_api(reading, variable, value)
    elif is_lambda_integration(kind):
        target = _py_integration(reading, value)
        if target:
            reading.integrations[variable] = target
    elif len(value.args) >= 2 and kind and kind[0].isupper():
        reading.constructs[variable] = value.lineno
        if isinstance(value.args[1], ast.Constant) and isinstance(value.args[1].value, str):
            reading.ids[variable] = value.args[1].value


def _py_api(reading: Reading, variable: str, call: ast.Call) -> None:
    kind = short(_py_dotted(call.func))
    options = _py_options(call)
    handler = options.get("handler") if kind == "LambdaRestApi" else None
    integration = _py_keyword(call, "default_integration")
    if handler is None and integration is not None:
        handler = _py_integration(reading, integration)
    default = access(options) if kind in HTTP_APIS else access(options, "default_method_options.")
    reading.apis[variable] = Api(handler, kind == "LambdaRestApi" and options.get("proxy") != "False",
                                  default, call.lineno, http=kind in HTTP_APIS)


def _py_value_at(reading: Reading, name: str, line: int) -> ast.expr | None:
    """What `name` holds at `line`: of a variable assigned again and again (`resource = api.root.add_resource(
    "a")`, its method, then `resource = ...("b")`), the last assignment written before the line."""
    written = [value for value in reading.assigned.get(name, []) if value.lineno < line]
    return max(written, key=lambda value: value.lineno) if written else reading.values.get(name)


def _py_integration(reading: Reading, node: ast.expr) -> str | None:
    """The function variable an integration expression invokes; None when it is not a Lambda one."""
    if isinstance(node, ast.Name) and len(reading.assigned.get(node.id, [])) > 1:
        held = _py_value_at(reading, node.id, node.lineno)
        if isinstance(held, ast.Call) and is_lambda_integration(short(_py_dotted(held.func))):
            return _py_integration(reading, held)
    if isinstance(node, ast.Call):
        kind = short(_py_dotted(node.func))
        if not is_lambda_integration(kind):
            return None
        index = 1 if kind.startswith("Http") else 0
        argument = node.args[index] if len(node.args) > index else _py_keyword(node, "handler")
        return _py_dotted(argument) or None if argument is not None else None
    name = _py_dotted(node)
    if name in reading.integrations:
        return reading.integrations[name]
    # An integration handed over (`integration` parameter, `self.backend.integration`): followed across files.
    return name or None if name not in reading.values else None


def _py_place(reading: Reading, node: ast.expr, depth: int = 0) -> tuple[str, str] | None:
    """(API variable, path) of a resource expression: `api.root`, a chain of `add_resource`, a variable."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Attribute) and node.attr == "root":
        api = _py_api_named(reading, _py_dotted(node.value))
        return (api, "/") if api is not None else None
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Attribute) or node.func.attr not in RESOURCE_CALLS:
            return None
        parent = _py_place(reading, node.func.value, depth + 1)
        # `add_resource("auth")` or `add_resource(path_part="auth", default_cors_preflight_options=...)`
        written = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "path_part"), None)
        part = "{proxy+}" if node.func.attr == "add_proxy" else (
            written.value if isinstance(written, ast.Constant) else None)
        return (parent[0], join(parent[1], str(part or UNKNOWN_PART))) if parent else None
    name = _py_dotted(node)
    if name in reading.apis:
        return name, "/"
    held = _py_value_at(reading, name, node.lineno) if name in reading.values else None
    return _py_place(reading, held, depth + 1) if held is not None else None


def _py_api_named(reading: Reading, name: str) -> str | None:
    """The API variable `name` stands for: itself, or the API a method of the file builds and returns
    (`self.rest_api = self._build_api_gw()`, whose `return rest_api` is a `RestApi`)."""
    for _ in range(_MAX_HELPER_HOPS + 1):
        if name in reading.apis:
            return name
        held = reading.values.get(name)
        called = held.func if isinstance(held, ast.Call) else None
        callee = called.attr if isinstance(called, ast.Attribute) else called.id if isinstance(called, ast.Name) \
            else None
        helper = reading.helpers.get(callee) if callee is not None else None
        returned = {_py_dotted(node.value) for node in ast.walk(helper)
                    if isinstance(node, ast.Return) and node.value is not None} if helper is not None else set()
        if len(returned) != 1:
            return None
        name = returned.pop()
    return None


def _py_call(reading: Reading, call: ast.Call) -> None:
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
        verbs = [short(_py_value(item)) for item in methods.elts] \
            if isinstance(methods, (ast.List, ast.Tuple)) else ["ANY"]
        for method in verbs:
            reading.routes.append(Route(api, options.get("path", "/"), method, invoked, access(options), line))
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
        target = _py_in_scope(reading, target, call)
    options = {key: value for key, value in _py_options(call).items() if not key.startswith("integration")}
    reading.routes.append(Route(place[0], place[1], verb, target, access(options), line))


def _py_in_scope(reading: Reading, variable: str, call: ast.Call) -> str:
    """The construct a function variable holds where the route is added: two helpers of a file may
    each keep theirs in a local of one name (`lambda_function = _lambda.Function(...)`), which names
    the last one file-wide. The one the route's own helper makes is kept under `variable@line`."""
    made = [value for value in reading.assigned.get(variable, []) if isinstance(value, ast.Call)]
    helper = _enclosing(reading, call) if len(made) > 1 else None
    inside = [value for value in made if helper is not None
              and helper.lineno <= value.lineno <= (helper.end_lineno or helper.lineno)]
    if len(inside) != 1 or reading.constructs.get(variable) is None:
        return variable
    scoped = f"{variable}@{inside[0].lineno}"
    reading.constructs[scoped] = inside[0].lineno
    if len(inside[0].args) > 1 and isinstance(inside[0].args[1], ast.Constant) and \
            isinstance(inside[0].args[1].value, str):
        reading.ids[scoped] = inside[0].args[1].value
    return scoped
