"""AWS Solutions Constructs a TypeScript or JavaScript CDK file imports, and the Lambda functions
they make from the properties they are given.

A pattern (`new SqsToLambda(this, 'Task', { lambdaFunctionProps: {...} })`) and the package's own
helper (`buildLambdaFunction(this, { lambdaFunctionProps: {...} })` of `@aws-solutions-constructs/core`)
each deploy one function from their `lambdaFunctionProps`. `cdk/source.py` reads such a call as a
function when it can read a Lambda runtime in those properties; an app that wraps a pattern in a
construct class of its own passes them on from its caller instead (`lambdaFunctionProps:
props.functionProps`), so the call names no runtime, yet each caller's `new FeedProducer(...)` is
one function (`cdk/class_factories.py`). Knowing the callee comes from the Solutions Constructs
packages is the evidence here, where a runtime is elsewhere. A pattern given only an existing
function (`existingLambdaObj`) makes none: the call is a function only with `lambdaFunctionProps`.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import Call, literal_entries

Node = tree_sitter.Node

PACKAGE_PREFIX = "@aws-solutions-constructs/"
# The property a pattern or the core helper makes its function from, lower-cased as every
# language's spelling compares (`lambdaFunctionProps`, Python's `lambda_function_props` aside).
SOLUTIONS_PROPS = "lambdafunctionprops"
# `buildLambdaFunction(scope, props, constructId?)` of the core package.
BUILD_FUNCTION = "@aws-solutions-constructs/core.buildLambdaFunction"
# The construct id the core helper gives the function when the call names none
# (`deployLambdaFunction`'s `functionId ? functionId : 'LambdaFunction'`).
DEFAULT_ID = "LambdaFunction"
# How a construct call reads when it is the core helper: its properties are its second argument.
BUILD_FORM = "build"
_NO_VALUE = frozenset({"undefined", "null"})


def solutions_imports(root: Node) -> dict[str, str]:
    """Local names of the file's top-level imports from a Solutions Constructs package → what each
    stands for: a named import `SqsToLambda` → "@aws-solutions-constructs/aws-sqs-lambda.SqsToLambda",
    a namespace (`import * as defaults`) or default import → the package itself."""
    names: dict[str, str] = {}
    for node in root.named_children:
        if node.type != "import_statement":
            continue
        package = st.string_value(node.child_by_field_name("source")) or ""
        if not package.startswith(PACKAGE_PREFIX):
            continue
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        for part in clause.named_children if clause is not None else []:
            if part.type == "identifier":
                names[st.text(part)] = package
            elif part.type == "namespace_import" and part.named_children:
                names[st.text(part.named_children[-1])] = package
            elif part.type == "named_imports":
                for specifier in part.named_children:
                    name = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias")
                    if specifier.type == "import_specifier" and name is not None:
                        names[st.text(alias or name)] = f"{package}.{st.text(name)}"
    return names


def _resolve(callee: list[str], imports: dict[str, str]) -> str | None:
    """What a callee names among the imports: `SqsToLambda`, `defaults.buildLambdaFunction`."""
    if len(callee) == 1:
        return imports.get(callee[0])
    if len(callee) == 2 and callee[0] in imports and "." not in imports[callee[0]].removeprefix(PACKAGE_PREFIX):
        return f"{imports[callee[0]]}.{callee[1]}"
    return None


def solutions_site(call: Call, imports: dict[str, str]) -> tuple[str, str] | None:
    """(construct, form) when `call` makes a function with a Solutions Construct: a pattern's `new`
    (form "props", its properties third) or the core helper (`BUILD_FORM`, its properties second),
    given `lambdaFunctionProps` written in the call's object literal as anything but `undefined`."""
    if not imports or not call.callee:
        return None
    named = _resolve(call.callee, imports)
    if named is None:
        return None
    if named == BUILD_FUNCTION and not call.is_new:
        position, form = 1, BUILD_FORM
    elif call.is_new and call.callee[-1][:1].isupper():
        position, form = 2, "props"
    else:
        return None
    if len(call.args) <= position:
        return None
    entries = literal_entries(st.unwrap(call.args[position]) or call.args[position]) or []
    value = next((v for key, _, v in entries if key.lower() == SOLUTIONS_PROPS), None)
    if value is None or st.text(value) in _NO_VALUE:
        return None
    return call.callee[-1], form


def function_props(outer: Node | None) -> tuple[Node | None, bool]:
    """The node holding the function's own properties in a construct call's properties `outer`: the
    value of its `lambdaFunctionProps` when it has one and writes no runtime of its own, else
    `outer`; and whether it was so taken (what a caller must pass for the function to be made)."""
    entries = literal_entries(st.unwrap(outer) or outer) if outer is not None else None
    if not entries or any(key.lower() == "runtime" for key, _, _ in entries):
        return outer, False
    nested = next((value for key, _, value in entries if key.lower() == SOLUTIONS_PROPS), None)
    return (nested, True) if nested is not None else (outer, False)


def left_out(required: Node | None, params: list[str], args: list[Node]) -> bool:
    """Whether a call of the helper around the construct (`this.buildLambdaAndDynamoDB({ existingLambda:
    fn }, ...)`) leaves out the properties `required` names (`props.lambdaFunctionProps`, the
    helper's parameter `props`): the argument is an object literal, written in full, that lacks
    the key. Such a call makes no function: the construct takes the existing one."""
    head, _, key = st.text(required).partition(".") if required is not None else ("", "", "")
    if not key or "." in key or head not in params or params.index(head) >= len(args):
        return False
    argument = args[params.index(head)]
    entries = literal_entries(st.unwrap(argument) or argument)
    return entries is not None and all(name != "..." and name != key for name, _, _ in entries)
