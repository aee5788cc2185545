"""A path a CDK file builds from its own folder, `` `${__dirname}/lambda` `` and `__dirname +
'/lambda'`, or from the working directory, `System.getProperty("user.dir") + "/lambda/app.zip"`,
`process.cwd()`, `Directory.GetCurrentDirectory()`: the pieces after the folder read as strings by
the caller's reader (`cdk/values.py`, which follows names and imports). The CDK CLI runs the app in
the folder of its `cdk.json`, so the working directory is the app's, the base a literal asset path
is relative to already. Kept apart so the value reader stays one concern, the properties and
strings an expression holds."""

from __future__ import annotations

from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, MEMBER_TYPES, as_call, parts_of

Node = tree_sitter.Node
MAX_PIECES = 200
# How a module names its own folder: CommonJS, and ES modules since Node.js 20.11.
FILE_DIRECTORY = frozenset({"__dirname", "import.meta.dirname"})
# How an app asks for its working directory: Node.js, C# (a call, and a property), the JVM's property.
_WORKING_DIRECTORY_CALLS = frozenset({("process", "cwd"), ("Directory", "GetCurrentDirectory")})
_WORKING_DIRECTORY_MEMBERS = frozenset({("Environment", "CurrentDirectory")})
_JVM_WORKING_DIRECTORY = ("System", "getProperty", "user.dir")


def is_working_directory(node: Node | None) -> bool:
    """`process.cwd()`, `Directory.GetCurrentDirectory()` (or `System.IO.Directory...`),
    `Environment.CurrentDirectory`, `System.getProperty("user.dir")`: the app's folder when it runs."""
    node = st.unwrap(node)
    if node is None:
        return False
    if node.type in MEMBER_TYPES:
        return tuple(parts_of(node)[-2:]) in _WORKING_DIRECTORY_MEMBERS
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is None:
        return False
    callee = tuple(call.callee[-2:])
    if callee in _WORKING_DIRECTORY_CALLS:
        return not call.args
    return callee == _JVM_WORKING_DIRECTORY[:2] and len(call.args) == 1 \
        and st.string_value(st.unwrap(call.args[0])) == _JVM_WORKING_DIRECTORY[2]


def beside_file(node: Node, string: Callable[[Node], str | None]) -> tuple[str, str] | None:
    """`` `${__dirname}/lambda` ``, `__dirname + '/lambda'` and `System.getProperty("user.dir") +
    "/lambda"`: the rest of the path and its base, `"file"` (the file's folder) or `"app"` (the
    working directory); None for any other form. `string` reads a piece that is no literal."""
    if node.type == "template_string":
        parts = list(node.named_children)
    elif node.type == "binary_expression" and _operator(node) == "+":
        parts = []
        pending = [node]
        while pending and len(parts) < MAX_PIECES:
            popped = pending.pop()
            current = st.unwrap(popped) or popped
            if current.type == "binary_expression" and _operator(current) == "+":
                left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
                if left is None or right is None:
                    return None
                pending.extend((right, left))
            else:
                parts.append(current)
    else:
        return None
    if not parts:
        return None
    first = parts[0].named_children[0] if parts[0].type == "template_substitution" and parts[0].named_children \
        else parts[0]
    up = _parent_of_file(first)   # `${path.dirname(__dirname)}/...`: the folder above the file's
    base = "file" if _substituted(parts[0]) in FILE_DIRECTORY or up else "app" if is_working_directory(first) \
        else None
    if base is None:
        return None
    pieces: list[str] = []
    for part in parts[1:]:
        if part.type == "string_fragment":
            pieces.append(st.text(part))
            continue
        inner = next(iter(part.named_children), None) if part.type == "template_substitution" else part
        piece = string(inner) if inner is not None else None
        if piece is None:
            return None
        pieces.append(piece)
    rest = "".join(pieces)
    if not rest.startswith("/"):
        return None
    return ("../" if up else "") + rest.lstrip("/"), base


def _parent_of_file(node: Node) -> bool:
    """`path.dirname(__dirname)` (or a bare `dirname(__dirname)`): the folder above the file's."""
    node = st.unwrap(node) or node
    call = as_call(node) if node.type in CALL_TYPES else None
    return call is not None and (call.callee[-1:] if call.callee else [call.method]) == ["dirname"] \
        and len(call.args) == 1 and st.text(st.unwrap(call.args[0]) or call.args[0]) in FILE_DIRECTORY


def written_path(node: Node) -> tuple[str, str] | None:
    """A path written whole in place from the file's folder or the working directory, every other
    piece a string: `path.join(__dirname, '..', 'lambdas', 'app.ts')` (`resolve`, a bare `join`),
    `` `${__dirname}/lambda` ``, `__dirname + '/lambda'`: (the rest of the path, its base "file" or
    "app"); None for anything else (what a helper's caller passes as its `entry`, `cdk/factories.py`)."""
    node = st.unwrap(node) or node
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is None:
        return beside_file(node, st.string_value)
    if (call.callee[-1:] if call.callee else [call.method]) not in (["join"], ["resolve"]) \
            or not 1 < len(call.args) <= MAX_PIECES:
        return None
    first = st.unwrap(call.args[0]) or call.args[0]
    base = "file" if st.text(first) in FILE_DIRECTORY else "app" if is_working_directory(first) else None
    pieces = [st.string_value(st.unwrap(arg) or arg) for arg in call.args[1:]]
    if base is None or any(piece is None for piece in pieces):
        return None
    return "/".join(piece.strip("/") for piece in pieces if piece and piece.strip("/")), base


def _operator(node: Node) -> str | None:
    operator = node.child_by_field_name("operator")
    return st.text(operator) if operator is not None else None


def _substituted(node: Node) -> str:
    """`${__dirname}` → `__dirname`; any other node → its text."""
    if node.type == "template_substitution" and len(node.named_children) == 1:
        return st.text(node.named_children[0])
    return st.text(node)


__all__ = ["FILE_DIRECTORY", "beside_file", "is_working_directory", "written_path"]
