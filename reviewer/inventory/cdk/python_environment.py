"""The environment variables a Python CDK construct call writes, and those a helper's caller gives it.

`_lambda.Function(self, "Orders", ..., environment={"BUCKET": bucket.bucket_name, "KEY": "sk_..."})`:
each variable is a string as written (or the dynamic reference CDK writes for a secret read into
it), a construct's attribute (`bucket.bucket_name`) as the resource it names, or anything else as
computed by the app. A helper's construct that writes `environment=env` (its parameter, or a key of
its `**kwargs`) takes what each call passes: `create_lambda(self, "orders", environment={...})` is
read the same way at the call (`cdk/python.py` within one module, `cdk/factories.py` across modules
through `caller_environment.Variable`s), so a secret there is reported (LR304) and the loop check
knows which bucket or queue a variable names. A call that passes a variable of its own, or a dict
with a `**` spread, is not read whole, and says so.
"""

from __future__ import annotations

import ast

from reviewer import source_trees as st
from reviewer.inventory.cdk.caller_environment import MAX_VARIABLES, Variable
from reviewer.inventory.cdk.constructs import (
    RESOURCE_ATTRIBUTES, SECRET_VALUE_PROPERTIES, ConstructCall, secret_reference,
)
from reviewer.inventory.cdk.file_calls import python_stored_name

Helper = ast.FunctionDef | ast.AsyncFunctionDef


def dict_entries(node: ast.expr) -> dict[str, tuple[int, ast.expr]] | None:
    """`{"runtime": ...}` or `dict(runtime=...)` → key → (line, value)."""
    if isinstance(node, ast.Dict):
        return {k.value: (k.lineno, v) for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {k.arg: (k.lineno, k.value) for k in node.keywords if k.arg}
    return None


def read_environment(found: ConstructCall, written: ast.expr, mapping: ast.expr) -> None:
    """Fill `found`'s environment from `mapping`, the dict `written` is (itself, or what the name
    `written` is assigned); a mapping not read whole is noted as given by `written`."""
    entries = dict_entries(mapping)
    if entries is None or _spreads(mapping):
        found.environment_unread = f"given by `{st.excerpt(ast.unparse(written), 60)}`"
    kept = {"literal": found.environment, "holder": found.environment_refs, "computed": found.environment_computed}
    for name, (line, item) in list((entries or {}).items())[:MAX_VARIABLES]:
        kind, value = _classified(item)
        kept[kind][name] = (value, line)


def clear_environment(found: ConstructCall) -> None:
    """Forget the environment the helper's construct was read with: one call gives its own."""
    found.environment, found.environment_refs, found.environment_computed = {}, {}, {}
    found.environment_unread = None


def caller_variables(node: ast.expr) -> tuple[Variable, ...] | None:
    """The variables of the dict a call of a helper of another module passes as its environment;
    None when it is not a dict written there whole (a variable of the caller, a `**` spread)."""
    entries = dict_entries(node)
    if entries is None or _spreads(node):
        return None
    return tuple(Variable(name, *_classified(item), line)
                 for name, (line, item) in list(entries.items())[:MAX_VARIABLES])


def defaults_to_none(helper: Helper | None, name: str) -> bool:
    """Whether the parameter `name` of `helper` is written `environment=None`: a call that passes
    none gives the function no environment."""
    if helper is None:
        return False
    arguments = helper.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None]
    default = next((d for a, d in pairs if a.arg == name), None)
    return isinstance(default, ast.Constant) and default.value is None


def secret_value(value: ast.expr) -> str | None:
    """`secret.secret_value.unsafe_unwrap()`, `secret.secret_value_from_json("password")...`,
    `SecretValue.secrets_manager("id", json_field="password")`: the dynamic reference CDK writes."""
    for index, node in enumerate(ast.walk(value)):
        if index > 64:
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "secret_value_from_json", "secrets_manager"):
            arg = node.args[0] if node.func.attr == "secret_value_from_json" and node.args else \
                next((k.value for k in node.keywords if k.arg == "json_field"), None)
            key = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            return secret_reference(key)
        if isinstance(node, ast.Attribute) and node.attr in SECRET_VALUE_PROPERTIES:   # a method counts called
            return secret_reference(None)
    return None


def _classified(item: ast.expr) -> tuple[str, str]:
    """How one variable's value is known: ("literal", the string or a secret's reference),
    ("holder", the variable keeping the construct whose attribute it is) or ("computed", as written)."""
    if isinstance(item, ast.Constant) and isinstance(item.value, str):
        return "literal", item.value
    if isinstance(item, ast.Attribute) and item.attr in RESOURCE_ATTRIBUTES and \
            (held_in := python_stored_name(item.value)) is not None:
        # `bucket.bucket_name`, `self.bucket.bucket_name`: named as the event source names it
        return "holder", held_in
    secret = secret_value(item)
    if secret is not None:
        return "literal", secret
    return "computed", st.excerpt(ast.unparse(item), 60)


def _spreads(node: ast.expr) -> bool:
    """`{**base, "K": v}`: what the spread adds is not known here."""
    return isinstance(node, ast.Dict) and None in node.keys


__all__ = ["caller_variables", "clear_environment", "defaults_to_none", "dict_entries", "read_environment",
           "secret_value"]
