"""What a helper's callers fill in of the construct it makes (`cdk/factories.py`), in TypeScript
and JavaScript: a top-level function's parameters, and a construct class's.

Teams wrap `NodejsFunction` in a construct class of their own (`lib/constructs/lambda.ts`):

    export class Lambda extends Construct {
      constructor(scope: Construct, id: string, props: LambdaProps) {
        const { api, tables = [], ...restProps } = props;
        this.lambda = new NodejsFunction(this, id, { runtime: Runtime.NODEJS_22_X, ...restProps });
      }
    }

and each stack makes its functions with it: `new Lambda(this, "createBanner", { entry:
"handlers/banners/create.ts", handler: "createBanner" })`. The class's own construct has no
entry or handler; each `new Lambda(...)` of another module is one function, whose id is the
`id` the constructor passes on, and whose entry, handler and runtime are what the caller's
properties hold wherever the construct takes them from the constructor's properties (spread
whole, `...props`, or what is left after the constructor takes some out, `...restProps`).
"""

from __future__ import annotations

from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.path_templates import PathTemplate, path_template
from reviewer.inventory.cdk.syntax import literal_entries

Node = tree_sitter.Node

# What a construct class's (or a helper function's) callers may pass through a spread of its
# properties: (role, property), the code folder being what a `code: Code.fromAsset("dir")` names.
# `index` is a `PythonFunction`'s handler file, which its `handler` names a function of.
_SPREAD_ROLES = (("runtime", "runtime"), ("handler", "handler"), ("entry", "entry"), ("asset", "code"),
                 ("environment", "environment"), ("index", "index"))
_CLASSES = ("class_declaration", "class", "abstract_class_declaration")
# The role of what a construct is made only with (`if (props.scanHandler) { new Function(...) }`).
GUARD = "guard"
_FUNCTIONS = ("function_declaration", "function_expression", "arrow_function", "method_definition")

# (class or function name, its parameters, (role, reference) pairs: see `factories.Factory`),
# whether callers make it with `new` (a class), the asset path it builds from what they pass, and
# for an instance method the types its callers may hold the instance as (`method_factory`).
FactoryShape = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], None, bool, PathTemplate | None,
                     tuple[str, ...]]
# How far a class's bases are followed through the classes of its own file.
MAX_BASES = 8
# How many members deep a reference to what the caller passes is followed (`props.config.handler`):
# as deep as `cdk/factories.py` reads the caller's object literals.
MAX_MEMBER_DEPTH = 4
# How many statements of a helper's body are read for names it takes out of its parameters.
MAX_STATEMENTS = 200


def parameter_refs(function: Node, params: list[str]) -> dict[str, str]:
    """How a helper's body names what its caller passes: `id` (a parameter) → "id", `props.id` →
    "props.id", and a name destructured from the parameter at position 1 (`{ scope, id }`) → "#1.id"."""
    refs = {name: name for name in params if name}
    parameters = function.child_by_field_name("parameters")
    for index, parameter in enumerate(c for c in (parameters.named_children if parameters is not None else [])
                                       if c.type != "comment"):
        pattern = parameter.child_by_field_name("pattern") if parameter.type != "object_pattern" else parameter
        if pattern is None or pattern.type != "object_pattern":
            continue
        for item in pattern.named_children:
            if item.type == "shorthand_property_identifier_pattern":
                refs[st.text(item)] = f"#{index}.{st.text(item)}"
            elif item.type == "object_assignment_pattern" and item.named_children:
                refs[st.text(item.named_children[0])] = f"#{index}.{st.text(item.named_children[0])}"
            elif item.type == "pair_pattern":
                key, local = item.child_by_field_name("key"), item.child_by_field_name("value")
                if key is not None and local is not None and local.type == "identifier":
                    refs[st.text(local)] = f"#{index}.{st.text(key)}"
    _destructured_locals(function, refs, params)
    return refs


def _destructured_locals(function: Node, refs: dict[str, str], params: list[str]) -> None:
    """The names the function's own body takes out of what its caller passes, one statement at a
    time (`const { readHandlerPath } = componentConfig`, `componentConfig` a parameter's member or
    a name destructured from one): `readHandlerPath` → "#2.componentConfig.readHandlerPath"."""
    body = function.child_by_field_name("body")
    for statement in body.named_children[:MAX_STATEMENTS] if body is not None else []:
        if statement.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in statement.named_children:
            pattern = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            value = st.unwrap(declarator.child_by_field_name("value")) if pattern is not None else None
            source = parameter_ref(st.text(value), refs, params) \
                if value is not None and value.type in ("identifier", "member_expression") else None
            if source is None or pattern is None or pattern.type != "object_pattern":
                continue
            for item in pattern.named_children:
                if item.type == "shorthand_property_identifier_pattern":
                    refs.setdefault(st.text(item), f"{source}.{st.text(item)}")
                elif item.type == "object_assignment_pattern" and item.named_children:
                    name = st.text(item.named_children[0])
                    refs.setdefault(name, f"{source}.{name}")
                elif item.type == "pair_pattern":
                    key, local = item.child_by_field_name("key"), item.child_by_field_name("value")
                    if key is not None and local is not None and local.type == "identifier":
                        refs.setdefault(st.text(local), f"{source}.{st.text(key)}")


def parameter_ref(text: str, refs: dict[str, str], params: list[str]) -> str | None:
    """What a caller passes that `text` names in the helper (see `parameter_refs`), with any
    member of a parameter or of a name taken out of one, a few levels deep (`props.id`,
    `props.config.handler`, `componentConfig.handler`); None for anything else."""
    if text in refs:
        return refs[text]
    head, _, key = text.partition(".")
    parts = key.split(".") if key else []
    if not parts or len(parts) > MAX_MEMBER_DEPTH or not all(part.isidentifier() for part in parts):
        return None
    return text if head in params else f"{refs[head]}.{key}" if head in refs else None


def class_factory(call_node: Node, props_node: Node | None, written: dict[str, Node | None],
                  string: Callable[[Node], str | None],
                  path: Callable[[Node], tuple[str, str] | None], id_only: bool = False,
                  condition: tuple[str, str] | None = None, required: Node | None = None) -> FactoryShape | None:
    """The construct class of the file's top level whose constructor makes this construct with
    what its callers pass (`written`: what the call writes for each role, `cdk/source.py`), or
    None. A class whose callers would fill in nothing but the construct id is left as written,
    unless `id_only`: a subclass of a library's construct (`class SrLambda extends
    GuLambdaFunction`) is itself no function, each of its instances is one. `condition` is what
    a handler chosen by a condition tests and the handler it gives without it (`handler_condition`).
    `string` and `path` read what the file itself gives of an asset path (`cdk/path_templates.py`).
    A construct given an id of its own (`new lambda.Function(this, 'lambda-function', ...)`) is
    named by the id its caller gives the class, as the Python reader names it: the construct's
    path is `Fanout/lambda-function`, and the id alone would name every instance alike. `required`
    is what the construct makes its function of only when the caller passes it (an AWS Solutions
    Construct's `lambdaFunctionProps: props.functionProps`, which a caller giving `existingLambdaObj`
    leaves out): a call whose properties lack it makes none, as under `if (props.x)`."""
    constructor = enclosing_constructor(call_node)
    owner = top_level_class(constructor) if constructor is not None else None
    name = owner.child_by_field_name("name") if owner is not None else None
    if constructor is None or name is None:
        return None
    params = parameter_names(constructor)
    refs = parameter_refs(constructor, params)
    roles = {role: ref for role, node in written.items()
             if node is not None and (ref := parameter_ref(st.text(node), refs, params)) is not None}
    held = declared_in(constructor, st.text(props_node)) if props_node is not None \
        and props_node.type == "identifier" else None   # `super(scope, id, finalProps)`
    for role, ref in spread_roles(constructor, held if held is not None else props_node, params).items():
        roles.setdefault(role, ref)
    code = code_ref(props_node, refs, params)
    if code is not None:
        roles.setdefault("asset", code)
    tested = parameter_ref(condition[0], refs, params) if condition is not None else None
    if tested is not None:
        roles["handler.if"] = tested
    template = asset_template(written, roles, refs, params, string, path)
    if not set(roles) - {"id"} and template is None and not id_only:
        return None
    guard = guard_ref(call_node, constructor, refs, params)
    if guard is None and required is not None:
        guard = parameter_ref(st.text(required), refs, params)
    if guard is not None:
        roles[GUARD] = guard
    if "id" not in roles and len(params) >= 2 and params[1]:
        roles["id"] = params[1]
    return st.text(name), tuple(params), tuple(roles.items()), None, True, template, ()


def handler_condition(node: Node | None, bindings: dict, string: Callable[[Node], str | None]
                      ) -> tuple[str, str] | None:
    """`handler: nameSuffix ? `index${initCap(nameSuffix)}.handler` : 'index.handler'` (in a
    defaults helper the constructor calls with `props.nameSuffix`): what the condition tests, as
    the constructor writes it ("props.nameSuffix", through the helper's parameter `bindings`), and
    the handler when the caller passes nothing for it; None for any other handler."""
    node = st.unwrap(node) if node is not None else None
    if node is None or node.type != "ternary_expression":
        return None
    tested = st.unwrap(node.child_by_field_name("condition"))
    otherwise = node.child_by_field_name("alternative")
    if tested is not None and tested.type == "identifier" and st.text(tested) in bindings:
        tested = st.unwrap(bindings[st.text(tested)][0])
    value = string(otherwise) if otherwise is not None else None
    return (st.text(tested), value) if tested is not None and value is not None else None


def method_factory(call_node: Node, props_node: Node | None, written: dict[str, Node | None],
                   string: Callable[[Node], str | None],
                   path: Callable[[Node], tuple[str, str] | None]) -> FactoryShape | None:
    """The method (not the constructor) of a class of the file's top level whose construct takes
    its id, handler, runtime or code from the method's parameters, or None:

        export abstract class FunctionFactory { abstract createFunction(...): Function; }
        export class PythonFunctionFactory extends FunctionFactory {
          override createFunction(scope: Construct, id: string, props: FunctionProps) {
            return new PythonFunction(scope, id, { entry: "app", ...props });
          }
        }

    Named `Class.method`. Other modules hold an instance, typed as the class or as a class or
    interface it extends or implements (`readonly factory: FunctionFactory`), and call the method
    on it (`props.factory.createFunction(scope, "Main", { index: "main.py" })`): those types are
    the shape's last member (`cdk/method_factories.py` matches the calls). A `static` method is
    called through its class (`Factory.createFunction(...)`), as `cdk/factories.py` already reads."""
    method = enclosing_method(call_node)
    owner = top_level_class(method) if method is not None else None
    class_name = owner.child_by_field_name("name") if owner is not None else None
    method_name = method.child_by_field_name("name") if method is not None else None
    if method is None or owner is None or class_name is None or method_name is None \
            or method_name.type != "property_identifier":
        return None
    params, refs, roles = parameter_roles(method, props_node, written)
    template = asset_template(written, roles, refs, params, string, path)
    if not roles and template is None:
        return None
    guard = guard_ref(call_node, method, refs, params)
    if guard is not None:
        roles[GUARD] = guard
    static = any(child.type == "static" for child in method.children)
    types = () if static else _class_types(owner)
    return (f"{st.text(class_name)}.{st.text(method_name)}", tuple(params), tuple(roles.items()), None, False,
            template, types)


def parameter_roles(method: Node, props_node: Node | None, written: dict[str, Node | None]
                    ) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """(the method's parameters, what each local name refers to among them, the construct's
    settings by role that a parameter gives: written ones, then those spread from the props)."""
    params = parameter_names(method)
    refs = parameter_refs(method, params)
    roles = {role: ref for role, node in written.items()
             if node is not None and (ref := parameter_ref(st.text(node), refs, params)) is not None}
    for role, ref in spread_roles(method, props_node, params).items():
        roles.setdefault(role, ref)
    return params, refs, roles


def code_ref(props_node: Node | None, refs: dict[str, str], params: list[str]) -> str | None:
    """What the caller passes that the construct's `code` is whole (`code: assetCode`, `code:
    props.code`): the caller's `Code.fromAsset(...)` names the code folder (`cdk/factories.py`)."""
    entries = literal_entries(st.unwrap(props_node) or props_node) if props_node is not None else None
    value = next((st.unwrap(v) for key, _, v in entries or [] if key == "code"), None)
    return parameter_ref(st.text(value), refs, params) \
        if value is not None and value.type in ("identifier", "member_expression",
                                                 "shorthand_property_identifier") else None


def guard_ref(call_node: Node, function: Node, refs: dict[str, str], params: list[str]) -> str | None:
    """What the caller passes that the construct is made only with, when it is made in the `if`
    branch of a test of it (`if (scanHandlerPath && scanHandlerPath != "")`, the first operand of
    an `&&` chain): a caller that leaves it out makes no such function."""
    node = call_node
    for ancestor in st.ancestors(call_node):
        if ancestor == function:
            return None
        if ancestor.type == "if_statement" and node == ancestor.child_by_field_name("consequence"):
            tested = st.unwrap(ancestor.child_by_field_name("condition"))
            for _ in range(MAX_MEMBER_DEPTH * 4):   # the first operand of `a && b && c`
                if tested is None or tested.type != "binary_expression" \
                        or st.text(tested.child_by_field_name("operator")) != "&&":
                    break
                tested = st.unwrap(tested.child_by_field_name("left"))
            return parameter_ref(st.text(tested), refs, params) \
                if tested is not None and tested.type in ("identifier", "member_expression") else None
        node = ancestor
    return None


def enclosing_method(node: Node) -> Node | None:
    """The method other than the constructor the construct call is written in, directly."""
    for ancestor in st.ancestors(node):
        if ancestor.type in _FUNCTIONS:
            key = ancestor.child_by_field_name("name")
            return ancestor if ancestor.type == "method_definition" and key is not None \
                and st.text(key) != "constructor" else None
    return None


def _class_types(owner: Node) -> tuple[str, ...]:
    """The class's name, then the classes and interfaces it extends or implements, and theirs when
    the file declares them at its top level (`PythonFunctionFactory`, `FunctionFactory`)."""
    program = owner.parent.parent if owner.parent is not None and owner.parent.type == "export_statement" \
        else owner.parent
    classes = {st.text(name): node for node in _top_level_declarations(program)
               if (name := node.child_by_field_name("name")) is not None}
    name = owner.child_by_field_name("name")
    types = [st.text(name)] if name is not None else []
    pending = [owner]
    while pending and len(types) < MAX_BASES:
        for base in _bases(pending.pop()):
            if base not in types:
                types.append(base)
                if base in classes:
                    pending.append(classes[base])
    return tuple(types[:MAX_BASES])


def _top_level_declarations(program: Node | None) -> list[Node]:
    """The classes and interfaces of the file's top level, exported or not."""
    found: list[Node] = []
    for node in program.named_children if program is not None else []:
        if node.type == "export_statement":
            node = node.child_by_field_name("declaration") or node
        if node.type in (*_CLASSES, "interface_declaration"):
            found.append(node)
    return found


def _bases(declaration: Node) -> list[str]:
    """`extends A implements B, C` of a class (`extends A, B` of an interface): the names written."""
    names: list[str] = []
    for child in declaration.named_children:
        if child.type not in ("class_heritage", "extends_type_clause"):
            continue
        clauses = child.named_children if child.type == "class_heritage" else [child]
        for clause in clauses:
            for item in clause.named_children if clause.type in (
                    "extends_clause", "implements_clause", "extends_type_clause") else [clause]:
                if item.type in ("identifier", "type_identifier"):
                    names.append(st.text(item))
    return names


def asset_template(written: dict[str, Node | None], roles: dict[str, str], refs: dict[str, str],
                   params: list[str], string: Callable[[Node], str | None],
                   path: Callable[[Node], tuple[str, str] | None]) -> PathTemplate | None:
    """The asset folder (or `NodejsFunction` entry) a helper builds from what its caller passes
    (`path.join(__dirname, '..', 'runtime', props.entry)`), when no role takes it whole."""
    for role in ("asset", "entry"):
        node = written.get(role)
        if node is not None and role not in roles:
            found = path_template(node, role, lambda text: parameter_ref(text, refs, params), string, path)
            if found is not None:
                return found
    return None


def enclosing_constructor(node: Node) -> Node | None:
    """The `constructor(...)` the construct call is written in, directly (not in a nested function)."""
    for ancestor in st.ancestors(node):
        if ancestor.type in _FUNCTIONS:
            key = ancestor.child_by_field_name("name")
            return ancestor if ancestor.type == "method_definition" and key is not None \
                and st.text(key) == "constructor" else None
    return None


def top_level_class(constructor: Node) -> Node | None:
    """The class a constructor belongs to, when it is declared at the file's top level (exported or not)."""
    body = constructor.parent
    owner = body.parent if body is not None else None
    if owner is None or owner.type not in _CLASSES:
        return None
    holder = owner.parent
    if holder is not None and holder.type == "export_statement":
        holder = holder.parent
    return owner if holder is not None and holder.type == "program" else None


def parameter_names(function: Node) -> list[str]:
    """The constructor's parameter names (`scope: Construct`, `props?: P`, `props = {}`); "" for a pattern."""
    parameters = function.child_by_field_name("parameters")
    names: list[str] = []
    for parameter in parameters.named_children if parameters is not None else []:
        if parameter.type == "comment":
            continue
        pattern = parameter.child_by_field_name("pattern") or parameter
        if pattern.type == "assignment_pattern":
            pattern = pattern.child_by_field_name("left") or pattern
        names.append(st.text(pattern) if pattern.type == "identifier" else "")
    return names


def spread_roles(constructor: Node, props_node: Node | None, params: list[str]) -> dict[str, str]:
    """The roles the construct's properties take from a spread of a parameter of the constructor
    (or of the helper function around it: `{ runtime: ..., ...props }`), or of what is left of it
    once the constructor takes some out (`const { api, ...restProps } = props`), unless the
    construct writes them again after the spread; all of them when the properties are such a
    parameter or member whole (`props.functionProps`)."""
    entries = literal_entries(st.unwrap(props_node) or props_node) if props_node is not None else None
    rests = _rests(constructor, params)
    whole = _spread_source(st.unwrap(props_node) or props_node, params, rests) \
        if props_node is not None and entries is None else None
    if whole is not None:   # `new Function(this, 'Fn', props.functionProps)`: all of it, as if spread
        return {role: f"{whole[0]}.{key}" for role, key in _SPREAD_ROLES if key not in whole[1]}
    if not entries:
        return {}
    # where each key is last written: a spread is overridden by a key written after it. Asked once
    # per spread, a set of the later keys would cost the square of a hostile literal's length.
    last_written = {k[:1].lower() + k[1:]: index for index, (k, _, _) in enumerate(entries) if k != "..."}
    roles: dict[str, str] = {}
    for index, (key, _, value) in enumerate(entries):
        if key != "...":
            continue
        source = _spread_source(value, params, rests)
        if source is None:
            continue
        parameter, taken = source
        for role, key in _SPREAD_ROLES:
            if key not in taken and last_written.get(key, -1) < index:
                roles[role] = f"{parameter}.{key}"
    return roles


def _spread_source(value: Node, params: list[str], rests: dict[str, tuple[str, set[str]]]
                   ) -> tuple[str, set[str]] | None:
    """What a spread passes on of the caller's: a parameter (`...props`), what is left of it
    (`...restProps`), or one member of it (`...props.lambdaOverrides`, the settings a caller
    overrides the class's defaults with, or one a few members deep): (its reference, the keys taken
    out), else None."""
    if value.type == "identifier":
        return (st.text(value), set()) if st.text(value) in params else rests.get(st.text(value))
    if value.type == "member_expression":   # or deeper, `props.target.lambdaFunctionProps`
        head, _, member = st.text(value).partition(".")
        parts = member.split(".")
        if head in params and len(parts) < MAX_MEMBER_DEPTH and all(part.isidentifier() for part in parts):
            return f"{head}.{member}", set()
    return None


def _rests(constructor: Node, params: list[str]) -> dict[str, tuple[str, set[str]]]:
    """`const { api, tables = [], ...restProps } = props` in the constructor's own body:
    "restProps" → ("props", the names taken out before it)."""
    body = constructor.child_by_field_name("body")
    found: dict[str, tuple[str, set[str]]] = {}
    for statement in body.named_children if body is not None else []:
        if statement.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in statement.named_children:
            pattern = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            value = declarator.child_by_field_name("value") if pattern is not None else None
            if pattern is None or value is None or pattern.type != "object_pattern" \
                    or value.type != "identifier" or st.text(value) not in params:
                continue
            taken: set[str] = set()
            for item in pattern.named_children:
                if item.type == "shorthand_property_identifier_pattern":
                    taken.add(st.text(item))
                elif item.type in ("object_assignment_pattern", "pair_pattern") and item.named_children:
                    key = item.child_by_field_name("key") or item.named_children[0]
                    taken.add(st.text(key))
                elif item.type == "rest_pattern" and item.named_children:
                    found[st.text(item.named_children[0])] = (st.text(value), set(taken))
    return found


def declared_in(constructor: Node, name: str) -> Node | None:
    """The value of `const name = ...` in the constructor's own body (`const finalProps = {...}`)."""
    body = constructor.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        if statement.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in statement.named_children:
            pattern = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if pattern is not None and pattern.type == "identifier" and st.text(pattern) == name:
                return declarator.child_by_field_name("value")
    return None


def top_level_function(node: Node) -> Node | None:
    """The function of the file's top level (exported or not) `node` sits in: `function f(...)
    {...}` or `const f = (...) => {...}`; None inside a method or a nested function."""
    for ancestor in st.ancestors(node):
        if ancestor.type == "function_declaration":
            holder = ancestor.parent
        elif ancestor.type in ("arrow_function", "function_expression") and ancestor.parent is not None \
                and ancestor.parent.type == "variable_declarator":
            holder = ancestor.parent.parent.parent if ancestor.parent.parent is not None else None
        else:
            continue
        if holder is not None and holder.type == "export_statement":
            holder = holder.parent
        return ancestor if holder is not None and holder.type == "program" else None
    return None
