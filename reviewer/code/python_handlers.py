"""Which functions of a Python module Lambda (or an event router) calls with the event.

A handler has the event as its first parameter and the context as its second (`def
handler(event, context)`); a route function of a Powertools or Chalice app is decorated with the
route it serves (`@app.get("/orders/<order_id>")`) and reads the request from
`app.current_event` / `app.current_request`. Used by the LR306 reader to know where event data
enters.
"""

from __future__ import annotations

import ast

EVENT_NAMES = frozenset({"event", "evt", "_event", "lambda_event"})
CONTEXT_NAMES = frozenset({"context", "ctx", "_context", "lambda_context", "_ctx", "_"})
ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "route"})
# The request an event router (Powertools, Chalice) exposes to route functions.
ROUTER_EVENTS = frozenset({"current_event", "current_request"})



def handler_like(node: ast.AST) -> bool:
    """A function Lambda could call: its first parameter is the event, its second the context."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = [arg.arg for arg in node.args.posonlyargs + node.args.args]
    if not params or params[0] not in EVENT_NAMES:
        return False
    return (len(params) == 2 and params[1] in CONTEXT_NAMES) or (
        len(params) <= 2 and "handler" in node.name.lower())


def handler_functions(tree: ast.Module) -> list[str]:
    """Top-level handler-shaped functions, then route functions of a Powertools or Chalice app."""
    handlers = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and handler_like(node)]
    return handlers + [name for name in route_functions(tree) if name not in handlers]


def route_functions(tree: ast.Module) -> list[str]:
    """Functions an event router calls for a route (`@app.get("/orders/<id>")`, `@app.route(...)`):
    their parameters come from the request path, and `app.current_event` is the event."""
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
