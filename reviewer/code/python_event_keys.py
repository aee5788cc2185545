"""Whether a Python handler provably never reads one key of its event (`body`).

The proof is deliberately narrow, so that it is never wrong: the handler must be a plain function
of its module (no decorator, which receives the event first: Powertools' `event_parser`,
`validator`, a logger that logs it; the name bound once), and its event parameter, and every name
bound to it (`e = event`), may only be read through constant keys other than the one asked about:
`event["pathParameters"]`, `event.get("queryStringParameters")`, `"headers" in event`. Any other
use is a use of the whole event, and the whole event holds the key: passing it to a function
(`json.dumps(event)`, `print(event)`, `Mangum(app)(event, context)`), returning it, iterating it,
`**event`, a computed key, binding the name again, `locals()`, `eval`. Then the answer is False.
"""

from __future__ import annotations

import ast

# Names that reach a function's locals without naming them.
_OPAQUE = frozenset({"locals", "vars", "eval", "exec", "globals"})


def never_reads_key(tree: ast.Module, function_name: str, key: str) -> bool:
    """True only when `function_name` of the module provably never reads `key` of its first parameter."""
    bindings = [statement for statement in tree.body if function_name in _bound_names(statement)]
    if len(bindings) != 1 or not isinstance(bindings[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    function = bindings[0]
    if function.decorator_list:
        return False
    positional = [*function.args.posonlyargs, *function.args.args]
    if not positional:
        return function.args.vararg is None and _plain(function)
    tracked = {positional[0].arg} | _aliases(function, positional[0].arg)
    if not _plain(function):
        return False
    parents = {id(child): node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(function):
        if isinstance(node, ast.arg) and node.arg in tracked and node is not positional[0]:
            return False            # a nested function's parameter of the same name: another value
        if isinstance(node, (ast.Global, ast.Nonlocal)) and tracked & set(node.names):
            return False
        if _binds_by_string(node) & tracked:
            return False            # `except E as event`, `import event`, a `case` capture: bound again
        if isinstance(node, ast.Name) and node.id in tracked and not _keyed_use(node, parents, key, tracked):
            return False
    return True


def _plain(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """No call reaches the locals by another way than their names."""
    return not any(isinstance(node, ast.Name) and node.id in _OPAQUE for node in ast.walk(function))


def _bound_names(statement: ast.stmt) -> set[str]:
    """The module-level names a top-level statement binds (in any branch it holds; a nested
    function's or class's own locals are not the module's)."""
    names: set[str] = set()
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        stack.extend(ast.iter_child_nodes(node))
    return names


def _binds_by_string(node: ast.AST) -> set[str]:
    """The names a node binds that the tree keeps as strings, not as `ast.Name`."""
    if isinstance(node, ast.ExceptHandler) and node.name:
        return {node.name}
    if isinstance(node, ast.alias):
        return {(node.asname or node.name).split(".")[0]}
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return {node.name}
    if isinstance(node, ast.MatchMapping) and node.rest:
        return {node.rest}
    return set()


def _aliases(function: ast.FunctionDef | ast.AsyncFunctionDef, event: str) -> set[str]:
    """The names `e = event` binds to the event, followed until no new one appears."""
    found = {event}
    while True:
        more = {node.targets[0].id for node in ast.walk(function)
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Name) and node.value.id in found} - found
        if not more:
            return found - {event}
        found |= more


def _keyed_use(node: ast.Name, parents: dict[int, ast.AST], key: str, tracked: set[str]) -> bool:
    """Whether this occurrence of a tracked name reads a constant key other than `key`, or binds an alias."""
    parent = parents.get(id(node))
    if isinstance(node.ctx, ast.Store):
        return isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.targets[0] is node \
            and isinstance(parent.value, ast.Name) and parent.value.id in tracked
    if not isinstance(node.ctx, ast.Load):
        return False
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return _other_key(parent.slice, key) and isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
        call = parents.get(id(parent))
        return isinstance(call, ast.Call) and call.func is parent and bool(call.args) and len(call.args) <= 2 \
            and not call.keywords and _other_key(call.args[0], key) \
            and not any(isinstance(argument, ast.Starred) for argument in call.args)
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.In, ast.NotIn)):
        return parent.comparators[0] is node and _other_key(parent.left, key)
    if isinstance(parent, ast.Assign):
        return parent.value is node and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name) \
            and parent.targets[0].id in tracked
    return False                    # a call's argument, a return, an iteration, `**event`, an f-string


def _other_key(node: ast.expr, key: str) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != key
