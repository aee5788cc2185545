"""Values a TypeScript or JavaScript CDK file imports from a module of its own repository.

CDK apps keep the properties their functions share in one module (`export const baseLambdaProps =
{runtime: Runtime.NODEJS_22_X, ...}`, `export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_20_X`)
and import them where the constructs are made (`import { baseLambdaProps } from './config'`, then
`{...baseLambdaProps, entry: ...}`). Without following the import, every such function's runtime
is "unresolved". The module is parsed with tree-sitter, never run, and only what it declares
statically counts: a top-level `const` or function it exports (`export const`, `export { name }`,
`export default name`, `module.exports = {...}`, `exports.name = value`), or re-exports from
another module of the repository (`export { name } from './x'`, `export * from './x'`).

Only relative specifiers are followed (`./config`, `../constants`, resolved as TypeScript and Node
do: the file itself, with a `.ts`/`.js` suffix, or its folder's `index`), through the `Workspace`,
so never a package in `node_modules` and never a file outside the repository. Modules are read
once per scan, and their number, size and the depth of re-exports are bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import Declarations, declarations
from reviewer.workspace import UnreadableFile, Workspace

Node = tree_sitter.Node
# A module larger than this is generated or vendored code, not a file of settings.
MAX_MODULE_CHARS = 256 * 1024
# Modules read in one scan: a CDK app imports a handful; a monorepo's apps, a few hundred.
MAX_MODULES = 300
# `export * from` chains (an index re-exporting a folder) longer than this are not followed.
MAX_REEXPORT_DEPTH = 4
NAMESPACE = "*"
DEFAULT = "default"
# What TypeScript and Node try for `./x`: the file as named, then with a suffix, then `x/index`.
_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs")
# Function declarations a module exports as helpers (`export function lambdaProps(...) { return {...} }`).
_FUNCTIONS = ("function_declaration", "generator_function_declaration")
# Declarations a module names and exports as a whole: TypeScript's `enum`, whose initialised members
# a rule's pattern or a function's settings read (`Events.SOURCE`), is one.
_NAMED = (*_FUNCTIONS, "enum_declaration")
# ESM TypeScript imports name the compiled file (`./config.js`) of the source beside it (`config.ts`).
_COMPILED = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",)}


@dataclass(frozen=True)
class Imported:
    """A name a file takes from another module: its specifier, and the exported name
    (`default`, or `*` for the whole module: `import * as config`, `const config = require(...)`)."""

    specifier: str
    name: str


def is_relative(specifier: str) -> bool:
    return specifier in (".", "..") or specifier.startswith(("./", "../"))


def relative_imports(root: Node) -> dict[str, Imported]:
    """Local name → what it imports, for the file's imports from relative modules."""
    found: dict[str, Imported] = {}
    for statement in root.named_children:
        if statement.type == "import_statement":
            specifier = st.string_value(statement.child_by_field_name("source")) or ""
            if is_relative(specifier):
                _import_clause(statement, specifier, found)
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                if declarator.type == "variable_declarator":
                    _required(declarator, found)
    return found


def _import_clause(statement: Node, specifier: str, found: dict[str, Imported]) -> None:
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    for part in clause.named_children if clause is not None else []:
        if part.type == "identifier":                       # import config from './config'
            found[st.text(part)] = Imported(specifier, DEFAULT)
        elif part.type == "namespace_import" and part.named_children:
            found[st.text(part.named_children[-1])] = Imported(specifier, NAMESPACE)
        elif part.type == "named_imports":
            for item in part.named_children:
                if item.type != "import_specifier":
                    continue
                name, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
                if name is not None:
                    found[st.text(alias or name)] = Imported(specifier, st.text(name))


def _required(declarator: Node, found: dict[str, Imported]) -> None:
    """`const config = require('./config')`, `const { a, b: c } = require('./config')`."""
    value = st.unwrap(declarator.child_by_field_name("value"))
    if value is None or value.type != "call_expression" or st.call_name(value) != "require":
        return
    arguments = st.arguments(value)
    specifier = st.string_value(arguments[0]) if len(arguments) == 1 else None
    if specifier is None or not is_relative(specifier):
        return
    pattern = declarator.child_by_field_name("name")
    if pattern is not None and pattern.type == "identifier":
        found[st.text(pattern)] = Imported(specifier, NAMESPACE)
    elif pattern is not None and pattern.type == "object_pattern":
        for item in pattern.named_children:
            if item.type == "shorthand_property_identifier_pattern":
                found[st.text(item)] = Imported(specifier, st.text(item))
            elif item.type == "pair_pattern":
                key, alias = item.child_by_field_name("key"), item.child_by_field_name("value")
                if key is not None and alias is not None and alias.type == "identifier":
                    found[st.text(alias)] = Imported(specifier, st.text(key))


@dataclass
class ScriptModule:
    """One module of the repository as the reader follows it: its tree, names and exports."""

    rel: str
    tree: tree_sitter.Tree
    imports: dict[str, Imported]
    # Exported name → its value, or the import it re-exports.
    exports: dict[str, Node | Imported] = field(default_factory=dict)
    star_exports: list[str] = field(default_factory=list)   # `export * from './x'`
    _declared: Declarations | None = None

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def declared(self) -> Declarations:
        if self._declared is None:
            self._declared = declarations(self.root)
        return self._declared


def read_module(rel: str, language: str, text: str) -> ScriptModule:
    tree = st.parse(language, text)
    module = ScriptModule(rel, tree, relative_imports(tree.root_node))
    constants = top_level_constants(tree.root_node)
    local: dict[str, Node | Imported] = {**module.imports, **constants}
    for statement in tree.root_node.named_children:
        if statement.type == "export_statement":
            _export_statement(statement, local, module)
        elif statement.type == "expression_statement" and statement.named_children:
            _commonjs_export(statement.named_children[0], local, module)
    return module


def top_level_constants(root: Node) -> dict[str, Node]:
    """`const NAME = value` at the top of the module (exported or not), and `function NAME(...)`
    (a helper that builds properties), each name declared once."""
    values: dict[str, Node] = {}
    seen: dict[str, int] = {}
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" \
            else statement
        if declaration is not None and declaration.type in _NAMED:
            name = declaration.child_by_field_name("name")
            if name is not None:
                seen[st.text(name)] = seen.get(st.text(name), 0) + 1
                values[st.text(name)] = declaration
            continue
        if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
            continue
        constant = declaration.type == "lexical_declaration" and (
            st.text(declaration.child_by_field_name("kind")) == "const")
        for declarator in declaration.named_children:
            name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if name is None or name.type != "identifier":
                continue
            seen[st.text(name)] = seen.get(st.text(name), 0) + 1
            value = declarator.child_by_field_name("value")
            if constant and value is not None:
                values[st.text(name)] = value
    return {name: value for name, value in values.items() if seen[name] == 1}


def _export_statement(statement: Node, local: dict[str, Node | Imported], module: ScriptModule) -> None:
    source = st.string_value(statement.child_by_field_name("source"))
    declaration = statement.child_by_field_name("declaration")
    value = statement.child_by_field_name("value")
    if declaration is not None and declaration.type in _NAMED:   # export function NAME(...), export enum NAME
        name = declaration.child_by_field_name("name")
        if name is not None and st.text(name) in local:
            module.exports[st.text(name)] = local[st.text(name)]
    elif declaration is not None:                   # export const NAME = value
        for declarator in declaration.named_children:
            name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if name is not None and st.text(name) in local:
                module.exports[st.text(name)] = local[st.text(name)]
    elif value is not None:                         # export default NAME / export default {...}
        target = local.get(st.text(value)) if value.type == "identifier" else value
        if target is not None:
            module.exports[DEFAULT] = target
    elif source is not None and not is_relative(source):
        return
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    if clause is not None:                          # export { a, b as c } [from './x']
        for item in clause.named_children:
            name, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
            if item.type != "export_specifier" or name is None:
                continue
            exported = st.text(alias or name)
            if source is not None:
                module.exports[exported] = Imported(source, st.text(name))
            elif st.text(name) in local:
                module.exports[exported] = local[st.text(name)]
    elif source is not None and declaration is None and value is None and not any(
            c.type == "namespace_export" for c in statement.named_children):
        module.star_exports.append(source)          # export * from './x'


def _commonjs_export(node: Node, local: dict[str, Node | Imported], module: ScriptModule) -> None:
    """`module.exports = { a, b: value }`, `module.exports.a = value`, `exports.a = value`."""
    if node.type != "assignment_expression":
        return
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    target = st.dotted(left) if left is not None else ""
    if right is None:
        return
    if target == "module.exports" and right.type == "object":
        for child in right.named_children:
            if child.type == "shorthand_property_identifier" and st.text(child) in local:
                module.exports[st.text(child)] = local[st.text(child)]
            elif child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is not None and value is not None and key.type == "property_identifier":
                    module.exports[st.text(key)] = value
    elif len(parts := target.split(".")) == 3 and parts[:2] == ["module", "exports"] \
            or len(parts) == 2 and parts[0] == "exports":
        module.exports[parts[-1]] = right


class ScriptModules:
    """One scan's modules of the repository, each read at most once, and the exports they give."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._modules: dict[str, ScriptModule | None] = {}
        self._paths: dict[tuple[str, str], str | None] = {}   # (importer's folder, specifier) → file

    def module(self, importer: str, specifier: str) -> ScriptModule | None:
        """The module `specifier` names from the file `importer`, or None (a package, a file that
        is not in the repository, or one too large to be settings)."""
        if not is_relative(specifier):
            return None
        key = (str(PurePosixPath(importer).parent), specifier)
        if key not in self._paths:
            self._paths[key] = next((path for path in self._candidates(importer, specifier)
                                     if self.workspace.exists(path) and not self.workspace.is_dir(path)), None)
        path = self._paths[key]
        if path is None:
            return None
        return self._modules[path] if path in self._modules else self._read(path)

    def export(self, module: ScriptModule, name: str, depth: int = 0) -> tuple[ScriptModule, Node] | None:
        """The value `module` exports as `name` and the module that writes it (after re-exports)."""
        if depth > MAX_REEXPORT_DEPTH:
            return None
        found = module.exports.get(name)
        if isinstance(found, Imported):
            target = self.module(module.rel, found.specifier)
            if target is None or found.name == NAMESPACE:
                return None
            return self.export(target, found.name, depth + 1)
        if found is not None:
            return module, found
        for specifier in module.star_exports if name != DEFAULT else []:
            target = self.module(module.rel, specifier)
            hit = self.export(target, name, depth + 1) if target is not None else None
            if hit is not None:
                return hit
        return None

    def _candidates(self, importer: str, specifier: str) -> list[str]:
        base = self.workspace.resolve(str(PurePosixPath(importer).parent / specifier))
        if base is None or base == "." or "node_modules" in PurePosixPath(base).parts:
            return []
        suffix = PurePosixPath(base).suffix
        named = [base] if suffix in _SUFFIXES and not base.endswith(".d.ts") else []
        compiled = [base[:-len(suffix)] + other for other in _COMPILED.get(suffix, ())]
        return named + compiled + [base + s for s in _SUFFIXES] + [f"{base}/index{s}" for s in _SUFFIXES]

    def _read(self, path: str) -> ScriptModule | None:
        module: ScriptModule | None = None
        language = st.language_for(path)
        if len(self._modules) < MAX_MODULES and language in ("typescript", "tsx", "javascript"):
            try:
                text = self.workspace.read_text(path)
                if len(text) <= MAX_MODULE_CHARS:
                    module = read_module(path, language, text)
            except (UnreadableFile, ValueError, RecursionError, MemoryError):
                module = None
        self._modules[path] = module
        return module


__all__ = ["DEFAULT", "NAMESPACE", "Imported", "ScriptModule", "ScriptModules", "read_module",
           "relative_imports", "top_level_constants"]
