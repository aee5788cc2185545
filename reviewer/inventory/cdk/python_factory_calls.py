"""The calls a Python CDK file makes to a helper of another module (`cdk/factories.py`).

`from stacks.utils import create_function`, `from stacks import utils` then `utils.create_function`,
or a relative import, each module looked up as `python_imports` looks it up (with the folders the
app installs as packages, `python_path_dependencies`); what each call passes, as an `Argument`;
and what a call of a helper making its handler from a file (`f"{entrypoint.stem}.{function}"`,
`python_entrypoints`) gives its function.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from reviewer.inventory.cdk.caller_environment import Variable
from reviewer.inventory.cdk.python_entrypoints import EntryFile, entry_file
from reviewer.inventory.cdk.python_environment import caller_variables
from reviewer.inventory.cdk.python_imports import module_files, single_assignments
from reviewer.inventory.cdk.python_paths import Named
from reviewer.inventory.cdk.python_props_objects import props_value
from reviewer.model import Function
from reviewer.inventory.cdk.python_names import dotted_parts

if TYPE_CHECKING:
    from reviewer.inventory.cdk.factories import Factory

MAX_SITES = 50


@dataclass(frozen=True)
class Argument:
    """What one call passes for one parameter: as written, its string value, its line."""

    text: str
    literal: str | None
    line: int
    # The folder a `Code.from_asset("src")` argument names (a `**kwargs` helper's `code=`).
    folder: str | None = None
    # An object literal's variables, when the argument is one (a TypeScript/JavaScript caller's
    # `environment: { BUCKET: bucket.bucketName }`, a Python caller's `environment={"BUCKET":
    # bucket.bucket_name}`): `caller_environment.Variable`s.
    variables: tuple[Variable, ...] | None = None
    # The handler's file a Python argument names (`Path(__file__).parent / "src" / "app.py"`), for
    # a helper whose handler is `f"{entrypoint.stem}.{function}"` (`cdk/python_entrypoints.py`).
    entry: EntryFile | None = None
    # A path a TypeScript/JavaScript argument builds from its file's folder or the working
    # directory (`path.join(__dirname, '..', 'lambdas', 'app.ts')`): (path, base "file" or "app").
    path: tuple[str, str] | None = None


# What a call passes: (parameter name or None, position, key in the object passed there or None).
Arguments = Callable[[str | None, int, str | None], "Argument | None"]
Site = tuple[tuple[str, str], int, Arguments]


def python_calls(tree: ast.Module, rel: str, app_root: str | None,
                  found: dict[tuple[str, str], tuple[Factory, Function]], packages: tuple[str, ...] = (),
                  imported_path: Callable[[str], str | None] = lambda dotted: None) -> list[Site]:
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
    assigned = single_assignments(tree)

    def named(node: ast.expr) -> ast.expr | None:
        return assigned.get(node.id) if isinstance(node, ast.Name) else None

    def imported(node: ast.expr) -> str | None:   # `LAMBDA_PATH`, `constants.LAMBDA_PATH` of another module
        parts = dotted_parts(node)
        if not parts or parts[0] not in aliases or parts[0] in assigned:
            return None
        return imported_path(".".join(aliases[parts[0]].split(".") + parts[1:]))

    sites: list[Site] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        parts = dotted_parts(call.func)
        if not parts or parts[0] not in aliases:
            continue
        full = aliases[parts[0]].split(".") + parts[1:]   # "" parts keep a relative import's dots
        key = _factory_of(full, rel, app_root, found, packages)
        if key is not None:
            sites.append((key, call.lineno, _python_arguments(call, named, imported)))
        if len(sites) >= MAX_SITES:
            break
    return sites


def _python_arguments(call: ast.Call, named: Named = lambda _: None,
                      imported: Callable[[ast.expr], str | None] = lambda _: None) -> Arguments:
    def argument(name: str | None, position: int, key: str | None) -> Argument | None:
        node = next((k.value for k in call.keywords if k.arg == name), None) if name else None
        if node is None and 0 <= position < len(call.args):
            node = call.args[position]
        if node is not None and key is not None:   # `create(self, {"id": "Orders"})`, `props=FunctionProps(...)`
            node = props_value(node, key)
        if node is None:
            return None
        literal = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
        return Argument(ast.unparse(node), literal, node.lineno, _asset_folder(node), caller_variables(node),
                        entry_file(node, named, imported))
    return argument


def _factory_of(full: list[str], rel: str, app_root: str | None,
                found: dict[tuple[str, str], tuple[Factory, Function]],
                packages: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """`stacks.utils.create_function` or `stacks.utils.Helpers.create_function`: the helper of
    `found` it names (the module is the longest prefix that is a file of the repository)."""
    for split in range(len(full) - 1, 0, -1):
        module, name = ".".join(full[:split]), ".".join(full[split:])
        if not module.strip("."):
            continue
        for path in module_files(rel, app_root, module, packages):
            if (path, name) in found:
                return path, name
    return None


def installed_library(rel: str, app_root: str | None, packages: Callable[[str], tuple[str, ...]]) -> bool:
    """Whether `rel` is a module of a package the app installs from a folder of the repository, and
    of no app itself (`aws_solutions/cdk/.../metrics.py` of `cdk_solution_helper_py/helpers_cdk`):
    its calls of the helper make functions only for an app that uses its constructs."""
    return rel.endswith(".py") and app_root is None and any(
        rel.startswith(f"{root}/") for root in packages(rel))


def entry_handler(function: Function, entry: EntryFile, name: str | None, rel: str,
                   code_path: Callable[[str, str, str], str | None]) -> None:
    """`f"{entrypoint.stem}.{function}"`: the handler is the file's module and the function the call
    names, the code its folder (a module at the package's root)."""
    if entry.module is not None and name is not None:
        function.handler = f"{entry.module}.{name}"
        function.unresolved.pop("Handler", None)
    if entry.folder is not None:
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(rel), entry.folder)) \
            if entry.base == "file" else entry.folder
        function.code_path = code_path(rel, folder, "app" if entry.base == "app" else "repo")
        if function.code_path is not None:
            function.unresolved.pop("Code", None)


def _asset_folder(node: ast.expr) -> str | None:
    """`_lambda.Code.from_asset("src")` (or `path="src"`): "src"."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "from_asset"):
        return None
    folder = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "path"), None)
    return folder.value if isinstance(folder, ast.Constant) and isinstance(folder.value, str) else None


__all__ = ["Argument", "Arguments", "Site", "entry_handler", "installed_library", "python_calls"]
