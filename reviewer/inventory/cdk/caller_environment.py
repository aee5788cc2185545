"""The environment a helper's caller in another module gives the function the helper makes.

`createFunction(this, 'Orders', { handler: 'orders.handler', environment: { BUCKET:
bucket.bucketName, STRIPE_KEY: 'sk_live_...' } })` in `lib/stack.ts`, with the helper in
`lib/utils.ts` writing `environment: props.environment` (or spreading `...props` into the
construct's properties): each variable the call writes is the function's, a string as written,
a construct's attribute (`bucket.bucketName`) as the resource the variable names, anything else
as computed by the app, each at the caller's line. A secret in it is then reported (LR304), and
the loop check knows which bucket or queue a variable names. What the call does not write as an
object literal (a variable of the caller, a spread) is not read, and the helper's own note stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import attribute_holder, literal_entries
from reviewer.model import Function, Location, ResourceRef

Node = tree_sitter.Node
MAX_VARIABLES = 200


@dataclass(frozen=True)
class Variable:
    """One variable a caller writes: its name, how its value is known ("literal": the string,
    "holder": the variable that keeps the construct, "computed": the expression), and its line."""

    name: str
    kind: str
    value: str
    line: int


def script_variables(node: Node) -> tuple[Variable, ...] | None:
    """The variables of an object literal a TypeScript/JavaScript call passes (or a C# caller's
    `new Dictionary<string, string> { { "KEY", value } }`); None for anything else."""
    entries = literal_entries(node) if node.type in ("object", "object_creation_expression") else None
    if entries is None:
        return None
    found: list[Variable] = []
    for name, key, value in entries[:MAX_VARIABLES]:
        if name == "...":
            return None   # a spread: what it adds is not known here
        inner = st.unwrap(value) or value
        literal = st.string_value(inner)
        holder = attribute_holder(inner) if literal is None else None
        kind, written = ("literal", literal) if literal is not None else ("holder", holder) \
            if holder is not None else ("computed", st.excerpt(st.text(inner), 60))
        found.append(Variable(name, kind, written, st.line(key)))
    return tuple(found)


def apply_variables(function: Function, rel: str, variables: tuple[Variable, ...]) -> None:
    """The caller's variables as the function's environment, over what the helper writes itself."""
    for variable in variables:
        if variable.kind == "literal":
            function.environment[variable.name] = variable.value
        elif variable.kind == "holder":
            function.environment[variable.name] = ResourceRef("cdk", f"{rel}#{variable.value}")
        else:
            shown = f" (`{variable.value}`)" if "`" not in variable.value else ""
            function.environment[variable.name] = ResourceRef("unresolved", f"computed by the app{shown}")
        function.locations[f"Environment.{variable.name}"] = Location(rel, variable.line)
    function.unresolved.pop("Environment", None)


__all__ = ["Variable", "apply_variables", "script_variables"]
