"""The calls of a TypeScript or JavaScript file to a helper of the app (`cdk/factories.py`), through
the file's imports of relative modules, and what each call passes: its arguments as written, a
key of an object literal a few levels deep (`lambdaOverrides.handler`), the folder of a
`Code.fromAsset('jobs')` and the variables of an `environment` literal. Java and Go calls are read
by `cdk/factories.py` with the same reading of arguments (`source_arguments`)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.caller_environment import script_variables
from reviewer.inventory.cdk.file_paths import written_path
from reviewer.inventory.cdk.method_factories import MethodCalls
from reviewer.inventory.cdk.python_factory_calls import MAX_SITES, Argument, Arguments, Site
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call, literal_entries
from reviewer.model import Function

Node = tree_sitter.Node

if TYPE_CHECKING:
    from reviewer.inventory.cdk.factories import Factory


# How deep a caller's object literals are read for a key (`{ lambdaOverrides: { handler: 'x' } }`).
MAX_KEY_DEPTH = 4


# How far up a caller's blocks, and how many statements of each, a `const` it passes is looked for.
MAX_SCOPE_DEPTH = 60
MAX_SCOPE_STATEMENTS = 400


# The files a relative module path may be, TypeScript's and Node's resolution.
_MODULE_SUFFIXES = (".ts", ".tsx", ".js", ".mjs", ".cjs", "/index.ts", "/index.js")
# An ESM import names the compiled file (`./utils.js`) of the TypeScript source beside it.
_COMPILED = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",)}


def source_calls(rel: str, text: str, found: dict[tuple[str, str], tuple[Factory, Function]],
                 methods: MethodCalls | None = None,
                 imported_files: Callable[[str, str], list[str]] | None = None) -> list[Site]:
    """The calls of a TypeScript or JavaScript file to a helper of `found` that the file imports
    from a relative module (`import { createFunction } from './utils'`, `import * as u from './u'`),
    or from one its `tsconfig.json` maps a name to (`imported_files(file, module)`, the files a
    module of either kind may be);
    what it says of helpers that are instance methods goes to `methods`, read once every file is."""
    language = st.language_for(rel)
    if language not in ("typescript", "tsx", "javascript"):
        return []
    root = st.parse(language, text).root_node
    imported: dict[str, tuple[list[str], str | None]] = {}   # local name → (module files, name there)
    for node in root.named_children:
        required = _required(node)
        if required is not None:   # `const { createFunction } = require('./utils')`
            names, required_module = required
            files = module_files(rel, required_module)
            imported.update((local, (files, exported)) for local, exported in names)
            continue
        if node.type != "import_statement":
            continue
        source = node.child_by_field_name("source")
        module = st.string_value(source) if source is not None else None
        files = imported_files(rel, module) if module and imported_files is not None \
            else module_files(rel, module) if module and module.startswith(".") else []
        if not files:
            continue
        for item in st.walk(node):
            if item.type == "import_specifier":
                written, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
                if written is not None:
                    imported[st.text(alias if alias is not None else written)] = (files, st.text(written))
            elif item.type == "namespace_import":
                local = next((c for c in item.named_children if c.type == "identifier"), None)
                if local is not None:
                    imported[st.text(local)] = (files, None)
    if methods is not None:
        methods.read(rel, root, imported, source_arguments)
    sites: list[Site] = []
    for node in st.walk(root):
        if node.type not in CALL_TYPES or not imported:
            continue
        call = as_call(node)
        if call is None or not call.callee or call.callee[0] not in imported:
            continue
        files, exported = imported[call.callee[0]]
        wanted = ".".join(call.callee[1:]) if exported is None else ".".join([exported, *call.callee[1:]])
        key = next(((path, wanted) for path in files if (path, wanted) in found), None)
        if key is not None and call.is_new == found[key][0].constructed:
            sites.append((key, st.line(node), source_arguments(call.args)))
        if len(sites) >= MAX_SITES:
            break
    return sites


def module_files(rel: str, module: str) -> list[str]:
    """The files a relative module may be (`module_candidates`)."""
    return module_candidates(str(PurePosixPath(rel).parent / module))


def module_candidates(stem: str) -> list[str]:
    """The files a module path may be: as named when it names its file (`./lambda.ts`, Node's
    and TypeScript's `allowImportingTsExtensions`), the source of a compiled name (`./lambda.js`),
    or with each suffix Node and TypeScript try."""
    suffix = PurePosixPath(stem).suffix
    named = [normal_path(stem)] if suffix in _MODULE_SUFFIXES else []
    compiled = [normal_path(stem[:-len(suffix)] + other) for other in _COMPILED.get(suffix, ())]
    return named + compiled + [normal_path(stem + suffix) for suffix in _MODULE_SUFFIXES]


def _required(node: object) -> tuple[list[tuple[str, str | None]], str] | None:
    """`const { a, b: c } = require('./m')` or `const m = require('./m')` at the top of a file:
    ((local name, name in the module, None for the whole module), module), for a relative module."""
    if getattr(node, "type", "") not in ("lexical_declaration", "variable_declaration"):
        return None
    declarator = next((c for c in node.named_children if c.type == "variable_declarator"), None)  # type: ignore[attr-defined]
    value = st.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
    call = as_call(value) if value is not None and value.type in CALL_TYPES else None
    if call is None or call.callee != ["require"] or len(call.args) != 1:
        return None
    module = st.string_value(call.args[0])
    pattern = declarator.child_by_field_name("name") if declarator is not None else None
    if not module or not module.startswith(".") or pattern is None:
        return None
    if pattern.type == "identifier":
        return [(st.text(pattern), None)], module
    names: list[tuple[str, str | None]] = []
    for item in pattern.named_children:
        if item.type == "shorthand_property_identifier_pattern":
            names.append((st.text(item), st.text(item)))
        elif item.type == "pair_pattern":
            key, local = item.child_by_field_name("key"), item.child_by_field_name("value")
            if key is not None and local is not None and local.type == "identifier":
                names.append((st.text(local), st.text(key)))
    return (names, module) if names else None


def source_arguments(args: list) -> Arguments:
    def argument(_: str | None, position: int, key: str | None) -> Argument | None:
        if not 0 <= position < len(args):
            return None
        node = st.unwrap(args[position]) or args[position]
        # `createFunction({ scope: this, id: 'Orders' })`; a member of a member, `lambdaOverrides.handler`
        for part in key.split(".")[:MAX_KEY_DEPTH] if key is not None else []:
            node = next((value for name, _, value in literal_entries(node) or [] if name == part), None)
            node = st.unwrap(node) if node is not None else None
            if node is None:
                return None
        code = _declared_value(node) if node.type == "identifier" else node   # `assetCode: lambdaZip`
        return Argument(st.text(node), st.string_value(node), st.line(node), _source_folder(code),
                        script_variables(node), path=written_path(node) or _asset_path(code))
    return argument


def _asset_path(node: Node) -> tuple[str, str] | None:
    """`Code.fromAsset(`${path.dirname(__dirname)}/../deployment/lambda.zip`)`: the path it builds
    from its file's folder (`file_paths.written_path`)."""
    call = as_call(node) if node.type in CALL_TYPES else None
    return written_path(call.args[0]) if call is not None and call.method == "fromAsset" and call.args else None


def _declared_value(node: Node) -> Node:
    """The value of the `const` the identifier names in a block around it (`const lambdaZip =
    Code.fromAsset(...)` in the caller's constructor), or the identifier itself."""
    name = st.text(node)
    for depth, ancestor in enumerate(st.ancestors(node)):
        if depth >= MAX_SCOPE_DEPTH:
            break
        if ancestor.type not in ("statement_block", "program"):
            continue
        for statement in ancestor.named_children[:MAX_SCOPE_STATEMENTS]:
            if statement.type != "lexical_declaration" or not st.text(statement).startswith("const"):
                continue
            for declarator in statement.named_children:
                pattern = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                value = declarator.child_by_field_name("value") if pattern is not None else None
                if pattern is not None and value is not None and pattern.type == "identifier" \
                        and st.text(pattern) == name:
                    return st.unwrap(value) or value
    return node


def _source_folder(node: object) -> str | None:
    """`lambda.Code.fromAsset('jobs')`: "jobs" (what a helper's caller passes as its `code`)."""
    call = as_call(node) if getattr(node, "type", "") in CALL_TYPES else None   # type: ignore[arg-type]
    if call is None or call.method != "fromAsset" or not call.args:
        return None
    return st.string_value(st.unwrap(call.args[0]) or call.args[0])


def normal_path(path: str) -> str:
    """`lib/./utils.ts` → `lib/utils.ts`; a path leaving the repository is kept (no file has it)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)
