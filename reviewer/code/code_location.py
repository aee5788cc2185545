"""Where a function's handler source is when it is not simply under its code directory.

Two cases real templates often have. Inline code: CloudFormation `Code: ZipFile: |`, SAM
`InlineCode: |`, CDK `Code.fromInline(...)` (found here, with tree-sitter or `ast`, in the
construct call on the function's line, or given by a CDK reader as `properties["inline_code"]`);
the handler is then read from the template text itself, at the template's own lines, so a
finding points where the code is written. Built artifacts: the code
location is a package (`Code: {S3Bucket, S3Key}`, Terraform `filename = "build/x.zip"`) whose
source sits beside the declaration (`src/<name>/handler.py`, `app.py` next to `main.tf`); the
handler's module is looked for in a few conventional places there, and the reading says which
file was read.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from reviewer import source_trees as st
from reviewer.located import LocatedStr
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace

_NEAR_FOLDERS = ("", "src", "lambda", "lambdas", "functions", "handlers", "lambda_functions", "app", "code")


@dataclass(frozen=True)
class InlineSource:
    """Handler code written in the template: its text, the path of the template and the line of
    its first line there."""

    text: str
    path: str
    first_line: int


def inline_source(function: Function, workspace: Workspace | None = None) -> InlineSource | None:
    """The inline code of a function, when its template (or CDK app) writes the code in place."""
    if function.inline_code_in_source and workspace is not None and "inline_code" not in function.properties:
        if st.language_for(function.location.path) in ("javascript", "typescript", "tsx"):
            return _cdk_inline(workspace, function)
        if function.location.path.endswith(".py"):
            return _cdk_python_inline(workspace, function)
    properties = function.properties
    value: Any = properties.get("InlineCode")
    if value is None:
        code = properties.get("Code")
        value = code.get("ZipFile") if isinstance(code, dict) else None
    from_source = value is None   # CDK: the line is already the code's first line
    if value is None:
        value = properties.get("inline_code")
    if isinstance(value, dict) and len(value) == 1 and "Fn::Join" in value:
        value = _joined(value["Fn::Join"])
    if not isinstance(value, str) or not value.strip():
        return None
    line = getattr(value, "line", None)
    if not isinstance(line, int):
        location = function.locations.get("InlineCode") or function.locations.get("Code") or function.location
        line = location.line
    elif isinstance(value, LocatedStr) and "\n" in value.strip("\n") and not from_source:
        line += 1   # a block scalar (`|`) starts on the line after its indicator
    path = function.locations.get("InlineCode", function.locations.get("Code", function.location)).path
    return InlineSource(str(value), path, line)


def computed_inline_code(function: Function) -> str | None:
    """The intrinsic that builds a template's inline code (`ZipFile: !Sub |`), when static
    reading cannot take the code as written."""
    value: Any = function.properties.get("InlineCode")
    if value is None:
        code = function.properties.get("Code")
        value = code.get("ZipFile") if isinstance(code, dict) else None
    if isinstance(value, dict) and len(value) == 1 and inline_source(function) is None:
        return str(next(iter(value)))
    return None


def _cdk_inline(workspace: Workspace, function: Function) -> InlineSource | None:
    """`code: lambda.Code.fromInline("...")` in the TypeScript/JavaScript construct call that
    declares the function (the call that starts on the function's line), read with tree-sitter."""
    try:
        text = workspace.read_text(function.location.path)
    except UnreadableFile:
        return None
    path = function.location.path
    tree = workspace.parsed.derived("source-tree", (path, text), lambda: st.parse_file(path, text))
    if tree is None:
        return None
    for node in st.walk(tree.root_node):
        if node.type != "new_expression" or st.line(node) != function.location.line:
            continue
        for call in st.walk(node, max_depth=8):
            if call.type != "call_expression" or not st.call_name(call).endswith(("fromInline", "from_inline")):
                continue
            arguments = call.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
            code = st.string_value(first)
            if first is not None and code:
                first_line = st.line(first)
                if code.startswith("\n"):
                    code, first_line = code[1:], first_line + 1
                return InlineSource(code, function.location.path, first_line)
        return None
    return None


def _cdk_python_inline(workspace: Workspace, function: Function) -> InlineSource | None:
    """`code=_lambda.Code.from_inline(CODE)` in the Python construct call on the function's line;
    `CODE` may be a module constant."""
    path = function.location.path
    try:
        text = workspace.read_text(path)
        tree = workspace.parsed.python(text)
    except (UnreadableFile, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    constants: dict[str, ast.Constant] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Constant):
            constants[statement.targets[0].id] = statement.value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or node.lineno != function.location.line:
            continue
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg != "code" or not isinstance(value, ast.Call) or not value.args \
                    or not isinstance(value.func, ast.Attribute) or value.func.attr not in ("from_inline", "fromInline"):
                continue
            argument = value.args[0]
            if isinstance(argument, ast.Name):
                argument = constants.get(argument.id, argument)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value.strip():
                code, first_line = argument.value, argument.lineno
                if code.startswith("\n"):
                    code, first_line = code[1:], first_line + 1
                return InlineSource(code, path, first_line)
    return None


def _joined(argument: Any) -> str | None:
    """`!Join ["\\n", [line, line, ...]]` with literal lines: older templates write code this way."""
    if not isinstance(argument, list) or len(argument) != 2:
        return None
    separator, items = argument
    if not isinstance(separator, str) or not isinstance(items, list):
        return None
    if not all(isinstance(item, str) for item in items):
        return None
    text = separator.join(str(item) for item in items)
    joined = LocatedStr(text)
    first = getattr(items[0], "line", None) if items else None
    if isinstance(first, int):
        joined.line = first - 1 if "\n" in text else first
        joined.end_line = first
    return joined


def candidate_names(function: Function) -> list[str]:
    """Folder names the function's source may sit in: its logical id, physical name, Terraform name."""
    names: list[str] = []
    raw = [function.name.rsplit(".", 1)[-1]]
    for key in ("FunctionName", "function_name"):
        value = function.properties.get(key)
        if isinstance(value, str) and "${" not in value:
            raw.append(value)
    for name in raw:
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
        for variant in (name, snake, snake.replace("_", "-"), snake.replace("_", ""),
                        re.sub(r"[_-]?function$", "", snake)):
            if variant and variant not in names and "/" not in variant and ".." not in variant:
                names.append(variant)
    return names[:8]


def beside_declaration(workspace: Workspace, function: Function, module_files: list[str]) -> str | None:
    """The directory beside the declaring file (or its `src/<name>/`, `lambda/<name>/`...) that
    holds one of `module_files` (handler module paths relative to a code root)."""
    base = PurePosixPath(function.location.path).parent
    roots: list[str] = []
    if function.code_path:   # `lambdas/resize/lambda.zip` not built yet: its folder holds the source
        package = workspace.resolve(function.code_path)
        if package is not None and not workspace.is_dir(package):
            roots.append(str(PurePosixPath(package).parent))
    for folder in _NEAR_FOLDERS:
        start = base / folder if folder else base
        roots.append(str(start))
        roots.extend(str(start / name) for name in candidate_names(function))
    seen: set[str] = set()
    for root in roots:
        normal = workspace.resolve(root)
        if normal is None or normal in seen:
            continue
        seen.add(normal)
        for module in module_files:
            candidate = workspace.resolve(f"{normal}/{module}" if normal not in ("", ".") else module)
            if candidate is not None and workspace.exists(candidate) and not workspace.is_dir(candidate) \
                    and not workspace.is_excluded(candidate):
                return normal
    return None
