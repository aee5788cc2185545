"""Handler paths a serverless.ts (or a module it imports) builds from the module's own folder.

Templates and frameworks give each function a `config.ts` or `index.ts` beside its handler and
compute the handler from `__dirname`, the folder the module sits in, relative to the service
folder `serverless` runs in (`process.cwd()`). Two helpers do it, both known by what they return:

- the Serverless TypeScript starter: `` `${handlerPath(__dirname)}/handler.main` `` (or the
  helper's body written inline in older versions, `__dirname.split(process.cwd())[1].substring(1)`);
- Swarmion (`@swarmion/serverless-helpers`): `getHandlerPath(__dirname)`, which returns
  `<folder>/handler.main`, or `<folder>/<fileName>.main` with `{ fileName: '...' }`.

Any other call is computed when the file runs: None, and the reader says so.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import tree_sitter

from reviewer import source_trees as st

Node = tree_sitter.Node

# The body of the starter template's `handlerPath(__dirname)`, written inline in older versions of
# it (`${__dirname.split(process.cwd())[1].substring(1)}/handler.main`): the module's folder too.
MODULE_FOLDER_FORMS = frozenset({
    "__dirname.split(process.cwd())[1].substring(1)",
    "__dirname.split(process.cwd())[1].substring(1).replace(/\\\\/g,'/')",
    '__dirname.split(process.cwd())[1].substring(1).replace(/\\\\/g,"/")',
})
SWARMION_HELPERS = "@swarmion/serverless-helpers"


def handler_path_template(node: Node, service_file: str, module_file: str) -> str | None:
    """`${handlerPath(__dirname)}/handler.main`: the starter template's helper (or its body written
    inline) gives the folder of the module it is called in, relative to the service folder where
    `serverless` runs. Any other substitution is computed when the file runs (None)."""
    parts: list[str] = []
    for child in node.children:
        if child.type == "template_substitution":
            folder = _starter_folder(child, service_file, module_file)
            if folder is None:
                return None
            parts.append(folder)
        elif child.type != "`":
            parts.append(st.text(child))
    return "".join(parts)


def swarmion_handler_path(call: Node, imports: dict[str, tuple[str, str]], service_file: str,
                          module_file: str) -> str | None:
    """`getHandlerPath(__dirname)` imported from Swarmion's helpers: `<folder>/handler.main`, or
    `<folder>/<fileName>.main` for `getHandlerPath(__dirname, { fileName: 'worker' })`."""
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or imports.get(st.text(callee)) != (SWARMION_HELPERS,
                                                                                          "getHandlerPath"):
        return None
    arguments = st.arguments(call)
    if not 1 <= len(arguments) <= 2 or st.text(arguments[0]) != "__dirname":
        return None
    file_name = "handler"
    if len(arguments) == 2:
        file_name = _file_name_option(arguments[1]) or ""
        if not file_name:
            return None
    folder = _module_folder(service_file, module_file)
    return f"{folder}/{file_name}.main" if folder is not None else None


def _file_name_option(argument: Node) -> str | None:
    """`{ fileName: 'worker' }` written as a literal; None for anything else."""
    options = st.unwrap(argument)
    if options is None or options.type != "object" or len(options.named_children) != 1:
        return None
    pair = options.named_children[0]
    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    if pair.type != "pair" or key is None or st.text(key).strip("'\"") != "fileName":
        return None
    name = st.string_value(value) if value is not None else None
    return name if name and "/" not in name else None


def _starter_folder(substitution: Node, service_file: str, module_file: str) -> str | None:
    call = st.unwrap(substitution.named_children[0]) if substitution.named_children else None
    if call is None or call.type != "call_expression":
        return None
    if "".join(st.text(call).split()) not in MODULE_FOLDER_FORMS:
        if st.call_name(call) != "handlerPath":
            return None
        arguments = st.arguments(call)
        if len(arguments) != 1 or st.text(arguments[0]) != "__dirname":
            return None
    return _module_folder(service_file, module_file)


def _module_folder(service_file: str, module_file: str) -> str | None:
    """The folder of `module_file` relative to the service's folder; None outside it."""
    service = PurePosixPath(service_file).parent
    folder = PurePosixPath(module_file).parent
    if service not in folder.parents:
        return None
    return str(folder.relative_to(service))
