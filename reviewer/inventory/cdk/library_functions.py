"""Constructs of a third-party library that look like they make Lambda functions.

A CDK app may make every function with a construct library the review does not read:
`scud.NewFunctionGo(stack, jsii.String("Reader"), &scud.FunctionGoProps{...})` of
`github.com/fogfish/scud`, `new ServerlessFunction(this, 'Api', {...})` of an npm package, a
Python package's `ApiLambda(self, "Api", ...)`. The reader finds no Lambda construct and the app
would be listed with no function at all, which a reviewer takes for "this app has none". This
module finds such calls, so an app with no function read says which calls it could not follow.

A call counts when it makes a construct (a scope and an id, then properties), its name is imported
from a package that is neither the CDK's own nor a module of the repository, and it looks like a
function: its name says `Function` or `Lambda`, or its literal properties set a handler, a runtime,
an entry or code. Only the import lines and the calls are read; nothing is run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

import tree_sitter

from pathlib import PurePosixPath

from reviewer import source_trees as st
from reviewer.inventory.cdk.app_files import source_language
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call, literal_entries
from reviewer.model import Finding
from reviewer.workspace import unread_declaration_notice

Node = tree_sitter.Node
MAX_CALLS = 5
_FUNCTION_WORDS = ("Function", "Lambda")
_FUNCTION_PROPS = frozenset({"handler", "runtime", "entry", "code", "codeuri", "code_uri"})
# Packages of the CDK itself and of `constructs`, per language: their Lambda constructs are read.
_CDK_PACKAGES = ("aws-cdk-lib", "@aws-cdk/", "@aws-cdk-containers/", "constructs", "aws_cdk", "aws-cdk",
                 "github.com/aws/aws-cdk-go/", "github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go/",
                 "@aws-solutions-constructs/", "aws_solutions_constructs", "cdk-nag", "cdk_nag")


@dataclass(frozen=True)
class LibraryCall:
    """A call that looks like it makes a function with a library's construct: its line, the callee
    as written (`scud.NewFunctionGo`), and the package it comes from (`github.com/fogfish/scud`)."""

    line: int
    callee: str
    package: str


def library_notices(sources: dict[str, str], root_of: Callable[[str], str | None], with_functions: set[str | None],
                    exists: Callable[[str], bool], go_module: Callable[[str], str | None]) -> list[Finding]:
    """LR904 for each call of an app with no function read (`with_functions`: the roots of the apps
    that have one) that looks like a library's Lambda construct; `exists(rel)` says whether a path
    is in the repository, `go_module(root)` the module path of a Go app's `go.mod`."""
    notices: list[Finding] = []
    for rel, text in sources.items():
        root = root_of(rel)
        language = source_language(rel)
        if root is None or root in with_functions or language is None:
            continue
        module = go_module(root) if language == "go" else None
        local = _local_check(root, language, module, exists)
        for call in library_function_calls(language, text, local):
            notices.append(unread_declaration_notice(
                rel, call.line, f"`{call.callee}(...)` of the construct library `{call.package}`, which is not "
                                "in the repository",
                missing="the functions it makes are missing from this review, and the app declares no Lambda "
                        "construct it reads"))
    return notices


def _local_check(root: str, language: str, module: str | None, exists: Callable[[str], bool]
                 ) -> Callable[[str], bool]:
    """Whether an imported package is a module of the repository: a Go package of the app's module,
    a Python package or a TypeScript path alias whose first folder is in the app."""
    def local(package: str) -> bool:
        if language == "go":
            return module is not None and (package == module or package.startswith(module + "/"))
        first = package.split("." if language == "python" else "/")[0]
        if not first or first.startswith("@") and language != "python":
            return False
        base = PurePosixPath(root)
        return exists(str(base / first)) or exists(str(base / f"{first}.py"))
    return local


def library_function_calls(language: str, text: str, is_local: Callable[[str], bool]) -> list[LibraryCall]:
    """The calls of one CDK source file that look like a library's Lambda construct (at most a few);
    `is_local(package)` says whether an imported package is a module of the repository."""
    if language == "python":
        try:
            return _python_calls(ast.parse(text), is_local)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []
    if language not in ("typescript", "tsx", "javascript", "go"):
        return []
    root = st.parse(language, text).root_node
    imported = _go_imports(root) if language == "go" else _script_imports(root)
    imported = {name: package for name, package in imported.items() if not _cdk_package(package)
                and not is_local(package)}
    found: list[LibraryCall] = []
    if not imported:
        return found
    for node in st.walk(root):
        if node.type not in CALL_TYPES:
            continue
        call = as_call(node)
        if call is None or not call.callee or call.callee[0] not in imported or len(call.args) < 2:
            continue
        if language == "go" and not call.callee[-1].startswith("New"):
            continue
        if language != "go" and not call.is_new:
            continue
        props = st.unwrap(call.args[2]) if len(call.args) >= 3 else None
        if _looks_like_function(call.callee[-1], props):
            found.append(LibraryCall(st.line(node), ".".join(call.callee), imported[call.callee[0]]))
            if len(found) >= MAX_CALLS:
                break
    return found


def _looks_like_function(name: str, props: Node | None) -> bool:
    if any(word in name for word in _FUNCTION_WORDS):
        return True
    entries = literal_entries(props) if props is not None else None
    return any(key.lower() in _FUNCTION_PROPS for key, _, _ in entries or [])


def _cdk_package(package: str) -> bool:
    return package.startswith(_CDK_PACKAGES) or package.split(".")[0] in ("aws_cdk", "constructs")


def _go_imports(root: Node) -> dict[str, str]:
    """Package name in the file → import path (`"github.com/fogfish/scud"` → scud)."""
    found: dict[str, str] = {}
    for spec in st.walk(root, max_depth=4):
        if spec.type != "import_spec":
            continue
        path = st.string_value(spec.child_by_field_name("path"))
        alias = spec.child_by_field_name("name")
        if path:
            name = st.text(alias) if alias is not None else path.rstrip("/").rpartition("/")[2]
            if name.startswith("v") and name[1:].isdigit():   # `.../scud/v2`: the package is `scud`
                name = path.rstrip("/").rpartition("/")[0].rpartition("/")[2]
            found[name] = path
    return found


def _script_imports(root: Node) -> dict[str, str]:
    """Local name → module of `import { X } from 'pkg'`, `import * as p from 'pkg'`, `import X from 'pkg'`."""
    found: dict[str, str] = {}
    for node in root.named_children:
        if node.type != "import_statement":
            continue
        source = node.child_by_field_name("source")
        module = st.string_value(source) if source is not None else None
        if not module or module.startswith("."):
            continue
        for item in st.walk(node, max_depth=4):
            if item.type == "import_specifier":
                local = item.child_by_field_name("alias") or item.child_by_field_name("name")
                if local is not None:
                    found[st.text(local)] = module
            elif item.type in ("namespace_import", "import_clause"):
                local = next((c for c in item.named_children if c.type == "identifier"), None)
                if local is not None:
                    found[st.text(local)] = module
    return found


def _python_calls(tree: ast.Module, is_local: Callable[[str], bool]) -> list[LibraryCall]:
    imported: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                imported[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = alias.name
    imported = {name: package for name, package in imported.items()
                if not _cdk_package(package) and not is_local(package)}
    found: list[LibraryCall] = []
    if not imported:
        return found
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or len(call.args) < 2:
            continue
        parts = _dotted(call.func)
        if not parts or parts[0] not in imported or not parts[-1][:1].isupper():
            continue
        keys = {k.arg for k in call.keywords if k.arg}
        if any(word in parts[-1] for word in _FUNCTION_WORDS) or keys & _FUNCTION_PROPS:
            found.append(LibraryCall(call.lineno, ".".join(parts), imported[parts[0]]))
            if len(found) >= MAX_CALLS:
                break
    return found


def _dotted(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else []


__all__ = ["LibraryCall", "library_function_calls"]
