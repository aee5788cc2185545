"""Lambda constructs in Python CDK apps, read with the `ast` module (never imported or run).

Finds `_lambda.Function(self, "Id", runtime=_lambda.Runtime.PYTHON_3_12, ...)` and its siblings
(`PythonFunction`, `GoFunction`, `NodejsFunction`, `cloudfront.experimental.EdgeFunction`...)
whatever the import style (`from aws_cdk import aws_lambda as _lambda`, `import aws_cdk as cdk`
then `cdk.aws_lambda.Function`, `from aws_cdk.aws_lambda import Function`), plus subclasses
that pass the runtime to `super().__init__`. A runtime held in a module constant, a `**props`
dict written in the same file or returned by a helper of the file is followed; a construct in a
helper that takes its runtime as a parameter is one function per call of the helper, reported
where the call names the runtime (the same coverage as `cdk.source` gives the other languages).
"""

from __future__ import annotations

import ast
from functools import partial
from itertools import islice
from typing import Callable, Iterator

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import (
    IMAGE_CONSTRUCTS, INLINE_CODE_CALLS, ConstructCall, RuntimeValue, runtime_from_expression,
)
from reviewer.inventory.cdk.image_options import python_image_options
from reviewer.inventory.cdk.modules import construct_of
from reviewer.inventory.cdk.python_classes import ClassAttributes
from reviewer.inventory.cdk.python_entrypoints import ENTRYPOINT, FUNCTION, EntryFile, entry_file, entrypoint_roles
from reviewer.inventory.cdk.python_environment import (
    clear_environment, defaults_to_none, dict_entries, read_environment,
)
from reviewer.inventory.cdk.python_construct_classes import (
    ConstructClasses, class_id_parameter, constructing_class, instantiations, parameter_default, reassigned,
)
from reviewer.inventory.cdk.python_constructor_methods import argument as _argument
from reviewer.inventory.cdk.python_constructor_methods import constructor_method_factory, own_class_sites
from reviewer.inventory.cdk.python_constructor_methods import parameters as _parameters
from reviewer.inventory.cdk.python_ids import construct_id as _construct_id
from reviewer.inventory.cdk.python_ids import construct_id_node as _construct_id_node
from reviewer.inventory.cdk.python_ids import evaluate_id, id_parameter
from reviewer.inventory.cdk.python_loops import bind_target, substitute
from reviewer.inventory.cdk.python_kwargs import default_of, defaults, passable, written_defaults
from reviewer.inventory.cdk.python_props_objects import PROPS_ROLES, props_spread, props_value
from reviewer.inventory.cdk.python_paths import asset_path as _path
from reviewer.python_downgrade import parse_python
from reviewer.inventory.cdk.python_names import dotted_parts

MAX_CONSTRUCTS = 500
# AWS Solutions Constructs (`aws_solutions_constructs.*`) create their function from this argument.
SOLUTIONS_KEYWORD = "lambda_function_props"
MAX_CALL_SITES = 50
_ASSET_CALLS = {"from_asset", "from_image_asset", "from_asset_image", "fromAsset", "fromImageAsset", "fromAssetImage",
                "asset", "AssetCode"}


def python_constructs(text: str, imported: Callable[[str], tuple[str, str] | None] | None = None
                      ) -> list[ConstructCall]:
    """Every Lambda construct call of one Python source; SyntaxError when it does not parse.
    `imported` answers what string an imported name holds and the module file that assigns it
    (`python_imports.ModuleConstants`)."""
    tree = parse_python(text)
    return list(islice(_Reader(tree, imported).constructs(), MAX_CONSTRUCTS))


class _Reader:
    def __init__(self, tree: ast.Module, imported: Callable[[str], tuple[str, str] | None] | None = None) -> None:
        self.tree = tree
        self.imported = imported
        # The modules the construct being read took a constant from: its `inputs`.
        self.read_from: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.assignments: dict[str, list[ast.expr]] = {}
        self.assignment_lines: dict[str, int] = {}
        self.stored_in: dict[int, str] = {}   # a call's id → the variable or field assigned its value
        self._helpers: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] | None = None
        self._enclosing: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self._entry_roles: dict[int, dict[str, str]] = {}   # helper's id → `python_entrypoints` roles
        self._assigned_in: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}   # an assigned value's id → its function
        self._sites: dict[str, list[ast.Call]] = {}
        self._made_here: dict[str, bool] = {}   # a class's name → whether this module makes it
        self._loops: dict[int, ast.For] = {}
        self._class_attributes: ClassAttributes | None = None
        self.construct_classes = ConstructClasses(tree, self._construct)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        self.aliases[head] = head
            elif isinstance(node, ast.ImportFrom) and (node.module or node.level):
                # relative imports keep their dots (`.constants.NAME`): only `imported` reads them
                package = "." * node.level + (f"{node.module}." if node.module else "")
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{package}{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1 and node.value is not None and isinstance(targets[0], (ast.Name, ast.Attribute)):
                    target = targets[0]
                    self.stored_in[id(node.value)] = target.id if isinstance(target, ast.Name) else target.attr
                if len(targets) == 1 and isinstance(targets[0], ast.Name) and node.value is not None:
                    self.assignments.setdefault(targets[0].id, []).append(node.value)
                    self.assignment_lines[targets[0].id] = node.lineno

    @property
    def helpers(self) -> dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]:
        """Functions by name, indexed on first use: only files with constructs need them."""
        if self._helpers is None:
            self._helpers = {}
            self._index_functions()
        return self._helpers

    @property
    def enclosing(self) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
        _ = self.helpers
        return self._enclosing

    def _index_functions(self) -> None:
        """Helpers by name, and the innermost function around each call, in one pass without recursion."""
        assert self._helpers is not None
        Owner = ast.FunctionDef | ast.AsyncFunctionDef | None
        pending: list[tuple[ast.AST, Owner, ast.For | None]] = [(self.tree, None, None)]
        while pending:
            node, owner, loop = pending.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._helpers.setdefault(node.name, []).append(node)
                owner, loop = node, None
            elif isinstance(node, ast.For):
                loop = node
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and owner is not None and node.value is not None:
                self._assigned_in[id(node.value)] = owner
            if isinstance(node, ast.Call):
                if owner is not None:
                    self._enclosing[id(node)] = owner
                if loop is not None:
                    self._loops[id(node)] = loop
            pending.extend((child, owner, loop) for child in ast.iter_child_nodes(node))

    def constructs(self) -> Iterator[ConstructCall]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                construct = self._construct(node.func) or self._wrapper(node)
                if construct is not None:
                    yield from self._instances(construct, node)
            elif isinstance(node, ast.ClassDef):
                yield from self._subclass(node)

    def _subclass(self, node: ast.ClassDef) -> Iterator[ConstructCall]:
        """`class OrdersFunction(_lambda.Function)` whose `super().__init__(...)` sets the runtime."""
        construct = next((c for c in map(self._construct, node.bases) if c is not None), None)
        if construct is None:
            return
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                    and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
                    and call.func.value.func.id == "super"):
                yield from self._instances(construct, call, (node.name, False))   # one per `OrdersFunction(...)`
                return

    def _construct(self, func: ast.expr) -> str | None:
        """The construct name when `func` names a Lambda construct through this file's imports."""
        parts = dotted_parts(func)
        if not parts or parts[0] not in self.aliases:
            return None
        full = self.aliases[parts[0]].split(".") + parts[1:]
        if full[0] != "aws_cdk":
            return None
        return construct_of(full[1:])

    def _wrapper(self, call: ast.Call) -> str | None:
        """A construct of another library or module (`ApiFunction(self, "Id", runtime=_lambda.Runtime.X)`)
        is a Lambda function when it is given a Lambda runtime constant."""
        if len(call.args) < 2 or not isinstance(call.func, (ast.Name, ast.Attribute)) or (
                isinstance(call.func, ast.Name) and self.construct_classes.makes_construct(call.func.id)):
            return None   # a construct class of this file: its construct, made per call, is read there
        runtime = next((k.value for k in call.keywords if k.arg == "runtime"), None)
        solutions = self._solutions_props(call) if runtime is None else None
        if solutions is not None:
            runtime = next((k.value for k in solutions.keywords if k.arg == "runtime"), None)
        parts = dotted_parts(runtime) if runtime is not None else []
        if len(parts) < 3 or parts[0] not in self.aliases:
            return None
        full = self.aliases[parts[0]].split(".") + parts[1:]
        if full[:3] != ["aws_cdk", "aws_lambda", "Runtime"]:
            return None
        return dotted_parts(call.func)[-1] if dotted_parts(call.func) else None

    def _instances(self, construct: str, call: ast.Call, name: tuple[str, bool] | None = None
                   ) -> Iterator[ConstructCall]:
        """The construct as written; once per call of its helper when the helper passes in its
        construct id, runtime or handler (`self._make("Orders", "orders.handler")`), or of the
        construct class whose `__init__` makes it (`ServiceFunction(self, "Orders", handler=...)`)."""
        found = self._read(construct, call, name)
        looped = self._looped(construct, call)
        if looped:
            yield from looped
            return
        helper = self.enclosing.get(id(call))
        owner = constructing_class(self.tree, helper)   # `ServiceFunction(self, "Orders", handler=...)`
        bound = self._bound_parameters(call, helper) if helper is not None and (
            helper.name != "__init__" or owner is not None) else {}
        by_caller = owner is not None and bool(bound) and "id" not in bound   # the construct's path: `Orders/Fn`
        if by_caller and helper is not None and (named := class_id_parameter(helper)) is not None:
            bound["id"] = named
        sites = [] if helper is None or not bound else instantiations(self.tree, owner.name, MAX_CALL_SITES) \
            if owner is not None else own_class_sites(self.tree, helper, self._helper_calls(helper.name), self.enclosing)
        if not sites:
            exported = (owner.name if owner is not None else self._exported_name(helper)) \
                if helper is not None and bound else None
            if exported is not None:   # made for other modules: `cdk/factories.py` follows their calls
                template = _construct_id_node(call) if "id" in bound and not by_caller else None   # `f"{id}Fn"`
                found.factory = (exported, tuple(_parameters(helper)[1 if owner is not None else 0:]),  # type: ignore
                                 tuple(bound.items()), ast.unparse(template) if template is not None else None)
            yield found
            return
        assert helper is not None
        parameters = _parameters(helper)
        for site in sites:
            instance = self._read(construct, call)
            instance.line, instance.construct_line = site.lineno, call.lineno
            entry: EntryFile | None = None
            entry_function: str | None = None
            for role, parameter in bound.items():   # a key of `**kwargs` is no parameter: `python_kwargs`
                held, _, props_key = parameter.partition(".")   # `props.runtime`: a key of a props object
                argument = _argument(site, held, parameters.index(held) if held in parameters else -1,
                                     1 if owner is not None or isinstance(site.func, ast.Attribute) else 0)
                argument = props_value(argument, props_key) if props_key else argument
                if role == "id" and by_caller:
                    named_id = argument.value if isinstance(argument, ast.Constant) else None
                    instance.name, instance.name_is_literal = (named_id, True) if isinstance(named_id, str) else (
                        f"{owner.name if owner is not None else construct} at line {site.lineno}", False)
                elif role == "environment":   # `environment=env`: the dict the call passes
                    self._caller_environment(instance, argument, site, helper, parameter)
                elif role == "signing" and argument is not None and not _is_none(argument):
                    instance.code_signing_line = argument.lineno
                elif role == "asset" and isinstance(argument, ast.Call):   # `code=Code.from_asset("src")`
                    instance.asset, instance.code_unread = None, None
                    self._asset(argument, instance, site)
                elif role == "id" and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    made = evaluate_id(_construct_id_node(call) or argument, {parameter: argument.value})
                    instance.name, instance.name_is_literal = (made, True) if made is not None else (instance.name, False)
                elif role == "handler" and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    instance.handler = argument.value
                elif role == FUNCTION and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    entry_function = argument.value
                elif role == ENTRYPOINT and argument is not None:   # `f"{entrypoint.stem}.{function}"`
                    entry = entry_file(argument, partial(self._single_assignment, site=site))
                elif role in ("asset", "entry") and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    instance.asset, instance.asset_base, instance.code_unread = argument.value, "app", None
                elif role == "index" and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    instance.index = argument.value   # a `PythonFunction`'s, from a caller's props object
                elif role == "runtime" and argument is not None:
                    if parameter not in parameters:   # the call's own `runtime=`: where it is written
                        instance.runtime_line, instance.runtime_default_line = argument.lineno, None
                    resolved = self._runtime(argument, instance)
                    instance.runtime, instance.runtime_note = resolved.identifier, resolved.note
                    instance.runtime_follows = resolved.follows
                    instance.unread = None if resolved.identifier or not resolved.note else (
                        argument.lineno, f"a runtime {resolved.note}")
                    if instance.runtime_default_line is None and argument.lineno != instance.runtime_line:
                        instance.runtime_default_line = argument.lineno
            if entry is not None:
                entry.fill(instance, entry_function)
            if owner is None:   # `self._create_function(handler, code_dir)` in a construct class's `__init__`
                instance.factory = constructor_method_factory(self.tree, self.enclosing.get(id(site)), site, helper,
                                                              bound, self._made_here)
            yield instance

    def _bound_parameters(self, call: ast.Call, helper: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
        """Which of the construct's id, runtime and handler are parameters of the helper around it
        (and not reassigned in the file): role → parameter name."""
        parameters = _parameters(helper)
        keywords = self._keywords(call)
        code = keywords.get("code", (None, None))[1]
        asset = _asset_argument(code) if isinstance(code, ast.Call) and isinstance(code.func, ast.Attribute) \
            and code.func.attr in ("from_asset", "asset") else None
        written = {"id": _construct_id_node(call), "runtime": keywords.get("runtime", (None, None))[1],
                   "handler": keywords.get("handler", (None, None))[1], "asset": asset,
                   "environment": keywords.get("environment", (None, None))[1]}
        bound = {role: node.id for role, node in written.items()
                 if isinstance(node, ast.Name) and node.id in parameters and node.id not in self.assignments}
        derived = id_parameter(written["id"], parameters, self.assignments) if "id" not in bound else None
        bound |= {"id": derived} if derived is not None else {}
        # `kwargs["handler"] = f"{entrypoint.stem}.{function}"`: the handler and code come from the file
        if id(helper) not in self._entry_roles:   # walked once per helper, not per construct in it
            self._entry_roles[id(helper)] = entrypoint_roles(helper, parameters)
        entry = self._entry_roles[id(helper)]
        taken = {"handler", "asset"} if entry else set()
        passed = passable(call, helper, parameters)
        spread = props_spread(helper) if helper.args.kwarg is None else None
        if spread is not None:   # the keys of a props object a caller passes: `props.runtime`
            forced = {key for key, (_, is_forced, _) in defaults(helper).items() if is_forced}
            passed = {role: f"{spread[1]}.{key}" for role, key in PROPS_ROLES
                      if key not in forced and (role in passed or role in ("entry", "index"))}
        return {role: key for role, key in passed.items()
                if role not in bound and role not in taken} | bound | entry

    def _caller_environment(self, instance: ConstructCall, argument: ast.expr | None, site: ast.Call,
                            helper: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str) -> None:
        """What one call of the helper passes as the construct's `environment`: its dict (or the one
        dict its variable is assigned); none at all when it passes `None`, or passes nothing for a
        parameter written `environment=None`."""
        if argument is None and not defaults_to_none(helper, parameter):
            return   # the helper's default, as read with its construct
        clear_environment(instance)
        if argument is not None and not _is_none(argument):
            read_environment(instance, argument, self._single_assignment(argument, site) or argument)

    def _exported_name(self, helper: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """How another module calls `helper`: its name when it is a function of the module,
        `Class.name` when it is a static method of a class of the module, or a method without a
        decorator called through its class with every argument written (`Util.make(self, "Id")`,
        which is how such a method is called from another module); else None."""
        if helper in self.tree.body:
            return helper.name
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and helper in node.body and (not helper.decorator_list or any(
                    isinstance(d, ast.Name) and d.id == "staticmethod" for d in helper.decorator_list)):
                return f"{node.name}.{helper.name}"
        return None

    def _looped(self, construct: str, call: ast.Call) -> list[ConstructCall]:
        """`for name, runtime in [("Orders", Runtime.PYTHON_3_8), ...]:` → one function per element."""
        _ = self.helpers
        loop = self._loops.get(id(call))
        runtime = self._keywords(call).get("runtime")
        if loop is None or runtime is None:
            return []
        elements = loop.iter
        if isinstance(elements, ast.Name):
            elements = self._single_assignment(elements) or elements
        if not isinstance(elements, (ast.List, ast.Tuple)):
            return []
        instances = []
        for element in elements.elts[:MAX_CALL_SITES]:
            bindings = bind_target(loop.target, element)
            value = substitute(runtime[1], bindings, dict_entries)
            if value is None:
                return []
            instance = self._read(construct, call)
            resolved = self._runtime(value, instance)
            instance.runtime, instance.runtime_note, instance.unread = resolved.identifier, resolved.note, None
            instance.runtime_follows = resolved.follows
            instance.runtime_default_line = getattr(value, "lineno", None)
            id_node = _construct_id_node(call)
            name = substitute(id_node, bindings, dict_entries) if id_node is not None else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                instance.name, instance.name_is_literal = name.value, True
            instances.append(instance)
        return instances

    def _helper_calls(self, name: str) -> list[ast.Call]:
        if name not in self._sites:
            self._sites[name] = self._find_helper_calls(name)
        return self._sites[name]

    def _find_helper_calls(self, name: str) -> list[ast.Call]:
        sites = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and (
                    isinstance(node.func, ast.Name) and node.func.id == name
                    or isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("self", "cls")):
                sites.append(node)
                if len(sites) >= MAX_CALL_SITES:
                    break
        return sites

    def _read(self, construct: str, call: ast.Call, name: tuple[str, bool] | None = None) -> ConstructCall:
        """The construct as written, named `name` (a construct class's caller's id) or by its own id."""
        self.read_from = set()
        name = name or self._construct_id(call)
        found = ConstructCall(construct=construct, name=name[0], name_is_literal=name[1], line=call.lineno,
                              image=construct in IMAGE_CONSTRUCTS)
        if not name[1] and _construct_id_node(call) is not None and name == self._construct_id(call):
            found.id_is_expression, found.variable = True, self.stored_in.get(id(call))
        keywords = self._keywords(call)
        if "runtime" in keywords:
            keyword, value = keywords["runtime"]
            found.runtime_given, found.runtime_line = True, keyword.lineno
            resolved = self._runtime(value, found, call)
            found.runtime, found.runtime_note, found.runtime_follows = resolved.identifier, resolved.note, resolved.follows
            found.image = found.image or resolved.image
            if resolved.identifier is None and not resolved.image and resolved.note and \
                    "version" not in resolved.note:
                found.unread = (getattr(value, "lineno", call.lineno), f"a runtime {resolved.note}")
        elif "**" in keywords:
            found.runtime_note = f"passed in `**{ast.unparse(keywords['**'][1])[:60]}`"
            found.unread = (keywords["**"][1].lineno, f"properties {found.runtime_note}, which is not written "
                                                      "in this file")
        handler = keywords["handler"][1] if "handler" in keywords else None
        handler = self._single_assignment(handler, call) if isinstance(handler, ast.Name) else handler
        if isinstance(handler, ast.Constant):   # written, or the default of the helper's parameter
            found.handler = str(handler.value)
        if "index" in keywords and isinstance(keywords["index"][1], ast.Constant):
            found.index = str(keywords["index"][1].value)
        if "environment" in keywords:
            variables = keywords["environment"][1]
            named = variables.id if isinstance(variables, ast.Name) else ""
            optional = self._parameter_of(variables, call)   # `environment=None` unless a call passes one
            if optional is None or reassigned(optional, named) or not defaults_to_none(optional, named):
                read_environment(found, variables, self._single_assignment(variables, call) or variables)
        signing = keywords.get("code_signing_config", keywords.get("code_signing_config_arn"))   # a Cfn construct's ARN
        if signing is not None and not _is_none(signing[1]):
            found.code_signing_line = signing[0].lineno
        for key in ("code", "entry", "code_uri"):   # `code_uri`: the SAM function of `aws_cdk.aws_sam`
            if key in keywords:
                self._asset(keywords[key][1], found, call)
        found.inputs = tuple(sorted(self.read_from))
        return found

    def _solutions_props(self, call: ast.Call) -> ast.Call | None:
        """The `FunctionProps(...)` an AWS Solutions Construct builds its function from
        (`LambdaToDynamoDB(self, "Id", lambda_function_props=_lambda.FunctionProps(...))`), also
        through a variable of the file or written as a dict."""
        value = next((k.value for k in call.keywords if k.arg == SOLUTIONS_KEYWORD), None)
        if value is None:
            return None
        value = self._single_assignment(value, call) or value
        if isinstance(value, ast.Call) and dotted_parts(value.func)[-1:] and dotted_parts(value.func)[-1].endswith("Props"):
            return value
        entries = dict_entries(value)
        if entries is None:
            return None
        keywords = []
        for key, (line, item) in entries.items():
            keyword = ast.keyword(arg=key, value=item)
            keyword.lineno = line
            keywords.append(keyword)
        return ast.copy_location(ast.Call(func=ast.Name(id="FunctionProps"), args=[], keywords=keywords), value)

    def _keywords(self, call: ast.Call) -> dict[str, tuple[ast.keyword, ast.expr]]:
        """Keyword arguments, with those of a `**props` dict written in the same file (an AWS
        Solutions Construct's: those of its `lambda_function_props`)."""
        if not any(k.arg == "runtime" for k in call.keywords):
            solutions = self._solutions_props(call)
            if solutions is not None:
                return self._keywords(solutions)
        keywords: dict[str, tuple[ast.keyword, ast.expr]] = {}
        helper = self.enclosing.get(id(call))   # its `**kwargs` defaults: `cdk/python_kwargs.py`
        for keyword in call.keywords:
            if keyword.arg is not None:
                keywords[keyword.arg] = (keyword, default_of(keyword.value, helper))
                continue
            for default in written_defaults(call, helper):
                keywords.setdefault(default.arg or "", (default, default.value))
            spread = self._single_assignment(keyword.value, call)
            if spread is None:
                spread = self._helper_result(keyword.value)
            entries = dict_entries(spread) if spread is not None else None
            if entries is None or (isinstance(spread, ast.Dict) and None in spread.keys):
                keywords.setdefault("**", (keyword, keyword.value))   # `{**defaults, **overrides}`: not all known
            if entries is None:
                continue
            for key, (line, value) in entries.items():
                synthetic = ast.keyword(arg=key, value=value)
                synthetic.lineno = line
                keywords.setdefault(key, (synthetic, value))
        return keywords

    def _runtime(self, value: ast.expr, found: ConstructCall, site: ast.Call | None = None) -> RuntimeValue:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):   # CfnFunction(runtime="python3.9")
            return RuntimeValue(identifier=value.value)
        if isinstance(value, ast.Name):
            assigned = self._single_assignment(value, site)
            if assigned is None:
                return RuntimeValue(note=f"given by the variable `{value.id}`")
            found.runtime_default_line = assigned.lineno if self._parameter_of(value, site) is not None \
                else self.assignment_lines.get(value.id)
            value = assigned
        elif isinstance(value, ast.Attribute) and (held := self.class_attributes.value(value)) is not None:
            found.runtime_default_line = held.lineno   # `self.LAMBDA_RUNTIME`: the class body's line
            value = held
        return runtime_from_expression(ast.unparse(value))

    @property
    def class_attributes(self) -> ClassAttributes:
        """The file's class attributes, indexed on first use (most runtimes are written in place)."""
        if self._class_attributes is None:
            self._class_attributes = ClassAttributes(self.tree)
        return self._class_attributes

    def _helper_result(self, value: ast.expr) -> ast.expr | None:
        """`**self._defaults()`: what a helper of this file returns, when it returns one literal."""
        if not isinstance(value, ast.Call):
            return None
        name = value.func.attr if isinstance(value.func, ast.Attribute) else \
            value.func.id if isinstance(value.func, ast.Name) else None
        helpers = self.helpers.get(name or "", [])
        if len(helpers) != 1:
            return None
        returns = [n.value for n in ast.walk(helpers[0]) if isinstance(n, ast.Return) and n.value is not None]
        returned = returns[0] if len(returns) == 1 else None
        if isinstance(returned, ast.Name):
            returned = self._single_assignment(returned)
        return returned

    def _construct_id(self, call: ast.Call) -> tuple[str, bool]:
        """The construct id, and whether it is a literal (written, or a string constant imported
        from a module of the repository)."""
        name = _construct_id(call)
        node = _construct_id_node(call)
        if not name[1] and node is not None:
            held = self._module_constant(node)
            if held is not None:
                return str(held.value), True
        return name

    def _module_constant(self, value: ast.expr) -> ast.Constant | None:
        """`constants.CREATE_LAMBDA` (a module imported from the repository) or `CREATE_LAMBDA`
        (imported from one): the string literal the module assigns it, as a constant node."""
        parts = dotted_parts(value)
        if self.imported is None or not parts or parts[0] not in self.aliases \
                or (len(parts) == 1 and parts[0] in self.assignments):
            return None
        full = ".".join([self.aliases[parts[0]], *parts[1:]])
        if full.split(".")[0] in ("aws_cdk", "os", "pathlib", "constructs"):
            return None
        assigned = self.imported(full)
        if assigned is None:
            return None
        text, module = assigned
        self.read_from.add(module)
        held = ast.Constant(value=text)
        return ast.copy_location(held, value)

    def _parameter_of(self, value: ast.expr, site: ast.Call | None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function around `site` when `value` names one of its parameters."""
        helper = self.enclosing.get(id(site)) if site is not None else None
        return helper if helper is not None and isinstance(value, ast.Name) \
            and value.id in [*_parameters(helper), *(a.arg for a in (helper.args.vararg, helper.args.kwarg) if a)] \
            else None

    def _single_assignment(self, value: ast.expr, site: ast.Call | None = None) -> ast.expr | None:
        """What the name `value` is assigned: its one assignment in the file, or, when the file
        assigns it several times (`props` in two methods), its one assignment before `site` in the
        function that makes the call `site`."""
        if not isinstance(value, ast.Name):
            return None
        helper = self._parameter_of(value, site)
        if helper is not None and not reassigned(helper, value.id):
            return parameter_default(helper, value.id)   # `runtime=runtime`: `cdk/python_construct_classes.py`
        assigned = self.assignments.get(value.id, [])
        if len(assigned) == 1:
            return assigned[0]
        owner = self.enclosing.get(id(site)) if site is not None and assigned else None
        if owner is None:
            return None
        local = [a for a in assigned if self._assigned_in.get(id(a)) is owner and a.lineno <= value.lineno]
        return local[0] if len(local) == 1 else None

    def _asset(self, value: ast.expr, found: ConstructCall, site: ast.Call) -> None:
        """`Code.from_asset("lambda")`, `DockerImageCode.from_image_asset("img", file=...)`, `entry=`.
        A name in the path (`here = os.path.dirname(__file__)`, set again in each method that makes a
        function) is the one assignment before `site`, the construct call, in the function around it."""
        named = partial(self._single_assignment, site=site)
        call = value if isinstance(value, ast.Call) else None
        if call is not None and dotted_parts(call.func)[-1:] and \
                dotted_parts(call.func)[-1].replace("_", "").lower() in INLINE_CODE_CALLS:
            found.inline = True
            return
        first = _asset_argument(call) if call is not None else None
        if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr in _ASSET_CALLS \
                and first is not None:
            path, base = _path(named(first) or self._module_constant(first) or first, named)
            if path is not None:
                found.asset, found.asset_base = path, base
            else:
                found.code_unread = st.excerpt(ast.unparse(first))
            python_image_options(call.keywords, found, named)
            return
        if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr == "from_bucket":
            key = call.args[1] if len(call.args) >= 2 else next((k.value for k in call.keywords if k.arg == "key"), None)
            key = named(key) or self._module_constant(key) or key if key is not None else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):   # a package built elsewhere
                found.bucket_key = key.value
            return
        path, base = _path(value, named)
        if path is not None:
            found.asset, found.asset_base = path, base


def _asset_argument(call: ast.Call) -> ast.expr | None:
    """The directory of `from_asset(...)` / `from_image_asset(...)`, written first or as `path=` / `directory=`."""
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("path", "directory")), None)


def _is_none(value: ast.expr) -> bool:
    """`code_signing_config=None`: the same as leaving the argument out."""
    return isinstance(value, ast.Constant) and value.value is None

