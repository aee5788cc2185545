"""Handler code written inline in a CDK app: `lambda.Code.fromInline("...")` (Python: `from_inline`).

The code is an argument of the construct call that declares the function (the call that starts
on the function's line), read with tree-sitter or `ast`; in Python it may be a module constant.
The function then carries the code and the line of its first line in the app's source.
"""

from __future__ import annotations

import ast

from reviewer import source_trees as st
from reviewer.model import Function, InlineCode, Location
from reviewer.workspace import Workspace

_CALLS = ("fromInline", "from_inline")


def attach_inline_code(workspace: Workspace, rel: str, text: str, functions: list[Function]) -> None:
    """Give each function declared in `rel` the inline code its construct call writes."""
    if not any(call in text for call in _CALLS):
        return
    for function in functions:
        if st.language_for(rel) in ("javascript", "typescript", "tsx"):
            function.inline_code = _inline(workspace, rel, text, function.location.line)
        elif rel.endswith(".py"):
            function.inline_code = _python_inline(workspace, rel, text, function.location.line)


def _inline(workspace: Workspace, path: str, text: str, line: int) -> InlineCode | None:
    """`code: lambda.Code.fromInline("...")` in the TypeScript/JavaScript construct call on `line`."""
    tree = workspace.parsed.derived("source-tree", (path, text), lambda: st.parse_file(path, text))
    if tree is None:
        return None
    for node in st.walk(tree.root_node):
        if node.type != "new_expression" or st.line(node) != line:
            continue
        for call in st.walk(node, max_depth=8):
            if call.type != "call_expression" or not st.call_name(call).endswith(_CALLS):
                continue
            arguments = call.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
            code = st.string_value(first)
            if first is not None and code:
                first_line = st.line(first)
                if code.startswith("\n"):
                    code, first_line = code[1:], first_line + 1
                return InlineCode(Location(path, first_line), code, in_template=False)
        return None
    return None


def _python_inline(workspace: Workspace, path: str, text: str, line: int) -> InlineCode | None:
    """`code=_lambda.Code.from_inline(CODE)` in the Python construct call on `line`; `CODE` may be
    a module constant."""
    try:
        tree = workspace.parsed.python(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    constants: dict[str, ast.Constant] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Constant):
            constants[statement.targets[0].id] = statement.value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or node.lineno != line:
            continue
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg != "code" or not isinstance(value, ast.Call) or not value.args \
                    or not isinstance(value.func, ast.Attribute) or value.func.attr not in _CALLS:
                continue
            argument = value.args[0]
            if isinstance(argument, ast.Name):
                argument = constants.get(argument.id, argument)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value.strip():
                code, first_line = argument.value, argument.lineno
                if code.startswith("\n"):
                    code, first_line = code[1:], first_line + 1
                return InlineCode(Location(path, first_line), code, in_template=False)
    return None
