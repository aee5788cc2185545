"""What an expression of a CDK source file holds, followed through the file's names and helpers,
and (TypeScript, JavaScript) the constants it imports from other modules of the repository.

Construct properties (an object literal, a builder chain, an object initializer, a struct literal,
or a variable or helper that returns one), strings (literals, `jsii.String("x")`, interpolations),
runtimes (`Runtime.NODEJS_20_X`, `new Runtime('nodejs22.x')`, `props.runtime ?? Runtime.X`) and
asset paths, in TypeScript, JavaScript, Java, Kotlin, C# and Go. Kept apart from the construct
reader (`cdk/source.py`), which decides which calls create Lambda functions, so other readers of
the same files (`cdk/proxy_routes.py`) read properties the same way through `ValueReader`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.constructs import RuntimeValue, identifier_for_constant
from reviewer.inventory.cdk.go_packages import GoPackages, go_imports
from reviewer.inventory.cdk.file_paths import FILE_DIRECTORY, beside_file, is_working_directory
from reviewer.inventory.cdk.environment_maps import enum_constant_name, enum_constants, filled_entries, made_map
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, FUNCTION_VALUES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, Declarations, Helper, as_call, declarations,
    fallback, helper_of, literal_entries, parts_of,
)
from reviewer.inventory.cdk.script_modules import NAMESPACE, Imported, ScriptModule, ScriptModules, relative_imports
from reviewer.inventory.cdk.spread_values import absent_member, spread_reason
from reviewer.inventory.cdk.typed_members import Member, TypedMembers

Node = tree_sitter.Node
MAX_FOLLOW_DEPTH = 8
MAX_CHAIN = 200
# `settings.lambda.nodejs.runtime`: longer chains of properties are not followed.
MAX_MEMBER_PARTS = 5
_BUILDER_STEPS = frozenset({"create", "builder", "build", "Builder"})
_PATH_JOINS = frozenset({"join", "resolve", "Join", "Combine", "get", "of"})
_INTERPOLATED_STRINGS = frozenset({"interpolated_string_expression", "template_string"})
_STRING_WRAPPERS = frozenset({"String", "toString", "string"})
_LATEST_NOTES = {
    "determinelatestnoderuntime": "the newest Node.js runtime of the stack's region, as the installed "
                                  "aws-cdk-lib version knows it",
    "determinelatestpythonruntime": "the Python runtime the installed aws-cdk-lib version names",
}


@dataclass
class Entry:
    """One property as written: the line of its key, its value, and the bindings the value is read in."""

    line: int
    value: Node
    env: "Env"


@dataclass(frozen=True)
class Origin:
    """Another module of the repository an expression was followed into (`cdk/script_modules.py`),
    and the line of the file being read where it came in (the spread, the imported name): what a
    line of this file's construct reports, since the other file's lines are not this file's."""

    module: ScriptModule
    line: int


@dataclass
class Env:
    """Parameter bindings of the helper being read (name → argument and the bindings it is read in),
    and the module the expression is written in when it is not the file being read."""

    bindings: dict[str, tuple[Node, "Env"]] = field(default_factory=dict)
    depth: int = 0
    origin: Origin | None = None


@dataclass
class Props:
    """The properties an expression builds, and where and why the rest could not be read."""

    entries: dict[str, Entry] = field(default_factory=dict)
    unread: tuple[int, str] | None = None


class ValueReader:
    """Reads expressions of one file; `open_params` are the parameters of the helper being read, and
    `param_hit` says whether a value depended on one (the construct reader then reads once per call)."""

    def __init__(self, language: str, root: Node, symbols: dict[str, str],
                 modules: ScriptModules | None = None, rel: str | None = None,
                 go_packages: GoPackages | None = None) -> None:
        self.language = language
        self.root = root
        self.symbols = symbols
        self._declarations: Declarations | None = None
        self.open_params: set[str] = set()
        self.param_hit = False
        # The repository's modules, to follow a name this file imports from one (TS/JS only).
        self.modules = modules if language in ("typescript", "tsx", "javascript") and rel else None
        # The Go packages of the repository, for a name of its own package or one it imports (Go only).
        self.go_packages = go_packages if language == "go" and rel else None
        self.rel = rel or ""
        self._imports: dict[str, Imported] | None = None
        self._typed: TypedMembers | None = None
        self._enums: dict[str, frozenset[str]] | None = None
        # The other modules a value was read from since the construct reader last emptied it:
        # a change to one brings the construct's function into a review (`ConstructCall.inputs`).
        self.read_from: set[str] = set()

    @property
    def declared(self) -> Declarations:
        if self._declarations is None:
            self._declarations = declarations(self.root)
        return self._declarations

    def declared_in(self, env: Env) -> Declarations:
        """The declarations of the module `env` reads in: another module's, or this file's."""
        return env.origin.module.declared if env.origin is not None else self.declared

    def line_of(self, node: Node, env: Env) -> int:
        """The line of this file that stands for `node`: its own, or where its module's value came in."""
        return env.origin.line if env.origin is not None else st.line(node)

    # -- properties ------------------------------------------------------------------------------

    def props(self, node: Node | None, env: Env) -> Props:
        """The properties an expression builds: literal, builder chain, variable or helper result."""
        node = st.unwrap(node)
        if node is None:
            return Props()
        if env.depth > MAX_FOLLOW_DEPTH:
            return Props(unread=(self.line_of(node, env), "nested too deeply to follow"))
        entries = literal_entries(node, self.map_key)
        if entries is not None:
            return self._literal(entries, env)
        if node.type == "unary_expression" and st.text(node).startswith("&") and node.named_children:
            return self.props(node.named_children[-1], env)    # Go `&props`: the struct `props` holds
        if node.type in IDENTIFIER_TYPES:
            bound = self.follow_name(st.text(node), env, near=node)
            if bound is None:
                return Props(unread=(self.line_of(node, env), f"passed as `{st.text(node)[:60]}`, which is set outside "
                                                    "this file or more than once"))
            made = made_map(bound[0]) if env.origin is None and st.text(node) not in env.bindings else None
            if made is not None:   # `new HashMap<>()`, then `environment.put("K", v)`
                return self._filled(st.text(node), bound[0], made[1], bound[1])
            return self.props(bound[0], bound[1])
        defaulted = fallback(node)
        if defaulted is not None:   # `environment ?: emptyMap()`: what the caller passes, when it does
            given = self.props(defaulted[0], env)
            return given if given.entries or given.unread is not None else self.props(defaulted[1], env)
        if node.type in MEMBER_TYPES:
            parts = parts_of(node)
            if len(parts) == 2 and parts[0] in ("this", "self") and env.origin is None \
                    and (value := self.declared.value(parts[1])):
                return self.props(value, _deeper(env))
            if (member := self.member_value(node, env)) is not None:   # `config.lambdaProps`
                return self.props(member[0], _deeper(member[1]))
        call = as_call(node)
        if call is not None:
            receiver = st.unwrap(call.receiver) if call.receiver is not None else None
            if call.method == "build" or (receiver is not None and receiver.type in CALL_TYPES):
                return self._chain(call, env)
            returned = self.helper_result(call, env)
            if returned is not None:
                return self.props(returned[0], returned[1])
        return Props(unread=(self.line_of(node, env), f"built by `{st.excerpt(st.text(node), 60)}`"))

    def map_key(self, node: Node) -> str | None:
        """A map key that is no string literal: an enum constant's name (`ENV.source_bucket.name`)."""
        if self._enums is None:
            self._enums = enum_constants(self.root)
        return enum_constant_name(node, self._enums)

    def _filled(self, name: str, made: Node, copied: Node | None, env: Env) -> Props:
        """A map made in a variable and filled by the statements after it (`cdk/environment_maps.py`)."""
        props = self.props(copied, _deeper(env)) if copied is not None else Props()
        filled = filled_entries(name, made, lambda key: st.string_value(key) or self.map_key(key))
        for key, key_node, value in filled.entries:
            props.entries[key] = Entry(st.line(key_node), value, env)
        if filled.unread is not None and props.unread is None:
            props.unread = filled.unread
        return props

    def _literal(self, entries: list[tuple[str, Node, Node]], env: Env) -> Props:
        props = Props()
        for key, key_node, value in entries:
            if key == "...":
                spread = self.props(value, _deeper(env))
                props.entries.update(spread.entries)
                if spread.unread is not None and props.unread is None and not absent_member(self, value, env):
                    props.unread = (self.line_of(key_node, env), spread_reason(self, value, spread.unread[1]))
                continue
            props.entries[key] = Entry(self.line_of(key_node, env), value, env)
        return props

    def _chain(self, call: Call, env: Env) -> Props:
        """`X.builder().runtime(a).handler(b).build()`: inner steps first, outer steps win."""
        steps: list[Call] = []
        current: Call | None = call
        base = Props()
        for _ in range(MAX_CHAIN):
            if current is None:
                break
            steps.append(current)
            receiver = st.unwrap(current.receiver) if current.receiver is not None else None
            if receiver is None:
                break
            inner = as_call(receiver)
            if inner is None:
                if receiver.type in IDENTIFIER_TYPES and (bound := self.follow_name(st.text(receiver), env,
                                                                                    near=receiver)):
                    base = self.props(bound[0], bound[1])   # a builder kept in a variable
                break
            current = inner
        if steps and steps[-1].receiver is None and steps[-1].method not in _BUILDER_STEPS:
            returned = self.helper_result(steps[-1], env)   # `props().handler(...)`: a helper's builder
            if returned is not None:
                base = self.props(returned[0], returned[1])
            steps = steps[:-1]
        props = Props(dict(base.entries), base.unread)
        for step in reversed(steps):
            if step.method is None or step.method in _BUILDER_STEPS or len(step.args) != 1:
                continue
            line = env.origin.line if env.origin is not None else _method_line(step)
            props.entries[step.method] = Entry(line, step.args[0], env)
        return props

    def helper_result(self, call: Call, env: Env) -> tuple[Node, Env] | None:
        """What a helper of this file returns for this call (its parameters bound to the arguments),
        or one the file imports from a module of the repository (`...lambdaProps(stack, 'Orders',
        'src/orders.ts')`, `import { lambdaProps } from './utils'`), read in that module."""
        if call.is_new or call.method is None:
            return None
        if call.receiver is not None and st.text(call.receiver) not in ("this", "self"):
            return self._imported_helper_result(call, env) or self._typed_method_result(call, env)
        helper = self.declared_in(env).helper(call.method)
        if helper is None:
            return self._imported_helper_result(call, env) if call.receiver is None else None
        returns = helper.returns()
        if not returns:
            return None
        return returns[0], bind_parameters(helper, call.args, env)

    def _imported_helper_result(self, call: Call, env: Env) -> tuple[Node, Env] | None:
        """`helper(...)` imported by name, or `utils.helper(...)` through a module imported whole:
        what it returns, its parameters bound to this call's arguments (read where the call is),
        its body read in its own module (whose lines stand for the call's line here)."""
        receiver = st.unwrap(call.receiver) if call.receiver is not None else None
        if receiver is not None and receiver.type not in IDENTIFIER_TYPES:
            return None
        found = self.imported(st.text(receiver), call.method, env, call.node) if receiver is not None else \
            self.imported(call.method or "", None, env, call.node)
        function = st.unwrap(found[0]) if found is not None else None
        if found is None or function is None or function.type not in FUNCTION_VALUES:
            return None
        helper = helper_of(function)
        returns = helper.returns()
        if not returns:
            return None
        bound = bind_parameters(helper, call.args, env)
        return returns[0], Env(bound.bindings, bound.depth, found[1].origin)

    def _typed_method_result(self, call: Call, env: Env) -> tuple[Node, Env] | None:
        """`props.shared.code.bundle(dir)`: what a method of a class of the repository, which the
        receiver's declared types lead to (`cdk/typed_members.py`), returns for this call."""
        typed = self._typed_members()
        receiver = st.unwrap(call.receiver) if call.receiver is not None else None
        if typed is None or receiver is None or call.method is None:
            return None
        found = typed.method(receiver, call.method, env.origin.module if env.origin is not None else None)
        helper = helper_of(found.node) if found is not None else None
        returns = helper.returns() if helper is not None else []
        if found is None or helper is None or len(returns) != 1:
            return None
        bound = bind_parameters(helper, call.args, env)
        return returns[0], self._in_module(found, Env(bound.bindings, bound.depth, env.origin), call.node)

    def typed_member(self, node: Node, env: Env) -> tuple[Node, Env] | None:
        """`props.shared.pythonRuntime`: the value of a field of a class of the repository, which
        the chain's declared types lead to (`cdk/typed_members.py`), read in its module."""
        typed = self._typed_members()
        found = typed.value(node, env.origin.module if env.origin is not None else None) if typed else None
        return (found.node, self._in_module(found, _deeper(env), node)) if found is not None else None

    def _typed_members(self) -> TypedMembers | None:
        if self._typed is None and self.modules is not None:
            self._typed = TypedMembers(self.modules, self.rel, self.root)
        return self._typed

    def _in_module(self, found: Member, env: Env, use: Node) -> Env:
        """`env` moved to the module `found` is written in (whose lines stand for `use`'s line here)."""
        if found.module is None or (env.origin is not None and env.origin.module is found.module):
            return env
        self.read_from.add(found.module.rel)
        return Env(env.bindings, env.depth, Origin(found.module, self.line_of(use, env)))

    def follow_name(self, name: str, env: Env, near: Node | None = None) -> tuple[Node, Env] | None:
        """The value a name holds: a bound parameter, else its one declaration in the file (or in
        the function around `near`, where the name is used, when the file declares it several times)."""
        if name in env.bindings:
            return env.bindings[name]
        if name in self.open_params and env.origin is None:
            self.param_hit = True
            return None
        if env.depth > MAX_FOLLOW_DEPTH:
            return None
        value = self.declared_in(env).value(name, near)
        if value is None:
            return self.imported(name, None, env, near)
        return value, _deeper(env)

    def imported(self, name: str, member: str | None, env: Env, near: Node | None) -> tuple[Node, Env] | None:
        """What `name` (or `name.member`, for a whole module imported as `name`) holds when the
        module being read imports it from another module of the repository (`cdk/script_modules.py`);
        in Go, a package of its module or another file of its package (`cdk/go_packages.py`)."""
        if self.modules is None and self.go_packages is None or env.depth > MAX_FOLLOW_DEPTH:
            return None
        if env.origin is not None:
            importer, imports, line = env.origin.module.rel, env.origin.module.imports, env.origin.line
        elif near is not None:
            importer, imports, line = self.rel, self._own_imports(), st.line(near)
        else:
            return None
        wanted = imports.get(name)
        if self.go_packages is not None:
            found = self.go_packages.value_of(importer, imports, name, member)
        elif self.modules is None or wanted is None or (wanted.name == NAMESPACE) != (member is not None):
            return None
        else:
            module = self.modules.module(importer, wanted.specifier)
            found = self.modules.export(module, member or wanted.name) if module is not None else None
        if found is None:
            return None
        self.read_from.add(found[0].rel)
        return found[1], Env(depth=env.depth + 1, origin=Origin(found[0], line))

    def _own_imports(self) -> dict[str, Imported]:
        if self._imports is None:
            self._imports = go_imports(self.root) if self.language == "go" else relative_imports(self.root)
        return self._imports

    def member_value(self, node: Node, env: Env) -> tuple[Node, Env] | None:
        """`f.runtime` when `f` holds an object literal (or a loop element, an imported module, or
        what a helper returns): that property; `config.lambda.runtime` one property at a time."""
        parts = parts_of(node)
        if not 2 <= len(parts) <= MAX_MEMBER_PARTS or parts[0] in ("this", "self"):
            return None
        rest = parts[1:]
        bound = self.follow_name(parts[0], env, near=node)
        if bound is None and parts[0] not in env.bindings and (env.origin is not None or parts[0] not in
                                                               self.open_params):   # `config.runtime`
            bound, rest = self.imported(parts[0], parts[1], env, node), parts[2:]
        for part in rest:
            if bound is None:
                return None
            value = st.unwrap(bound[0]) or bound[0]
            entries = literal_entries(value)
            if entries is None and value.type in IDENTIFIER_TYPES | MEMBER_TYPES | CALL_TYPES:
                held = self.props(value, bound[1])   # a name holding the object, or a helper returning it
                entry = held.entries.get(part)
                bound = (entry.value, entry.env) if entry is not None else None
                continue
            found = next((v for key, _, v in entries or [] if key == part), None)
            bound = (found, bound[1]) if found is not None else None
        return bound

    # -- values ----------------------------------------------------------------------------------

    def string(self, node: Node | None, env: Env) -> str | None:
        node = st.unwrap(node)
        for _ in range(MAX_FOLLOW_DEPTH):
            if node is None:
                return None
            value = st.string_value(node)
            if value is not None:
                return value
            if node.type in _INTERPOLATED_STRINGS or node.type == "string_literal":
                return self._interpolated(node, env)
            call = as_call(node) if node.type in CALL_TYPES else None
            if call is not None and call.method in _STRING_WRAPPERS and len(call.args) <= 1:
                node = st.unwrap(call.args[0] if call.args else call.receiver)   # jsii.String("x")
                continue
            bound = self.follow_name(st.text(node), env, near=node) if node.type in IDENTIFIER_TYPES else \
                self.member_value(node, env) if node.type in MEMBER_TYPES else \
                self.helper_result(call, env) if call is not None and call.receiver is not None \
                and self.go_packages is not None else None   # Go's `settings.Handler()`, which only returns
            if bound is None:
                return None
            node, env = st.unwrap(bound[0]), bound[1]
        return None

    def _interpolated(self, node: Node, env: Env) -> str | None:
        """`$"{name}/Dockerfile"` (C#), `` `${name}/Dockerfile` ``, Kotlin `"${name}/x"` and
        `"$name/x"`: each piece a string the file gives."""
        pieces: list[str] = []
        named = node.named_children
        skip = 0   # the characters of a Kotlin `$name` template's name at the start of the next piece
        for index, child in enumerate(named):
            name = st.kotlin_template_name(named, index)
            if name is not None:
                bound = self.follow_name(name, env, near=child)
                piece = self.string(bound[0], bound[1]) if bound is not None else None
                if piece is None:
                    return None
                pieces.append(piece)
                skip = len(name)
            elif child.type in ("interpolation", "template_substitution"):
                inner = [c for c in child.named_children if c.type not in ("interpolation_brace",)]
                piece = self.string(inner[0], env) if len(inner) == 1 else None
                if piece is None:
                    return None
                pieces.append(piece)
            elif child.type in ("string_content", "string_fragment"):
                pieces.append(st.text(child)[skip:])
                skip = 0
            elif child.type not in ("interpolation_start", "interpolation_quote"):
                return None   # an escape, a format specifier: not worth guessing
        return "".join(pieces)

    def runtime(self, node: Node | None, env: Env) -> tuple[RuntimeValue, int | None]:
        """A runtime expression → its identifier (or why not) and the line of this file that names
        it; when another module names it, the line where its value came in, and the value says
        where that module writes it (`RuntimeValue.written_in`)."""
        value, line, where = self._runtime(node, env)
        if where.origin is None or line is None:
            return value, line
        written = (where.origin.module.rel, line) if value.identifier is not None else None
        return replace(value, written_in=written), where.origin.line

    def _runtime(self, node: Node | None, env: Env) -> tuple[RuntimeValue, int | None, Env]:
        """The runtime, the line that names it and the bindings (so the module) that line is in."""
        for _ in range(MAX_FOLLOW_DEPTH):
            node = st.unwrap(node)
            if node is None:
                return RuntimeValue(note="not given"), None, env
            defaulted = fallback(node)
            if defaulted is not None:   # `props.runtime ?? Runtime.NODEJS_18_X`: the default is what deploys
                first = self._runtime(defaulted[0], env)
                if first[0].identifier is not None or first[0].image:
                    return first
                node = defaulted[1]
                continue
            literal = st.string_value(node)
            if literal is not None:   # CfnFunction, or a runtime identifier kept in a string constant
                return self._runtime_string(literal), st.line(node), env
            if node.type in IDENTIFIER_TYPES:
                imported = self.symbols.get(st.text(node), "") if env.origin is None else ""
                if imported.startswith(cdk_modules.RUNTIME_CONSTANT):
                    constant = imported[len(cdk_modules.RUNTIME_CONSTANT):]
                    return identifier_for_constant(constant), st.line(node), env
                bound = self.follow_name(st.text(node), env, near=node)
                if bound is None:
                    return RuntimeValue(note=f"given by the variable `{st.text(node)[:60]}`"), st.line(node), env
                node, env = bound
                continue
            parts = parts_of(node) if node.type in MEMBER_TYPES else []
            if node.type in MEMBER_TYPES and (member := self.member_value(node, env)) is not None:
                node, env = member
                continue
            if len(parts) >= 2 and parts[-2] == "Runtime":
                return identifier_for_constant(parts[-1]), st.line(node), env
            if len(parts) == 2 and parts[0] in ("this", "self") and env.origin is None \
                    and (value := self.declared.value(parts[1])):
                node, env = value, _deeper(env)
                continue
            if node.type in MEMBER_TYPES and (typed := self.typed_member(node, env)) is not None:
                found = self._runtime(typed[0], typed[1])   # `props.shared.pythonRuntime`: known, or as today
                if found[0].identifier is not None or found[0].image:
                    return found
            call = as_call(node) if node.type in CALL_TYPES else None
            if call is not None:
                resolved = self._runtime_call(call, env)
                if isinstance(resolved, tuple) and isinstance(resolved[0], RuntimeValue):
                    return resolved[0], resolved[1], env
                if resolved is not None:
                    node, env = resolved  # type: ignore[misc]
                    continue
            shown = st.excerpt(st.text(node))
            return RuntimeValue(note=f"computed by `{shown}`"), st.line(node), env
        return RuntimeValue(note="followed through too many names"), None, env

    def _runtime_call(self, call: Call, env: Env) -> object:
        last = call.callee[-1] if call.callee else (call.method or "")
        if last.startswith("Runtime_"):   # Go: awslambda.Runtime_PYTHON_3_9()
            return identifier_for_constant(last[len("Runtime_"):]), st.line(call.node)
        if last in ("Runtime", "NewRuntime") and call.args:   # new Runtime('nodejs22.x'), Runtime("java8")
            identifier = self.string(call.args[0], env)
            if identifier is None:
                return RuntimeValue(note=f"named by `{st.text(call.args[0])[:60]}`"), st.line(call.node)
            return self._runtime_string(identifier), st.line(call.args[0])
        spelled = last.replace("_", "").lower()
        note = _LATEST_NOTES.get(spelled)
        if note is not None:   # the Python one is fixed per aws-cdk-lib release; the Node.js one per region
            follows = "determineLatestPythonRuntime" if spelled == "determinelatestpythonruntime" else None
            return RuntimeValue(note=note, follows=follows), st.line(call.node)
        return self.helper_result(call, env)

    @staticmethod
    def _runtime_string(identifier: str) -> RuntimeValue:
        if not identifier[:1].isalpha() or not identifier.replace(".", "").replace("-", "").isalnum():
            return RuntimeValue(note=f"`{identifier[:40]}` is not a runtime identifier")
        return RuntimeValue(identifier=identifier)

    def path(self, node: Node | None, env: Env) -> tuple[str, str] | None:
        """A literal path (relative to the app), or a join from the file's directory (relative to the
        file; to the repository, `"repo"`, when the join is written in another module, whose folder
        `__dirname` is). A name is followed to the path it holds (`Code.fromAsset(WORKER_DIR)`)."""
        found = None
        for _ in range(MAX_FOLLOW_DEPTH):
            found = self._path(node, env)
            node = st.unwrap(node)
            if found is not None or node is None or node.type not in IDENTIFIER_TYPES:
                break
            bound = self.follow_name(st.text(node), env, near=node)
            if bound is None:
                break
            node, env = bound
        if found is None or found[1] != "file" or env.origin is None:
            return found
        return str(PurePosixPath(env.origin.module.rel).parent / found[0]), "repo"

    def _path(self, node: Node | None, env: Env) -> tuple[str, str] | None:
        node = st.unwrap(node)
        for _ in range(MAX_FOLLOW_DEPTH):   # Java's `Paths.get(...).toString()`: the path it spells
            held = as_call(node) if node is not None and node.type in CALL_TYPES else None
            if held is None or held.method != "toString" or held.args or held.receiver is None:
                break
            node = st.unwrap(held.receiver)
        literal = self.string(node, env)
        if literal is not None:
            return literal, "app"
        beside = beside_file(node, lambda piece: self.string(piece, env)) if node is not None else None
        if beside is not None:
            return beside
        call = as_call(node) if node is not None and node.type in CALL_TYPES else None
        if call is not None and call.callee == ["require", "resolve"] and len(call.args) == 1:
            return self._required(call.args[0], env)
        if call is None or call.method not in _PATH_JOINS or not call.args:
            return None
        args = call.args
        base = "app"
        if st.text(args[0]) in FILE_DIRECTORY:
            base, args = "file", args[1:]
        elif is_working_directory(args[0]):   # `Paths.get(System.getProperty("user.dir"), "lambda")`
            args = args[1:]
        pieces = [self.string(arg, env) for arg in args]
        if not pieces or any(piece is None for piece in pieces):
            return None
        if call.method in ("join", "Join"):
            # Node's `path.join(__dirname, "/../lambda")` and Go's `filepath.Join`: a later piece's
            # leading slash only separates (`resolve`, `Path.Combine` and `Paths.get` restart there).
            first, rest = pieces[0] or "", [piece.strip("/") for piece in pieces[1:] if piece and piece.strip("/")]
            pieces = [first.lstrip("/") if base == "file" else first, *rest]
        return "/".join(piece for piece in pieces if piece), base

    def _required(self, node: Node, env: Env) -> tuple[str, str] | None:
        """`require.resolve("../lambdas/api")`: Node resolves a relative module from the file's folder
        (the file's extension, or its `index`, is found by the construct reader); a package's module
        is nothing of the repository. A path built inside (`path.join(__dirname, ...)`) is read as such."""
        specifier = self.string(node, env)
        if specifier is None:
            return self._path(node, env)
        return (specifier, "file") if specifier.startswith(("./", "../")) else None


def bind_parameters(helper: Helper, args: list[Node], env: Env) -> Env:
    """The bindings a helper's body is read in: its parameters bound to the arguments of one call
    (the helper is the one declared in the module the call is read in)."""
    bindings: dict[str, tuple[Node, Env]] = {}
    for position, arg in enumerate(args):
        named = argument_name(arg)
        if named is not None:   # Kotlin's `environment = mapOf(...)`, C#'s `environment: ...`: by name
            if named in helper.params:
                bindings[named] = (arg, env)
        elif position < len(helper.params) and helper.params[position]:
            bindings.setdefault(helper.params[position], (arg, env))
    return Env(bindings, env.depth + 1, env.origin)


def argument_name(arg: Node) -> str | None:
    """The parameter a Kotlin (`id = "x"`) or C# (`id: "x"`) argument names, None for a positional
    one (`arg` is the argument's value, as `st.arguments` gives it, or its wrapper)."""
    wrapper = arg if arg.type in ("value_argument", "argument") else arg.parent
    if wrapper is None or wrapper.type not in ("value_argument", "argument") or len(wrapper.named_children) < 2:
        return None
    first = wrapper.named_children[0]
    following = first.next_sibling
    if first.type not in IDENTIFIER_TYPES or following is None or following.type not in ("=", ":"):
        return None
    return st.text(first)


def _deeper(env: Env) -> Env:
    return Env(env.bindings, env.depth + 1, env.origin)


def _method_line(call: Call) -> int:
    """The line of `.runtime(` in a chain: where a reviewer reads the step."""
    return st.line(call.args[0]) if call.args else st.line(call.node)
