"""A Python construct class whose `__init__` makes its function in a method of its own
(`self.fn = self._create_function(handler, code_dir)`): what each caller of the class fills in.

    class Collector(Construct):
        def __init__(self, scope, construct_id, *, handler, code_dir):
            super().__init__(scope, construct_id)
            self.fn = self._create_function(handler, code_dir)

        def _create_function(self, handler, code_dir):
            return _lambda.Function(self, "Fn", handler=handler, code=_lambda.Code.from_asset(code_dir), ...)

Each `Collector(self, "News", handler="news.handler", code_dir="lambda/news")` of another module is
one function, as if the construct were written in `__init__` (`cdk/python_construct_classes.py`):
what the method takes from its parameters is what `__init__` passes it from its own, a name each.
A class also made in its own module, or a method given anything else, is left as it was read.
"""

from __future__ import annotations

import ast

from reviewer.inventory.cdk.python_construct_classes import (
    class_id_parameter, constructing_class, instantiations, reassigned,
)

Function = ast.FunctionDef | ast.AsyncFunctionDef
# A Python helper's factory shape (`ConstructCall.factory`): the class, its parameters after
# `self`, (role, parameter) pairs, and no id template (the caller's id names the function).
PythonFactory = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], None]


def parameters(helper: Function) -> list[str]:
    """A function's parameter names, `self` included, keyword-only ones last."""
    arguments = helper.args
    return [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]


def argument(call: ast.Call, name: str, position: int, offset: int) -> ast.expr | None:
    """The argument a call passes for parameter `name` (at `position`, `self` counted for methods:
    `offset` 1 when the call does not write it, `self.helper(...)` or `Class(...)`)."""
    keyword = next((k.value for k in call.keywords if k.arg == name), None)
    if keyword is not None:
        return keyword
    index = position - offset
    return call.args[index] if 0 <= index < len(call.args) else None


def constructor_method_factory(tree: ast.Module, init: Function | None, site: ast.Call, method: Function,
                               bound: dict[str, str], made_here: dict[str, bool]) -> PythonFactory | None:
    """The class whose `__init__` (`init`, around `site`, a `self.method(...)` call) makes the
    construct of `method` from its own parameters, with `bound` (role → the method's parameter)
    lifted to them; None when `init` is no top-level class's, the class is made in its own module,
    or nothing but the construct id would come from its callers. `made_here` keeps, for the file,
    whether each class is made in it (the module walked once per class, not once per call)."""
    owner = constructing_class(tree, init)
    if owner is None or init is None or method not in owner.body:
        return None
    if owner.name not in made_here:
        made_here[owner.name] = bool(instantiations(tree, owner.name, 1))
    if made_here[owner.name]:
        return None
    own, taken = parameters(init), parameters(method)
    lifted: dict[str, str] = {}
    for role, parameter in bound.items():
        if parameter not in taken or not isinstance(site.func, ast.Attribute):
            continue   # a key of the method's `**kwargs`, or a call not through `self`
        given = argument(site, parameter, taken.index(parameter), 1)
        if isinstance(given, ast.Name) and given.id in own[1:] and not reassigned(init, given.id):
            lifted[role] = given.id
    if not set(lifted) - {"id"}:
        return None
    if "id" not in lifted and (named := class_id_parameter(init)) is not None:
        lifted["id"] = named
    return owner.name, tuple(own[1:]), tuple(lifted.items()), None


def own_class_sites(tree: ast.Module, method: Function, sites: list[ast.Call],
                    enclosing: dict[int, Function]) -> list[ast.Call]:
    """The calls of a method that reach it: a `self.method(...)` call is one only in a method of
    the same class (two construct classes of a module may each have a `_create_function`)."""
    owner = next((node for node in tree.body if isinstance(node, ast.ClassDef) and method in node.body), None)
    if owner is None:
        return sites
    return [site for site in sites if not isinstance(site.func, ast.Attribute)
            or enclosing.get(id(site)) in owner.body]
