"""What a Python CDK helper that passes its `**kwargs` on to a Lambda construct takes from its callers.

    def create_lambda_function(self, func_id, **kwargs):
        if "runtime" not in kwargs:
            kwargs["runtime"] = _lambda.Runtime.PYTHON_3_13
        kwargs.setdefault("code", _lambda.Code.from_asset("src"))
        return _lambda.Function(self, func_id, **kwargs)

called as `Util.create_lambda_function(self, "Query", handler="query.handler")`: the keyword
arguments of each call are the construct's properties, and the helper's own defaults (`setdefault`,
an assignment under `if "k" not in kwargs`, or `kwargs.get("k", default)` passed explicitly) stand
for the keys a call leaves out. The helper's construct as written is read with those defaults, so
it is no function "passed in `**kwargs`" once its defaults name a runtime; each call is one
function (`cdk/factories.py` across modules, `cdk/python.py` within one), which takes the runtime,
handler, code folder, code signing and environment (`cdk/python_environment.py`) a call passes.

An unconditional `kwargs["k"] = value` is the helper's own choice: it is read as written and no
call can change it. One made under another condition (`if debug:`) is not read. Nothing is run;
only these statement shapes, in the helper's body or under an `if`, are read.
"""

from __future__ import annotations

import ast

from reviewer.inventory.cdk.python_props_objects import props_spread

# What a caller's keyword argument sets of the function: (role, keyword).
KEYWORD_ROLES = (("runtime", "runtime"), ("handler", "handler"), ("asset", "code"),
                 ("signing", "code_signing_config"), ("environment", "environment"))
MAX_STATEMENTS = 400

Helper = ast.FunctionDef | ast.AsyncFunctionDef


def kwargs_name(helper: Helper | None) -> str | None:
    """The name of the helper's `**` parameter, if it has one; else of the dict it copies a props
    object parameter into and spreads (`cdk/python_props_objects.py`)."""
    kwarg = helper.args.kwarg if helper is not None else None
    if kwarg is not None:
        return kwarg.arg
    spread = props_spread(helper) if helper is not None else None
    return spread[0] if spread is not None else None


def spreads(call: ast.Call, helper: Helper | None) -> bool:
    """Whether the construct call passes the helper's `**kwargs` on whole (`Function(..., **kwargs)`)."""
    name = kwargs_name(helper)
    return name is not None and any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == name
                                    for k in call.keywords)


def read_key(value: ast.expr | None, name: str) -> tuple[str, ast.expr | None] | None:
    """`kwargs.get("k", default)`, `kwargs.pop("k", default)` or `kwargs["k"]`: ("k", the default
    or None) when `value` reads one key of the `**` parameter `name`."""
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == name \
            and isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str):
        return value.slice.value, None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("get", "pop") \
            and isinstance(value.func.value, ast.Name) and value.func.value.id == name and value.args \
            and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
        return value.args[0].value, value.args[1] if len(value.args) > 1 else None
    return None


def defaults(helper: Helper) -> dict[str, tuple[ast.expr, bool, int]]:
    """The values the helper gives keys of its `**` parameter: key → (value, forced, line of the
    value), `forced` when the assignment is unconditional (the caller's value does not count)."""
    name = kwargs_name(helper)
    found: dict[str, tuple[ast.expr, bool, int]] = {}
    if name is None:
        return found
    # (statement, the key an enclosing `if "k" not in kwargs` tests, whether under another `if`)
    pending: list[tuple[ast.stmt, str | None, bool]] = [(s, None, False) for s in reversed(helper.body)]
    seen = 0
    while pending and seen < MAX_STATEMENTS:
        statement, unless, conditional = pending.pop()
        seen += 1
        if isinstance(statement, ast.If):
            tested = _missing_key(statement.test, name)
            pending.extend((s, unless, True) for s in reversed(statement.orelse))
            pending.extend((s, tested or unless, conditional or tested is None) for s in reversed(statement.body))
            continue
        if isinstance(statement, ast.Expr):
            default = _set_default(statement.value, name)
            if default is not None and (not conditional or unless is not None):
                found.setdefault(default[0], (default[1], False, default[1].lineno))
            continue
        target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        held = read_key(target, name) if isinstance(target, ast.Subscript) else None
        if held is None or not isinstance(statement, ast.Assign):
            continue
        key, value = held[0], statement.value
        kept = read_key(value, name)   # `kwargs["k"] = kwargs.get("k", default)`
        if kept is not None and kept[0] == key:
            if kept[1] is not None and not conditional:
                found.setdefault(key, (kept[1], False, kept[1].lineno))
        elif unless == key:
            found.setdefault(key, (value, False, value.lineno))
        elif not conditional:
            found[key] = (value, True, value.lineno)   # the helper's own choice
    return found


def written_defaults(call: ast.Call, helper: Helper | None) -> list[ast.keyword]:
    """The keywords the helper's defaults add to a construct call that spreads its `**kwargs`,
    each at the line of its value (what the construct is when a caller passes none of them)."""
    if helper is None or not spreads(call, helper):
        return []
    keywords = []
    for key, (value, _, line) in defaults(helper).items():
        keyword = ast.keyword(arg=key, value=value)
        keyword.lineno = line
        keywords.append(keyword)
    return keywords


def default_of(value: ast.expr, helper: Helper | None) -> ast.expr:
    """`runtime=kwargs.get("runtime", Runtime.PYTHON_3_12)` in the construct call: the default."""
    name = kwargs_name(helper)
    held = read_key(value, name) if name is not None else None
    return held[1] if held is not None and held[1] is not None else value


def passable(call: ast.Call, helper: Helper | None, parameters: list[str]) -> dict[str, str]:
    """Role → the keyword a caller sets it with, for the roles of `KEYWORD_ROLES` the helper takes
    from its `**` parameter (spread whole, or read with `kwargs.get("k", ...)`), neither written in
    the construct call otherwise nor forced by the helper."""
    name = kwargs_name(helper)
    if helper is None or name is None:
        return {}
    whole = spreads(call, helper)
    read = {k.arg for k in call.keywords if k.arg is not None and (held := read_key(k.value, name)) is not None
            and held[0] == k.arg}
    written = {k.arg for k in call.keywords if k.arg is not None and k.arg not in read}
    forced = {key for key, (_, is_forced, _) in defaults(helper).items() if is_forced}
    return {role: key for role, key in KEYWORD_ROLES
            if (whole or key in read) and key not in written and key not in forced and key not in parameters}


def _set_default(value: ast.expr, name: str) -> tuple[str, ast.expr] | None:
    """`kwargs.setdefault("k", value)`: ("k", value)."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "setdefault" \
            and isinstance(value.func.value, ast.Name) and value.func.value.id == name and len(value.args) == 2 \
            and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
        return value.args[0].value, value.args[1]
    return None


def _missing_key(test: ast.expr, name: str) -> str | None:
    """`"k" not in kwargs`, `kwargs.get("k") is None` or `not kwargs.get("k")`: the key tested."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn) \
            and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str) \
            and isinstance(test.comparators[0], ast.Name) and test.comparators[0].id == name:
        return test.left.value
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        held = read_key(test.left, name)
        return held[0] if held is not None else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        held = read_key(test.operand, name)
        return held[0] if held is not None else None
    return None


__all__ = ["KEYWORD_ROLES", "default_of", "defaults", "kwargs_name", "passable", "read_key", "spreads",
           "written_defaults"]
