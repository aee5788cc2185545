"""`serverless.ts` and `serverless.js`: the exported configuration, read as data, never run.

The Serverless Framework loads these files by running them; the review reads their syntax tree
instead (tree-sitter) and converts the exported object literal into the same located mappings the
YAML reader produces, so runtimes, events, IAM statements and environments are read by the same
code with the same lines. Forms followed, all inside the file:

- `module.exports = {...}`, `export default {...}`, `export = {...}`, or any of them naming a
  `const` declared in the file (`const serverlessConfiguration: AWS = {...}`), type assertions
  (`as AWS`, `satisfies AWS`) unwrapped;
- `module.exports = serverlessSidecar(serverless)`: the service's literal the call is handed, with a
  notice that the call may change it (`script_exports.wrapped_configuration`);
- values held in `const`s of the file and spreads (`...defaults`) of object literals of the file;
- `module.exports = createConfiguration()`: the object literal a helper of the file returns; so is
  a value a helper called without arguments returns, the helper written in the file or imported
  from a module of the repository (`functions: getFunctions()`, `provider: getProvider()`), and
  one called with arguments that returns one literal (`handler: getHandler('orders-api.create')`),
  its parameters standing for the arguments (`script_helper_calls.py`);
- a value imported from a file of the repository (the `functions: { hello }` of the TypeScript
  starter template, `...userFunctions` from `./src/functions`, `@functions/...` aliases of
  `tsconfig.json`): that file's default or named export is read the same way, a few imports deep
  (also through an index that re-exports it: `export { default as hello } from './hello'`),
  and its values keep that file's path and lines (`source_path`). An import that cannot be
  followed (a package, a computed export) leaves the function listed with the provider's settings
  and a notice naming the import; when no function at all can be read, `unread_functions` marks
  the mapping so the provider's runtime is still reviewed once for the service;
- strings, numbers, booleans, arrays, nested objects; `${self:...}` inside strings is left for
  the serverless variable resolver, exactly as in YAML.

Anything computed when the file runs (a call, `process.env.X`, a spread of an unfollowed import)
has no static value: it becomes an unresolved `${...}`-style marker and a notice (LR904) naming the
file, the line and the expression (`script_notices.py`): one per unread function, one per block of
what a function depends on (`provider.environment` filled from `config`), one per file for the
rest (`resources`, `custom`, `stackTags`).
"""

from __future__ import annotations

from typing import Any

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import FUNCTION_VALUES, IDENTIFIER_TYPES, declarations, Declarations, helper_of, key_name
from reviewer.inventory.serverless.script_assignments import apply, assignments, configuration_name
from reviewer.inventory.serverless.script_exports import exported_expression, exports_members_only, imported_names, \
    is_class, re_exports, wrapped_configuration, wrapper_notice
from reviewer.inventory.serverless.script_helper_calls import Argument, argument_value, at_call, bound, bound_text, \
    function_declared, parameters, returned_literal, spliced_template
from reviewer.inventory.serverless.script_handler_paths import handler_path_template, swarmion_handler_path
from reviewer.inventory.serverless.script_imports import module_file
from reviewer.inventory.serverless.script_members import MAX_MEMBER_HOPS, MEMBER_TYPES, literal_entry, member_key
from reviewer.inventory.serverless.script_namespaces import namespace_object
from reviewer.inventory.serverless.script_notices import UnreadValue, origin_of, unread_notices
from reviewer.inventory.serverless.value_sources import key_sources, mark_source
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.findings import Finding
from reviewer.workspace import UnreadableFile, Workspace, unread_declaration_notice

Node = tree_sitter.Node
MAX_DEPTH = 60
MAX_NODES = 50_000
MAX_NOTICES = 10
MAX_IMPORT_DEPTH = 3
MAX_MODULES = 50
# What a Lambda function's review depends on: an unreadable value here is always a notice.
FUNCTION_SETTINGS = ("functions", "provider.runtime", "provider.environment", "provider.iam",
                     "provider.iamRoleStatements")


def load_script(workspace: Workspace, rel: str, text: str, notices: list[Finding]) -> LocatedMap | None:
    """The exported configuration of a serverless.ts/js as a located mapping, or None (with a notice)."""
    script_notices: list[Finding] = []
    reader = _ScriptReader(workspace, rel, text, script_notices)
    exported = reader.exported()
    if exported is None and reader.exports_members_only():
        return None     # `src/types/serverless.ts`, `dev_tool/src/serverless.ts`: a module, not a service
    if exported is not None and reader.is_class(exported):
        return None     # a Serverless Component (`class X extends Component`), not a service
    if exported is None:
        notices.append(unread_declaration_notice(
            rel, 1, "no `module.exports = {...}` or `export default {...}` object literal written in the file"))
        return None
    wrapper = exported if exported.type == "call_expression" else None
    if wrapper is not None:
        exported = wrapped_configuration(wrapper, reader._follow) or wrapper
    if exported.type != "object":
        shown = st.excerpt(st.text(exported))
        notices.append(unread_declaration_notice(
            rel, st.line(exported), f"the exported configuration `{shown}` is computed when the file runs"))
        return None
    value = reader.convert(exported, 0)
    if isinstance(value, LocatedMap):
        reader.apply_assignments(value)
    if wrapper is not None and isinstance(value, LocatedMap):
        script_notices.append(wrapper_notice(rel, wrapper, value))
    script_notices.extend(unread_notices(reader.unread, MAX_NOTICES, value))
    if not isinstance(value, LocatedMap):
        notices.extend(script_notices)
        return None
    functions = value.get("functions")
    if "functions" in value and (not isinstance(functions, LocatedMap) or not functions) and reader.unread_functions:
        value.unread_functions = True     # type: ignore[attr-defined]
    value.module_files = tuple(reader.modules)     # type: ignore[attr-defined]   # inputs of its functions
    if not _other_cloud(value):   # a service for another provider declares no Lambda function to miss
        notices.extend(script_notices)
    return value


def _other_cloud(config: LocatedMap) -> bool:
    """`provider: {name: 'google'}`: written as a literal other than `aws` (the YAML reader skips it too)."""
    provider = config.get("provider")
    name = provider.get("name") if isinstance(provider, LocatedMap) else provider
    return isinstance(name, str) and not name.startswith("${") and name.strip().lower() != "aws"


class _ScriptReader:
    def __init__(self, workspace: Workspace, rel: str, text: str, notices: list[Finding],
                 parent: _ScriptReader | None = None) -> None:
        self.workspace = workspace
        self.rel = rel
        self.language = "typescript" if rel.lower().endswith((".ts", ".mts", ".cts")) else "javascript"
        self.root = st.parse(self.language, text).root_node
        self.notices = notices
        self.budget = MAX_NODES
        self._declared: Declarations | None = None
        self._imports: dict[str, tuple[str, str]] | None = None
        self.parent = parent
        self.import_depth: int = parent.import_depth + 1 if parent is not None else 0
        self.modules: dict[str, _ScriptReader | None] = parent.modules if parent is not None else {}
        self.unread_functions = False
        self.unread: list[UnreadValue] = []    # the root's: what every module of it left unread
        self._namespaces: dict[str, LocatedMap | None] = {}   # by setting: each read once (`namespace`)
        self._helper_results: dict[str, tuple[_ScriptReader, Node] | None] = {}   # by callee (`_helper_result`)
        self._parameter_helpers: dict[str, tuple[_ScriptReader, list[str], list[Node | None], Node] | None] = {}
        self.bindings: list[dict[str, Argument]] = []    # a frame per helper call being read (`_built`)
        self.building = 0     # the root's: how many helper calls are being read, one inside another
        self.expanding: set[tuple[str, int]] = set()     # the root's: the helpers' literals being read

    @property
    def declared(self) -> Declarations:
        if self._declared is None:
            self._declared = declarations(self.root)
        return self._declared

    def exported(self) -> Node | None:
        """The expression the file exports as its configuration, followed to its value."""
        exported = exported_expression(self.root)
        return self._follow(exported) if exported is not None else None

    def apply_assignments(self, configuration: LocatedMap) -> None:
        """The settings the file writes into the exported object below its literal (`script_assignments`)."""
        exported = exported_expression(self.root)
        name = configuration_name(exported) if exported is not None else None
        if name is not None:
            apply(configuration, assignments(self.root, name), lambda node, setting: self.convert(node, 0, setting),
                  lambda node, setting: self._computed(node, "written where the review cannot tell which setting "
                                                       "it changes (a loop or a computed key)", setting))

    def exports_members_only(self) -> bool:
        return exports_members_only(self.root)

    def is_class(self, node: Node) -> bool:
        return is_class(self.root, node)

    def _follow(self, node: Node | None) -> Node | None:
        """Through type assertions and names of the file to the object literal (bounded)."""
        for _ in range(10):
            node = st.unwrap(node)
            if node is not None and node.type == "call_expression" and not st.arguments(node):
                returned = self._returned_object(node)
                if returned is not None:
                    return returned
            if node is None or node.type not in IDENTIFIER_TYPES:
                return node
            value = self.declared.value(st.text(node))
            if value is None:
                return node
            node = value
        return node

    def _returned_object(self, call: Node) -> Node | None:
        """`createConfiguration()`: the one object literal a helper declared in the file returns."""
        callee = call.child_by_field_name("function")
        helper = self.declared.helper(st.text(callee)) if callee is not None and callee.type == "identifier" else None
        if helper is None:
            return None
        returned = {r.id: r for r in (self._follow_plain(r) for r in helper.returns()) if r is not None}
        objects = [r for r in returned.values() if r.type == "object"]
        return objects[0] if len(objects) == 1 and len(returned) == 1 else None

    def _helper_result(self, call: Node) -> tuple[_ScriptReader, Node] | None:
        """`getFunctions()`, a helper of the file or imported from a module of the repository
        (`export const getFunctions = () => ({...})`, `export function getProvider() {...}`),
        called without arguments: the one object literal it returns, with its module's reader.
        Found once per name: a hostile file calling a long helper thousands of times walks it once."""
        name = st.text(call.child_by_field_name("function"))
        if name not in self._helper_results:
            self._helper_results[name] = self._find_helper_result(call)
        return self._helper_results[name]

    def _find_helper_result(self, call: Node) -> tuple[_ScriptReader, Node] | None:
        own = self._returned_object(call)
        if own is not None:
            return self, own
        callee = call.child_by_field_name("function")
        imported = self.imports().get(st.text(callee)) if callee is not None and callee.type == "identifier" else None
        if imported is None or imported[1] == "*" or self.import_depth >= MAX_IMPORT_DEPTH:
            return None
        module = self._module(imported[0])
        found = module.export_of(imported[1]) if module is not None else None
        if found is None or found[1].type not in FUNCTION_VALUES:
            return None
        module, helper = found
        returned = {r.id: r for r in (module._follow_plain(r) for r in helper_of(helper).returns()) if r is not None}
        objects = [r for r in returned.values() if r.type == "object"]
        return (module, objects[0]) if len(objects) == 1 and len(returned) == 1 else None

    def _built(self, call: Node, depth: int, setting: str) -> Any:
        """`getHandler('todo-api-index.createTodoHandler')`: the literal the helper returns, each
        parameter standing for the call's argument, located at the call; None when the helper is
        not of that form or a template it returns cannot be spelled out."""
        found = self._parameter_helper(call)
        arguments = st.arguments(call)
        if found is None or len(arguments) > len(found[1]) or any(a.type == "spread_element" for a in arguments):
            return None
        module, names, defaults, literal = found
        root = self._root()
        if (module.rel, literal.start_byte) in root.expanding:
            return None     # a helper that calls itself: read once, the inner call a notice
        frame = {name: Argument(self, arguments[index], len(self.bindings)) if index < len(arguments)
                 else Argument(module, defaults[index], len(module.bindings))
                 for index, name in enumerate(names)}
        module.bindings.append(frame)
        root.building += 1
        root.expanding.add((module.rel, literal.start_byte))
        try:
            if literal.type == "template_string":
                text = spliced_template(literal, lambda part: bound_text(module, part))
                return _located_str(text, call) if text is not None else None
            value = module.convert(literal, depth + 1, setting)
            return at_call(value, call) if root.building == 1 else value    # the outermost call relocates once
        finally:
            module.bindings.pop()
            root.building -= 1
            root.expanding.discard((module.rel, literal.start_byte))

    def _parameter_helper(self, call: Node) -> tuple[_ScriptReader, list[str], list[Node | None], Node] | None:
        """The helper a call names (of the file, or imported from a module of the repository): its
        module's reader, parameters, their defaults and the literal it returns. Found once per name."""
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "identifier":
            return None
        name = st.text(callee)
        if name not in self._parameter_helpers:
            self._parameter_helpers[name] = self._find_parameter_helper(name)
        return self._parameter_helpers[name]

    def _find_parameter_helper(self, name: str) -> tuple[_ScriptReader, list[str], list[Node | None], Node] | None:
        module: _ScriptReader | None = self
        function = self._follow_plain(self.declared.value(name)) or function_declared(self.root, name)
        imported = self.imports().get(name)
        if function is None and imported is not None and imported[1] != "*" and self.import_depth < MAX_IMPORT_DEPTH:
            module = self._module(imported[0])
            found = module.export_of(imported[1]) if module is not None else None
            module, function = found if found is not None else (None, None)
        if module is None or function is None or function.type not in FUNCTION_VALUES:
            return None
        declared, literal = parameters(function), returned_literal(function)
        if declared is None or literal is None:
            return None
        return module, [p.name for p in declared], [p.default for p in declared], literal

    def _left_out(self, node: Node) -> bool:
        argument = bound(self.bindings, st.unwrap(node) or node)
        return argument is not None and argument.node is None

    def _follow_plain(self, node: Node | None) -> Node | None:
        for _ in range(10):
            node = st.unwrap(node)
            if node is None or node.type not in IDENTIFIER_TYPES:
                return node
            value = self.declared.value(st.text(node))
            if value is None:
                return node
            node = value
        return node

    # -- conversion ------------------------------------------------------------------------------

    def convert(self, node: Node | None, depth: int, setting: str = "") -> Any:
        """The value of `node` as YAML would give it; `setting` is its key path (`functions.hello`)."""
        node = st.unwrap(node)
        self.budget -= 1
        if self.budget == -1 and node is not None:    # said once; what is left unread may be its functions
            self._root().unread_functions = True
            self._notice(node, f"more than {MAX_NODES:,} values, beyond what the review reads of one file")
        if node is None or depth > MAX_DEPTH or self.budget < 0:
            return None
        kind = node.type
        if kind == "object":
            return self._object(node, depth, setting)
        if kind == "array":
            return self._array(node, depth, setting)
        text = st.string_value(node)
        if text is None and kind == "template_string":
            text = handler_path_template(node, self._root().rel, self.rel)
        if text is None and kind == "call_expression":
            text = swarmion_handler_path(node, self.imports(), self._root().rel, self.rel)
        if text is None and kind == "template_string" and self.bindings:
            text = spliced_template(node, lambda part: bound_text(self, part))
        if text is not None:
            return _located_str(text, node)
        if kind == "number":
            raw = st.text(node).replace("_", "")
            try:
                return int(raw, 0) if raw.isdigit() or raw.lower().startswith(("0x", "0o", "0b")) else float(raw)
            except ValueError:
                return self._computed(node, setting=setting)
        if kind == "call_expression" and st.call_name(node) == "Object.assign":
            merged = self._assigned(node, depth, setting)
            if merged is not None:
                return merged
        if kind == "call_expression" and not st.arguments(node):
            returned = self._helper_result(node)
            if returned is not None and (returned[0].rel, returned[1].start_byte) not in self._root().expanding:
                module, literal = returned
                module.bindings.append({})     # the caller's parameters mean nothing in the helper
                self._root().expanding.add((module.rel, literal.start_byte))
                try:
                    value = module.convert(literal, depth + 1, setting)
                finally:
                    module.bindings.pop()
                    self._root().expanding.discard((module.rel, literal.start_byte))
                if module is not self:
                    mark_source(value, module.rel)
                return value
        if kind == "call_expression":
            built = self._built(node, depth, setting)
            if built is not None:
                return built
        if kind in ("true", "false"):
            return kind == "true"
        if kind in ("null", "undefined"):
            return None
        argument = bound(self.bindings, node)
        if argument is not None:
            return argument_value(argument, depth, setting)
        if kind in IDENTIFIER_TYPES:
            value = self.declared.value(st.text(node))
            if value is not None and not _within(node, value):
                return self.convert(value, depth + 1, setting)
            imported = self.imports().get(st.text(node))
            if imported is not None:
                followed = self._imported(*imported, setting=setting)
                if followed is not None:
                    return followed
                return self._computed(node, f"imported from `{imported[0][:80]}`, which the review does not follow",
                                      setting)
        if kind in MEMBER_TYPES:
            member = self._member(node, 0)
            if member is not None:
                module, found = member
                value = module.convert(found, depth + 1, setting)
                if module is not self and isinstance(value, (LocatedMap, LocatedList, LocatedStr)):
                    mark_source(value, module.rel)
                return value
        return self._computed(node, setting=setting)

    def _member(self, node: Node, hops: int) -> tuple[_ScriptReader, Node] | None:
        """`custom.queueName`: the value an object literal of this file, or of a module it imports,
        gives the key, with the reader of the file it is written in; None when the object or the
        key is not written as a literal (`config.A` of a module exporting `readEnvironment()`)."""
        key = member_key(node)
        holder = self._object_of(node.child_by_field_name("object"), hops + 1) if key is not None else None
        if holder is None or key is None:
            return None
        module, literal = holder
        found = literal_entry(literal, key)
        return (module, found) if found is not None else None

    def _object_of(self, node: Node | None, hops: int) -> tuple[_ScriptReader, Node] | None:
        """The object literal `node` names (a `const` of the file, an import, a member of either)."""
        node = st.unwrap(node)
        if node is None or hops > MAX_MEMBER_HOPS:
            return None
        if node.type == "object":
            return self, node
        if node.type in MEMBER_TYPES:
            member = self._member(node, hops)
            return member[0]._object_of(member[1], hops + 1) if member is not None else None
        if node.type not in IDENTIFIER_TYPES:
            return None
        name = st.text(node)
        value = self.declared.value(name)
        if value is not None:
            return None if _within(node, value) else self._object_of(value, hops + 1)
        imported = self.imports().get(name)
        module = self._module(imported[0]) if imported is not None and self.import_depth < MAX_IMPORT_DEPTH else None
        exported = module.export_of(imported[1]) if module is not None and imported is not None else None
        return exported[0]._object_of(exported[1], hops + 1) if exported is not None else None

    def _object(self, node: Node, depth: int, setting: str) -> LocatedMap:
        mapping = LocatedMap()
        mapping.line, mapping.key_lines = st.line(node), {}
        for child in node.named_children:
            if child.type == "pair":
                key_node, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                key = key_name(key_node) if key_node is not None else None
                if key is None and key_node is not None and key_node.type == "number":
                    key = st.text(key_node)
                if key is None or key_node is None:
                    self._notice(child, "a computed key", setting)
                    continue
                mapping[key] = self.convert(value, depth + 1, _joined(setting, key))
                mapping.key_lines[key] = st.line(key_node)
            elif child.type == "shorthand_property_identifier":
                key = st.text(child)
                mapping[key] = self.convert(child, depth + 1, _joined(setting, key))
                mapping.key_lines[key] = st.line(child)
            elif child.type == "spread_element" and child.named_children:
                spread = self.convert(child.named_children[0], depth + 1, setting)
                if spread is None and self._left_out(child.named_children[0]):
                    continue     # `...authorizer`, a parameter the call leaves out: adds nothing
                if not isinstance(spread, LocatedMap):
                    mapping.unread_spread = True    # type: ignore[attr-defined]   # its keys are not known
                if isinstance(spread, LocatedMap):
                    spread_from = getattr(spread, "source_path", None)
                    for key, value in spread.items():
                        mapping[key] = value
                        mapping.key_lines[key] = spread.line_of(key)
                        spread_sources = getattr(spread, "key_sources", {})
                        if spread_from is not None or key in spread_sources or key in getattr(mapping, "key_sources", {}):
                            key_sources(mapping)[key] = spread_sources.get(key) or spread_from or self.rel
            elif child.type == "method_definition":
                self._notice(child, "a method, whose result is known only when the file runs", setting)
        return mapping

    def _assigned(self, call: Node, depth: int, setting: str) -> LocatedMap | None:
        """`Object.assign({}, defaults, {...})` over mappings the file writes: their keys merged, the
        later winning, as the call does; None when an argument is not such a mapping."""
        arguments = st.arguments(call)
        followed = [self._follow_plain(argument) for argument in arguments]
        if not arguments or any(node is None or node.type != "object" for node in followed):
            return None
        merged = LocatedMap()
        merged.line, merged.key_lines = st.line(call), {}
        for argument in arguments:
            part = self.convert(argument, depth + 1, setting)
            if not isinstance(part, LocatedMap):
                return None
            for key, value in part.items():
                merged[key] = value
                merged.key_lines[key] = part.line_of(key)
        return merged

    def _array(self, node: Node, depth: int, setting: str) -> LocatedList:
        items = LocatedList()
        items.line, items.item_lines = st.line(node), []
        for child in node.named_children:
            if child.type == "comment":
                continue
            if child.type == "spread_element" and child.named_children:
                spread = self.convert(child.named_children[0], depth + 1, setting)
                if isinstance(spread, LocatedList):
                    items.extend(spread)
                    items.item_lines.extend(spread.item_lines)
                continue
            items.append(self.convert(child, depth + 1, f"{setting}[{len(items)}]" if setting else ""))
            items.item_lines.append(st.line(child))
        return items

    def _computed(self, node: Node, why: str = "a value computed when the file runs", setting: str = "") -> LocatedStr:
        """A value known only when the file runs: a notice, and a marker the resolver leaves unresolved."""
        shown = " ".join(st.text(node).split())[:80]
        quoted = shown.replace("`", "")   # a template literal's own backticks would close the notice's quote
        self._notice(node, f"`{quoted}`, {why}" if quoted.strip() else why, setting,
                     origin_of(node, self.imports(), self.declared.variables))
        return _located_str("${computed:" + shown.replace("${", "$(").replace("}", ")") + "}", node)

    def _notice(self, node: Node, form: str, setting: str = "", origin: str | None = None) -> None:
        """Record an unread value; `script_notices` says them once per function, block or file."""
        if setting == "functions" or setting.startswith("functions.") or setting.startswith("functions["):
            self._root().unread_functions = True
        self._root().unread.append(
            UnreadValue(self.rel, st.line(node), form, setting, origin, _about_functions(setting)))

    def _root(self) -> _ScriptReader:
        return self.parent._root() if self.parent is not None else self

    # -- imports -------------------------------------------------------------------------------

    def _imported(self, specifier: str, name: str, setting: str) -> Any:
        """The value `name` exported by the repository file `specifier` names, read with its own lines."""
        if self.import_depth >= MAX_IMPORT_DEPTH:
            return None
        module = self._module(specifier)
        if name == "*":
            return module.namespace(setting) if module is not None else None
        found = module.export_of(name) if module is not None else None
        if found is None:
            return None
        module, node = found
        value = module.convert(node, 0, setting)
        if isinstance(value, (LocatedMap, LocatedList, LocatedStr)):
            mark_source(value, module.rel)
        return value

    def _module(self, specifier: str) -> _ScriptReader | None:
        target = module_file(self.workspace, self.rel, specifier)
        if target is None or target == self.rel:
            return None
        if target not in self.modules:
            if len(self.modules) >= MAX_MODULES:
                return None
            try:
                text = self.workspace.read_text(target)
            except UnreadableFile:
                self.modules[target] = None
                return None
            # notices about the imported file's own values name that file
            self.modules[target] = _ScriptReader(self.workspace, target, text, self.notices, self)
        return self.modules[target]

    def export_of(self, name: str) -> tuple[_ScriptReader, Node] | None:
        """The module and the value of its export `name` (`default` too), through re-exports:
        `export { default as login } from "./login"` in an index file is the default export of
        `./login`, read by that module's reader (a few modules deep, as imports are)."""
        node = self.exported() if name == "default" else self.exported_name(name)
        if node is not None:
            return self, node
        if self.import_depth >= MAX_IMPORT_DEPTH:
            return None
        for source, inner in re_exports(self.root, name):
            module = self._module(source)
            found = module.export_of(inner) if module is not None else None
            if found is not None:
                return found
        return None

    def namespace(self, setting: str) -> LocatedMap | None:
        """The module's namespace object (`import * as functions from './functions'`), read once per setting."""
        if setting not in self._namespaces:
            self._namespaces[setting] = None     # while in progress: a module re-exporting itself adds nothing
            self._namespaces[setting] = namespace_object(self, setting, self.import_depth < MAX_IMPORT_DEPTH)
        return self._namespaces[setting]

    def exported_name(self, name: str) -> Node | None:
        """`export const name = ...` (or `export { local as name }`) of this module, followed to its value."""
        for node in self.root.named_children:
            if node.type != "export_statement":
                continue
            declaration = node.child_by_field_name("declaration")
            if declaration is not None and declaration.type == "function_declaration" and \
                    st.text(declaration.child_by_field_name("name")) == name:
                return declaration      # `export function getProvider() {...}`: a helper, for its callers
            if declaration is not None:
                for declarator in declaration.named_children:
                    declared = declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator" and st.text(declared) == name:
                        return self._follow(declarator.child_by_field_name("value"))
            clause = next((c for c in node.named_children if c.type == "export_clause"), None)
            for specifier in clause.named_children if clause is not None else []:
                local, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
                if st.text(alias or local) == name and node.child_by_field_name("source") is None:
                    return self._follow(local)
        return None

    def imports(self) -> dict[str, tuple[str, str]]:
        """Each imported local name → (module specifier, exported name; `default` for a default import)."""
        if self._imports is None:
            self._imports = imported_names(self.root)
        return self._imports

def _about_functions(setting: str) -> bool:
    """Whether an unreadable value at `setting` hides something a Lambda function's review needs."""
    if setting in ("", "provider"):
        return True
    return any(setting == prefix or setting.startswith((prefix + ".", prefix + "["))
               for prefix in FUNCTION_SETTINGS)


def _joined(setting: str, key: str) -> str:
    return f"{setting}.{key}" if setting else key


def _located_str(text: str, node: Node) -> LocatedStr:
    located = LocatedStr(text)
    located.line, located.end_line = st.line(node), st.end_line(node)
    return located


def _within(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte
