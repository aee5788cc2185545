"""Python CDK construct classes that make a Lambda function from what their callers pass.

Teams wrap `_lambda.Function` in a construct class of their own:

    class ServiceFunction(Construct):
        def __init__(self, scope, id, *, handler, runtime=_lambda.Runtime.PYTHON_3_12, code_dir="src"):
            super().__init__(scope, id)
            self.fn = _lambda.Function(self, "Fn", handler=handler, runtime=runtime,
                                       code=_lambda.Code.from_asset(code_dir))

and each stack makes its functions with `ServiceFunction(self, "Orders", handler="orders.handler")`.
The class's own construct is no function by itself: each instantiation is one, at the call, named
by the construct id the call passes (the construct's path is `Orders/Fn`), with the runtime,
handler and code folder the call passes, or the defaults of the constructor's parameters. A
subclass of a Lambda construct (`class Traced(_lambda.Function)` passing `**kwargs` on to
`super().__init__`) is the same: its callers' keywords fill in what the class leaves out.

This module answers the questions about the class and its parameters; `cdk/python.py` makes the
functions of the class's own module and `cdk/factories.py` those of the modules importing it.
Only a class at the module's top level counts (another module can name it).
"""

from __future__ import annotations

import ast
from typing import Callable

Helper = ast.FunctionDef | ast.AsyncFunctionDef


def constructing_class(tree: ast.Module, helper: Helper | None) -> ast.ClassDef | None:
    """The top-level class whose `__init__` is `helper` (the function around a construct call)."""
    if helper is None or helper.name != "__init__":
        return None
    return next((node for node in tree.body if isinstance(node, ast.ClassDef) and helper in node.body), None)


def class_id_parameter(helper: Helper) -> str | None:
    """The construct id parameter of `__init__(self, scope, id, ...)`: the third positional one."""
    positional = [*helper.args.posonlyargs, *helper.args.args]
    return positional[2].arg if len(positional) >= 3 else None


def parameter_default(helper: Helper | None, name: str) -> ast.expr | None:
    """What the parameter `name` of `helper` defaults to (`runtime=_lambda.Runtime.PYTHON_3_12`):
    the construct's value when the caller passes none. None when it has no default, or is `None`."""
    if helper is None:
        return None
    arguments = helper.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None]
    default = next((d for a, d in pairs if a.arg == name), None)
    return None if isinstance(default, ast.Constant) and default.value is None else default


def reassigned(helper: Helper, name: str) -> bool:
    """Whether `helper`'s body assigns `name` again (`runtime = runtime or DEFAULT`): its default
    is then not what the construct is given."""
    for node in ast.walk(helper):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


class ConstructClasses:
    """Which top-level classes of a module make a Lambda construct, each class judged once.

    Every call of a file's own name with two arguments (`Name(a, b)`) asks whether `Name` is such
    a class; looking for the class and walking its `__init__` again for each call cost the product
    of the calls and the file's length (twenty thousand calls of a hostile file took half a minute).
    """

    def __init__(self, tree: ast.Module, construct: Callable[[ast.expr], str | None]) -> None:
        self.construct = construct
        self._classes: dict[str, ast.ClassDef] = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self._classes.setdefault(node.name, node)
        self._answers: dict[str, bool] = {}

    def makes_construct(self, name: str) -> bool:
        """Whether `name` is a top-level class of the file whose `__init__` calls a Lambda construct
        (`construct` names one) or whose base is one: a call of it given a runtime is then no
        construct of its own, the class's construct is made once per call."""
        if name not in self._answers:
            node = self._classes.get(name)
            self._answers[name] = node is not None and _makes_construct(node, self.construct)
        return self._answers[name]


def _makes_construct(node: ast.ClassDef, construct: Callable[[ast.expr], str | None]) -> bool:
    init = next((f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and f.name == "__init__"), None)
    return any(construct(base) for base in node.bases) or init is not None and any(
        isinstance(c, ast.Call) and construct(c.func) for c in ast.walk(init))


def instantiations(tree: ast.Module, name: str, limit: int) -> list[ast.Call]:
    """The calls `Name(...)` that make an instance of the file's class `name`."""
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
            sites.append(node)
            if len(sites) >= limit:
                break
    return sites


__all__ = ["ConstructClasses", "class_id_parameter", "constructing_class", "instantiations", "parameter_default", "reassigned"]
