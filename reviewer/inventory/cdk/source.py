"""Lambda constructs in TypeScript, JavaScript, Java, Kotlin, C# and Go CDK apps, read from syntax trees.

Nothing is compiled, synthesized or run: tree-sitter parses the file, the file's imports say which
local names are Lambda constructs (`cdk.modules`), and each construct call is read where it is
written:

- `new lambda.Function(this, 'Id', {...})` (TS/JS), `new Function(this, "Id", new FunctionProps {...})`
  (C#), `awslambda.NewFunction(stack, jsii.String("Id"), &awslambda.FunctionProps{...})` (Go),
  `Function.Builder.create(this, "Id").runtime(...)...build()` (Java, Kotlin), `Function(this, "Id",
  FunctionProps.builder()...build())` (Kotlin), and subclasses whose `super(...)`/`base(...)` call
  passes the properties;
- properties, builders and runtimes held in a variable, field or constant of the same file, or
  returned by a helper function or method of the same file, with its parameters bound to the
  arguments of the call;
- a construct inside a helper that takes its id or runtime as a parameter (`makeFunction('Orders',
  Runtime.NODEJS_14_X)`) is one function per call of the helper in the file, each reported where
  the call names its runtime; one made in a loop over a literal list (`for (const s of services)`,
  `services.forEach(...)`) is one function per element;
- a construct of another library or file (`new ApiFunction(this, 'Id', {runtime: lambda.Runtime.X})`)
  counts when its literal properties name a Lambda runtime, and `props.runtime ?? Runtime.X` is
  reported at the default, which is what deploys unless a caller overrides it.

What cannot be followed (properties passed in from another file, a runtime computed at run time)
is kept on the `ConstructCall` as `unread`, so the inventory can say so instead of going silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.constructs import (
    IMAGE_CONSTRUCTS, ConstructCall, RuntimeValue, identifier_for_constant,
)
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, Declarations, Helper, as_call, assigned_name, declarations,
    fallback,
    literal_entries, outer_call, parts_of, super_arguments, superclass, within,
)

Node = tree_sitter.Node
MAX_CONSTRUCTS = 500
MAX_FOLLOW_DEPTH = 8
MAX_CALL_SITES = 50
MAX_CHAIN = 200
_BUILDER_STEPS = frozenset({"create", "builder", "build", "Builder"})
_ASSET_CALLS = frozenset({"fromasset", "fromimageasset", "asset"})
_PATH_JOINS = frozenset({"join", "resolve", "Join", "Combine", "get", "of"})
_INTERPOLATED_STRINGS = frozenset({"interpolated_string_expression", "template_string"})
_FILE_DIRECTORY = frozenset({"__dirname", "import.meta.dirname"})
_STRING_WRAPPERS = frozenset({"String", "toString", "string"})
_LATEST_NOTES = {
    "determinelatestnoderuntime": "the newest Node.js runtime of the stack's region, as the installed "
                                  "aws-cdk-lib version knows it",
    "determinelatestpythonruntime": "the newest Python runtime the installed aws-cdk-lib version knows",
}


@dataclass
class Entry:
    """One property as written: the line of its key, its value, and the bindings the value is read in."""

    line: int
    value: Node
    env: "Env"


@dataclass
class Env:
    """Parameter bindings of the helper being read (name → argument and the bindings it is read in)."""

    bindings: dict[str, tuple[Node, "Env"]] = field(default_factory=dict)
    depth: int = 0


@dataclass
class Props:
    entries: dict[str, Entry] = field(default_factory=dict)
    unread: tuple[int, str] | None = None


def source_constructs(language: str, text: str) -> tuple[list[ConstructCall], int | None]:
    """Every Lambda construct of one source file, and the line of a syntax error near none (or None)."""
    tree = st.parse(language, text)
    symbols = cdk_modules.symbols_of(language, tree.root_node)
    reader = _Reader(language, tree.root_node, symbols)
    found = reader.constructs()
    error_line = None
    if not found and tree.root_node.has_error:
        error = next((n for n in st.walk(tree.root_node) if n.type == "ERROR" or n.is_missing), None)
        error_line = st.line(error) if error is not None else 1
    return found[:MAX_CONSTRUCTS], error_line


class _Reader:
    def __init__(self, language: str, root: Node, symbols: dict[str, str]) -> None:
        self.language = language
        self.root = root
        self.symbols = symbols
        self._declarations: Declarations | None = None
        self.open_params: set[str] = set()
        self.param_hit = False
        self._sites: dict[tuple[str, int, int], list[Call]] = {}

    @property
    def declared(self) -> Declarations:
        if self._declarations is None:
            self._declarations = declarations(self.root)
        return self._declarations

    # -- finding constructs ----------------------------------------------------------------------

    def constructs(self) -> list[ConstructCall]:
        found: list[ConstructCall] = []
        for node in st.walk(self.root):
            if len(found) >= MAX_CONSTRUCTS:
                break
            if node.type in CALL_TYPES:
                call = as_call(node)
                site = self._site(call) if call is not None else None
                if site is not None:
                    found.extend(self._instances(*site))
            elif node.type in ("class_declaration", "object_declaration"):
                found.extend(self._subclass(node))
        return found

    def _site(self, call: Call) -> tuple[str, Call, str] | None:
        """(construct, call, form) when `call` creates a Lambda construct."""
        callee = call.callee
        if self.language == "go":
            construct = cdk_modules.go_construct(callee, self.symbols)
            if construct is None and len(callee) == 2 and callee[1].startswith("New") and len(call.args) >= 3:
                construct = self._wrapper(callee[1][3:], call)
            return (construct, call, "props") if construct else None
        if len(callee) >= 3 and callee[-2:] == ["Builder", "create"]:
            construct = cdk_modules.resolve(callee[:-2], self.symbols)
            return (construct, call, "builder") if construct else None
        if call.is_new or (self.language == "kotlin" and call.receiver is None) or (
                self.language == "kotlin" and callee and callee[-1][:1].isupper()):
            construct = cdk_modules.resolve(callee, self.symbols)
            if construct is None and callee and len(call.args) >= 3:
                construct = self._wrapper(callee[-1], call)
            return (construct, call, "props") if construct else None
        return None

    def _wrapper(self, name: str, call: Call) -> str | None:
        """A construct of another library or file (`new ApiFunction(this, 'Id', {runtime: lambda.Runtime.X})`)
        is a Lambda function when its literal properties name a Lambda runtime."""
        entries = literal_entries(st.unwrap(call.args[2]) or call.args[2])
        runtime = next((value for key, _, value in entries or [] if key.lower() == "runtime"), None)
        return name if runtime is not None and self._names_lambda_runtime(runtime) else None

    def _names_lambda_runtime(self, node: Node) -> bool:
        node = st.unwrap(node) or node
        call = as_call(node) if node.type in CALL_TYPES else None
        parts = call.callee if call is not None else parts_of(node) if node.type in MEMBER_TYPES else []
        if self.language == "go":
            return len(parts) == 2 and parts[1].startswith("Runtime_") and \
                self.symbols.get(parts[0]) == "aws_lambda"
        if not parts:
            return False
        base = self.symbols.get(parts[0], "")
        full = [p for p in base.split(".") if p] + parts[1:]
        return len(full) >= 2 and full[0] == "aws_lambda" and full[1] == "Runtime"

    def _instances(self, construct: str, call: Call, form: str) -> list[ConstructCall]:
        """The construct read as written; once per call of its helper when it uses the helper's parameters."""
        helper_name, helper = self._enclosing_helper(call.node)
        self.open_params = {p for p in helper.params if p} if helper is not None else set()
        self.param_hit = False
        single = self._read(construct, call, form, Env())
        loop = self._enclosing_loop(call.node)
        if loop is not None:   # `for (const f of functions)`, `functions.forEach((f) => ...)`
            self.open_params = set()
            instances = [self._read(construct, call, form, env) for env in loop[:MAX_CALL_SITES]]
            return instances or [single]
        if not self.param_hit or helper_name is None:
            return [single]
        sites = self._helper_calls(helper_name, call.node)
        if not sites:
            return [single]
        instances = []
        assert helper is not None
        for site in sites:
            env = _bind(helper, site.args, Env())
            self.open_params = set()
            instance = self._read(construct, call, form, env)
            instance.line = st.line(site.node)
            instances.append(instance)
        self.open_params = set()
        return instances

    def _enclosing_loop(self, node: Node) -> list[Env] | None:
        """One binding per element when the construct is made in a loop over an array literal of the file."""
        for ancestor in st.ancestors(node):
            if ancestor.type in ("function_declaration", "method_definition", "class_body", "program"):
                return None
            pattern = items = None
            if ancestor.type == "for_in_statement" and "of" in [c.type for c in ancestor.children]:
                pattern, items = ancestor.child_by_field_name("left"), ancestor.child_by_field_name("right")
            elif ancestor.type in ("arrow_function", "function_expression") and ancestor.parent is not None \
                    and ancestor.parent.type == "arguments" and ancestor.parent.parent is not None:
                loop = as_call(ancestor.parent.parent)
                if loop is None or loop.method not in ("forEach", "map", "flatMap") or loop.receiver is None:
                    return None
                params = ancestor.child_by_field_name("parameters")
                first = params.named_children[0] if params is not None and params.named_children else \
                    ancestor.child_by_field_name("parameter")
                pattern = (first.child_by_field_name("pattern") or first) if first is not None else None
                items = loop.receiver
            else:
                continue
            array = self._array(items)
            if pattern is None or array is None:
                return None
            return [env for element in array if (env := self._bind_pattern(pattern, element)) is not None]
        return None

    def _array(self, node: Node | None) -> list[Node] | None:
        env = Env()
        for _ in range(MAX_FOLLOW_DEPTH):
            node = st.unwrap(node)
            if node is None:
                return None
            if node.type == "array":
                return [c for c in node.named_children if c.type not in ("comment", "spread_element")]
            if node.type not in IDENTIFIER_TYPES:
                return None
            bound = self.follow_name(st.text(node), env)
            if bound is None:
                return None
            node, env = bound
        return None

    def _bind_pattern(self, pattern: Node, element: Node) -> Env | None:
        """`f` → the element; `{ name, runtime }` → the element's properties of those names."""
        if pattern.type in IDENTIFIER_TYPES:
            return Env({st.text(pattern): (element, Env())}, 1)
        if pattern.type == "object_pattern":
            entries = {key: value for key, _, value in literal_entries(st.unwrap(element) or element) or []}
            names = [st.text(c) for c in pattern.named_children if c.type == "shorthand_property_identifier_pattern"]
            return Env({name: (entries[name], Env()) for name in names if name in entries}, 1)
        return None

    def member_value(self, node: Node, env: Env) -> tuple[Node, Env] | None:
        """`f.runtime` when `f` holds an object literal of the file (or a loop element): that property."""
        parts = parts_of(node)
        if len(parts) != 2 or parts[0] in ("this", "self"):
            return None
        bound = self.follow_name(parts[0], env)
        if bound is None:
            return None
        entries = literal_entries(st.unwrap(bound[0]) or bound[0])
        value = next((v for key, _, v in entries or [] if key == parts[1]), None)
        return (value, bound[1]) if value is not None else None

    def _enclosing_helper(self, node: Node) -> tuple[str | None, Helper | None]:
        for ancestor in st.ancestors(node):
            if ancestor.type in ("function_declaration", "method_definition", "method_declaration",
                                 "local_function_statement"):
                name = ancestor.child_by_field_name("name")
                helper_name = st.text(name) if name is not None else None
                if helper_name in ("constructor", "init", "__init__"):
                    return None, None
                return helper_name, (self.declared.helper(helper_name) if helper_name else None)
            if ancestor.type in ("arrow_function", "function_expression", "lambda_literal", "func_literal"):
                holder = ancestor.parent
                if holder is not None and holder.type in ("variable_declarator", "public_field_definition"):
                    name = holder.child_by_field_name("name")
                    helper_name = st.text(name) if name is not None else None
                    return helper_name, (self.declared.helper(helper_name) if helper_name else None)
                return None, None
            if ancestor.type in ("constructor_declaration", "class_body", "anonymous_initializer"):
                return None, None
        return None, None

    def _helper_calls(self, name: str, inside: Node) -> list[Call]:
        """The calls of helper `name` outside its own body (found once per helper, however many constructs)."""
        key = (name, inside.start_byte, inside.end_byte)
        if key not in self._sites:
            self._sites[key] = self._find_helper_calls(name, inside)
        return self._sites[key]

    def _find_helper_calls(self, name: str, inside: Node) -> list[Call]:
        sites: list[Call] = []
        for node in st.walk(self.root):
            if node.type not in CALL_TYPES or within(node, inside):
                continue
            call = as_call(node)
            if call is not None and call.method == name and (
                    call.receiver is None or st.text(call.receiver) in ("this", "self", "stack")) \
                    and not call.is_new:
                sites.append(call)
                if len(sites) >= MAX_CALL_SITES:
                    break
        return sites

    def _subclass(self, node: Node) -> list[ConstructCall]:
        """`class Orders extends lambda.Function` (or `: Function(...)`, `: Function`) and its super call."""
        base = superclass(node)
        construct = cdk_modules.resolve(parts_of(base), self.symbols) if base is not None else None
        if construct is None or base is None:
            return []
        name_node = node.child_by_field_name("name")
        name = st.text(name_node) if name_node is not None else "(unnamed)"
        for inner in st.walk(node):
            args = super_arguments(inner, base)
            if args is not None:
                call = Call(inner, [], args, is_new=True)
                found = self._read(construct, call, "props", Env(), name=(name, False))
                return [found]
        return [ConstructCall(construct=construct, name=name, name_is_literal=False, line=st.line(node),
                              image=construct in IMAGE_CONSTRUCTS)]

    # -- reading one construct -------------------------------------------------------------------

    def _read(self, construct: str, call: Call, form: str, env: Env,
              name: tuple[str, bool] | None = None) -> ConstructCall:
        by_id = name is None
        if name is None:
            id_node = call.args[1] if len(call.args) >= 2 else None
            literal = self.string(id_node, env) if id_node is not None else None
            name = (literal, True) if literal is not None else (
                (" ".join(st.text(id_node).split())[:80], False) if id_node is not None else ("(unnamed)", False))
        found = ConstructCall(construct=construct, name=name[0], name_is_literal=name[1], line=st.line(call.node),
                              image=construct in IMAGE_CONSTRUCTS)
        if by_id and not name[1] and len(call.args) >= 2:
            found.id_is_expression, found.variable = True, assigned_name(call.node)
        if form == "builder":
            top = call.node
            for _ in range(MAX_CHAIN):
                outer = outer_call(top)
                if outer is None:
                    break
                top = outer
            props = self.props(top, env) if top is not call.node else Props()
        elif len(call.args) >= 3:
            props = self.props(call.args[2], env)
        else:
            props = Props()
        self._apply(props, found)
        return found

    def _apply(self, props: Props, found: ConstructCall) -> None:
        entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
        if "runtime" in entries:
            entry = entries["runtime"]
            found.runtime_given, found.runtime_line = True, entry.line
            value, line = self.runtime(entry.value, entry.env)
            found.runtime, found.runtime_note = value.identifier, value.note
            found.image = found.image or value.image
            if line is not None and line != entry.line and value.identifier is not None:
                found.runtime_default_line = line
            if value.identifier is None and not value.image and value.note and not _version_note(value.note):
                found.unread = (line or entry.line, f"a runtime {value.note}")
        elif props.unread is not None:
            found.runtime_note = f"the properties are {props.unread[1]}"
            found.unread = (props.unread[0], f"properties {props.unread[1]}")
        if "handler" in entries:
            found.handler = self.string(entries["handler"].value, entries["handler"].env)
        if "index" in entries:
            found.index = self.string(entries["index"].value, entries["index"].env)
        for key in ("code", "entry"):
            if key in entries:
                self._asset(entries[key], found)

    # -- properties ------------------------------------------------------------------------------

    def props(self, node: Node | None, env: Env) -> Props:
        """The properties an expression builds: literal, builder chain, variable or helper result."""
        node = st.unwrap(node)
        if node is None:
            return Props()
        if env.depth > MAX_FOLLOW_DEPTH:
            return Props(unread=(st.line(node), "nested too deeply to follow"))
        entries = literal_entries(node)
        if entries is not None:
            return self._literal(entries, env)
        if node.type in IDENTIFIER_TYPES:
            bound = self.follow_name(st.text(node), env)
            if bound is None:
                return Props(unread=(st.line(node), f"passed as `{st.text(node)[:60]}`, which is set outside "
                                                    "this file or more than once"))
            return self.props(bound[0], bound[1])
        if node.type in MEMBER_TYPES:
            parts = parts_of(node)
            if len(parts) == 2 and parts[0] in ("this", "self") and (value := self.declared.value(parts[1])):
                return self.props(value, _deeper(env))
        call = as_call(node)
        if call is not None:
            receiver = st.unwrap(call.receiver) if call.receiver is not None else None
            if call.method == "build" or (receiver is not None and receiver.type in CALL_TYPES):
                return self._chain(call, env)
            returned = self.helper_result(call, env)
            if returned is not None:
                return self.props(returned[0], returned[1])
        return Props(unread=(st.line(node), f"built by `{' '.join(st.text(node).split())[:60]}`"))

    def _literal(self, entries: list[tuple[str, Node, Node]], env: Env) -> Props:
        props = Props()
        for key, key_node, value in entries:
            if key == "...":
                spread = self.props(value, _deeper(env))
                props.entries.update(spread.entries)
                if spread.unread is not None and props.unread is None:
                    props.unread = (st.line(key_node), f"spread from `{st.text(value)[:60]}`, which is not "
                                                       "written in this file")
                continue
            props.entries[key] = Entry(st.line(key_node), value, env)
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
                if receiver.type in IDENTIFIER_TYPES and (bound := self.follow_name(st.text(receiver), env)):
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
            props.entries[step.method] = Entry(_method_line(step), step.args[0], env)
        return props

    def helper_result(self, call: Call, env: Env) -> tuple[Node, Env] | None:
        """What a helper of this file returns for this call (its parameters bound to the arguments)."""
        if call.is_new or call.method is None:
            return None
        if call.receiver is not None and st.text(call.receiver) not in ("this", "self"):
            return None
        helper = self.declared.helper(call.method)
        if helper is None:
            return None
        returns = helper.returns()
        if not returns:
            return None
        return returns[0], _bind(helper, call.args, env)

    def follow_name(self, name: str, env: Env) -> tuple[Node, Env] | None:
        """The value a name holds: a bound parameter, else its one declaration in the file."""
        if name in env.bindings:
            return env.bindings[name]
        if name in self.open_params:
            self.param_hit = True
            return None
        value = self.declared.value(name)
        if value is None or env.depth > MAX_FOLLOW_DEPTH:
            return None
        return value, _deeper(env)

    # -- values ----------------------------------------------------------------------------------

    def string(self, node: Node | None, env: Env) -> str | None:
        node = st.unwrap(node)
        for _ in range(MAX_FOLLOW_DEPTH):
            if node is None:
                return None
            value = st.string_value(node)
            if value is not None:
                return value
            if node.type in _INTERPOLATED_STRINGS:
                return self._interpolated(node, env)
            call = as_call(node) if node.type in CALL_TYPES else None
            if call is not None and call.method in _STRING_WRAPPERS and len(call.args) <= 1:
                node = st.unwrap(call.args[0] if call.args else call.receiver)   # jsii.String("x")
                continue
            bound = self.follow_name(st.text(node), env) if node.type in IDENTIFIER_TYPES else \
                self.member_value(node, env) if node.type in MEMBER_TYPES else None
            if bound is None:
                return None
            node, env = st.unwrap(bound[0]), bound[1]
        return None

    def _interpolated(self, node: Node, env: Env) -> str | None:
        """`$"{name}/Dockerfile"` (C#), `` `${name}/Dockerfile` ``: each piece a string the file gives."""
        pieces: list[str] = []
        for child in node.named_children:
            if child.type in ("interpolation", "template_substitution"):
                inner = [c for c in child.named_children if c.type not in ("interpolation_brace",)]
                piece = self.string(inner[0], env) if len(inner) == 1 else None
                if piece is None:
                    return None
                pieces.append(piece)
            elif child.type in ("string_content", "string_fragment"):
                pieces.append(st.text(child))
            elif child.type not in ("interpolation_start", "interpolation_quote"):
                return None   # an escape, a format specifier: not worth guessing
        return "".join(pieces)

    def runtime(self, node: Node | None, env: Env) -> tuple[RuntimeValue, int | None]:
        """A runtime expression → its identifier (or why not) and the line that names it."""
        for _ in range(MAX_FOLLOW_DEPTH):
            node = st.unwrap(node)
            if node is None:
                return RuntimeValue(note="not given"), None
            defaulted = fallback(node)
            if defaulted is not None:   # `props.runtime ?? Runtime.NODEJS_18_X`: the default is what deploys
                first = self.runtime(defaulted[0], env)
                if first[0].identifier is not None or first[0].image:
                    return first
                node = defaulted[1]
                continue
            literal = st.string_value(node)
            if literal is not None:   # CfnFunction, or a runtime identifier kept in a string constant
                return self._runtime_string(literal), st.line(node)
            if node.type in IDENTIFIER_TYPES:
                imported = self.symbols.get(st.text(node), "")
                if imported.startswith(cdk_modules.RUNTIME_CONSTANT):
                    return identifier_for_constant(imported[len(cdk_modules.RUNTIME_CONSTANT):]), st.line(node)
                bound = self.follow_name(st.text(node), env)
                if bound is None:
                    return RuntimeValue(note=f"given by the variable `{st.text(node)[:60]}`"), st.line(node)
                node, env = bound
                continue
            parts = parts_of(node) if node.type in MEMBER_TYPES else []
            if node.type in MEMBER_TYPES and (member := self.member_value(node, env)) is not None:
                node, env = member
                continue
            if len(parts) >= 2 and parts[-2] == "Runtime":
                return identifier_for_constant(parts[-1]), st.line(node)
            if len(parts) == 2 and parts[0] in ("this", "self") and (value := self.declared.value(parts[1])):
                node, env = value, _deeper(env)
                continue
            call = as_call(node) if node.type in CALL_TYPES else None
            if call is not None:
                resolved = self._runtime_call(call, env)
                if isinstance(resolved, tuple) and isinstance(resolved[0], RuntimeValue):
                    return resolved
                if resolved is not None:
                    node, env = resolved  # type: ignore[misc]
                    continue
            shown = " ".join(st.text(node).split())[:80]
            return RuntimeValue(note=f"computed by `{shown}`"), st.line(node)
        return RuntimeValue(note="followed through too many names"), None

    def _runtime_call(self, call: Call, env: Env) -> object:
        last = call.callee[-1] if call.callee else (call.method or "")
        if last.startswith("Runtime_"):   # Go: awslambda.Runtime_PYTHON_3_9()
            return identifier_for_constant(last[len("Runtime_"):]), st.line(call.node)
        if last in ("Runtime", "NewRuntime") and call.args:   # new Runtime('nodejs22.x'), Runtime("java8")
            identifier = self.string(call.args[0], env)
            if identifier is None:
                return RuntimeValue(note=f"named by `{st.text(call.args[0])[:60]}`"), st.line(call.node)
            return self._runtime_string(identifier), st.line(call.args[0])
        note = _LATEST_NOTES.get(last.replace("_", "").lower())
        if note is not None:
            return RuntimeValue(note=note), st.line(call.node)
        return self.helper_result(call, env)

    @staticmethod
    def _runtime_string(identifier: str) -> RuntimeValue:
        if not identifier[:1].isalpha() or not identifier.replace(".", "").replace("-", "").isalnum():
            return RuntimeValue(note=f"`{identifier[:40]}` is not a runtime identifier")
        return RuntimeValue(identifier=identifier)

    def _asset(self, entry: Entry, found: ConstructCall) -> None:
        """`Code.fromAsset('dir')`, `Code_FromAsset(jsii.String("dir"), nil)`, `entry: path.join(__dirname, ...)`."""
        node, env = st.unwrap(entry.value), entry.env
        for _ in range(MAX_FOLLOW_DEPTH):   # `Code = dockerImageCode`, `Code = BuildImage("Create")`: built above
            if node is None:
                break
            helper = as_call(node) if node.type in CALL_TYPES else None
            if helper is not None and _call_name(helper).split("_")[-1].lower() in _ASSET_CALLS:
                break
            bound = self.follow_name(st.text(node), env) if node.type in IDENTIFIER_TYPES else \
                self.helper_result(helper, env) if helper is not None else None
            if bound is None:
                break
            node, env = st.unwrap(bound[0]), bound[1]
        call = as_call(node) if node is not None and node.type in CALL_TYPES else None
        name = _call_name(call) if call is not None else ""
        if call is not None and name.split("_")[-1].lower() in _ASSET_CALLS and call.args:
            path = self.path(call.args[0], env)
            if path is not None:
                found.asset, found.asset_base = path
            if len(call.args) >= 2:
                options = {k[:1].lower() + k[1:]: v for k, v in self.props(call.args[1], env).entries.items()}
                if "file" in options:
                    found.dockerfile = self.string(options["file"].value, options["file"].env)
                if "target" in options:
                    found.docker_target = self.string(options["target"].value, options["target"].env)
            return
        path = self.path(node, env)
        if path is not None:
            found.asset, found.asset_base = path

    def path(self, node: Node | None, env: Env) -> tuple[str, str] | None:
        """A literal path (relative to the app), or a join from the file's directory (relative to the file)."""
        node = st.unwrap(node)
        literal = self.string(node, env)
        if literal is not None:
            return literal, "app"
        call = as_call(node) if node is not None and node.type in CALL_TYPES else None
        if call is None or call.method not in _PATH_JOINS or not call.args:
            return None
        args = call.args
        base = "app"
        if st.text(args[0]) in _FILE_DIRECTORY:
            base, args = "file", args[1:]
        pieces = [self.string(arg, env) for arg in args]
        if not pieces or any(piece is None for piece in pieces):
            return None
        return "/".join(piece for piece in pieces if piece), base


def _call_name(call: Call) -> str:
    return (call.callee[-1] if call.callee else call.method) or ""


def _bind(helper: Helper, args: list[Node], env: Env) -> Env:
    bindings = {name: (arg, env) for name, arg in zip(helper.params, args, strict=False) if name}
    return Env(bindings, env.depth + 1)


def _deeper(env: Env) -> Env:
    return Env(env.bindings, env.depth + 1)


def _method_line(call: Call) -> int:
    """The line of `.runtime(` in a chain: where a reviewer reads the step."""
    return st.line(call.args[0]) if call.args else st.line(call.node)


def _version_note(note: str) -> bool:
    """Notes about values that move with the CDK version: known unknowns, not unread declarations."""
    return "aws-cdk-lib version" in note or "CDK version" in note
