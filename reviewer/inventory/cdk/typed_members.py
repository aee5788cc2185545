"""Members of the repository's own classes that a TypeScript CDK construct reads through a typed name.

Larger CDK apps build one construct of shared settings and pass it to the others in their props:

    export interface ApiProps { readonly shared: Shared }          // lib/api.ts
    new lambda.Function(this, "Handler", {
      runtime: props.shared.pythonRuntime,
      code: props.shared.sharedCode.bundleWithLambdaAsset(path.join(__dirname, "functions/api")),
    })

    export class Shared extends Construct {                        // lib/shared/index.ts
      readonly pythonRuntime: lambda.Runtime = lambda.Runtime.PYTHON_3_11;
      readonly sharedCode: AssetBundler;
    }

Nothing is run: the chain is followed through what the source declares. The first name is a
parameter of the enclosing function whose type annotation names an interface, type or class of the
repository (or `this`, the enclosing class); each further member is that declaration's one member
of the name, whose annotation (or `new X(...)` initializer) names the next declaration. The last
member is a class field with an initializer or assigned once in its class (`this.x = ...`), or a
method of the class. Declarations are found in the module itself or in a module of the repository
it imports them from (`cdk/script_modules.py`). Anything else (a union type, a generic, a member
declared twice, a field assigned from a constructor parameter, a package's class) is no answer,
and the construct reader keeps saying the value is computed when the app runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.script_modules import (
    Imported, ScriptModule, ScriptModules, relative_imports, top_level_constants,
)
from reviewer.inventory.cdk.syntax import IDENTIFIER_TYPES, enclosing_body

Node = tree_sitter.Node
# `props.shared.settings.lambda.runtime`: longer chains are not followed.
MAX_PARTS = 6
# `export * from` and `import`/`export { X } from` hops while looking for a declaration.
MAX_HOPS = 4
_CLASSES = frozenset({"class_declaration", "abstract_class_declaration"})
_TYPES = _CLASSES | {"interface_declaration", "type_alias_declaration"}
_PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
_FUNCTIONS = frozenset({"method_definition", "function_declaration", "arrow_function", "function_expression",
                        "function"})


@dataclass(frozen=True)
class Member:
    """What a chain reaches: the expression (a field's value) or method, and the module it is written
    in (None: the file being read)."""

    node: Node
    module: ScriptModule | None


@dataclass(frozen=True)
class _Declaration:
    """A class, interface or type alias a declared type names, and the module it is written in
    (None: the file being read), from which its members are looked up."""

    node: Node
    module: ScriptModule | None


class TypedMembers:
    """Follows member chains through the declared types of one file (`rel`) and the modules it imports."""

    def __init__(self, modules: ScriptModules, rel: str, root: Node) -> None:
        self.modules = modules
        self.rel = rel
        self.root = root
        self._imports: dict[str, Imported] | None = None

    def value(self, node: Node, module: ScriptModule | None) -> Member | None:
        """The value the member chain `node` (written in `module`) holds: a class field's initializer,
        or its one assignment in the class, followed through the module's top-level constants."""
        found = self._member(node, module)
        if found is None:
            return None
        member, owner = found
        if member.type == "public_field_definition" and member.child_by_field_name("value") is not None:
            value = st.unwrap(member.child_by_field_name("value"))
            settled = self._settle(value, owner) if value is not None else None
            return Member(settled, owner.module) if settled is not None else None
        if member.type != "public_field_definition":
            return None
        assigned = _assigned_once(owner.node, _name(member))
        if assigned is None:
            return None
        settled = self._settle(assigned, owner)
        return Member(settled, owner.module) if settled is not None else None

    def method(self, receiver: Node, name: str, module: ScriptModule | None) -> Member | None:
        """The method `name` of the class the chain `receiver` (written in `module`) holds."""
        declaration = self._declaration_of(receiver, module)
        if declaration is None or declaration.node.type not in _CLASSES:
            return None
        members = [m for m in _members(declaration.node) if _name(m) == name]
        if len(members) != 1 or members[0].type != "method_definition" or name == "constructor":
            return None
        return Member(members[0], declaration.module)

    # -- the chain -------------------------------------------------------------------------------

    def _member(self, node: Node, module: ScriptModule | None) -> tuple[Node, _Declaration] | None:
        parts = _parts(node)
        if not 2 <= len(parts) <= MAX_PARTS:
            return None
        declaration = self._head(node, parts[0], module)
        for part in parts[1:-1]:
            declaration = self._next(declaration, part) if declaration is not None else None
        if declaration is None or declaration.node.type not in _CLASSES:
            return None
        members = [m for m in _members(declaration.node) if _name(m) == parts[-1]]
        return (members[0], declaration) if len(members) == 1 else None

    def _declaration_of(self, node: Node, module: ScriptModule | None) -> _Declaration | None:
        parts = _parts(node)
        if not 1 <= len(parts) <= MAX_PARTS:
            return None
        declaration = self._head(node, parts[0], module)
        for part in parts[1:]:
            declaration = self._next(declaration, part) if declaration is not None else None
        return declaration

    def _head(self, use: Node, name: str, module: ScriptModule | None) -> _Declaration | None:
        """The declaration the chain's first name has: `this`'s class, or its parameter's type."""
        if name == "this":
            owner = next((a for a in st.ancestors(use) if a.type in _CLASSES), None)
            return _Declaration(owner, module) if owner is not None else None
        for function in (a for a in st.ancestors(use) if a.type in _FUNCTIONS):
            params = function.child_by_field_name("parameters")
            for param in params.named_children if params is not None else []:
                pattern = param.child_by_field_name("pattern")
                if param.type in _PARAMETERS and pattern is not None and st.text(pattern) == name:
                    return self._typed(param, module)
        return None

    def _next(self, declaration: _Declaration, part: str) -> _Declaration | None:
        members = [m for m in _members(declaration.node) if _name(m) == part]
        if len(members) != 1 or members[0].type == "method_definition":
            return None
        return self._typed(members[0], declaration.module)

    def _typed(self, holder: Node, module: ScriptModule | None) -> _Declaration | None:
        """The declaration a field, property or parameter's type names (or its `new X(...)` value)."""
        annotation = holder.child_by_field_name("type")
        named = annotation.named_children[0] if annotation is not None and annotation.named_children else None
        if named is not None:
            return self._type(st.text(named), module, 0) if named.type == "type_identifier" else None
        value = st.unwrap(holder.child_by_field_name("value"))
        built = value.child_by_field_name("constructor") if value is not None and value.type == "new_expression" \
            else None
        return self._type(st.text(built), module, 0) if built is not None and built.type == "identifier" else None

    def _type(self, name: str, module: ScriptModule | None, hops: int) -> _Declaration | None:
        """The one interface, type or class `name` names in `module` (declared or imported)."""
        root = module.root if module is not None else self.root
        declared = [d for d in _top_level(root) if d.type in _TYPES and _name(d) == name]
        if declared:
            return _Declaration(declared[0], module) if len(declared) == 1 else None
        imports = module.imports if module is not None else self._own_imports()
        wanted = imports.get(name)
        if wanted is None or hops >= MAX_HOPS:
            return None
        target = self.modules.module(module.rel if module is not None else self.rel, wanted.specifier)
        return self._exported(target, wanted.name, hops + 1) if target is not None else None

    def _exported(self, module: ScriptModule, name: str, hops: int) -> _Declaration | None:
        """The declaration `module` exports as `name`: its own, or one it re-exports."""
        if hops > MAX_HOPS:
            return None
        declared = [d for d in _top_level(module.root) if d.type in _TYPES and _name(d) == name]
        if declared:
            return _Declaration(declared[0], module) if len(declared) == 1 else None
        found = module.exports.get(name)
        if isinstance(found, Imported):
            target = self.modules.module(module.rel, found.specifier)
            return self._exported(target, found.name, hops + 1) if target is not None else None
        for specifier in module.star_exports:
            target = self.modules.module(module.rel, specifier)
            hit = self._exported(target, name, hops + 1) if target is not None else None
            if hit is not None:
                return hit
        return None

    def _settle(self, value: Node, owner: _Declaration) -> Node | None:
        """A field's value with the names it reads followed to the module's top-level constants
        (`readonly runtime = pythonRuntime`, `const pythonRuntime = ...` above the class); None
        when it reads a parameter of the function that assigns it, which a caller fills in."""
        root = owner.module.root if owner.module is not None else self.root
        for _ in range(MAX_HOPS):
            function = enclosing_body(value)
            params = function.child_by_field_name("parameters") if function is not None else None
            names = {st.text(p.child_by_field_name("pattern") or p) for p in params.named_children} \
                if params is not None else set()
            if any(n.type in IDENTIFIER_TYPES and st.text(n) in names for n in st.walk(value, max_depth=8)):
                return None
            if value.type not in IDENTIFIER_TYPES or function is not None and _declares(function, st.text(value)):
                return value
            constant = top_level_constants(root).get(st.text(value))
            if constant is None:
                return value
            value = st.unwrap(constant) or constant
        return value

    def _own_imports(self) -> dict[str, Imported]:
        if self._imports is None:
            self._imports = relative_imports(self.root)
        return self._imports


def _top_level(root: Node) -> list[Node]:
    """The module's top-level declarations, exported or not."""
    found = []
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" \
            else statement
        if declaration is not None:
            found.append(declaration)
    return found


def _members(declaration: Node) -> list[Node]:
    """A class's fields, methods and constructor parameter properties; an interface's or object
    type's properties."""
    body = declaration.child_by_field_name("body") or declaration.child_by_field_name("value")
    if body is None:
        return []
    found = [m for m in body.named_children if m.type in ("public_field_definition", "method_definition",
                                                          "property_signature")]
    constructor = next((m for m in found if m.type == "method_definition" and _name(m) == "constructor"), None)
    params = constructor.child_by_field_name("parameters") if constructor is not None else None
    for param in params.named_children if params is not None else []:
        if param.type in _PARAMETERS and any(c.type in ("accessibility_modifier", "readonly")
                                             for c in param.children):
            found.append(param)   # `constructor(private readonly shared: Shared)`
    return found


def _parts(node: Node | None) -> list[str]:
    """`this.shared.code` → [this, shared, code]; `props.shared` → [props, shared]; [] for anything
    computed (a call, an index, optional chaining's `?.` reads the same as `.`)."""
    parts: list[str] = []
    for _ in range(MAX_PARTS + 1):
        node = st.unwrap(node) if node is not None else None
        if node is None:
            return []
        if node.type in ("this", "identifier"):
            return [st.text(node), *reversed(parts)]
        prop = node.child_by_field_name("property") if node.type == "member_expression" else None
        if prop is None or prop.type != "property_identifier":
            return []
        parts.append(st.text(prop))
        node = node.child_by_field_name("object")
    return []


def _name(node: Node) -> str:
    name = node.child_by_field_name("name") or node.child_by_field_name("pattern")
    return st.text(name) if name is not None else ""


def _declares(function: Node, name: str) -> bool:
    """Whether `function` declares a variable `name` of its own (which the value reader follows)."""
    return any(node.type == "variable_declarator" and _name(node) == name for node in st.walk(function))


def _assigned_once(owner: Node, name: str) -> Node | None:
    """The value of the class's one `this.name = value` (None when it assigns it elsewhere or twice)."""
    found: list[Node] = []
    for node in st.walk(owner):
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            if _parts(left) == ["this", name]:
                found.append(node)
    value = found[0].child_by_field_name("right") if len(found) == 1 else None
    if value is None or found[0].type != "assignment_expression":
        return None
    return st.unwrap(value) or value


__all__ = ["Member", "TypedMembers"]
