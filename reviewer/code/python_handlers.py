"""Which functions of a Python module Lambda (or an event router) calls with the event.

A handler has the event as its first parameter and the context as its second (`def
handler(event, context)`); a route function of a Powertools or Chalice app is decorated with the
route it serves (`@app.get("/orders/<order_id>")`) and reads the request from
`app.current_event` / `app.current_request`. Used by the LR306 reader to know where event data
enters.
"""

from __future__ import annotations

import ast

from reviewer.code.handler_names import names_a_handler

EVENT_NAMES = frozenset({"event", "evt", "_event", "lambda_event"})
CONTEXT_NAMES = frozenset({"context", "ctx", "_context", "lambda_context", "_ctx", "_"})
ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "route"})
# The request an event router (Powertools, Chalice) exposes to route functions.
ROUTER_EVENTS = frozenset({"current_event", "current_request"})



def handler_like(node: ast.AST) -> bool:
    """A function Lambda could call: its first parameter is the event, its second the context (or,
    with one parameter or an unusual second, `handler` is a word of its name)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = [arg.arg for arg in node.args.posonlyargs + node.args.args]
    if not params or params[0] not in EVENT_NAMES:
        return False
    return (len(params) == 2 and params[1] in CONTEXT_NAMES) or (
        len(params) <= 2 and names_a_handler(node.name))


def handler_functions(tree: ast.Module) -> list[str]:
    """Top-level handler-shaped functions, then route functions of a Powertools or Chalice app."""
    handlers = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and handler_like(node)]
    return handlers + [name for name in route_functions(tree) if name not in handlers]


def route_functions(tree: ast.Module) -> list[str]:
    """Functions an event router calls for a route (`@app.get("/orders/<id>")`, `@app.route(...)`):
    their parameters come from the request (Powertools and Chalice: its path), and `app.current_event` is the event."""
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else None
            if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS and \
                    isinstance(target.value, ast.Name) and isinstance(decorator, ast.Call) and decorator.args and \
                    isinstance(decorator.args[0], ast.Constant) and str(decorator.args[0].value).startswith("/"):
                found.append(node.name)
                break
    return found


def path_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The names a route function's decorator reads from the URL path (`/orders/{order_id}`,
    Powertools' `/orders/<order_id>`); FastAPI fills its other parameters from the query string,
    headers or body, so a finding names them as coming from the request, not its path."""
    names: set[str] = set()
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and decorator.args and isinstance(decorator.args[0], ast.Constant) \
                and isinstance(decorator.args[0].value, str):
            for part in decorator.args[0].value.split("/"):
                if len(part) > 2 and (part[0], part[-1]) in (("{", "}"), ("<", ">")):
                    names.add(part[1:-1].split(":")[0].strip())
    return frozenset(names)


def dependency_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Parameters FastAPI fills by calling a dependency (`db: Session = Depends(get_db)`,
    `Annotated[Settings, Depends(get_settings)]`, `Security(...)`): the app's own objects (a
    session, settings, the signed-in user), not values the caller wrote into the request."""
    positional = node.args.posonlyargs + node.args.args
    defaults: list[tuple[ast.arg, ast.expr | None]] = [
        *zip(positional, [None] * (len(positional) - len(node.args.defaults)) + list(node.args.defaults), strict=True),
        *zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)]
    names = set()
    for arg, default in defaults:
        annotation = arg.annotation
        metadata = annotation.slice.elts[1:] if isinstance(annotation, ast.Subscript) and \
            _last_name(annotation.value) == "Annotated" and isinstance(annotation.slice, ast.Tuple) else []
        if any(isinstance(value, ast.Call) and _last_name(value.func) in ("Depends", "Security")
               for value in [default, *metadata] if value is not None):
            names.add(arg.arg)
    return frozenset(names)


# Types FastAPI converts a request value to before the route function runs (it answers 422 to
# anything else): an int, a UUID or a date prints as digits and dashes, never as shell, SQL or HTML.
VALIDATED_SCALARS = frozenset({"int", "float", "bool", "complex", "UUID", "UUID1", "UUID3", "UUID4", "UUID5",
                               "date", "datetime", "time", "timedelta", "Decimal", "PositiveInt", "NegativeInt",
                               "NonNegativeInt", "NonPositiveInt", "PositiveFloat", "NegativeFloat", "StrictInt",
                               "StrictFloat", "StrictBool", "Literal"})
VALIDATING_FRAMEWORKS = frozenset({"fastapi"})


def scalar_annotation(annotation: ast.expr | None) -> bool:
    """Whether a route parameter's annotation makes a validating framework hand over a number, a
    UUID, a date or one of a few literals (`int`, `uuid.UUID`, `Optional[int]`, `int | None`,
    `Annotated[int, Path()]`, `Literal["asc", "desc"]`), never free text."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return all(_none(side) or scalar_annotation(side) for side in (annotation.left, annotation.right)) and \
            not (_none(annotation.left) and _none(annotation.right))
    if isinstance(annotation, ast.Subscript):
        name = _last_name(annotation.value)
        inner = annotation.slice
        if name == "Literal":
            return True
        if name == "Optional":
            return scalar_annotation(inner)
        if name == "Annotated" and isinstance(inner, ast.Tuple) and inner.elts:
            return scalar_annotation(inner.elts[0])
        if name == "Union" and isinstance(inner, ast.Tuple):
            return all(_none(element) or scalar_annotation(element) for element in inner.elts)
        return False
    return _last_name(annotation) in VALIDATED_SCALARS


def _none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None or _last_name(node) == "None"


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""
