"""A serverless.ts helper called with arguments: what it returns, its parameters bound to them.

Services split into modules often build each function's settings through small helpers of their
own: `handler: getHandler('user-api-index.createTodoHandler')` returning
`` `./src/infrastructure/handlers/${handler}` ``, `events: [httpApiEvent('post', '/todos')]`
returning `{ httpApi: { method, path } }`. The script reader (`script.py`) reads such a helper
(declared in the file or imported from a module of the repository) when all it does is return one
literal (an object, an array, a string or a template string) and it takes plain parameters (a name, optionally
typed, optional or with a default). The returned literal is converted with each parameter standing
for the argument the call passes (read in the caller's file, as the caller would have it), a
parameter the call leaves out for its default or `undefined`. What it builds is located at the call,
where the function's settings are written, not in the helper every function shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import IDENTIFIER_TYPES, helper_of
from reviewer.located import LocatedList, LocatedMap, LocatedStr

Node = tree_sitter.Node
MAX_DEPTH = 60
MAX_TEMPLATE_DEPTH = 4    # a template naming a constant that is a template itself, so many deep
RETURNED_LITERALS = frozenset({"object", "array", "string", "template_string"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})     # `const x = ...`, `var x = ...`


@dataclass(frozen=True)
class Parameter:
    """A helper's parameter: its name and the default it has when the call leaves it out."""

    name: str
    default: Node | None


@dataclass(frozen=True)
class Argument:
    """What a parameter stands for while the helper's literal is read: `node`, read by `reader` with
    the binding frames it had when the call was made (`frame`); None for `undefined`."""

    reader: Any
    node: Node | None
    frame: int


def bound(bindings: list[dict[str, Argument]], node: Node) -> Argument | None:
    """The argument a parameter of the helper being read stands for (None: not such a name)."""
    if not bindings or node.type not in IDENTIFIER_TYPES:
        return None
    return bindings[-1].get(st.text(node))


def argument_value(argument: Argument, depth: int, setting: str) -> Any:
    """The argument's value, read where the call was made (its file, the frames it had then)."""
    if argument.node is None:
        return None
    reader = argument.reader
    inner = reader.bindings[argument.frame:]
    del reader.bindings[argument.frame:]
    try:
        return reader.convert(argument.node, depth + 1, setting)
    finally:
        reader.bindings.extend(inner)


def bound_text(reader: Any, node: Node, depth: int = 0) -> str | None:
    """A template substitution's text: a string argument (or a constant of the caller's file it
    names) a parameter stands for, or a string constant of the helper's own file, a template of
    those too (a `folder` the helper declares before its `return` as a template string of its
    parameter `name`)."""
    argument = bound(reader.bindings, node)
    if argument is None:
        if node.type not in IDENTIFIER_TYPES:
            return None
        followed = reader._follow_plain(node)
        if followed is not None and followed.type == "template_string" and depth < MAX_TEMPLATE_DEPTH:
            return spliced_template(followed, lambda part: bound_text(reader, part, depth + 1))
        return st.string_value(followed)
    if argument.node is None:
        return None
    return st.string_value(argument.reader._follow_plain(argument.node))


def parameters(function: Node) -> list[Parameter] | None:
    """The helper's parameters; None when one is destructured (`{ path }`) or a rest parameter."""
    holder = function.child_by_field_name("parameters")
    if holder is None:
        single = function.child_by_field_name("parameter")     # `handler => ...`
        return [Parameter(st.text(single), None)] if single is not None and single.type == "identifier" else None
    found: list[Parameter] = []
    for child in holder.named_children:
        if child.type == "comment":
            continue
        if child.type == "identifier":
            found.append(Parameter(st.text(child), None))
        elif child.type == "assignment_pattern":          # JavaScript `b = 2`
            left = child.child_by_field_name("left")
            if left is None or left.type != "identifier":
                return None
            found.append(Parameter(st.text(left), child.child_by_field_name("right")))
        elif child.type in ("required_parameter", "optional_parameter"):     # TypeScript
            pattern = child.child_by_field_name("pattern")
            if pattern is None or pattern.type != "identifier":
                return None
            found.append(Parameter(st.text(pattern), child.child_by_field_name("value")))
        else:
            return None
    return found


def returned_literal(function: Node) -> Node | None:
    """The literal the helper returns (`return {...}`, `` => `./src/${name}` ``), else None. Its body
    is that one `return`, after declarations of names at most (`const isProd = process.env.STAGE
    === "prod"`): the literal reads them as the file's other names are read, and one it cannot
    evaluate (`const [name] = Object.keys(r)`, a value of the running process) is a notice about
    that one setting, not about the whole function. A helper that branches or loops first stays
    one notice."""
    body = function.child_by_field_name("body")
    if body is not None and body.type == "statement_block":
        statements = [child for child in body.named_children if child.type != "comment"]
        if not statements or statements[-1].type != "return_statement" or \
                any(statement.type not in _DECLARATIONS for statement in statements[:-1]):
            return None
    returned = {node.id: node for node in (st.unwrap(r) for r in helper_of(function).returns()) if node is not None}
    if len(returned) != 1:
        return None
    [value] = returned.values()
    return value if value.type in RETURNED_LITERALS else None


def function_declared(root: Node, name: str) -> Node | None:
    """`function name(...) {...}` written at the top of the file, exported or not."""
    for node in root.named_children:
        declaration = node.child_by_field_name("declaration") if node.type == "export_statement" else node
        if declaration is not None and declaration.type == "function_declaration" and \
                st.text(declaration.child_by_field_name("name")) == name:
            return declaration
    return None


def spliced_template(node: Node, text_of: Callable[[Node], str | None]) -> str | None:
    """A template string whose every substitution `text_of` knows as a string; None otherwise."""
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(st.text(child))
        elif child.type == "template_substitution":
            expressions = [c for c in child.named_children if c.type != "comment"]
            text = text_of(expressions[0]) if len(expressions) == 1 else None
            if text is None:
                return None
            parts.append(text)
        elif child.type != "comment":
            return None     # an escape sequence: rare in a path, not decoded here
    return "".join(parts)


def at_call(value: Any, call: Node, depth: int = 0) -> Any:
    """`value` copied with every line the call's: the settings it gives are written there. A copy,
    since the helper's strings share their line attributes with the rest of its module."""
    line, end_line = st.line(call), st.end_line(call)
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, LocatedMap):
        mapping = LocatedMap((key, at_call(item, call, depth + 1)) for key, item in value.items())
        mapping.line, mapping.key_lines = line, {key: line for key in mapping}
        if getattr(value, "unread_spread", False):
            mapping.unread_spread = True    # type: ignore[attr-defined]
        return mapping
    if isinstance(value, LocatedList):
        items = LocatedList(at_call(item, call, depth + 1) for item in value)
        items.line, items.item_lines = line, [line] * len(items)
        return items
    if isinstance(value, LocatedStr):
        text = LocatedStr(str(value))
        text.line, text.end_line = line, end_line
        return text
    return value
