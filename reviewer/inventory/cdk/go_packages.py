"""Values a Go CDK file takes from a package of its own module, or from another file of its package.

Go CDK apps keep their settings in a package of the app's module (`import "single-function/config"`,
then `jsii.String(config.Handler)`, `awslambda.AssetCode_FromAsset(jsii.String(config.CodePath), nil)`),
or in another file of the `main` package. Without following the import the function was named by
its line, with no handler and its code "computed when the app runs". An import path under the
module the nearest `go.mod` above the importing file declares (`module single-function`) is a
folder of the repository, as the Go tool resolves it; the package is the `.go` files of that
folder (not its `_test.go` files), parsed with tree-sitter and never built or run.

Only what the package declares at its top level counts, each name declared once in the package:
a `const`, a `var` with a value that no statement of the package assigns again, and a function
of no parameters whose body only returns (`func Handler() string { return "main" }`). Another package's
names are read only when exported (capitalised), as Go allows. Each package is read at most once
per scan; their number, their files and each file's size are bounded, and the readers that follow
a value through them stop at their depth limit (`cdk/values.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.script_modules import NAMESPACE, Imported, ScriptModule
from reviewer.inventory.cdk.class_factories import parameter_ref
from reviewer.inventory.cdk.syntax import CALL_TYPES, Helper, as_call, helper_of
from reviewer.workspace import UnreadableFile, Workspace

Node = tree_sitter.Node
# A package larger than this is generated or vendored code, not the app's settings.
MAX_PACKAGE_FILES = 40
MAX_FILE_CHARS = 256 * 1024
# Packages read in one scan: a Go CDK app imports a handful of its own.
MAX_PACKAGES = 100
# Folders climbed from an importing file to the `go.mod` of its module.
MAX_PARENT_LEVELS = 30
# Statements walked in one file for the assignments that make a `var` no constant.
MAX_FILE_NODES = 200_000


def go_module_path(go_mod: str) -> str | None:
    """The module path a `go.mod` declares (`module github.com/acme/app`)."""
    for line in go_mod.splitlines()[:200]:
        words = line.split("//")[0].split()
        if len(words) == 2 and words[0] == "module":
            return words[1].strip('"`')
    return None


def go_imports(root: Node) -> dict[str, Imported]:
    """Local package name → its import path, for each import of a Go file (`import c "a/b/config"`
    is `c`; without a name, the path's last segment). Blank and dot imports name nothing."""
    found: dict[str, Imported] = {}
    for declaration in root.named_children:
        if declaration.type != "import_declaration":
            continue
        for spec in st.walk(declaration):
            if spec.type != "import_spec":
                continue
            path = st.string_value(spec.child_by_field_name("path"))
            alias = spec.child_by_field_name("name")
            if not path or alias is not None and alias.type != "package_identifier":
                continue
            found[st.text(alias) if alias is not None else path.rpartition("/")[2]] = Imported(path, NAMESPACE)
    return found


@dataclass
class GoPackage:
    """One folder's Go package: its files, and the value of each name its top level declares once."""

    folder: str
    files: list[ScriptModule] = field(default_factory=list)
    values: dict[str, tuple[ScriptModule, Node]] = field(default_factory=dict)

    def value(self, name: str, exported_only: bool) -> tuple[ScriptModule, Node] | None:
        """The file that declares `name` and its value; another package sees only exported names."""
        if exported_only and not name[:1].isupper():
            return None
        return self.values.get(name)


class GoPackages:
    """One scan's Go packages of the repository, each read at most once."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._packages: dict[str, GoPackage | None] = {}
        self._modules: dict[str, tuple[str, str] | None] = {}   # folder → (module folder, module path)
        self._go_mods: dict[str, str | None] = {}                # go.mod file → the module path it declares

    def value_of(self, importer: str, imports: dict[str, Imported], name: str, member: str | None,
                 ) -> tuple[ScriptModule, Node] | None:
        """What the file `importer` (whose imports are `imports`) reads as `name.member`, a package
        of its module imported as `name`, or as a bare `name` another file of its package declares:
        the file that declares it and its value."""
        if member is not None:
            wanted = imports.get(name)
            package = self.imported(importer, wanted.specifier) if wanted is not None else None
            return package.value(member, exported_only=True) if package is not None else None
        package = self.of_file(importer)
        found = package.value(name, exported_only=False) if package is not None else None
        # the file's own declaration its reader has looked at already (and found it shadowed or repeated)
        return found if found is not None and found[0].rel != importer else None

    def of_file(self, rel: str) -> GoPackage | None:
        """The package a Go file belongs to (the other files of its folder)."""
        return self._package(str(PurePosixPath(rel).parent))

    def imported(self, importer: str, import_path: str) -> GoPackage | None:
        """The package `import_path` names from the file `importer`: a folder of the module the
        nearest `go.mod` above it declares, else None (the standard library, another module)."""
        module = self._module(str(PurePosixPath(importer).parent))
        if module is None:
            return None
        root, path = module
        if import_path == path:
            return self._package(root)
        if not import_path.startswith(path + "/"):
            return None
        folder = self.workspace.resolve(str(PurePosixPath(root) / import_path[len(path) + 1:]))
        return self._package(folder) if folder is not None else None

    def module_at(self, folder: str) -> str | None:
        """The module path of the `go.mod` in `folder` (a Go app's, beside its `cdk.json`), if any."""
        return self._declared("go.mod" if folder == "." else f"{folder}/go.mod")

    def _module(self, folder: str) -> tuple[str, str] | None:
        """(the folder holding the nearest `go.mod`, the module path it declares)."""
        if folder not in self._modules:
            found: tuple[str, str] | None = None
            current = PurePosixPath(folder)
            for _ in range(MAX_PARENT_LEVELS):
                key = str(current)
                path = self._declared("go.mod" if key == "." else f"{key}/go.mod")
                if path is not None or key == ".":
                    found = (key, path) if path is not None else None
                    break
                current = current.parent
            self._modules[folder] = found
        return self._modules[folder]

    def _declared(self, go_mod: str) -> str | None:
        """The module path a `go.mod` file declares, None when there is no such file."""
        if go_mod not in self._go_mods:
            self._go_mods[go_mod] = None
            if self.workspace.exists(go_mod) and not self.workspace.is_dir(go_mod):
                try:
                    self._go_mods[go_mod] = go_module_path(self.workspace.read_text(go_mod))
                except UnreadableFile:
                    pass
        return self._go_mods[go_mod]

    def _package(self, folder: str) -> GoPackage | None:
        if folder not in self._packages:
            self._packages[folder] = self._read(folder) if len(self._packages) < MAX_PACKAGES else None
        return self._packages[folder]

    def _read(self, folder: str) -> GoPackage | None:
        entries = self.workspace.entries(folder)
        names = sorted(name for name, kind in entries.items()
                       if kind == "file" and name.endswith(".go") and not name.endswith("_test.go"))
        if not names or len(names) > MAX_PACKAGE_FILES:
            return None
        package = GoPackage(folder)
        for name in names:
            rel = name if folder == "." else f"{folder}/{name}"
            try:
                text = self.workspace.read_text(rel)
                if len(text) <= MAX_FILE_CHARS:
                    tree = st.parse("go", text)
                    package.files.append(ScriptModule(rel, tree, go_imports(tree.root_node)))
            except (UnreadableFile, ValueError, RecursionError, MemoryError):
                continue
        _collect_values(package)
        return package


def _collect_values(package: GoPackage) -> None:
    """The package's top-level constants, variables assigned nowhere else and functions of one
    `return`, each name declared once across its files."""
    declared: dict[str, list[tuple[ScriptModule, Node | None]]] = {}
    variables: set[str] = set()
    for file in package.files:
        for name, value, is_variable in _top_level(file.root):
            declared.setdefault(name, []).append((file, value))
            if is_variable:
                variables.add(name)
    reassigned = _assigned_names(package.files, variables) if variables else set()
    for name, values in declared.items():
        if len(values) != 1 or name in reassigned or name == "_":
            continue
        file, value = values[0]
        if value is not None:
            package.values[name] = (file, value)


def _top_level(root: Node) -> list[tuple[str, Node | None, bool]]:
    """(name, value or None, whether it is a `var`) for each top-level declaration of a file."""
    found: list[tuple[str, Node | None, bool]] = []
    for declaration in root.named_children:
        if declaration.type in ("const_declaration", "var_declaration"):
            specs = [spec for child in declaration.named_children
                     for spec in (child.named_children if child.type == "var_spec_list" else [child])
                     if spec.type in ("const_spec", "var_spec")]
            for spec in specs:
                names = spec.children_by_field_name("name")
                value = spec.child_by_field_name("value")
                values = value.named_children if value is not None else []
                for index, name in enumerate(names):
                    # `A, B = f()` or an iota's implicit repetition: no value of its own to read
                    given = values[index] if len(values) == len(names) else None
                    found.append((st.text(name), given, declaration.type == "var_declaration"))
        elif declaration.type == "function_declaration" and (named := declaration.child_by_field_name("name")):
            found.append((st.text(named), declaration if _returns_a_value(declaration) else None, False))
    return found


def _returns_a_value(function: Node) -> bool:
    """`func Handler() string { return "main" }`: no parameters, and a body that only returns
    (a body that builds its result, `res += ...`, is not read as a value)."""
    parameters = function.child_by_field_name("parameters")
    body = function.child_by_field_name("body")
    statements = [child for block in ([body] if body is not None else []) for child in block.named_children
                  if child.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [child for child in statements[0].named_children if child.type != "comment"]
    return parameters is not None and not parameters.named_children and len(statements) == 1 \
        and statements[0].type == "return_statement" and len(helper_of(function).returns()) == 1


def _assigned_names(files: list[ScriptModule], names: set[str]) -> set[str]:
    """The names among `names` a statement of the package assigns (`Stage = os.Getenv(...)`, `Stage += x`)
    or hands out to be assigned (`flag.StringVar(&Stage, ...)`)."""
    assigned: set[str] = set()
    for file in files:
        for count, node in enumerate(st.walk(file.root)):
            if count > MAX_FILE_NODES:
                assigned |= names    # too large to tell: none of its variables is taken as a constant
                break
            if node.type in ("assignment_statement", "inc_statement", "dec_statement"):
                left = node.child_by_field_name("left") or (node.named_children[0] if node.named_children else None)
                targets = [] if left is None else left.named_children if left.type == "expression_list" else [left]
                assigned |= {st.text(target) for target in targets} & names
            elif node.type == "unary_expression" and st.text(node).startswith("&") and node.named_children:
                assigned |= {st.text(node.named_children[-1])} & names   # `flag.StringVar(&Stage, ...)`
    return assigned


__all__ = ["GoPackage", "GoPackages", "go_imports", "go_module_path"]


def go_factory(name: str, helper: Helper, written: dict[str, Node | None]
               ) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """An exported function of a Go package not called in its file (`resource.NewLambdaFunction(
    stack, &resource.NewLambdaFunctionInput{...})`): other packages of the module call it
    (`cdk/factories.py`), and its construct takes its id, runtime, handler or asset folder from
    its parameters or their fields (`in.CodePath`); `written` is what the construct call writes
    for each role. None when the function is not exported or nothing is a parameter."""
    if not name[:1].isupper():
        return None
    params = [p for p in helper.params if p]
    refs = {param: param for param in params}
    roles = {role: ref for role, node in written.items()
             if node is not None and (ref := parameter_ref(st.text(jsii_value(node)), refs, params)) is not None}
    return (name, tuple(helper.params), tuple(roles.items())) if roles else None


def jsii_value(node: Node) -> Node:
    """`x` of Go's `jsii.String(x)` (the pointer a Go CDK property takes), else `node`."""
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None and call.callee[:1] == ["jsii"] and len(call.args) == 1:
        return st.unwrap(call.args[0]) or call.args[0]
    return node
