"""Function URLs of CDK apps, for LR302 (a URL with auth type `NONE`) and LR401.

Read from the source file that constructs the function, without running it:

- `fn.addFunctionUrl({authType: FunctionUrlAuthType.NONE})` (TypeScript, JavaScript), the same
  method with a builder (Java, Kotlin), an object initializer (C#), a struct (Go: `AddFunctionUrl`),
  or keywords (Python: `fn.add_function_url(auth_type=...)`);
- `new FunctionUrl(this, 'Url', {function: fn, authType: ...})` and its spellings in each language
  (`FunctionUrl.Builder.create(...)`, `awslambda.NewFunctionUrl(...)`, `_lambda.FunctionUrl(...)`).

The function is the construct stored in the variable or field the call names, matched to the
inventory by the construct's line; a URL on anything else (an alias, a function handed in from
another file) is left alone. Whether the app publishes versions is not read, so LR401 stays silent
on these URLs. `authType` left out is CDK's default, `AWS_IAM`. The URL's place is
the line that sets `authType` (where the fix goes), else the call's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call, assigned_name, outer_call
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function, FunctionUrl, Location

DEFAULT_AUTH_TYPE = "AWS_IAM"
NOT_FOLLOWED = "versions and aliases of a CDK app (`currentVersion`, `addAlias`) are not followed"
MAX_CHAIN = 200
_ADD_URL_METHODS = frozenset({"addfunctionurl", "add_function_url"})
_URL_CONSTRUCTS = frozenset({"FunctionUrl", "NewFunctionUrl"})


@dataclass(frozen=True)
class UrlDeclaration:
    """One function URL as written: the variable holding its function, its auth type, its line."""

    function: str
    auth_type: str
    line: int


def attach_function_urls(rel: str, language: str, text: str, functions: list[Function]) -> None:
    """Give the functions constructed in this file the URLs the file adds to them."""
    if "FunctionUrl" not in text and "function_url" not in text:
        return
    try:
        urls, stored = _python(text) if language == "python" else _tree_sitter(language, text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    by_line = {function.location.line: function for function in functions}
    for url in urls:
        function = by_line.get(stored.get(url.function, -1))
        if function is not None and function.url is None:
            function.url = FunctionUrl(url.auth_type, Location(rel, url.line))
            # Whether the app publishes versions (`currentVersion`, `addAlias`) is not followed: LR401
            # would guess (reviewer.analyzers.deployment).
            function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


def _auth_type(written: str) -> str:
    """`lambda.FunctionUrlAuthType.NONE`, `FunctionUrlAuthType_NONE`, `"NONE"` → `NONE`."""
    return written.strip().strip("'\"").replace("_NONE", ".NONE").replace("_AWS_IAM", ".AWS_IAM").rpartition(".")[2]


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ---------------------------------------------------


def _tree_sitter(language: str, text: str) -> tuple[list[UrlDeclaration], dict[str, int]]:
    root = st.parse(language, text).root_node
    reader = ValueReader(language, root, cdk_modules.symbols_of(language, root))
    urls: list[UrlDeclaration] = []
    stored: dict[str, int] = {}
    for node in st.walk(root):
        if node.type not in CALL_TYPES:
            continue
        call = as_call(node)
        if call is None:
            continue
        if len(call.args) >= 2 and (variable := assigned_name(node)) is not None:
            remember_construct(stored, variable, st.line(node))
        found = _added_url(reader, call) or _url_construct(reader, call)
        if found is not None:
            urls.append(found)
    return urls, stored


def _added_url(reader: ValueReader, call: Call) -> UrlDeclaration | None:
    """`fn.addFunctionUrl(options)`: the receiver is the function."""
    if (call.method or "").lower() not in _ADD_URL_METHODS or call.receiver is None:
        return None
    receiver = st.text(st.unwrap(call.receiver) or call.receiver).rpartition(".")[2]
    props = reader.props(call.args[0], Env()) if call.args else Props()
    return _declaration(receiver, props, st.line(call.node))


def _url_construct(reader: ValueReader, call: Call) -> UrlDeclaration | None:
    """`new FunctionUrl(scope, id, {function: fn, authType})` and its builder form."""
    callee = call.callee
    if callee[-3:] == ["FunctionUrl", "Builder", "create"]:
        top = call.node
        for _ in range(MAX_CHAIN):
            outer = outer_call(top)
            if outer is None:
                break
            top = outer
        props = reader.props(top, Env()) if top is not call.node else Props()
    elif callee[-1:] and callee[-1] in _URL_CONSTRUCTS and len(call.args) >= 3:
        props = reader.props(call.args[2], Env())
    else:
        return None
    entries = _entries(props)
    function = entries.get("function")
    if function is None:
        return None
    return _declaration(st.text(st.unwrap(function.value) or function.value).rpartition(".")[2], props,
                        st.line(call.node))


def _entries(props: Props) -> dict:
    return {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}


def _declaration(function: str, props: Props, line: int) -> UrlDeclaration | None:
    if not function:
        return None
    auth = _entries(props).get("authType")
    if auth is None:
        return UrlDeclaration(function, DEFAULT_AUTH_TYPE, line)
    return UrlDeclaration(function, _auth_type(st.text(auth.value)), auth.line)


# -- Python ---------------------------------------------------------------------------------------


def _python(text: str) -> tuple[list[UrlDeclaration], dict[str, int]]:
    tree = ast.parse(text)
    urls: list[UrlDeclaration] = []
    stored: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (name := python_stored_name(target)) is not None:
                    remember_construct(stored, name, node.value.lineno)
        elif isinstance(node, ast.Call):
            found = _py_url(node)
            if found is not None:
                urls.append(found)
    return urls, stored


def _py_url(call: ast.Call) -> UrlDeclaration | None:
    keywords = {keyword.arg: keyword for keyword in call.keywords if keyword.arg is not None}
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "add_function_url":
        function = python_stored_name(func.value)
    elif (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) == "FunctionUrl":
        function = python_stored_name(keywords["function"].value) if "function" in keywords else None
    else:
        return None
    if function is None:
        return None
    auth = keywords.get("auth_type")
    if auth is None:
        return UrlDeclaration(function, DEFAULT_AUTH_TYPE, call.lineno)
    return UrlDeclaration(function, _auth_type(ast.unparse(auth.value)), auth.value.lineno)


def remember_construct(stored: dict[str, int], name: str, line: int) -> None:
    """Keep the line of the construct a variable holds; a name given two constructs in the file
    (`handler` in two stacks) holds neither (-1), so nothing is attached to the wrong one."""
    stored[name] = line if stored.get(name, line) == line else -1


def python_stored_name(node: ast.expr) -> str | None:
    """`fn` or `self.fn` → the name the construct is kept under."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None
