"""A JavaScript or TypeScript handler and the local modules it imports, parsed with tree-sitter.

Lambda's Node.js runtime loads `<code dir>/<module>.{js,mjs,cjs}` for a handler `module.fn`;
TypeScript projects point the handler at their build output (`dist/index.handler`) or let SAM's
esbuild build `app.ts`. So the handler's file is looked for under the code directory with every
suffix, and a path under a build folder (`dist/`, `build/`, `lib/`, `out/`) is mapped back to its
source (`src/`, or the project root) when the built file is not in the repository. `require` and
`import` of relative paths are followed (up to fixed limits), and the paths a `tsconfig.json` maps
to the repository's files (`javascript_aliases`: a layer's `/opt/nodejs/...`), never packages.

Each file is indexed once: every name it binds (declarations, destructuring, parameters, loop
variables, imports), its functions, its exports and its calls. Scoping is by name within a file,
which is coarse but never invents a value: a name bound twice simply has two alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import tree_sitter

from reviewer import source_trees as st
from reviewer.findings import Finding
from reviewer.code.javascript_aliases import aliased_module
from reviewer.code.javascript_files import SUFFIXES, existing_file
from reviewer.workspace import UnreadableFile, Workspace

MAX_FILES = 30
MAX_TOTAL_BYTES = 2 * 1024 * 1024
MAX_REEXPORTS = 4       # `export ... from` re-exports followed to the module that defines a name
MAX_BARREL_FILES = 12   # files indexed to find the one a barrel's re-exports lead a name to
FUNCTION_TYPES = frozenset({"function_declaration", "generator_function_declaration", "function_expression",
                            "function", "arrow_function", "method_definition", "generator_function"})


@dataclass(frozen=True)
class Binding:
    """What a name is bound to. kind: value (`node` is the expression), path (`node` is the
    destructured expression, `steps` the property path), param (`node` is the function, `index`
    its position, `default` its default), element (`node` is the iterated expression), import
    (`module` and `name`: "*" for the whole module, "default"), function (`node`), caught (`node`
    is the `catch` clause whose parameter it is: a value thrown at run time)."""

    kind: str
    file: str
    node: Any = None
    steps: tuple[str, ...] = ()
    index: int = 0
    default: Any = None
    module: str = ""
    name: str = ""
    scope: tuple[int, int] | None = None   # bytes of the function the name is local to; None: module


@dataclass
class JsFile:
    """One parsed JavaScript or TypeScript file: its bindings, functions, exports, calls and imports."""

    path: str
    tree: tree_sitter.Tree
    line_offset: int = 0
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    functions: dict[str, list[Any]] = field(default_factory=dict)   # name -> function nodes
    exports: dict[str, Any] = field(default_factory=dict)           # exported name -> node or name
    calls: list[Any] = field(default_factory=list)                  # call and new expressions
    imports: list[str] = field(default_factory=list)                # module specifiers
    # `export { handler } from './x'`: exported name → (module specifier, its name there);
    # `export * from './x'`: the specifiers whose every export this module passes on
    reexports: dict[str, tuple[str, str]] = field(default_factory=dict)
    star_reexports: list[str] = field(default_factory=list)

    def line(self, node: Any) -> int:
        return st.line(node) + self.line_offset

    def end_line(self, node: Any) -> int:
        return st.end_line(node) + self.line_offset


@dataclass
class JsProgram:
    """The files read, the handler's file and export name, and what was skipped."""

    entry: str
    export: str
    files: dict[str, JsFile] = field(default_factory=dict)
    resolved_imports: dict[tuple[str, str], str] = field(default_factory=dict)
    notices: list[Finding] = field(default_factory=list)
    truncated: bool = False


def load_program(workspace: Workspace | None, entry: str, export: str, inline: tuple[str, int] | None = None,
                 cache: dict | None = None) -> JsProgram:
    """Parse the handler file and its relative imports. `inline` is (source, first line) of code
    written in a template, read in place of `entry`."""
    program = JsProgram(entry, export)
    pending = [entry]
    total = 0
    while pending:
        path = pending.pop(0)
        if path in program.files:
            continue
        if len(program.files) >= MAX_FILES or total > MAX_TOTAL_BYTES:
            program.truncated = True
            break
        if inline is not None and path == entry:
            text, offset = inline
        else:
            if workspace is None:
                continue
            try:
                text = workspace.read_text(path)
            except UnreadableFile as unreadable:
                program.notices.append(unreadable.notice)
                continue
            offset = 0
        total += len(text)
        indexed: JsFile | None
        if workspace is not None and cache is not None:     # held while in use (reviewer.content_cache)
            indexed = workspace.parsed.held("js-index", (path, workspace.parsed.digest(text), offset), len(text),
                                            partial(_indexed_file, path, text, offset), user=path)
        else:
            key = ("js-index", path, text, offset)
            indexed = cache.get(key) if cache is not None else None
            if indexed is None:
                indexed = _indexed_file(path, text, offset)
                if cache is not None:
                    cache[key] = indexed
        assert indexed is not None
        program.files[path] = indexed
        if workspace is None:
            continue
        for specifier in indexed.imports:
            target = relative_file(workspace, path, specifier) or \
                aliased_module(workspace, path, specifier, partial(_module_file, workspace), cache)
            if target is not None:
                program.resolved_imports[(path, specifier)] = target
                pending.append(target)
    return program


def reexported(program: JsProgram, path: str, export: str) -> tuple[str, str]:
    """The file and name an export is defined under, past `export ... from` re-exports: the handler
    an entry file passes on, and a name a handler imports from a module's barrel `index.ts`
    (`export * from './pushsender.service'`)."""
    for _ in range(MAX_REEXPORTS):
        file = program.files.get(path)
        if file is None or export in file.exports or export in file.functions:
            break
        if export in file.reexports:
            module, name = file.reexports[export]
            target = program.resolved_imports.get((path, module))
            if target is None:
                break
            path, export = target, name
            continue
        star = next((target for module in file.star_reexports
                     if (target := program.resolved_imports.get((path, module))) is not None
                     and export in _defined_names(program, target)), None)
        if star is None:
            break
        path = star
    return path, export


def defining_file(workspace: Workspace, importer: str, specifier: str, name: str) -> str | None:
    """The file a name of a relative import is written in, past a barrel's re-exports (`export *
    from './sqs-all-input.adapter'` in `./adapters/index.ts`): the file the import loads when it is
    not re-exported, or none of its re-exports can be read. At most MAX_REEXPORTS hops, and
    MAX_BARREL_FILES files indexed in all."""
    path = relative_file(workspace, importer, specifier)
    found = path
    budget = [MAX_BARREL_FILES]

    def indexed(rel: str | None) -> JsFile | None:
        if rel is None or budget[0] <= 0:
            return None
        budget[0] -= 1
        try:
            text = workspace.read_text(rel)
        except UnreadableFile:
            return None
        return _indexed_file(rel, text, 0) if len(text) <= MAX_TOTAL_BYTES else None

    for _ in range(MAX_REEXPORTS):
        file = indexed(path)
        if file is None or name in file.exports or name in file.functions:
            return path if file is not None else found
        if name in file.reexports:
            module, name = file.reexports[name]
            path = relative_file(workspace, file.path, module)
            continue
        path = next((target for module in file.star_reexports
                     if (target := relative_file(workspace, file.path, module)) is not None
                     and (other := indexed(target)) is not None
                     and name in set(other.exports) | set(other.functions) | set(other.reexports)), None)
        if path is None:
            return found
    return found


def _defined_names(program: JsProgram, path: str) -> set[str]:
    file = program.files.get(path)
    return set(file.exports) | set(file.functions) | set(file.reexports) if file is not None else set()


def _indexed_file(path: str, text: str, offset: int) -> JsFile:
    language = st.language_for(path) or "javascript"
    if language not in ("javascript", "typescript", "tsx"):
        language = "javascript"
    indexed = JsFile(path, st.parse(language, text), offset)
    _Indexer(indexed).run()
    return indexed


def relative_file(workspace: Workspace, importer: str, specifier: str) -> str | None:
    """The file of the repository a relative import (`./steps/schema`, `../lib/db.js`) loads."""
    if not specifier.startswith("."):
        return None
    return _module_file(workspace, str(PurePosixPath(importer).parent / specifier))


def _module_file(workspace: Workspace, base: str) -> str | None:
    """The JavaScript or TypeScript file Node or TypeScript loads for `base`: as written, with an
    extension, or the folder's `index`."""
    stem = base
    for suffix in (".js", ".mjs", ".cjs"):
        if base.endswith(suffix):
            stem = base[: -len(suffix)]
    for candidate in [base] + [stem + suffix for suffix in SUFFIXES] + [f"{base}/index{suffix}" for suffix in SUFFIXES]:
        found = existing_file(workspace, candidate)
        if found is not None and st.language_for(found) in ("javascript", "typescript", "tsx"):
            return found
    return None


# What a `let` or `const` is local to: a block, a `for (let ...)` loop, a `switch`'s cases.
_LEXICAL_BLOCKS = frozenset({"statement_block", "for_statement", "switch_body", "class_body"})


def _declaration_scope(node: Any) -> tuple[int, int] | None:
    """Where a name declared at `node` is visible: the block of a `let` or `const` (an `if`'s
    branch that writes `const key = "invalid/..."` over the handler's own `key`), else the
    enclosing function (a `var`, an assignment, a function's name), or the module (None)."""
    lexical = False
    for parent in st.ancestors(node) if node is not None else ():
        if parent.type in FUNCTION_TYPES:
            return (parent.start_byte, parent.end_byte)
        if parent.type == "lexical_declaration":
            lexical = True
        elif lexical and parent.type in _LEXICAL_BLOCKS:
            return (parent.start_byte, parent.end_byte)
    return None


def require_specifier(node: Any) -> str | None:
    """`require("x")` → "x"."""
    if node is None or node.type != "call_expression" or st.call_name(node) != "require":
        return None
    arguments = node.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return st.string_value(first)


def unwrap(node: Any) -> Any:
    """The expression inside parentheses, `await`, TypeScript `as`/`!`/`satisfies`."""
    while node is not None and node.type in ("parenthesized_expression", "await_expression", "as_expression",
                                              "non_null_expression", "satisfies_expression", "type_assertion"):
        children = [child for child in node.named_children if child.type not in ("type_annotation",)]
        if not children:
            return node
        node = children[0] if node.type != "type_assertion" else children[-1]
    return node


class _Indexer:
    def __init__(self, file: JsFile) -> None:
        self.file = file

    def bind(self, name: str, binding: Binding, at: Any = None) -> None:
        origin = binding.node if binding.kind == "path" else binding
        if isinstance(origin, Binding) and origin.kind == "param":
            scope: tuple[int, int] | None = (origin.node.start_byte, origin.node.end_byte)
        else:
            scope = _declaration_scope(at)
        self.file.bindings.setdefault(name, []).append(replace(binding, scope=scope))

    def run(self) -> None:
        for node in st.walk(self.file.tree.root_node):
            kind = node.type
            if kind in ("call_expression", "new_expression"):
                self.file.calls.append(node)
                specifier = require_specifier(node)
                if specifier is not None:
                    self.file.imports.append(specifier)
            elif kind == "variable_declarator":
                self._declarator(node)
            elif kind == "assignment_expression":
                self._assignment(node)
            elif kind in FUNCTION_TYPES:
                self._function(node)
            elif kind == "for_in_statement":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    self._pattern(left, Binding("element", self.file.path, right), ())
            elif kind == "catch_clause":
                self._caught(node)
            elif kind == "import_statement":
                self._import(node)
            elif kind == "export_statement":
                self._export(node)

    def _caught(self, node: Any) -> None:
        """`catch (error)`: the name holds what was thrown, local to the clause. Unbound, a use of
        it inside the clause was taken for any other binding of the name in the file (another
        function's parameter `error`), which could lead the evaluator round in a cycle."""
        parameter = node.child_by_field_name("parameter")
        if parameter is None:
            return
        names = [parameter] if parameter.type == "identifier" else \
            [child for child in st.walk(parameter) if child.type in ("identifier", "shorthand_property_identifier_pattern")]
        for name in names:
            self.file.bindings.setdefault(st.text(name), []).append(
                Binding("caught", self.file.path, node, scope=(node.start_byte, node.end_byte)))

    def _pattern(self, pattern: Any, source: Binding, steps: tuple[str, ...]) -> None:
        """Bind every name in a (possibly destructuring) pattern to `source` plus its property path."""
        if pattern is None:
            return
        kind = pattern.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            if not steps:
                self.bind(st.text(pattern), source, pattern)
            else:
                self.bind(st.text(pattern), Binding("path", source.file, source, steps), pattern)
        elif kind == "object_pattern":
            for child in pattern.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self._pattern(child, source, steps + (st.text(child),))
                elif child.type == "pair_pattern":
                    key = child.child_by_field_name("key")
                    name = st.string_value(key) if key is not None and key.type == "string" else st.text(key)
                    self._pattern(child.child_by_field_name("value"), source, steps + (name or "",))
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    self._pattern(left, source, steps + (st.text(left),))
        elif kind == "array_pattern":
            for child in pattern.named_children:
                self._pattern(child, source, steps + ("[]",))
        elif kind == "assignment_pattern":
            self._pattern(pattern.child_by_field_name("left"), source, steps)
        elif kind in ("required_parameter", "optional_parameter"):
            self._pattern(pattern.child_by_field_name("pattern"), source, steps)

    def _declarator(self, node: Any) -> None:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is None or value is None:
            return
        specifier = require_specifier(unwrap(value))
        if specifier is not None and name.type == "identifier":
            self.bind(st.text(name), Binding("import", self.file.path, module=specifier, name="*"), node)
            return
        if specifier is not None and name.type == "object_pattern":
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self.bind(st.text(child), Binding("import", self.file.path, module=specifier, name=st.text(child)),
                              node)
                elif child.type == "pair_pattern":
                    key, local = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if local is not None and local.type == "identifier":
                        self.bind(st.text(local), Binding("import", self.file.path, module=specifier,
                                                          name=st.text(key)), node)
            return
        if name.type == "identifier" and unwrap(value).type in FUNCTION_TYPES:
            self.file.functions.setdefault(st.text(name), []).append(unwrap(value))
        self._pattern(name, Binding("value", self.file.path, value), ())

    def _assignment(self, node: Any) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        target = st.dotted(left)
        if left.type == "identifier":
            self.bind(st.text(left), Binding("value", self.file.path, right), node)
            if unwrap(right).type in FUNCTION_TYPES:
                self.file.functions.setdefault(st.text(left), []).append(unwrap(right))
        elif target in ("module.exports", "exports"):
            value = unwrap(right)
            if value.type == "object":
                self._export_object(value)
            else:
                self.file.exports["default"] = value
        elif target.startswith(("module.exports.", "exports.")) and target.count(".") == target.startswith("module") + 1:
            name = target.rsplit(".", 1)[1]
            self.file.exports[name] = right
            if unwrap(right).type in FUNCTION_TYPES:
                self.file.functions.setdefault(name, []).append(unwrap(right))

    def _export_object(self, value: Any) -> None:
        for child in value.named_children:
            if child.type == "shorthand_property_identifier":
                self.file.exports[st.text(child)] = st.text(child)
            elif child.type == "pair":
                key, item = child.child_by_field_name("key"), child.child_by_field_name("value")
                if key is not None and item is not None:
                    self.file.exports[st.string_value(key) or st.text(key)] = item
            elif child.type == "method_definition":
                name = child.child_by_field_name("name")
                self.file.exports[st.text(name)] = child

    def _function(self, node: Any) -> None:
        name = node.child_by_field_name("name")
        if name is not None and node.type in ("function_declaration", "generator_function_declaration",
                                              "method_definition"):
            self.file.functions.setdefault(st.text(name), []).append(node)
            if node.type != "method_definition":
                self.bind(st.text(name), Binding("function", self.file.path, node), node)
        parameters = node.child_by_field_name("parameters")
        if parameters is None:
            single = node.child_by_field_name("parameter")   # `x => ...`
            if single is not None:
                self.bind(st.text(single), Binding("param", self.file.path, node, index=0), node)
            return
        for index, parameter in enumerate(parameters.named_children):
            default = None
            pattern = parameter
            if parameter.type == "assignment_pattern":
                default = parameter.child_by_field_name("right")
            elif parameter.type in ("required_parameter", "optional_parameter"):
                default = parameter.child_by_field_name("value")
            self._pattern(pattern, Binding("param", self.file.path, node, index=index, default=default), ())

    def _import(self, node: Any) -> None:
        source = st.string_value(node.child_by_field_name("source"))
        if source is None:
            clause = next((child for child in node.named_children if child.type == "import_require_clause"), None)
            source = st.string_value(clause.child_by_field_name("source")) if clause is not None else None
        if source is None:
            return
        self.file.imports.append(source)
        for clause in node.named_children:
            if clause.type == "import_require_clause":   # TypeScript `import AWS = require("aws-sdk")`
                for ident in clause.named_children[:1]:
                    if ident.type == "identifier":
                        self.bind(st.text(ident), Binding("import", self.file.path, module=source, name="*"), node)
                continue
            if clause.type != "import_clause":
                continue
            for child in clause.named_children:
                if child.type == "identifier":
                    self.bind(st.text(child), Binding("import", self.file.path, module=source, name="default"))
                elif child.type == "namespace_import":
                    for ident in child.named_children:
                        self.bind(st.text(ident), Binding("import", self.file.path, module=source, name="*"))
                elif child.type == "named_imports":
                    for spec in child.named_children:
                        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                        if name is not None:
                            self.bind(st.text(alias or name), Binding("import", self.file.path, module=source,
                                                                      name=st.text(name)))

    def _export(self, node: Any) -> None:
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            if declaration.type == "lexical_declaration" or declaration.type == "variable_declaration":
                for declarator in declaration.named_children:
                    name = declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator" and name is not None and name.type == "identifier":
                        self.file.exports[st.text(name)] = declarator.child_by_field_name("value")
            else:
                name = declaration.child_by_field_name("name")
                if name is not None:
                    self.file.exports[st.text(name)] = declaration
            return
        source_node = node.child_by_field_name("source")
        source = st.string_value(source_node) if source_node is not None else None
        if source is not None:   # `export { handler } from './x'`, `export * from './x'`: re-exports
            self.file.imports.append(source)
        for clause in node.named_children:
            if clause.type == "export_clause":
                for spec in clause.named_children:
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is None:
                        continue
                    exported = st.text(alias or name)
                    if source is not None:   # the name is the other module's: bound as an import
                        self.file.reexports[exported] = (source, st.text(name))
                    else:
                        self.file.exports[exported] = st.text(name)
        if source is not None and not any(c.type == "export_clause" for c in node.named_children):
            self.file.star_reexports.append(source)
        value = node.child_by_field_name("value")
        if value is not None:
            self.file.exports["default"] = value


def visible_bindings(bindings: list[Binding], at: Any) -> list[Binding]:
    """The bindings of a name that a use at `at` sees: those of the innermost function around it
    that binds the name, else the module's (all of them when nothing is known about the use)."""
    if len(bindings) < 2:
        return bindings
    position = at.start_byte if at is not None else None
    best: list[Binding] = []
    best_start = -1
    for binding in bindings:
        scope = binding.scope
        if scope is None:
            start = 0
        elif position is not None and scope[0] <= position < scope[1]:
            start = scope[0] + 1
        else:
            continue
        if start > best_start:
            best, best_start = [binding], start
        elif start == best_start:
            best.append(binding)
    return best or bindings


def function_name(node: Any) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        return st.text(name)
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return st.text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return st.dotted(parent.child_by_field_name("left")).rsplit(".", 1)[-1]
    if parent is not None and parent.type == "pair":
        return st.text(parent.child_by_field_name("key"))
    return ""
