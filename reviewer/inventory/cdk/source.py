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
  reported at the default, which is what deploys unless a caller overrides it; so does an AWS
  Solutions Construct whose `lambdaFunctionProps` do (`new LambdaToSqs(this, 'Id',
  {lambdaFunctionProps: {runtime: ...}})`).

- in TypeScript and JavaScript, properties, runtimes, strings and paths a file imports from another
  module of the repository (`import { baseProps } from './config'`, `cdk/script_modules.py`),
  reported at the lines of the constructing file (the spread, the `runtime:` line) and, for the
  runtime, at the line of the other module that writes it as the default location.

What cannot be followed (properties passed in by a caller, a package's exports, a runtime computed
at run time) is kept on the `ConstructCall` as `unread`, so the inventory can say so instead of
going silent.

This module decides which calls create Lambda constructs and reads each one; how an expression's
value is followed (properties, strings, runtimes, asset paths) is `cdk/values.py`.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.data.lifecycle import load_lifecycle
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.bucket_assets import bucket_asset
from reviewer.inventory.cdk.caller_settings import mark_caller_settings
from reviewer.inventory.cdk.class_factories import (
    FactoryShape, asset_template, class_factory, handler_condition, method_factory, parameter_ref, parameter_refs,
    spread_roles, top_level_function,
)
from reviewer.inventory.cdk.image_options import source_image_options
from reviewer.inventory.cdk.constructor_methods import ClassCalls, constructor_method_factory
from reviewer.inventory.cdk.csharp_construct_classes import csharp_class_factory
from reviewer.inventory.cdk.csharp_loops import element_id, foreach_elements
from reviewer.inventory.cdk.constructs import (
    IMAGE_CONSTRUCTS, INLINE_CODE_CALLS, ConstructCall,
)
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, Helper, as_call, assigned_name, chain_end, literal_entries,
    attribute_holder, parts_of, super_arguments, superclass, within,
)
from reviewer.inventory.cdk.go_packages import GoPackages, go_factory, jsii_value
from reviewer.inventory.cdk.java_factories import JavaFactory, java_factory, relayed_java_factory
from reviewer.inventory.cdk.script_modules import ScriptModules
from reviewer.inventory.cdk.secret_values import secret_value
from reviewer.inventory.cdk.solutions_constructs import (
    BUILD_FORM, DEFAULT_ID, SOLUTIONS_PROPS, function_props, solutions_imports, solutions_site,
    left_out as solutions_left_out,
)
from reviewer.inventory.cdk.written_roles import ASSET_CALLS as _ASSET_CALLS
from reviewer.inventory.cdk.written_roles import call_name as _call_name
from reviewer.inventory.cdk.written_roles import written_roles as _written_roles
from reviewer.inventory.cdk.values import (
    MAX_CHAIN, MAX_FOLLOW_DEPTH, Entry, Env, Props, ValueReader, bind_parameters,
)

Node = tree_sitter.Node
MAX_CONSTRUCTS = 500
MAX_CALL_SITES = 50
# A property written as "no value" in any CDK language: the same as leaving it out.
_NO_VALUE = frozenset({"undefined", "null", "nil"})


def source_constructs(language: str, text: str, rel: str | None = None, modules: ScriptModules | None = None,
                      go_packages: GoPackages | None = None) -> tuple[list[ConstructCall], int | None]:
    """Every Lambda construct of one source file (`rel`, whose imports from other modules of the
    repository `modules` follows, and in Go `go_packages`), and the line of a syntax error near none (or None)."""
    tree = st.parse(language, text)
    symbols = cdk_modules.symbols_of(language, tree.root_node)
    reader = _ConstructReader(language, tree.root_node, symbols, modules, rel, go_packages)
    found = reader.constructs()
    error_line = None
    if not found and tree.root_node.has_error:
        error = next((n for n in st.walk(tree.root_node) if n.type == "ERROR" or n.is_missing), None)
        error_line = st.line(error) if error is not None else 1
    return found[:MAX_CONSTRUCTS], error_line


class _ConstructReader(ValueReader):
    """Finds the calls of one file that create Lambda constructs and reads each as written."""

    def __init__(self, language: str, root: Node, symbols: dict[str, str], modules: ScriptModules | None = None,
                 rel: str | None = None, go_packages: GoPackages | None = None) -> None:
        super().__init__(language, root, symbols, modules, rel, go_packages)
        self._sites: dict[tuple[str, int, int], list[Call]] = {}
        self._class_calls: ClassCalls = {}
        self._solutions = solutions_imports(root) if language in ("typescript", "tsx", "javascript") else {}

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
        made = solutions_site(call, self._solutions)   # `new SqsToLambda(...)`, `buildLambdaFunction(...)`
        if made is not None:
            return made[0], call, made[1]
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
        is a Lambda function when its literal properties name a Lambda runtime; an AWS Solutions
        Construct when its `lambdaFunctionProps` do (written in the call, or in a variable above it)."""
        entries = literal_entries(st.unwrap(call.args[2]) or call.args[2])
        runtime = next((value for key, _, value in entries or [] if key.lower() == "runtime"), None)
        if runtime is None and name[:1].isupper() and (entries is None or any(key == "..." for key, _, _ in entries)):
            # `{ ...lambdaDefaultConfig, handler: 'x.handler' }`: the runtime a spread object gives,
            # also through a variable holding it (`super(scope, id, guLambdaFunctionProps)`)
            spread = next((e for key, e in self.props(call.args[2], Env()).entries.items()
                           if key.lower() == "runtime"), None)
            if spread is not None and self._resolves_lambda_runtime(spread.value, spread.env):
                return name
        if runtime is None and name[:1].isupper():
            nested = next((value for key, _, value in entries or [] if key.lower() == SOLUTIONS_PROPS), None)
            env = Env()
            if entries is None:
                outer = self.props(call.args[2], env)
                entry = next((e for key, e in outer.entries.items() if key.lower() == SOLUTIONS_PROPS), None)
                nested, env = (entry.value, entry.env) if entry is not None else (None, env)
            if nested is not None:
                inner = self.props(nested, env)
                runtime = next((e.value for key, e in inner.entries.items() if key.lower() == "runtime"), None)
        return name if runtime is not None and (self._names_lambda_runtime(runtime)
                                                 or self._resolves_lambda_runtime(runtime)) else None

    def _resolves_lambda_runtime(self, node: Node, env: Env | None = None) -> bool:
        """A runtime written elsewhere and followed by the value reader (`runtime: nodeVersion` after
        `import { nodeVersion } from './node-version'`, a variable holding `Runtime.NODEJS_22_X`):
        it counts when it comes to a runtime Lambda has (`identifier_for_constant` knows only those,
        so a Synthetics canary's `Runtime.SYNTHETICS_...` does not), or one that moves with the
        aws-cdk-lib release (`Runtime.NODEJS_LATEST`)."""
        if (st.unwrap(node) or node).type not in IDENTIFIER_TYPES | MEMBER_TYPES:
            return False   # a literal string or a call is no evidence of a Lambda runtime
        value, _ = self.runtime(node, env or Env())
        return value.follows is not None or value.identifier is not None and load_lifecycle().get(
            value.identifier) is not None

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
            if self.language == "csharp" and len(call.args) >= 2:   # `$"{route.FunctionName}"`, per element
                for instance, env in zip(instances, loop[:MAX_CALL_SITES], strict=True):
                    element_id(instance, call.args[1], env, self.string, self.member_value)
            return instances or [single]
        sites = self._helper_calls(helper_name, call.node) if self.param_hit and helper_name is not None else []
        if not sites:
            if helper_name is not None and form == "props" and self.language in ("typescript", "tsx", "javascript"):
                single.factory = (self._factory(helper_name, helper, call) if helper is not None else None) \
                    or self._method_factory(call)
            elif helper_name is not None and helper is not None and self.language == "java":
                single.factory = java_factory(helper_name, helper, call.node, self._written(call, form))
            elif helper_name is not None and helper is not None and self.language == "go":
                single.factory = go_factory(helper_name, helper, self._written(call, form)) if form == "props" else None
            elif helper_name is None and form in ("props", BUILD_FORM) and self.language in (
                    "typescript", "tsx", "javascript"):
                single.factory = self._class_factory(call, form)
            elif helper_name is None and self.language == "csharp" and len(call.args) >= 3:
                props = self.props(call.args[2], Env())   # each `new Worker(...)` of the app one function
                single.factory = csharp_class_factory(call.node, props, _written_roles(call, props))
                mark_caller_settings(call.node, props, single)   # a notice until a caller of it is found
            return [single]
        instances = []
        assert helper is not None
        required, given = _own_props(call, form) if form in ("props", BUILD_FORM) else (None, False)
        for site in sites:
            if given and solutions_left_out(required, list(helper.params), site.args):
                continue   # `{ existingLambda: fn }`: the Solutions Construct takes it, and makes none
            env = bind_parameters(helper, site.args, Env())
            self.open_params = set()
            instance = self._read(construct, call, form, env)
            instance.construct_line, instance.line = instance.line, st.line(site.node)
            if instance.id_is_expression:   # named by the caller's variable, not the helper's own
                instance.variable = assigned_name(site.node)
            if self.language == "java":   # `base(scope, id, ...)` called by static variants other classes call
                instance.factory = self._relayed(helper, call, form, site)
            elif form in ("props", BUILD_FORM) and self.language in ("typescript", "tsx", "javascript"):
                instance.factory = self._class_factory(call, form, site)   # `this.build(props.source)`
            instances.append(instance)
        self.open_params = set()
        return instances

    def _class_factory(self, call: Call, form: str, site: Call | None = None) -> FactoryShape | None:
        """The construct class whose callers fill in this construct: made in its constructor, or
        in a method of its own the constructor calls as `site` (`cdk/constructor_methods.py`)."""
        node, given = _own_props(call, form)   # the function's own properties, and whether a caller gives them
        written = _written_roles(call, self.props(node, Env()) if node is not None else Props(),
                                 2 if form == BUILD_FORM else 1)
        if site is not None:
            return constructor_method_factory(call.node, node, written, site, self._class_calls,
                                              required=node if given else None)
        return class_factory(call.node, node, written, lambda n: self.string(n, Env()), lambda n: self.path(n, Env()),
                             required=node if given else None)

    def _factory(self, name: str, helper: Helper, call: Call) -> FactoryShape | None:
        """A top-level function of the file not called in it, whose construct takes its id, runtime,
        handler or asset folder (whole, or a piece of its path) from its parameters: other modules
        may import and call it (`cdk/factories.py`). None for a method, or when no such property
        is a parameter."""
        function = top_level_function(call.node)
        if function is None:
            return None
        refs = parameter_refs(function, helper.params)
        params = [p for p in helper.params if p]
        props = self.props(call.args[2], Env()) if len(call.args) >= 3 else Props()
        written = _written_roles(call, props)
        roles = {role: ref for role, node in written.items()
                 if node is not None and (ref := parameter_ref(st.text(node), refs, params)) is not None}
        if roles:   # `{ runtime: ..., ...props }`: what a call's properties hold wins over the helper's
            for role, ref in spread_roles(function, call.args[2] if len(call.args) >= 3 else None, params).items():
                roles.setdefault(role, ref)
        template = asset_template(written, roles, refs, params, lambda node: self.string(node, Env()),
                                  lambda node: self.path(node, Env()))
        return (name, tuple(helper.params), tuple(roles.items()), None, False, template, ()) \
            if roles or template is not None else None

    def _method_factory(self, call: Call) -> FactoryShape | None:
        """A method of a top-level class whose construct takes what its callers pass, called on an
        instance from other modules (`cdk/class_factories.py`'s `method_factory`)."""
        props_node = call.args[2] if len(call.args) >= 3 else None
        props = self.props(props_node, Env()) if props_node is not None else Props()
        return method_factory(call.node, props_node, _written_roles(call, props), lambda node: self.string(node, Env()),
                              lambda node: self.path(node, Env()))

    def _written(self, call: Call, form: str) -> dict[str, Node | None]:
        """What the construct call writes for each role a helper's parameter may fill."""
        if form == "builder":
            top = chain_end(call.node, MAX_CHAIN)
            props = self.props(top, Env()) if top is not call.node else Props()
        else:
            props = self.props(call.args[2], Env()) if len(call.args) >= 3 else Props()
        return _written_roles(call, props)

    def _relayed(self, helper: Helper, call: Call, form: str, site: Call) -> JavaFactory | None:
        """The static method around `site`, a call of the construct's own `helper`, when no call
        of it is in the file and it passes its parameters on (`cdk/java_factories.py`)."""
        outer_name, outer = self._enclosing_helper(site.node)
        if outer_name is None or outer is None or self._helper_calls(outer_name, site.node):
            return None
        return relayed_java_factory(helper, site.args, outer_name, outer, site.node, self._written(call, form))

    def _enclosing_loop(self, node: Node) -> list[Env] | None:
        """One binding per element when the construct is made in a loop over an array literal of the file."""
        for ancestor in st.ancestors(node):
            if ancestor.type in ("function_declaration", "method_definition", "class_body", "program"):
                return None
            pattern = items = None
            if ancestor.type == "foreach_statement":   # C#: a list the file writes or fills (`cdk/csharp_loops.py`)
                found = foreach_elements(ancestor)
                return [env for element in found[1] if (env := self._bind_pattern(found[0], element, Env()))
                        is not None] if found is not None else None
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
            return [env for element in array[0] if (env := self._bind_pattern(pattern, element, array[1]))
                    is not None]
        return None

    def _array(self, node: Node | None) -> tuple[list[Node], Env] | None:
        """The elements of an array literal `node` names, and the bindings (the module) they are read in."""
        env = Env()
        for _ in range(MAX_FOLLOW_DEPTH):
            node = st.unwrap(node)
            if node is None:
                return None
            if node.type == "array":
                return [c for c in node.named_children if c.type not in ("comment", "spread_element")], env
            if node.type not in IDENTIFIER_TYPES:
                return None
            bound = self.follow_name(st.text(node), env, near=node)
            if bound is None:
                return None
            node, env = bound
        return None

    def _bind_pattern(self, pattern: Node, element: Node, where: Env) -> Env | None:
        """`f` → the element; `{ name, runtime }` → the element's properties of those names (each read
        in `where`, the module that writes the array)."""
        inner = Env(origin=where.origin)
        if pattern.type in IDENTIFIER_TYPES:
            return Env({st.text(pattern): (element, inner)}, 1)
        if pattern.type == "object_pattern":
            entries = {key: value for key, _, value in literal_entries(st.unwrap(element) or element) or []}
            names = [st.text(c) for c in pattern.named_children if c.type == "shorthand_property_identifier_pattern"]
            return Env({name: (entries[name], inner) for name in names if name in entries}, 1)
        return None

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
        """`class Orders extends lambda.Function` (or `: Function(...)`, `: Function`) and its super call
        (in TypeScript and JavaScript each `new Orders(...)` of the app one function, `class_factory`);
        there also a subclass of another library's construct whose `super(...)`
        properties name a Lambda runtime (`class SrLambda extends GuLambdaFunction`: `_library_subclass`)."""
        base = superclass(node)
        construct = cdk_modules.resolve(parts_of(base), self.symbols) if base is not None else None
        if construct is None and base is not None and self.language in ("typescript", "tsx", "javascript"):
            return self._library_subclass(node, base)
        if construct is None or base is None:
            return []
        name_node = node.child_by_field_name("name")
        name = st.text(name_node) if name_node is not None else "(unnamed)"
        for inner in st.walk(node):
            args = super_arguments(inner, base)
            if args is not None:
                call = Call(inner, [], args, is_new=True)
                found = self._read(construct, call, "props", Env(), name=(name, False))
                if self.language in ("typescript", "tsx", "javascript") and len(args) >= 3:   # one per `new`
                    found.factory = class_factory(call.node, args[2], _written_roles(call, self.props(args[2], Env())),
                                                  lambda v: self.string(v, Env()), lambda v: self.path(v, Env()), True)
                return [found]
        return [ConstructCall(construct=construct, name=name, name_is_literal=False, line=st.line(node),
                              image=construct in IMAGE_CONSTRUCTS)]

    def _library_subclass(self, node: Node, base: Node) -> list[ConstructCall]:
        """`class SrLambda extends GuLambdaFunction` whose `super(scope, id, props)` passes properties
        (written there, in a variable, spread from a helper's result) that name a Lambda runtime, as
        a construct of another library is read (`_wrapper`). Each `new SrLambda(this, 'Id', {...})`
        of the app is one function named by the caller's id (`class_factory`, which also says what
        a caller's properties fill in, `...props.lambdaOverrides`); `cdk/derived_factories.py`
        follows the app's subclasses of it."""
        parts = parts_of(base)
        if not parts or not parts[-1][:1].isupper():
            return []
        self.open_params = set()
        inner, args = next(((n, a) for n in st.walk(node) if (a := super_arguments(n, base)) is not None), (None, []))
        call = Call(inner, [], args, is_new=True) if inner is not None and len(args) >= 3 else None
        if call is None or self._wrapper(parts[-1], call) is None:
            return []
        name_node = node.child_by_field_name("name")
        found = self._read(parts[-1], call, "props", Env(), name=(st.text(name_node) if name_node else "(unnamed)", False))
        props = self.props(args[2], Env())
        handler = next((e for key, e in props.entries.items() if key == "handler"), None)
        condition = handler_condition(handler.value, handler.env.bindings,
                                      lambda value: self.string(value, handler.env)) if handler else None
        found.factory = class_factory(call.node, args[2], _written_roles(call, props),
                                      lambda value: self.string(value, Env()), lambda value: self.path(value, Env()),
                                      id_only=True, condition=condition)
        if found.factory is not None and condition is not None and "handler.if" in dict(found.factory[2]):
            found.handler = found.handler or condition[1]
        return [found]

    # -- reading one construct -------------------------------------------------------------------

    def _read(self, construct: str, call: Call, form: str, env: Env,
              name: tuple[str, bool] | None = None) -> ConstructCall:
        self.read_from = set()    # the modules this construct's values come from: its `inputs`
        by_id = name is None
        id_position = 2 if form == BUILD_FORM else 1   # `buildLambdaFunction(scope, props, id?)`
        if name is None:
            id_node = call.args[id_position] if len(call.args) > id_position else None
            literal = self.string(id_node, env) if id_node is not None else DEFAULT_ID if form == BUILD_FORM else None
            name = (literal, True) if literal is not None else (
                (" ".join(st.text(id_node).split())[:80], False) if id_node is not None else ("(unnamed)", False))
        found = ConstructCall(construct=construct, name=name[0], name_is_literal=name[1], line=st.line(call.node),
                              image=construct in IMAGE_CONSTRUCTS)
        if by_id and not name[1] and len(call.args) > id_position:
            found.id_is_expression, found.variable = True, assigned_name(call.node)
        if form == "builder":
            top = chain_end(call.node, MAX_CHAIN)
            props = self.props(top, env) if top is not call.node else Props()
        elif len(call.args) > (at := 1 if form == BUILD_FORM else 2):
            props = self.props(call.args[at], env)
            nested = next((e for key, e in props.entries.items() if key.lower() == SOLUTIONS_PROPS), None)
            if nested is not None and not any(key.lower() == "runtime" for key in props.entries):
                props = self.props(nested.value, nested.env)
        else:
            props = Props()
        self._apply(props, found)
        found.inputs = tuple(sorted(self.read_from - {self.rel}))
        return found

    def _apply(self, props: Props, found: ConstructCall) -> None:
        entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
        if "runtime" in entries:
            entry = entries["runtime"]
            found.runtime_given, found.runtime_line = True, entry.line
            value, line = self.runtime(entry.value, entry.env)
            found.runtime, found.runtime_note, found.runtime_follows = value.identifier, value.note, value.follows
            found.image = found.image or value.image
            if value.written_in is not None:   # named in another module: where that module writes it
                found.runtime_default_path, found.runtime_default_line = value.written_in
            elif line is not None and line != entry.line and value.identifier is not None:
                found.runtime_default_line = line
            if value.identifier is None and not value.image and value.note and not _version_note(value.note):
                found.unread = (line or entry.line, f"a runtime {value.note}")
        elif props.unread is not None:
            found.runtime_note, found.runtime_line = f"the properties are {props.unread[1]}", props.unread[0]
            found.unread = (props.unread[0], f"properties {props.unread[1]}")
        if "handler" in entries:
            found.handler = self.string(entries["handler"].value, entries["handler"].env)
        if "index" in entries:
            found.index = self.string(entries["index"].value, entries["index"].env)
        if "environment" in entries:
            variables = self.props(entries["environment"].value, entries["environment"].env)
            if variables.unread is not None:
                found.environment_unread = variables.unread[1]
            for variable, written in variables.entries.items():
                node = st.unwrap(written.value) or written.value
                literal = st.string_value(jsii_value(node))   # Go's `jsii.String("v")` too
                holder = attribute_holder(node) if written.env.origin is None else None
                if literal is not None and variable != "...":
                    found.environment[variable] = (literal, written.line)
                elif holder is not None:   # `bucket.bucketName`, `bucket.getBucketName()`, `Bucket.BucketName`
                    found.environment_refs[variable] = (holder, written.line)
                elif variable != "..." and (secret := secret_value(node)) is not None:
                    found.environment[variable] = (secret, written.line)
                elif variable != "...":
                    found.environment_computed[variable] = (st.excerpt(st.text(node), 60), written.line)
        signing = entries.get("codeSigningConfig", entries.get("codeSigningConfigArn"))   # a Cfn construct's ARN
        if signing is not None and st.text(st.unwrap(signing.value) or signing.value).strip() not in _NO_VALUE:
            found.code_signing_line = signing.line
        for key in ("code", "entry", "codeUri", "projectDir"):   # the SAM function's; a `DotNetFunction`'s project
            if key in entries:
                self._asset(entries[key], found)

    def _asset(self, entry: Entry, found: ConstructCall) -> None:
        """`Code.fromAsset('dir')`, `Code_FromAsset(jsii.String("dir"), nil)`, `entry: path.join(__dirname, ...)`;
        `Code.fromBucket(asset.bucket, asset.s3ObjectKey)` of an S3 asset (`cdk/bucket_assets.py`).
        What is not read is quoted as this file writes it, not as the module it was followed into does."""
        node, env = st.unwrap(entry.value), entry.env
        written = st.excerpt(st.text(node), 80) if node is not None else None
        for _ in range(MAX_FOLLOW_DEPTH):   # `Code = dockerImageCode`, `Code = BuildImage("Create")`: built above
            if node is None:
                break
            helper = as_call(node) if node.type in CALL_TYPES else None
            if helper is not None and _call_name(helper).split("_")[-1].lower() in _ASSET_CALLS:
                break
            bound = self.follow_name(st.text(node), env, near=node) if node.type in IDENTIFIER_TYPES else \
                self.helper_result(helper, env) if helper is not None else None
            if bound is None:
                break
            node, env = st.unwrap(bound[0]), bound[1]
        call = as_call(node) if node is not None and node.type in CALL_TYPES else None
        name = _call_name(call) if call is not None else ""
        if name.split("_")[-1].lower() in INLINE_CODE_CALLS:
            found.inline = True
            return
        if call is not None and name.split("_")[-1].lower() in _ASSET_CALLS and call.args:
            path = self.path(call.args[0], env)
            if path is not None:
                found.asset, found.asset_base = path
            else:
                found.code_unread = st.excerpt(st.text(call.args[0]), 80)
            if len(call.args) >= 2:
                options = {k[:1].lower() + k[1:]: v for k, v in self.props(call.args[1], env).entries.items()}
                source_image_options(self, options, found)
            return
        path = bucket_asset(self, call, env) if call is not None and name.lower() == "frombucket" else None
        if call is not None and name.lower() == "frombucket" and path is None and len(call.args) >= 2:
            found.bucket_key = self.string(call.args[1], env)   # an object built elsewhere: its name
        path = path or self.path(node, env)
        if path is not None:
            found.asset, found.asset_base = path
        elif node is not None:
            found.code_unread = st.excerpt(st.text(node), 80) if env.origin is entry.env.origin else written


def _own_props(call: Call, form: str) -> tuple[Node | None, bool]:
    """`solutions_constructs.function_props` of the call's properties (`buildLambdaFunction`'s second)."""
    at = 1 if form == BUILD_FORM else 2
    return function_props(call.args[at] if len(call.args) > at else None)


def _version_note(note: str) -> bool:
    """Notes about values that move with the CDK version: known unknowns, not unread declarations."""
    return "aws-cdk-lib version" in note or "CDK version" in note
