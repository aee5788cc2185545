"""Python CDK helpers that make functions for other modules of the app.

`def create_function(scope, construct_id, runtime, handler): return _lambda.Function(scope,
construct_id, runtime=runtime, handler=handler, code=_lambda.Code.from_asset("src"))` in
`stacks/utils.py`, called as `create_function(self, "Orders", _lambda.Runtime.PYTHON_3_9,
"orders.handler")` from `stacks/api.py`: each call is one function, declared at the call, with
the construct id, runtime and handler the call passes and what the helper writes itself (its
code, its environment). The helper's own construct is no function of its own once a call of it
is found; until then it stays listed as written, with its notice.

Read with `ast` (the caller's parse is the run's shared one), never imported: a call counts when
its callee is a module-level function imported from the helper's module of the repository
(`from stacks.utils import create_function`, `from stacks import utils` then `utils.create_function`,
or a relative import), resolved as `python_imports` resolves modules.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from typing import Callable

from reviewer.content_cache import ContentCache
from reviewer.inventory.cdk.constructs import runtime_from_expression
from reviewer.inventory.cdk.python_imports import module_files
from reviewer.model import Finding, Function, Location

MAX_SITES = 50


@dataclass(frozen=True)
class Factory:
    """A module-level helper whose construct takes its id, runtime or handler from its parameters."""

    name: str
    parameters: tuple[str, ...]
    bound: tuple[tuple[str, str], ...]     # (role: "id" | "runtime" | "handler", parameter)


@dataclass
class Factories:
    """The helpers one scan found, with the function each one's construct made as written."""

    found: dict[tuple[str, str], tuple[Factory, Function]] = field(default_factory=dict)

    def add(self, rel: str, factory: Factory, function: Function) -> None:
        self.found[(rel, factory.name)] = (factory, function)

    def expand(self, sources: dict[str, str], app_root: Callable[[str], str | None], declared: list[Function],
               notices: list[Finding], parsed: ContentCache, code_path: Callable[[str, str], str | None]) -> None:
        """Replace each helper's function by one function per call of it in `sources`;
        `code_path(caller, folder)` is the code folder an asset path given by the call names."""
        if not self.found:
            return
        names = {name for _, name in self.found}
        used: set[tuple[str, str]] = set()
        made: list[Function] = []
        for rel, text in sources.items():
            if not rel.endswith(".py") or not any(name in text for name in names):
                continue
            try:
                tree = parsed.python(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            for key, site in _calls(tree, rel, app_root(rel), self.found):
                factory, template = self.found[key]
                made.append(_instance(template, factory, site, rel, code_path))
                used.add(key)
                if len(made) >= MAX_SITES * max(1, len(self.found)):
                    break
        if not made:
            return
        templates = {id(self.found[key][1]) for key in used}
        places = {(fn.location.path, fn.location.line) for fn in made}
        declared[:] = [fn for fn in declared if id(fn) not in templates
                       and (fn.location.path, fn.location.line) not in places] + made
        unread = {(self.found[key][1].location.path, line)
                  for key in used for line in _notice_lines(self.found[key][1])}
        notices[:] = [n for n in notices if not (n.rule_id == "LR904" and (n.path, n.line) in unread)]


def _notice_lines(template: Function) -> set[int]:
    """Lines of the helper file an LR904 notice about the helper's construct may stand on."""
    lines = {template.location.line}
    for key in ("Runtime", "Runtime.Default"):
        where = template.locations.get(key)
        if where is not None and where.path == template.location.path:
            lines.add(where.line)
    return lines


def _calls(tree: ast.Module, rel: str, app_root: str | None,
           found: dict[tuple[str, str], tuple[Factory, Function]]) -> list[tuple[tuple[str, str], ast.Call]]:
    """The calls of `tree` to a helper of `found`, through the file's imports."""
    aliases: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or node.level):
            package = "." * node.level + (f"{node.module}." if node.module else "")
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{package}{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
    sites: list[tuple[tuple[str, str], ast.Call]] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        parts = _dotted(call.func)
        if not parts or parts[0] not in aliases:
            continue
        full = aliases[parts[0]].split(".") + parts[1:]   # "" parts keep a relative import's dots
        key = _factory_of(full, rel, app_root, found)
        if key is not None:
            sites.append((key, call))
        if len(sites) >= MAX_SITES:
            break
    return sites


def _factory_of(full: list[str], rel: str, app_root: str | None,
                found: dict[tuple[str, str], tuple[Factory, Function]]) -> tuple[str, str] | None:
    """`stacks.utils.create_function` or `stacks.utils.Helpers.create_function`: the helper of
    `found` it names (the module is the longest prefix that is a file of the repository)."""
    for split in range(len(full) - 1, 0, -1):
        module, name = ".".join(full[:split]), ".".join(full[split:])
        if not module.strip("."):
            continue
        for path in module_files(rel, app_root, module):
            if (path, name) in found:
                return path, name
    return None


def _instance(template: Function, factory: Factory, site: ast.Call, rel: str,
              code_path: Callable[[str, str], str | None]) -> Function:
    """The helper's function as one call makes it."""
    function = copy.deepcopy(template)
    function.location = Location(rel, site.lineno)
    for role, parameter in factory.bound:
        argument = _argument(site, parameter, factory.parameters.index(parameter))
        literal = argument.value if isinstance(argument, ast.Constant) and isinstance(argument.value, str) else None
        if role == "id":
            function.name = literal if literal is not None else f"{factory.name} at {rel}:{site.lineno}"
            function.properties.pop("ConstructIdExpression", None)
            if literal is None:
                function.properties["ConstructIdExpression"] = True
        elif role == "handler" and literal is not None:
            function.handler = literal
        elif role == "asset" and literal is not None:
            function.code_path = code_path(rel, literal)
            function.unresolved.pop("Code", None)
        elif role == "runtime" and argument is not None:
            resolved = runtime_from_expression(ast.unparse(argument))
            function.runtime = resolved.identifier
            function.locations["Runtime"] = Location(rel, argument.lineno)
            function.locations.pop("Runtime.Default", None)
            if resolved.identifier is not None:
                function.unresolved.pop("Runtime", None)
            else:
                function.unresolved["Runtime"] = resolved.note or "not known statically"
    return function


def _argument(call: ast.Call, name: str, position: int) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == name), None)
    if keyword is not None:
        return keyword
    return call.args[position] if 0 <= position < len(call.args) else None


def _dotted(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else []


__all__ = ["Factories", "Factory"]
