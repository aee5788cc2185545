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
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name, receiver_name
from reviewer.inventory.cdk.syntax import Call, chain_end
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


def attach_function_urls(rel: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Give the functions constructed in this file the URLs the file adds to them."""
    if "FunctionUrl" not in text and "function_url" not in text:
        return
    urls = _python(calls) if calls.tree is not None else _tree_sitter(calls)
    by_line = by_construct_line(functions)
    for url in urls:
        for function in by_line.get(calls.stored.get(url.function, AMBIGUOUS), []):
            if function.url is not None:
                continue
            function.url = FunctionUrl(url.auth_type, Location(rel, url.line))
            # Whether the app publishes versions (`currentVersion`, `addAlias`) is not followed: LR401
            # would guess (reviewer.analyzers.deployment).
            function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


def _auth_type(written: str) -> str:
    """`lambda.FunctionUrlAuthType.NONE`, `FunctionUrlAuthType_NONE`, `"NONE"` → `NONE`."""
    return written.strip().strip("'\"").replace("_NONE", ".NONE").replace("_AWS_IAM", ".AWS_IAM").rpartition(".")[2]


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ---------------------------------------------------


def _tree_sitter(calls: FileCalls) -> list[UrlDeclaration]:
    reader = calls.reader
    assert reader is not None
    return [found for call in calls.calls if (found := _added_url(reader, call) or _url_construct(reader, call))]


def _added_url(reader: ValueReader, call: Call) -> UrlDeclaration | None:
    """`fn.addFunctionUrl(options)`: the receiver is the function."""
    if (call.method or "").lower() not in _ADD_URL_METHODS or call.receiver is None:
        return None
    props = reader.props(call.args[0], Env()) if call.args else Props()
    return _declaration(receiver_name(call), props, st.line(call.node))


def _url_construct(reader: ValueReader, call: Call) -> UrlDeclaration | None:
    """`new FunctionUrl(scope, id, {function: fn, authType})` and its builder form."""
    callee = call.callee
    if callee[-3:] == ["FunctionUrl", "Builder", "create"]:
        top = chain_end(call.node, MAX_CHAIN)
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


def _python(calls: FileCalls) -> list[UrlDeclaration]:
    assert calls.tree is not None
    return [found for node in ast.walk(calls.tree) if isinstance(node, ast.Call) and (found := _py_url(node))]


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
