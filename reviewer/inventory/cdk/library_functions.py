"""Constructs of a third-party library that look like they make Lambda functions.

A CDK app may make every function with a construct library the review does not read:
`scud.NewFunctionGo(stack, jsii.String("Reader"), &scud.FunctionGoProps{...})` of
`github.com/fogfish/scud`, `new ServerlessFunction(this, 'Api', {...})` of an npm package, a
Python package's `ApiLambda(self, "Api", ...)`, a NuGet package's `new DotNetFunction(this, "Api",
new DotNetFunctionProps {...})`, a Maven artifact's `new PowerFunction(this, "Api", props)`. The
reader finds no Lambda construct and the app
would be listed with no function at all, which a reviewer takes for "this app has none". This
module finds such calls, so an app with no function read says which calls it could not follow.

A call counts when it makes a construct (a scope and an id, then properties), its name is imported
from a package that is neither the CDK's own nor a module of the repository, and it looks like a
function: its name says `Function` or `Lambda`, or its literal properties set a handler, a runtime,
an entry or code. Only the import lines and the calls are read; nothing is run.

A C# `using` brings in a whole namespace, so the construct's namespace is one of the file's
`using`s that is neither the CDK's, the platform's (`System`, `Microsoft`) nor one the repository
declares; a class the repository declares (a construct of a shared project) is its own, whatever
the file uses. Java's imports name the class (`import com.acme.PowerFunction;`) or, with a
wildcard, its package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

import tree_sitter

from pathlib import PurePosixPath

from reviewer import source_trees as st
from reviewer.inventory.cdk.app_files import source_language
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call, chain_end, literal_entries
from reviewer.findings import Finding
from reviewer.python_downgrade import parse_python
from reviewer.workspace import unread_declaration_notice
from reviewer.inventory.cdk.python_names import dotted_parts

Node = tree_sitter.Node
MAX_CALLS = 5
# Imports, namespaces and classes sit this close to the root (a C# class inside a namespace block).
_DECLARATION_DEPTH = 6
# Steps of a builder chain looked through for a function's property.
_CHAIN_DEPTH = 60
_DOTTED_NAMES = frozenset({"qualified_name", "identifier", "scoped_identifier"})
_SCOPES = frozenset({"this_expression", "this", "identifier", "member_access_expression", "field_access"})
_ID_EXPRESSIONS = frozenset({"identifier", "interpolated_string_expression", "string_literal", "binary_expression",
                             "member_access_expression", "field_access", "invocation_expression", "method_invocation"})
# The CDK's own constructs whose names look like a function's (`LambdaRestApi`, `LambdaInvoke`, a CloudFront
# `Function`): a C# file that uses a CDK namespace and a library's may take them from either, so such a
# name alone is never taken for the library's (Java's explicit imports say whose it is).
_CDK_LOOKALIKES = frozenset({
    "Function", "SingletonFunction", "DockerImageFunction", "CfnFunction", "FunctionUrl", "NodejsFunction",
    "PythonFunction", "GoFunction", "EdgeFunction", "TriggerFunction", "AppsyncFunction", "LambdaRestApi",
    "LambdaInvoke", "LambdaApplication", "LambdaDeploymentGroup", "LambdaDeploymentConfig", "LambdaDataSource",
    "CfnEventSourceMapping", "LambdaFunction", "LambdaIntegration", "HttpLambdaIntegration",
    "HttpLambdaAuthorizer", "WebSocketLambdaIntegration", "WebSocketLambdaAuthorizer",
})
_FUNCTION_WORDS = ("Function", "Lambda")
_FUNCTION_PROPS = frozenset({"handler", "runtime", "entry", "code", "codeuri", "code_uri"})
# Packages of the CDK itself and of `constructs`, per language: their Lambda constructs are read.
_CDK_PACKAGES = ("aws-cdk-lib", "@aws-cdk/", "@aws-cdk-containers/", "constructs", "aws_cdk", "aws-cdk",
                 "github.com/aws/aws-cdk-go/", "github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go/",
                 "@aws-solutions-constructs/", "aws_solutions_constructs", "cdk-nag", "cdk_nag")
# The CDK's and the platform's own namespaces (C#) and packages (Java), by their first segments.
_TYPED_CDK_ROOTS = frozenset({"Amazon.CDK", "Constructs", "System", "Microsoft", "software.amazon.awscdk",
                              "software.constructs", "java", "javax", "io.github.cdklabs"})
_TYPED_LANGUAGES = ("java", "csharp")


@dataclass(frozen=True)
class LibraryCall:
    """A call that looks like it makes a function with a library's construct: its line, the callee
    as written (`scud.NewFunctionGo`), and the package it comes from (`github.com/fogfish/scud`);
    for a C# name several namespaces can hold, each of them (`packages`, `package` the first)."""

    line: int
    callee: str
    package: str
    packages: tuple[str, ...] = ()


def library_notices(sources: dict[str, str], root_of: Callable[[str], str | None], with_functions: set[str | None],
                    exists: Callable[[str], bool], go_module: Callable[[str], str | None]) -> list[Finding]:
    """LR904 for each call of an app with no function read (`with_functions`: the roots of the apps
    that have one) that looks like a library's Lambda construct; `exists(rel)` says whether a path
    is in the repository, `go_module(root)` the module path of a Go app's `go.mod`."""
    notices: list[Finding] = []
    declared: dict[str, _Declared] = {}
    for rel, text in sources.items():
        root = root_of(rel)
        language = source_language(rel)
        if root is None or root in with_functions or language is None:
            continue
        if language in _TYPED_LANGUAGES and language not in declared:
            declared[language] = _declared_names(language, [t for r, t in sources.items() if source_language(r)
                                                            == language])
        module = go_module(root) if language == "go" else None
        local = _local_check(root, language, module, exists)
        for call in library_function_calls(language, text, local, declared.get(language)):
            named = [f"`{package}`" for package in call.packages]
            library = f"the construct library `{call.package}`" if len(named) <= 1 else \
                f"a construct library in one of the namespaces {', '.join(named[:-1])} or {named[-1]}"
            notices.append(unread_declaration_notice(
                rel, call.line, f"`{call.callee}(...)` of {library}, which is not in the repository",
                missing="the functions it makes are missing from this review, and the app declares no Lambda "
                        "construct it reads"))
    return notices


@dataclass(frozen=True)
class _Declared:
    """The packages or namespaces and the classes the repository's C# or Java CDK sources declare."""

    packages: frozenset[str]
    classes: frozenset[str]


def _declared_names(language: str, texts: list[str]) -> _Declared:
    packages: set[str] = set()
    classes: set[str] = set()
    kinds = ("namespace_declaration", "file_scoped_namespace_declaration") if language == "csharp" else \
        ("package_declaration",)
    for text in texts:
        for node in st.walk(st.parse(language, text).root_node, max_depth=_DECLARATION_DEPTH):
            if node.type in kinds:
                name = next((c for c in node.named_children if c.type in _DOTTED_NAMES), None)
                if name is not None:
                    packages.add("".join(st.text(name).split()))
            elif node.type in ("class_declaration", "record_declaration", "interface_declaration"):
                name = node.child_by_field_name("name")
                if name is not None:
                    classes.add(st.text(name))
    return _Declared(frozenset(packages), frozenset(classes))


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


def library_function_calls(language: str, text: str, is_local: Callable[[str], bool],
                           declared: _Declared | None = None) -> list[LibraryCall]:
    """The calls of one CDK source file that look like a library's Lambda construct (at most a few);
    `is_local(package)` says whether an imported package is a module of the repository, and for C#
    and Java `declared` what the repository's sources declare."""
    if language == "python":
        try:
            return _python_calls(parse_python(text), is_local)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []
    if language in _TYPED_LANGUAGES:
        return _typed_calls(language, st.parse(language, text).root_node, declared or _Declared(frozenset(),
                                                                                                 frozenset()))
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


def _typed_calls(language: str, root: Node, declared: _Declared) -> list[LibraryCall]:
    """C# `new DotNetFunction(this, "Api", new DotNetFunctionProps {...})`, Java `new PowerFunction(this,
    "Api", props)` and `PowerFunction.Builder.create(this, "Api")...build()`, whose class the file takes
    from a package neither the CDK's nor the repository's."""
    named, wildcards = _typed_imports(language, root)
    wildcards = [package for package in wildcards if _foreign(package, declared)]
    if not wildcards and not any(_foreign(package, declared) for package in named.values()):
        return []
    found: list[LibraryCall] = []
    for node in st.walk(root):
        call = as_call(node) if node.type in CALL_TYPES else None
        if call is None or len(call.args) < 2 or not call.callee or not _scope_and_id(call.args):
            continue
        if call.is_new:
            parts, props = call.callee, st.unwrap(call.args[2]) if len(call.args) >= 3 else None
        elif language == "java" and call.callee[-2:] == ["Builder", "create"] and len(call.callee) >= 3:
            parts, props = call.callee[:-2], chain_end(node)
        else:
            continue
        name = parts[-1]
        if name in declared.classes:
            continue
        if len(parts) > 1:
            packages: tuple[str, ...] = (".".join(parts[:-1]),)
        elif name in named:
            packages = (named[name],)
        elif name in _CDK_LOOKALIKES:   # a CDK class the file may take from a CDK namespace it uses
            continue
        else:
            packages = tuple(wildcards)
        if not packages or not all(_foreign(package, declared) for package in packages):
            continue
        if _looks_like_function(name, props) or _chain_sets_function_props(node, props):
            found.append(LibraryCall(st.line(node), ".".join(parts), packages[0], packages))
            if len(found) >= MAX_CALLS:
                break
    return found


def _typed_imports(language: str, root: Node) -> tuple[dict[str, str], list[str]]:
    """Class name → package of Java's `import a.b.C;` and C#'s `using C = a.b.C;`, and the packages
    whose every class the file takes by name (`import a.b.*;`, `using a.b;`). Static imports bring
    no class and are left out."""
    named: dict[str, str] = {}
    wildcards: list[str] = []
    kind = "using_directive" if language == "csharp" else "import_declaration"
    for node in st.walk(root, max_depth=_DECLARATION_DEPTH):
        if node.type != kind or any(child.type == "static" for child in node.children):
            continue
        alias = node.child_by_field_name("name") if language == "csharp" else None
        target = next((c for c in node.named_children if c.type in _DOTTED_NAMES and c != alias), None)
        if target is None:
            continue
        dotted = "".join(st.text(target).split())
        if language == "java" and any(child.type == "asterisk" for child in node.children):
            wildcards.append(dotted)
        elif language == "java" or alias is not None:
            package, _, name = dotted.rpartition(".")
            if package:
                named[st.text(alias) if alias is not None else name] = package
        else:
            wildcards.append(dotted)
    return named, wildcards


def _scope_and_id(args: list[Node]) -> bool:
    """A construct's first two arguments: a scope (`this`, a name) and an id (a string, or a name
    holding one); `new LambdaIntegration(handler, options)` and `("Id", handler)` are no construct."""
    scope, construct_id = st.unwrap(args[0]), st.unwrap(args[1])
    if construct_id is None or st.text(args[0]).strip() != "this" and (scope is None or scope.type not in _SCOPES):
        return False   # C#'s `this` is a bare keyword inside its argument
    return st.string_value(construct_id) is not None or construct_id.type in _ID_EXPRESSIONS


def _foreign(package: str, declared: _Declared) -> bool:
    """Neither the CDK's nor the platform's, and not declared (or enclosing one declared) by the repository."""
    if any(package == root or package.startswith(root + ".") for root in _TYPED_CDK_ROOTS):
        return False
    return not any(own == package or own.startswith(package + ".") for own in declared.packages)


def _chain_sets_function_props(node: Node, props: Node | None) -> bool:
    """Java's props built by a builder chain (`XProps.builder().handler("h").build()`), or the
    construct's own chain: whether one of its steps sets a handler, a runtime, an entry or code."""
    if props is None or props.type not in CALL_TYPES:
        return False
    end = chain_end(props) if props is not node else props
    for step in st.walk(end, max_depth=_CHAIN_DEPTH):
        call = as_call(step) if step.type in CALL_TYPES else None
        if call is not None and call.method is not None and call.method.lower() in _FUNCTION_PROPS:
            return True
    return False


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
        parts = dotted_parts(call.func)
        if not parts or parts[0] not in imported or not parts[-1][:1].isupper():
            continue
        keys = {k.arg for k in call.keywords if k.arg}
        if any(word in parts[-1] for word in _FUNCTION_WORDS) or keys & _FUNCTION_PROPS:
            found.append(LibraryCall(call.lineno, ".".join(parts), imported[parts[0]]))
            if len(found) >= MAX_CALLS:
                break
    return found


__all__ = ["LibraryCall", "library_function_calls"]
