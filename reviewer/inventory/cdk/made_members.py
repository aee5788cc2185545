"""The names a TypeScript/JavaScript file gives a function that a helper, a factory's method or a
construct class of another module made for it, so what the file does with it counts for it.

The readers that follow a function past its construct (`file_calls.py`) know it by the variable its
construct call is assigned to. A made function is declared at the call of the helper, and that call's
variable is known the same way (`const fn = props.factory.createFunction(this, 'Orders', {...})`),
but an instance of a construct class holds its function in a member (`this.lambdaFunction = new
lambda.Function(...)` in the class), and the calling file reaches it through the instance:

- `lambdaConstruct.lambdaFunction.addEventSource(...)`, where `const lambdaConstruct = new
  LambdaConstruct(this, 'Orders', {...})`;
- `this.fanoutLambda = lambdaConstruct.lambdaFunction;` then `this.fanoutLambda.addEventSource(...)`.

`member_view` gives the readers a view of the file in which each such `instance.member` is one name
(`lambdaConstruct$lambdaFunction`: the dot becomes `$`, a character of JavaScript names, so every
line and column stays where it was), and the names the file stores them under (`fanoutLambda`), each
with the line the function is declared at. Only the members the class stores its own construct in
count: `lambdaConstruct.role` stays a role.
"""

from __future__ import annotations

from reviewer import source_trees as st
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, file_calls, remember_construct
from reviewer.inventory.cdk.script_modules import ScriptModules
from reviewer.inventory.cdk.syntax import MEMBER_TYPES, Node
from reviewer.model import Function

LANGUAGES = frozenset({"typescript", "tsx", "javascript"})
# `Function.properties` key: (file, line) of the construct a made function was copied from, the
# helper's or the construct class's own.
MADE_FROM = "MadeFrom"
_ASSIGNMENTS = frozenset({"variable_declarator", "assignment_expression", "public_field_definition"})
_MAX_ALIAS_ROUNDS = 4
_JOINED = b"$"


def caller_names(rel: str, language: str, text: str, functions: list[Function], sources: dict[str, str],
                 modules: ScriptModules | None) -> tuple[str, dict[str, int]] | None:
    """The caller `rel`'s view and names (`member_view`) for the functions made at its calls;
    None when a file cannot be read."""
    try:
        own = file_calls(language, text, modules, rel)
        members = {fn.location.line: _class_members(fn, sources, modules) for fn in functions}
        return member_view(language, text, own.stored, members)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _class_members(function: Function, sources: dict[str, str], modules: ScriptModules | None) -> frozenset[str]:
    """The members the construct class a function was made by keeps its construct in (none for a
    helper function's or a method's: they hand the construct back)."""
    made_from = function.properties.get(MADE_FROM)
    if not isinstance(made_from, tuple) or made_from[0] not in sources:
        return frozenset()
    helper, line = made_from
    language = st.language_for(helper)
    if language not in LANGUAGES:
        return frozenset()
    return function_members(file_calls(language, sources[helper], modules, helper).stored, line)


def function_members(stored: dict[str, int], line: int) -> frozenset[str]:
    """The members of a construct class that hold the construct it writes at `line` (from the
    class file's `stored`)."""
    return frozenset(name for name, at in stored.items() if at == line)


def member_view(language: str, text: str, stored: dict[str, int],
                members: dict[int, frozenset[str]]) -> tuple[str, dict[str, int]]:
    """`text` with each `instance.member` of a made function joined into one name, and the names
    (those joined, and the variables and fields later assigned one of them) → the line of the made
    function. `stored` is the file's own (each variable's construct line), `members` each made
    function's line → the members its class keeps it in."""
    if language not in LANGUAGES or not members:
        return text, {}
    data = bytearray(text.encode("utf-8"))
    root = st.parse(language, text).root_node
    names: dict[str, int] = {}
    for node in st.walk(root):
        if node.type not in MEMBER_TYPES:
            continue
        line = _instance_line(node, stored)
        member = node.child_by_field_name("property")
        dot = next((child for child in node.children if child.type == "."), None)
        if line is None or member is None or dot is None or st.text(member) not in members.get(line, ()):
            continue
        data[dot.start_byte:dot.end_byte] = _JOINED
        names[f"{_holder(node)}${st.text(member)}"] = line
    view = data.decode("utf-8") if names else text
    seeds = {name: line for name, line in stored.items() if line in members}
    aliases = {**seeds, **names}
    _assigned_aliases(st.parse(language, view).root_node if names else root, aliases)
    return view, {name: line for name, line in aliases.items() if name not in seeds}


def _instance_line(member: Node, stored: dict[str, int]) -> int | None:
    """The line of the made function whose instance `member`'s object is (`lambdaConstruct`,
    `this.lambdaConstruct`), by the file's stored variables."""
    holder = _holder(member)
    line = stored.get(holder, AMBIGUOUS) if holder else AMBIGUOUS
    return line if line > 0 else None


def _holder(member: Node) -> str:
    """`lambdaConstruct.x` or `this.lambdaConstruct.x` → `lambdaConstruct`; "" for anything else."""
    value = member.child_by_field_name("object")
    if value is None:
        return ""
    if value.type == "identifier":
        return st.text(value)
    if value.type in MEMBER_TYPES:
        inner, name = value.child_by_field_name("object"), value.child_by_field_name("property")
        if inner is not None and inner.type == "this" and name is not None:
            return st.text(name)
    return ""


def _assigned_aliases(root: Node, names: dict[str, int]) -> None:
    """`this.fanoutLambda = lambdaConstruct$lambdaFunction`, `const fn = this.fanoutLambda`: the name
    assigned one of `names` is that function too (a few rounds, for an alias of an alias)."""
    assignments: list[tuple[str, str]] = []
    for node in st.walk(root):
        if node.type not in _ASSIGNMENTS:
            continue
        left = node.child_by_field_name("left") or node.child_by_field_name("name")
        right = st.unwrap(node.child_by_field_name("right") or node.child_by_field_name("value"))
        if left is not None and right is not None:
            assignments.append((_last_name(left), _last_name(right)))
    for _ in range(_MAX_ALIAS_ROUNDS):
        before = dict(names)
        for target, value in assignments:
            if target and value in before and before[value] > 0:
                remember_construct(names, target, before[value])
        if names == before:
            break


def _last_name(node: Node) -> str:
    """`this.fanoutLambda`, `fanoutLambda` → `fanoutLambda`; "" for what is not a name."""
    if node.type in ("identifier", "property_identifier"):
        return st.text(node)
    if node.type in MEMBER_TYPES:
        name = node.child_by_field_name("property")
        return st.text(name) if name is not None else ""
    return ""


__all__ = ["LANGUAGES", "MADE_FROM", "caller_names", "member_view"]
