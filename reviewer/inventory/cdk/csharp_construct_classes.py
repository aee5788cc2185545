"""A C# construct class whose Lambda function takes its handler, code folder or runtime from what
its callers pass its constructor, followed to each `new` of it in the app (`cdk/factories.py`).

Teams wrap `DotNetFunction` in a construct class of a shared project (PlantBasedPizza's
`QueueWorkerFunction`):

    public record QueueWorkerFunctionProps(string ServiceName, string ProjectPath, string Handler);
    public class QueueWorkerFunction : Construct {
        public QueueWorkerFunction(Construct scope, string id, QueueWorkerFunctionProps props) : base(scope, id) {
            Function = new DotNetFunction(this, id, new DotNetFunctionProps {
                ProjectDir = props.ProjectPath, Handler = props.Handler, Runtime = Runtime.DOTNET_8 });
        }
    }

and each service makes its functions with it: `new QueueWorkerFunction(this, "OrderBaked", new
QueueWorkerFunctionProps("orders", "../application/Worker", "Worker::Worker.Functions::Baked"))`.
Each such call is one function, as a TypeScript construct class's are (`cdk/class_factories.py`):
what it passes is read by the record's parameters (positional or named) or an object
initializer's properties (`new WorkerProps { Handler = "..." }`).

A call may itself sit in the constructor of another construct class of the app and pass on what
that class's callers give it (`$"{props.ApplicationRoot}/BackgroundWorkers"`, `props.Handler`):
the calling class is then the construct class (`lifted_factory`), each of its own callers one
function per construct it makes, with the handler the inner call writes and the code folder its
callers complete. Nothing is compiled: a class named in two files of the repository is the one of
the caller's own CDK app, else of the nearest folder (C# namespaces and project references are not
read), and a call the reading cannot place is left out.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Callable, Iterable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.caller_environment import script_variables
from reviewer.inventory.cdk.class_factories import FactoryShape
from reviewer.inventory.cdk.csharp_records import MAX_ARGUMENTS, constructor_parameters, settings_types
from reviewer.inventory.cdk.path_templates import MAX_PIECES, PathTemplate
from reviewer.inventory.cdk.python_factory_calls import MAX_SITES, Argument, Arguments
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call
from reviewer.inventory.cdk.values import Props

Node = tree_sitter.Node

# The construct's properties a caller may fill in (first letter lowered), and the role each is to
# `cdk/factories.py`: a `DotNetFunction`'s `ProjectDir` is its code folder, as `Code.FromAsset`'s.
_PROPERTY_ROLES = (("handler", "handler"), ("runtime", "runtime"), ("projectDir", "asset"),
                   ("code", "asset"), ("entry", "entry"))
_REFERENCES = ("identifier", "member_access_expression")
# How many members deep a reference to the constructor's parameter is taken (`props.Settings.Handler`).
MAX_MEMBERS = 4
# How many files a record declaration is looked for in, beside the caller's and the class's own.
MAX_RECORD_FILES = 400
# How many lines of a file's top are read for its namespace and its `using` directives.
MAX_HEADER_LINES = 400


def enclosing_constructor(node: Node) -> Node | None:
    """The C# constructor `node` is written in directly (not in a lambda or local function)."""
    for ancestor in st.ancestors(node):
        if ancestor.type == "constructor_declaration":
            return ancestor
        if ancestor.type in ("lambda_expression", "local_function_statement", "method_declaration",
                             "anonymous_method_expression", "class_declaration"):
            return None
    return None


def names_parameter(text: str, params: set[str] | list[str]) -> bool:
    """`props.ProjectPath`, `handler`: a parameter of the constructor or a member of one."""
    parts = text.split(".")
    return parts[0] in params and len(parts) <= MAX_MEMBERS + 1 and all(part.isidentifier() for part in parts)


def owning_class(constructor: Node) -> str | None:
    """The name of the class a constructor belongs to."""
    owner = constructor.parent.parent if constructor.parent is not None else None
    name = owner.child_by_field_name("name") if owner is not None and owner.type == "class_declaration" else None
    return st.text(name) if name is not None else None


def csharp_class_factory(call_node: Node, props: Props, written: dict[str, Node | None]) -> FactoryShape | None:
    """The construct class whose constructor makes this construct with what its callers pass
    (`written`: what the call writes for each role, `cdk/written_roles.py`; `props` its
    properties, for a `DotNetFunction`'s `ProjectDir`), or None when the construct takes nothing
    from the constructor's parameters but its id."""
    constructor = enclosing_constructor(call_node)
    name = owning_class(constructor) if constructor is not None else None
    if constructor is None or name is None:
        return None
    params = constructor_parameters(constructor)
    entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
    nodes = dict(written)
    for key, role in _PROPERTY_ROLES:
        if key in entries and nodes.get(role) is None:
            nodes[role] = st.unwrap(entries[key].value)
    passed = _passed_roles(nodes.items(), params)
    if passed is None:
        return None
    roles, template = passed
    return name, tuple(params), tuple(roles.items()), None, True, template, ()


def _passed_roles(nodes: Iterable[tuple[str, Node | None]], params: list[str]
                  ) -> tuple[dict[str, str], PathTemplate | None] | None:
    """Which roles a construct call fills from the enclosing constructor's parameters (each
    role's reference among them) and the path it completes from them (`$"{props.Root}/x"`);
    None when it takes nothing from them but its id."""
    roles: dict[str, str] = {}
    template: PathTemplate | None = None
    for role, node in nodes:
        if node is None:
            continue
        if node.type in _REFERENCES and names_parameter(st.text(node), params):
            roles[role] = st.text(node)
        elif role in ("asset", "entry") and template is None:
            template = interpolated_path(node, role, params)
    if not any(role != "id" for role in roles) and template is None:
        return None
    _caller_id(roles, params)
    return roles, template


def _caller_id(roles: dict[str, str], params: list[str]) -> None:
    """A construct given an id of its own (`new Function(this, "Handler", ...)`) is named by the id
    each caller gives the class, as a TypeScript construct class's is (`Worker/Handler` when the
    class makes several)."""
    if "id" not in roles and len(params) >= 2 and params[1]:
        roles["id"] = params[1]


def interpolated_path(node: Node, role: str, params: set[str] | list[str]) -> PathTemplate | None:
    """`$"{props.ApplicationRoot}/BackgroundWorkers"`: the path a caller completes, relative to
    the CDK app's folder (`dotnet run` runs there), when every interpolation names a parameter."""
    if node.type != "interpolated_string_expression" or len(node.named_children) > MAX_PIECES:
        return None
    pieces: list[tuple[str, bool]] = []
    for child in node.named_children:
        if child.type == "string_content":
            pieces.append((st.text(child), False))
        elif child.type == "interpolation":
            inner = [c for c in child.named_children if c.type != "interpolation_brace"]
            if len(inner) != 1 or inner[0].type not in _REFERENCES or not names_parameter(st.text(inner[0]), params):
                return None
            pieces.append((st.text(inner[0]), True))
        elif child.type not in ("interpolation_start", "interpolation_quote"):
            return None
    return PathTemplate(role, "app", tuple(pieces), False) if any(is_ref for _, is_ref in pieces) else None


# -- the callers -------------------------------------------------------------------------------------

# The settings type's name → the member each of its constructor's arguments fills, by position.
Records = Callable[[str], dict[str, int] | None]
# (key of the construct class in `found`, line, what the call passes, the call's node)
CsharpSite = tuple[tuple[str, str], int, Arguments, Node]


def csharp_calls(rel: str, text: str, classes: dict[str, list[tuple[str, str]]], records: Records,
                 app_root: Callable[[str], str | None], namespaces: Callable[[str], str | None]
                 ) -> list[CsharpSite]:
    """The `new Class(...)` calls of a C# file to a construct class of `classes` (its name → the
    keys of the files declaring one so named), with what each passes. The class's namespace
    (`namespaces(file)`, None for none) is one the file is in or imports (`using Shared.Constructs;`),
    or the one the call names it by: a class of another library of the same name is not it."""
    root = st.parse("csharp", text).root_node
    visible = _visible_namespaces(text)
    sites: list[CsharpSite] = []
    for node in st.walk(root):
        if node.type != "object_creation_expression":
            continue
        kind = node.child_by_field_name("type")
        qualifier, _, name = st.text(kind).rpartition(".") if kind is not None else ("", "", "")
        key = _nearest(rel, classes.get(name, []), app_root)
        if key is None or key[0] == rel and _within_class(node, name) or len(_arguments(node)) < 2 \
                or namespaces(key[0]) not in ({qualifier} if qualifier else visible | {None}):
            continue   # another library's class of that name (`new Targets.LambdaFunction(fn)`)
        sites.append((key, st.line(node), csharp_arguments(_arguments(node), records), node))
        if len(sites) >= MAX_SITES:
            break
    return sites


def file_namespace(text: str) -> str | None:
    """The namespace a C# file declares its types in (`namespace Shared.Constructs;` or a block),
    the first one; None for none."""
    for line in text.splitlines()[:MAX_HEADER_LINES]:
        name = _declared(line, "namespace ")
        if name is not None:
            return name
    return None


def _visible_namespaces(text: str) -> set[str | None]:
    """The namespaces whose types a C# file names without qualifying them: those it imports
    (`using Shared.Constructs;`, not an alias), its own and those enclosing it."""
    visible: set[str | None] = set()
    for line in text.splitlines()[:MAX_HEADER_LINES]:
        for keyword in ("using ", "global using ", "namespace "):
            name = _declared(line, keyword)
            if name is None:
                continue
            visible.add(name)
            if keyword == "namespace ":   # `namespace A.B` sees the types of `A` too
                parts = name.split(".")
                visible.update(".".join(parts[:end]) for end in range(1, len(parts)))
    return visible


def _declared(line: str, keyword: str) -> str | None:
    """`namespace A.B;`, `namespace A.B {`, `using A.B;` → "A.B"; None for anything else."""
    stripped = line.strip()
    if not stripped.startswith(keyword):
        return None
    name = stripped[len(keyword):].rstrip("{; \t")
    parts = name.split(".")
    return name if all(part.isidentifier() for part in parts) else None


def _within_class(node: Node, name: str) -> bool:
    """Whether the call is written inside the class it makes (`new Worker(...)` in `Worker`)."""
    return any(a.type == "class_declaration" and (n := a.child_by_field_name("name")) is not None
               and st.text(n) == name for a in st.ancestors(node))


def _nearest(rel: str, keys: list[tuple[str, str]], app_root: Callable[[str], str | None]) -> tuple[str, str] | None:
    """The class the caller means among those of one name: the only one, the one of its CDK app,
    else the one whose folder shares the most with the caller's (a test stack's `../../infra`)."""
    if len(keys) <= 1:
        return keys[0] if keys else None
    own = [key for key in keys if app_root(key[0]) is not None and app_root(key[0]) == app_root(rel)]
    if len(own) == 1:
        return own[0]
    caller = PurePosixPath(rel).parts
    shared = [(len(_common(caller, PurePosixPath(key[0]).parts)), key) for key in keys]
    best = max(count for count, _ in shared)
    nearest = [key for count, key in shared if count == best]
    return nearest[0] if len(nearest) == 1 else None


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    count = 0
    for left, right in zip(a[:-1], b[:-1], strict=False):
        if left != right:
            break
        count += 1
    return a[:count]


def _arguments(node: Node) -> list[Node]:
    """A call's `argument` nodes, in order (a `new XProps { ... }` has none)."""
    listed = node.child_by_field_name("arguments")
    return [c for c in (listed.named_children if listed is not None else []) if c.type == "argument"][:MAX_ARGUMENTS]


def _argument_name(argument: Node) -> str | None:
    """`Handler: "x"`: the name a named argument is written with."""
    name = argument.child_by_field_name("name")
    if name is None and len(argument.named_children) >= 2 and argument.named_children[0].type == "identifier" \
            and any(c.type == ":" for c in argument.children):
        name = argument.named_children[0]
    return st.text(name) if name is not None else None


def _value(argument: Node) -> Node:
    return st.unwrap(argument) or argument


def passed_node(args: list[Node], records: Records, name: str | None, position: int, key: str | None) -> Node | None:
    """What a call passes for the parameter `name` at `position`, and the member `key` of it
    (`ProjectPath`, `Settings.Handler`): a record's positional or named argument, or an object
    initializer's property."""
    named = next((a for a in args if name is not None and _argument_name(a) == name), None)
    positional = args[position] if 0 <= position < len(args) and _argument_name(args[position]) is None else None
    chosen = named or positional
    node = _value(chosen) if chosen is not None else None
    for part in key.split(".")[:MAX_MEMBERS] if key is not None else []:
        node = _member(node, part, records) if node is not None else None
    return node


def _member(node: Node, part: str, records: Records) -> Node | None:
    """The value `new XProps(...)` or `new XProps { ... }` gives its member `part`."""
    if node.type != "object_creation_expression":
        return None
    initializer = next((c for c in node.named_children if c.type == "initializer_expression"), None)
    for entry in initializer.named_children[:MAX_ARGUMENTS] if initializer is not None else []:
        left = entry.child_by_field_name("left") if entry.type == "assignment_expression" else None
        if left is not None and st.text(left) == part:
            return st.unwrap(entry.child_by_field_name("right"))
    args = _arguments(node)
    named = next((a for a in args if _argument_name(a) == part), None)
    if named is not None:
        return _value(named)
    kind = node.child_by_field_name("type")
    fields = records(st.text(kind).rpartition(".")[2]) if kind is not None else None
    index = fields.get(part) if fields is not None else None
    return _value(args[index]) if index is not None and index < len(args) \
        and _argument_name(args[index]) is None else None


def csharp_arguments(args: list[Node], records: Records) -> Arguments:
    """What one call passes, as `cdk/factories.py` reads it: its text, string, line, the folder
    a `Code.FromAsset("dir")` names and the variables of a dictionary it writes."""
    def argument(name: str | None, position: int, key: str | None) -> Argument | None:
        node = passed_node(args, records, name, position, key)
        if node is None:
            return None
        call = as_call(node) if node.type in CALL_TYPES else None
        folder = st.string_value(st.unwrap(call.args[0])) if call is not None and call.args \
            and (call.method or "").lower() == "fromasset" else None
        return Argument(st.text(node), st.string_value(node), st.line(node), folder, script_variables(node))
    return argument


def record_fields(texts: list[str]) -> Records:
    """The members a settings type's constructor arguments fill, by the type's name, read from the
    given C# sources on first asking: a record's positional parameters (`public record
    WorkerProps(string ServiceName, ...)`), or the properties a class's constructor sets from its
    parameters (`public WorkerProps(string codePath) { CodePath = codePath; }`)."""
    found: dict[str, dict[str, int]] = {}
    read: list[bool] = []

    def fields(name: str) -> dict[str, int] | None:
        if not read:
            read.append(True)
            for text in texts[:MAX_RECORD_FILES]:
                if "record" in text or "Props" in text:
                    settings_types(st.parse("csharp", text).root_node, found)
        return found.get(name)
    return fields


def lifted_factory(site: Node, bound: tuple[tuple[str, str], ...],
                   place: Callable[[str], tuple[str | None, int, str | None]], records: Records
                   ) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], PathTemplate | None] | None:
    """The construct class whose constructor holds `site`, a call of another construct class,
    when it passes on to the call what its own callers give (`props.Handler`, or a path it
    completes, `$"{props.ApplicationRoot}/Worker"`): (its name, its parameters, each role's
    reference among them, the path template), else None."""
    constructor = enclosing_constructor(site)
    name = owning_class(constructor) if constructor is not None else None
    if constructor is None or name is None:
        return None
    params = constructor_parameters(constructor)
    args = _arguments(site)
    passed = _passed_roles(((role, passed_node(args, records, *place(ref))) for role, ref in bound), params)
    if passed is None:
        return None
    roles, template = passed
    return name, tuple(params), tuple(roles.items()), template
