"""A Python CDK helper that takes its Lambda construct's properties as one props object, copied
into a dict that the construct call spreads.

    def traced_python_function(scope, id, props: PythonFunctionProps) -> PythonFunction:
        settings = {k: v for k, v in props.__dict__["_values"].items()}
        settings["tracing"] = lambda_.Tracing.ACTIVE
        if "memory_size" not in settings:
            settings["memory_size"] = 1024
        return PythonFunction(scope, id, **settings)

called as `traced_python_function(self, "orders", props=PythonFunctionProps(entry="src/orders",
runtime=Runtime.PYTHON_3_12, ...))`: the keywords of each call's props object are the construct's
properties, as a `**kwargs` helper's callers' keywords are (`cdk/python_kwargs.py`, which reads the
helper's own `settings["k"] = ...` and `if "k" not in settings` for this dict as for `**kwargs`).
Read alone, the helper's construct was one function "passed in `**settings`", with no runtime, and
none of its callers' functions was listed.

The dict is known by its one assignment in the helper from one parameter and nothing else (a
comprehension over it, `dict(props._values)`, `vars(props)`, `props.__dict__["_values"]`); a
caller's props object is a call of a `...Props` class (`PythonFunctionProps(...)`,
`lambda_.FunctionProps(...)`) or a dict literal, whose keywords (or keys) are read.
"""

from __future__ import annotations

import ast

from reviewer.inventory.cdk.python_names import dotted_parts

# Role → the props keyword that sets it (the kwargs roles, and a `PythonFunction`'s entry and index).
PROPS_ROLES = (("runtime", "runtime"), ("handler", "handler"), ("asset", "code"), ("entry", "entry"),
               ("index", "index"), ("signing", "code_signing_config"), ("environment", "environment"))
# Calls that copy a mapping or an object's fields without adding any of their own.
_COPIES = frozenset({"dict", "vars", "copy", "deepcopy"})
MAX_STATEMENTS = 400


def props_spread(helper: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, str] | None:
    """(the dict's name, the parameter it copies) when the helper spreads `**name` into a call and
    assigns `name` once, from that one parameter and nothing else."""
    parameters = {a.arg for a in (*helper.args.posonlyargs, *helper.args.args, *helper.args.kwonlyargs)}
    assigned: dict[str, list[ast.expr]] = {}
    spread: set[str] = set()
    for seen, node in enumerate(ast.walk(helper)):
        if seen > MAX_STATEMENTS * 20:
            return None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).append(node.value)
        elif isinstance(node, ast.Call):
            spread.update(k.value.id for k in node.keywords if k.arg is None and isinstance(k.value, ast.Name))
    for name in sorted(spread):
        values = assigned.get(name, [])
        if len(values) == 1 and name not in parameters:
            source = _only_parameter(values[0], parameters)
            if source is not None:
                return name, source
    return None


def props_value(node: ast.expr | None, key: str) -> ast.expr | None:
    """What a caller's props object sets `key` to: a keyword of a `...Props(...)` call, or a key
    of a dict literal; None when it sets none or is another expression."""
    if isinstance(node, ast.Call) and (parts := dotted_parts(node.func)) and parts[-1].endswith("Props"):
        return next((k.value for k in node.keywords if k.arg == key), None)
    if isinstance(node, ast.Dict):
        return next((value for name, value in zip(node.keys, node.values, strict=True)
                     if isinstance(name, ast.Constant) and name.value == key), None)
    return None


def _only_parameter(value: ast.expr, parameters: set[str]) -> str | None:
    """The one parameter `value` reads, when it reads no other name than its own comprehension's
    variables and the copying built-ins."""
    bound: set[str] = set()
    for node in ast.walk(value):
        if isinstance(node, ast.comprehension):
            bound.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
    read = {node.id for node in ast.walk(value) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    if not isinstance(value, (ast.DictComp, ast.Call, ast.Subscript, ast.Attribute)):
        return None
    free = read - bound - _COPIES
    return next(iter(free)) if len(free) == 1 and free <= parameters else None


__all__ = ["PROPS_ROLES", "props_spread", "props_value"]
