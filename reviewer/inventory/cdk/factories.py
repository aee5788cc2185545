"""CDK helpers of one module that make functions for the other modules of the app.

`def create_function(scope, construct_id, runtime, handler): return _lambda.Function(scope,
construct_id, runtime=runtime, handler=handler, code=_lambda.Code.from_asset("src"))` in
`stacks/utils.py`, called as `create_function(self, "Orders", _lambda.Runtime.PYTHON_3_9,
"orders.handler")` from `stacks/api.py` (or `export function createFunction(scope, id, handler)`
in `lib/utils.ts`, called from `lib/api.ts`): each call is one function, declared at the call,
with the construct id, runtime, handler and asset folder the call passes and what the helper
writes itself (its code, its environment). The helper's own construct is no function of its own
once a call of it is found; until then it stays listed as written, with its notice, unless nothing
calls it at all (`cdk/uncalled_helpers.py`: a helper function no file names, a package's helper
class the app only subclasses).

Nothing is imported or run. A call counts when its callee is imported from the helper's module of
the repository: in Python (read with `ast`, the caller's parse is the run's shared one)
`from stacks.utils import create_function`, `from stacks import utils` then
`utils.create_function`, or a relative import, resolved as `python_imports` resolves modules; in
TypeScript and JavaScript (tree-sitter) `import { createFunction } from './utils'` or
`import * as utils from './utils'`, a relative module only; in Java (tree-sitter) a `static`
method of a class, called as `LambdaUtils.createFunction(this, "Orders")` or under `import static
...LambdaUtils.*`, which may return the builder for the caller to finish
(`createFunctionBuilder(this, "Orders").handler("app.Orders::handle").build()`: the chained
`handler`, `runtime` and `code` steps are the call's too); in Go (tree-sitter) an exported function
of another package of the app's module (`go.mod` beside `cdk.json`), called as
`resource.NewLambdaFunction(stack, &resource.NewLambdaFunctionInput{CodePath: "./src/hello"})`
after `import ".../resource"`, whose construct reads its parameters or their fields; in C#
(tree-sitter) each `new` of a construct class in another file, and the class around a call that
passes its own callers' settings on (`cdk/csharp_construct_classes.py`).
"""

from __future__ import annotations

import ast
import copy
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable

from pathlib import PurePosixPath

from reviewer import source_trees as st
from reviewer.content_cache import ContentCache
from reviewer.inventory.cdk.caller_environment import apply_variables
from reviewer.inventory.cdk.constructs import runtime_from_expression
from reviewer.inventory.cdk.class_factories import GUARD
from reviewer.inventory.cdk.csharp_construct_classes import (
    Records, csharp_calls, file_namespace, lifted_factory, record_fields,
)
from reviewer.inventory.cdk.derived_factories import derive_factories
from reviewer.inventory.cdk.path_templates import PathTemplate
from reviewer.inventory.cdk.made_handlers import entry_export, given_handler
from reviewer.inventory.cdk.made_members import MADE_FROM
from reviewer.inventory.cdk.method_factories import MethodCalls
from reviewer.inventory.cdk.python_entrypoints import ENTRYPOINT, FUNCTION, EntryFile
from reviewer.inventory.cdk.python_factory_calls import (
    MAX_SITES, Argument, Arguments, Site, entry_handler, installed_library, python_calls,
)
from reviewer.inventory.cdk.python_ids import evaluate_id
from reviewer.inventory.cdk.sibling_constructs import is_sibling, left_out, own_id, sibling_name
from reviewer.inventory.cdk.script_factory_calls import module_files, normal_path, source_arguments, source_calls
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call, outer_call
from reviewer.inventory.cdk.uncalled_helpers import package_makers, subclass_notices, uncalled
from reviewer.inventory.release_runtimes import FOLLOWS
from reviewer.findings import Finding
from reviewer.model import Function, Location

# A handler a construct class chooses by a setting its caller passes (`nameSuffix ? ... : 'index.handler'`).
HANDLER_FROM_CONDITION = "{name} makes it from the `{key}` the call passes, {value}, which is not worked out"
# How many construct classes deep a C# class passing its callers' settings on is followed.
MAX_LIFTS = 3
# How many helpers of installed packages are looked for among the app's subclasses.
MAX_LIBRARY_HELPERS = 20


@dataclass(frozen=True)
class Factory:
    """A module-level helper whose construct takes its id, runtime, handler or asset folder from
    its parameters (`name` is `Class.method` for a static method)."""

    name: str
    parameters: tuple[str, ...]
    # (role: "id" | "runtime" | "handler" | "asset", what names it: a parameter `id`, a member of
    # one `props.id`, or a name destructured from the parameter at a position `#1.id`)
    bound: tuple[tuple[str, str], ...]
    # Python: the construct id as the helper writes it when it is made from the id's parameter
    # (`"".join(id.split()) + "Function"`), worked out per call by `cdk/python_ids.py`.
    id_template: str | None = None
    # A construct class (`cdk/class_factories.py`): its callers write `new Lambda(this, "Id", {...})`.
    constructed: bool = False
    # The asset folder or entry it builds from what they pass (`cdk/path_templates.py`).
    path_template: PathTemplate | None = None
    # An instance method (`name` is `Class.method`): the types its callers may hold the instance
    # as, the class and what it extends or implements (`cdk/method_factories.py`).
    types: tuple[str, ...] = ()
    # The files of the app's subclasses it is made through (`class SrApiLambda extends SrLambda`,
    # `cdk/derived_factories.py`): inputs of each function, as the helper's own file is.
    inputs: tuple[str, ...] = ()

    def place(self, ref: str) -> tuple[str | None, int, str | None]:
        """(parameter name, position, key in the object passed there) of a reference of `bound`."""
        if ref.startswith("#"):
            position, _, key = ref[1:].partition(".")
            return None, int(position), key or None
        name, _, key = ref.partition(".")
        return name, self.parameters.index(name) if name in self.parameters else -1, key or None


@dataclass
class Factories:
    """The helpers one scan found, with the function each one's construct made as written."""

    found: dict[tuple[str, str], tuple[Factory, Function]] = field(default_factory=dict)
    # The other constructs of a helper that makes several, each under an id of its own (a
    # construct class's `Read` and `Scan` functions): one function per call too, at the call.
    siblings: dict[tuple[str, str], list[tuple[Factory, Function]]] = field(default_factory=dict)
    # The readings of a construct a helper writes again under the same id, which the last stands for.
    alternatives: dict[tuple[str, str], list[Function]] = field(default_factory=dict)

    def add(self, rel: str, factory: Factory, function: Function) -> None:
        key = (rel, factory.name)
        first = self.found.get(key)
        if first is None:
            self.found[key] = (factory, function)
        elif is_sibling(first[1], function, [fn for _, fn in self.siblings.get(key, [])]):
            self.siblings.setdefault(key, []).append((factory, function))
        else:   # the last reading, as before
            self.found[key] = (factory, function)
            if own_id(first[1]) is not None and own_id(first[1]) == own_id(function):
                # the same construct made another way (`if (arm) ... else ...`): one function
                self.alternatives.setdefault(key, []).append(first[1])

    def _constructs(self, key: tuple[str, str]) -> list[tuple[Factory, Function]]:
        """The helper's constructs: the first read, then the others it makes at each call."""
        return [self.found[key], *self.siblings.get(key, [])]

    @staticmethod
    def _left_out(factory: Factory, arguments: Arguments) -> bool:
        """Whether the call leaves out what the helper makes this construct only with (`GUARD`)."""
        guard = dict(factory.bound).get(GUARD)
        return left_out(factory.place(guard) if guard is not None else None, arguments)

    def _instances(self, key: tuple[str, str], arguments: Arguments, rel: str, line: int,
                   code_path: Callable[[str, str, str], str | None],
                   chained: dict[str, Argument] | None = None) -> list[Function]:
        """The functions one call of the helper makes: one per construct of it that the call does
        not leave out, each named by the call's id and its own when there are several
        (`cdk/sibling_constructs.py`)."""
        constructs = self._constructs(key)
        made: list[Function] = []
        for factory, template in constructs:
            if self._left_out(factory, arguments):
                continue
            function = _instance(template, factory, arguments, rel, line, code_path, chained)
            if len(constructs) > 1 and "id" in dict(factory.bound):
                function.name = sibling_name(function.name, template)
            made.append(function)
        return made

    def expand(self, sources: dict[str, str], app_root: Callable[[str], str | None], declared: list[Function],
               notices: list[Finding], parsed: ContentCache, code_path: Callable[[str, str, str], str | None],
               go_module: Callable[[str], str | None] = lambda root: None,
               packages: Callable[[str], tuple[str, ...]] = lambda rel: (),
               imported_paths: Callable[[str], Callable[[str], str | None]] = lambda rel: lambda dotted: None,
               aliased: Callable[[str, str], str | None] = lambda importer, specifier: None,
               named_elsewhere: Callable[[str, str, str], bool] = lambda rel, root, name: True
               ) -> list[Function]:
        """Replace each helper's function by one function per call of it in `sources`, and return
        those; `code_path(caller, folder, base)` is the code folder an asset path given by the call
        names (relative to the caller's app, `base` "app", or to the repository, "repo"),
        `go_module(app root)` the module path the app's `go.mod` declares, `packages(file)` the
        folders a Python file's app installs as packages (`cdk/python_path_dependencies.py`),
        `imported_paths(file)(dotted)` the folder a path constant a Python file imports names,
        `aliased(file, specifier)` the file of the app a TypeScript import names through its
        `tsconfig.json`'s `paths` (`@org/infrastructure/components/lambda`), None for a package,
        `named_elsewhere(file, app root, name)` whether another source of the app writes a helper's
        name (`cdk/uncalled_helpers.py`)."""
        if not self.found:
            return []
        def imported_files(rel: str, module: str) -> list[str]:
            if module.startswith("."):
                return module_files(rel, module)
            target = aliased(rel, module)
            return [target] if target is not None else []

        derive_factories(sources, self.found, imported_files, _derived)   # `class SrApiLambda extends SrLambda`
        records = record_fields([text for rel, text in sources.items() if rel.endswith(".cs")])
        declared_in: dict[str, str | None] = {}

        def namespaces(rel: str) -> str | None:   # a C# class's namespace, read once per file
            if rel not in declared_in:
                declared_in[rel] = file_namespace(sources.get(rel, ""))
            return declared_in[rel]
        lifted = self._lift_csharp(sources, app_root, code_path, records, namespaces)   # `new Worker(...)` in `Service`
        methods = MethodCalls(self.found)
        marks = {name.rpartition(".")[2] for _, name in self.found} | methods.marks()
        used: set[tuple[str, str]] = set()
        made: list[Function] = []
        calls: list[tuple[tuple[str, str], str, int, Arguments, dict[str, Argument]]] = []
        for rel, text in sources.items():
            if not any(mark in text for mark in marks) or installed_library(rel, app_root(rel), packages):
                continue
            try:
                sites = python_calls(parsed.python(text), rel, app_root(rel), self.found, packages(rel),
                                      imported_paths(rel)) \
                    if rel.endswith(".py") else _java_calls(text, self.found) if rel.endswith(".java") \
                    else _go_calls(text, app_root(rel), go_module, self.found) if rel.endswith(".go") \
                    else [site[:3] for site in csharp_calls(rel, text, _csharp_classes(self.found), records, app_root,
                                                            namespaces)] \
                    if rel.endswith(".cs") \
                    else source_calls(rel, text, self.found, methods, imported_files)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            for site in sites[:MAX_SITES]:
                key, line, arguments = site[:3]
                calls.append((key, rel, line, arguments, site[3] if len(site) > 3 else {}))
        for rel, (key, line, arguments) in methods.sites():   # once every file has said which class it makes
            calls.append((key, rel, line, arguments, {}))
        called = {key for key, *_ in calls}   # a call passing on its class's settings is made by the class's callers
        passed_on = {call[0] for call in calls if lifted.get((call[1], call[2])) in called}
        calls = [call for call in calls if lifted.get((call[1], call[2])) not in called]
        used |= passed_on   # its own construct is no function of its own either
        counts = Counter(key for key, *_ in calls)
        for key, rel, line, arguments, chained in calls:
            if counts[key] == 1 and self.found[key][0].constructed and not chained \
                    and all(own_id(template) is not None for _, template in self._constructs(key)) \
                    and not any(_passes(factory, arguments) for factory, _ in self._constructs(key)):
                # the one `new AdministratorStack(app, 'Id', {...})` of the app passes nothing the
                # reading can use for constructs with ids of their own: they are as written, where written,
                # unless the call leaves out what each is made only with (`{ existingLambdaObj: fn }`)
                if all(self._left_out(factory, arguments) for factory, _ in self._constructs(key)):
                    used.add(key)
                continue
            made.extend(self._instances(key, arguments, rel, line, code_path, chained))
            used.add(key)
        unmade = methods.unmade() - used
        used |= _uncalled_library_helpers(self.found, used, sources, app_root, packages, parsed, notices)
        used |= {key for key, (factory, _) in self.found.items() if key not in used and not factory.constructed
                 and not factory.types and key[0] in sources
                 and uncalled(key[0], key[1], sources[key[0]], app_root(key[0]), named_elsewhere)}
        if not made and not unmade and not used:
            return []
        used |= unmade
        templates = {id(function) for key in used
                     for function in [self.found[key][1], *(fn for _, fn in self.siblings.get(key, [])),
                                      *self.alternatives.get(key, [])]}
        places = {(fn.location.path, fn.location.line): fn for fn in made}
        readings: dict[tuple[str, int], list[Function]] = {}
        for fn in declared:   # the caller's own reading of the call (a construct given a runtime)
            if id(fn) not in templates and (fn.location.path, fn.location.line) in places:
                readings.setdefault((fn.location.path, fn.location.line), []).append(fn)
        for place, read in readings.items():
            # the caller makes the class in a loop over a written list: one function per element
            for other in read[1:MAX_SITES]:
                made.append(copy.deepcopy(places[place]))
                _carry_over(other, made[-1])
            _carry_over(read[0], places[place])
        declared[:] = [fn for fn in declared if id(fn) not in templates
                       and (fn.location.path, fn.location.line) not in places] + made
        unread = {(template.location.path, line) for key in used
                  for _, template in [self.found[key], *self.siblings.get(key, [])]
                  for line in _notice_lines(template)}
        notices[:] = [n for n in notices if not (n.rule_id == "LR904" and (n.path, n.line) in unread)]
        return made


    def _lift_csharp(self, sources: dict[str, str], app_root: Callable[[str], str | None],
                     code_path: Callable[[str, str, str], str | None], records: Records,
                     namespaces: Callable[[str], str | None]) -> dict[tuple[str, int], tuple[str, str]]:
        """Each call of a C# construct class written in another construct class's constructor that
        passes on what that class's callers give (`cdk/csharp_construct_classes.py`): its functions
        become the outer class's, made at each of its callers; returns the calls' places → the
        outer class's key."""
        lifted: dict[tuple[str, int], tuple[str, str]] = {}
        for _ in range(MAX_LIFTS):   # a class of a class of a class
            classes = _csharp_classes(self.found)
            added = False
            for rel, text in sources.items() if classes else []:
                if not rel.endswith(".cs") or not any(name in text for name in classes):
                    continue
                for key, line, arguments, node in csharp_calls(rel, text, classes, records, app_root, namespaces):
                    factory = self.found[key][0]
                    outer = lifted_factory(node, factory.bound, factory.place, records) \
                        if (rel, line) not in lifted else None
                    if outer is None:
                        continue
                    name, params, bound, template = outer
                    made = Factory(name, params, bound, constructed=True, path_template=template,
                                   inputs=(key[0], *factory.inputs))
                    for function in self._instances(key, arguments, rel, line, code_path):
                        self.add(rel, made, function)
                    lifted[(rel, line)] = (rel, name)
                    added = True
            if not added:
                break
        return lifted


def _csharp_classes(found: dict[tuple[str, str], tuple[Factory, Function]]) -> dict[str, list[tuple[str, str]]]:
    """The C# construct classes of `found` by name (a name two files declare has both)."""
    classes: dict[str, list[tuple[str, str]]] = {}
    for key in found:
        if key[0].endswith(".cs") and found[key][0].constructed:
            classes.setdefault(key[1], []).append(key)
    return classes


def _passes(factory: Factory, arguments: Arguments) -> bool:
    """Whether a call passes the helper anything its reading can use for a role other than the
    construct id: a string, an asset folder or path, an environment literal, a runtime constant."""
    for role, ref in factory.bound:
        argument = arguments(*factory.place(ref)) if role not in ("id", GUARD, "handler.if") else None
        if argument is not None and (argument.literal is not None or argument.folder or argument.path
                                     or argument.variables or argument.entry is not None
                                     or role == "runtime" and runtime_from_expression(argument.text).identifier):
            return True
    return factory.path_template is not None


def _uncalled_library_helpers(found: dict[tuple[str, str], tuple[Factory, Function]], called: set[tuple[str, str]],
                              sources: dict[str, str], app_root: Callable[[str], str | None],
                              packages: Callable[[str], tuple[str, ...]], parsed: ContentCache,
                              notices: list[Finding]) -> set[tuple[str, str]]:
    """The helpers of a package the app installs (`SolutionsJavaFunction` of the AWS Solutions
    helpers) that no call of the app made a function of: a function only where an app makes one,
    none of the app's. An app's subclass of one (`class S3EventHandler(SolutionsPythonFunction)`)
    makes its functions where it is instantiated, which is not followed: an LR904 notice at the
    class says so, rather than the helper's own construct being listed with its defaults; so does
    one at an app's subclass of a package class that makes its function with the helper
    (`class Base(SolutionStep)`)."""
    library = {key for key in found if key not in called and installed_library(key[0], app_root(key[0]), packages)}
    if not library:
        return set()
    own = {rel: text for rel, text in sources.items() if not installed_library(rel, app_root(rel), packages)}
    helpers = sorted({key[1].rpartition(".")[2] for key in library})[:MAX_LIBRARY_HELPERS]
    package = {rel: text for rel, text in sources.items() if rel.endswith(".py") and rel not in own}
    # the package's classes that make functions with a helper (`SolutionStep`), whose subclasses do too
    makers = package_makers(helpers, package, parsed.python, MAX_LIBRARY_HELPERS)
    for name in helpers + makers:
        notices.extend(subclass_notices(name, own, parsed.python, set(found)))
    return library


def _carry_over(read: Function, made: Function) -> None:
    """What the calling file did with the construct it read at the call (`role=` a role of the
    file with its statements, event sources, grants, a URL) is the made function's too: the
    helper's module cannot know it."""
    made.policy_statements += [s for s in read.policy_statements if s not in made.policy_statements]
    made.managed_policies += [p for p in read.managed_policies if p not in made.managed_policies]
    made.triggers += [t for t in read.triggers if t not in made.triggers]
    made.permissions += [p for p in read.permissions if p not in made.permissions]
    made.url = made.url or read.url
    made.code_signing = made.code_signing or read.code_signing
    made.published = made.published or read.published
    place = f" at {made.location.path}:{made.location.line}"
    if made.name.endswith(place) and not read.name.endswith(place):
        # an id the call computes (`${platform}PublishTopics`): named, as the calling file's own
        # reading named it, by the variable it is assigned to rather than by its place
        made.name = read.name


def _derived(base: Factory, name: str, parameters: tuple[str, ...], bound: tuple[tuple[str, str], ...],
             inputs: tuple[str, ...]) -> Factory:
    """A subclass of construct class `base` (`cdk/derived_factories.py`)."""
    return replace(base, name=name, parameters=parameters, bound=bound, id_template=None, path_template=None,
                   types=(), inputs=inputs)


def _notice_lines(template: Function) -> set[int]:
    """Lines of the helper file an LR904 notice about the helper's construct may stand on."""
    lines = {template.location.line}
    for key in ("Runtime", "Runtime.Default"):
        where = template.locations.get(key)
        if where is not None and where.path == template.location.path:
            lines.add(where.line)
    return lines


# A Java call that finishes the builder the helper returns (`.handler("x").build()`): what those
# steps set (role → argument), over what the helper wrote.
ChainedSite = tuple[tuple[str, str], int, Arguments, dict[str, Argument]]


def _java_calls(text: str, found: dict[tuple[str, str], tuple[Factory, Function]]) -> list[ChainedSite]:
    """The calls of a Java file to a `static` helper of another class in `found`: `Utils.create(...)`,
    or `create(...)` under `import static ...Utils.*` (or `...Utils.create`). A class and method
    two files of the repository declare is left out (which one is called is not known)."""
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key in found:
        if key[0].endswith(".java") and key[1].count(".") == 1:
            owner, _, method = key[1].partition(".")
            by_name.setdefault((owner, method), []).append(key)
    if not by_name:
        return []
    root = st.parse("java", text).root_node
    imported: dict[str, str] = {}     # method called without its class → the class
    for node in root.named_children:
        if node.type != "import_declaration" or "static" not in [c.type for c in node.children]:
            continue
        name = next((c for c in node.named_children if c.type == "scoped_identifier"), None)
        parts = st.text(name).split(".") if name is not None else []
        if any(c.type == "asterisk" for c in node.named_children) and parts:
            imported.update({method: owner for owner, method in by_name if owner == parts[-1]})
        elif len(parts) >= 2 and (parts[-2], parts[-1]) in by_name:
            imported[parts[-1]] = parts[-2]
    sites: list[ChainedSite] = []
    for node in st.walk(root):
        if node.type != "method_invocation":
            continue
        call = as_call(node)
        if call is None or not call.method:
            continue
        owner = imported.get(call.method, "") if call.receiver is None else (
            call.callee[-2] if len(call.callee) >= 2 else "")
        keys = by_name.get((owner, call.method), [])
        if len(keys) == 1:
            sites.append((keys[0], st.line(node), source_arguments(call.args), _chained(node)))
        if len(sites) >= MAX_SITES:
            break
    return sites


def _go_calls(text: str, root: str | None, go_module: Callable[[str], str | None],
              found: dict[tuple[str, str], tuple[Factory, Function]]) -> list[Site]:
    """The calls of a Go file to an exported helper of another package of the app's module:
    `resource.NewLambdaFunction(...)` after `import "<module>/resource"` (or an alias of it)."""
    module = go_module(root) if root is not None else None
    if not module:
        return []
    by_folder: dict[tuple[str, str], tuple[str, str]] = {}
    for key in found:
        if key[0].endswith(".go"):
            by_folder.setdefault((str(PurePosixPath(key[0]).parent), key[1]), key)
    root_node = st.parse("go", text).root_node
    imported: dict[str, str] = {}     # package name in the file → its folder in the repository
    for spec in st.walk(root_node):
        if spec.type != "import_spec":
            continue
        path = st.string_value(spec.child_by_field_name("path"))
        alias = spec.child_by_field_name("name")
        if path is None or not path.startswith(module + "/"):
            continue
        folder = normal_path(f"{root}/{path[len(module) + 1:]}")
        imported[st.text(alias) if alias is not None else path.rpartition("/")[2]] = folder
    sites: list[Site] = []
    for node in st.walk(root_node):
        call = as_call(node) if node.type == "call_expression" and imported else None
        if call is None or len(call.callee) != 2 or call.callee[0] not in imported:
            continue
        helper = by_folder.get((imported[call.callee[0]], call.callee[1]))
        if helper is not None:
            sites.append((helper, st.line(node), source_arguments(call.args)))
        if len(sites) >= MAX_SITES:
            break
    return sites


def _chained(node: object) -> dict[str, Argument]:
    """What the steps chained on a helper's builder up to `.build()` set: `.handler("x")`,
    `.runtime(Runtime.JAVA_17)`, `.code(Code.fromAsset("dir"))`."""
    chained: dict[str, Argument] = {}
    current = node
    for _ in range(200):
        outer = outer_call(current)   # type: ignore[arg-type]
        step = as_call(outer) if outer is not None else None
        if outer is None or step is None or step.method == "build":
            break
        current = outer
        if len(step.args) != 1:
            continue
        value = st.unwrap(step.args[0]) or step.args[0]
        if step.method in ("handler", "runtime"):
            chained[step.method] = Argument(st.text(value), st.string_value(value), st.line(value))
        elif step.method == "code":
            asset = as_call(value) if value.type in CALL_TYPES else None
            if asset is not None and (asset.method or "").lower() == "fromasset" and asset.args:
                folder = st.unwrap(asset.args[0]) or asset.args[0]
                chained["asset"] = Argument(st.text(folder), st.string_value(folder), st.line(folder))
    return chained


def _instance(template: Function, factory: Factory, arguments: Arguments, rel: str,
              line: int, code_path: Callable[[str, str, str], str | None],
              chained: dict[str, Argument] | None = None) -> Function:
    """The helper's function as one call makes it (and, in Java, as the steps chained on the
    builder it returns finish it: `chained`)."""
    function = copy.deepcopy(template)
    function.location = Location(rel, line)
    # the helper's module (or construct class's) writes what the call does not pass: a change to it
    # changes this function, as does one to a module the helper read its values from
    function.declaration_inputs = tuple(sorted({template.location.path, *template.declaration_inputs,
                                                *factory.inputs} - {rel}))
    function.properties[MADE_FROM] = (template.location.path, template.location.line)
    given = [(role, arguments(*factory.place(ref))) for role, ref in factory.bound]
    given += [(role, argument) for role, argument in (chained or {}).items()]
    entry_given = False
    handler_parts: dict[str, str] = {}
    entry: EntryFile | None = None
    for (role, argument), ref in zip(given, [ref for _, ref in factory.bound] + [""] * len(chained or {}),
                                     strict=True):
        literal = argument.literal if argument is not None else None
        if role == "id":
            literal = _made_id(factory, ref, literal)
            function.name = literal if literal is not None else f"{factory.name} at {rel}:{line}"
            function.properties.pop("ConstructIdExpression", None)
            if literal is None:
                function.properties["ConstructIdExpression"] = True
        elif role in ("handler", "index", FUNCTION) and literal is not None:
            handler_parts[role] = literal
        elif role == ENTRYPOINT and argument is not None and argument.entry is not None:
            entry = argument.entry
        elif role == "environment" and argument is not None and argument.variables is not None:
            apply_variables(function, rel, argument.variables)
        elif role == "environment" and argument is not None and argument.text == "None":
            function.unresolved.pop("Environment", None)   # `environment=None`: none at all
        elif role == "signing":   # `code_signing_config=` a `**kwargs` helper's caller passes
            if argument is not None and argument.text != "None":
                function.code_signing = Location(rel, argument.line)
        elif role == "asset" and argument is not None and argument.folder is not None:
            function.code_path = code_path(rel, argument.folder, "app")
            function.unresolved.pop("Code", None)
        elif role in ("asset", "entry") and (written := (literal, "app") if literal is not None
                                             else argument.path if argument is not None else None) is not None:
            function.code_path = code_path(rel, str(PurePosixPath(rel).parent / written[0]), "repo") \
                if written[1] == "file" else code_path(rel, *written)   # `path.join(__dirname, ...)`
            function.unresolved.pop("Code", None)
            entry_given = entry_given or role == "entry"
        elif role == "runtime" and argument is not None:
            resolved = runtime_from_expression(argument.text)
            function.runtime = resolved.identifier
            function.locations["Runtime"] = Location(rel, argument.line)
            function.locations.pop("Runtime.Default", None)
            function.properties.pop(FOLLOWS, None)
            if resolved.identifier is not None:
                function.unresolved.pop("Runtime", None)
            else:
                function.unresolved["Runtime"] = resolved.note or "not known statically"
                if resolved.follows:
                    function.properties[FOLLOWS] = resolved.follows
    tested = next((argument for role, argument in given if role == "handler.if" and argument is not None), None)
    if "handler" not in handler_parts and tested is not None:
        # `nameSuffix ? `index${initCap(nameSuffix)}.handler` : 'index.handler'`: this call's
        # handler is made from what it passes, which is not worked out
        key = dict(factory.bound)["handler.if"].rpartition(".")[2]
        function.handler = None
        function.unresolved["Handler"] = HANDLER_FROM_CONDITION.format(name=factory.name, key=key,
                                                                       value=st.excerpt(tested.text, 40))
    if entry is not None:
        entry_handler(function, entry, handler_parts.get(FUNCTION), rel, code_path)
    given_handler(function, handler_parts.get("index"), handler_parts.get("handler"))
    if factory.path_template is not None:
        entry_given = _fill_path(function, template.location.path, factory, arguments, rel, code_path) or entry_given
    if entry_given:
        entry_export(function)
    if "id" not in dict(factory.bound) and template.name.endswith(
            f" at {template.location.path}:{template.location.line}"):
        # an id the helper computes itself: each instance is named by its own call's place
        function.name = f"{factory.name} at {rel}:{line}"
    return function


def _fill_path(function: Function, helper_file: str, factory: Factory, arguments: Arguments, rel: str,
               code_path: Callable[[str, str, str], str | None]) -> bool:
    """The code folder (or entry) the helper builds from what this call passes, when the call passes
    every piece as a string; whether it is an entry."""
    template = factory.path_template
    assert template is not None

    def passed(ref: str) -> str | None:
        argument = arguments(*factory.place(ref))
        return argument.literal if argument is not None else None

    filled = template.fill(passed)
    if filled is None:
        return False
    path, base = template.relative_to(helper_file, filled)
    function.code_path = code_path(rel, path, base)
    function.unresolved.pop("Code", None)
    return template.role == "entry"


def _made_id(factory: Factory, ref: str, literal: str | None) -> str | None:
    """The construct id one call makes: the literal it passes, through the helper's expression."""
    if literal is None or factory.id_template is None:
        return literal
    try:
        template = ast.parse(factory.id_template, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    return evaluate_id(template, {ref.partition(".")[0]: literal})


__all__ = ["Factories", "Factory"]
