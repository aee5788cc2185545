"""One view of calls, declarations and literal properties over the syntax trees of six languages.

The CDK reader asks the same questions of TypeScript, JavaScript, Java, Kotlin, C# and Go: what
does this call call, with which arguments, on which receiver; which value does this name hold;
what does this helper return; which keys does this object literal, object initializer or struct
literal set. Each grammar spells those differently (`new_expression`, `object_creation_expression`,
`method_invocation`, `invocation_expression`, Kotlin's field-less `call_expression`); this module
answers in one shape so the reader itself has no per-language branches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.csharp_records import record_entries
from reviewer.inventory.cdk.constructs import RESOURCE_ATTRIBUTES, resource_name

Node = tree_sitter.Node

CALL_TYPES = frozenset({"new_expression", "call_expression", "object_creation_expression", "method_invocation",
                        "invocation_expression", "implicit_object_creation_expression"})
MAX_HOLDER_DEPTH = 12  # `this.a.b...`: deeper chains name no construct
MEMBER_TYPES = frozenset({"member_expression", "field_access", "selector_expression", "member_access_expression",
                          "navigation_expression", "scoped_identifier"})
IDENTIFIER_TYPES = frozenset({"identifier", "simple_identifier", "shorthand_property_identifier",
                              "property_identifier", "field_identifier", "type_identifier"})
# Nested functions and classes: a helper's `return` is looked for outside them.
_SCOPES = frozenset({"arrow_function", "function_expression", "function", "function_declaration",
                     "method_definition", "lambda_expression", "anonymous_function_expression", "func_literal",
                     "lambda_literal", "anonymous_function", "local_function_statement", "class_declaration",
                     "class_body", "method_declaration"})
_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "method_definition", "method_declaration",
                                    "local_function_statement", "generator_function_declaration"})
MAX_FUNCTION_BODY_NODES = 5000


def same(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and (a.start_byte, a.end_byte, a.type) == (b.start_byte, b.end_byte, b.type)


def parts_of(node: Node | None) -> list[str]:
    """`a.b.C` → [a, b, C] for names, member accesses and qualified types; [] for anything computed."""
    if node is None:
        return []
    name = st.dotted(node)
    if not name and node.type in ("scoped_type_identifier", "qualified_type", "qualified_name", "generic_type",
                                  "user_type", "nested_type_identifier", "scoped_identifier"):
        raw = "".join(st.text(node).split())
        name = raw.split("<", 1)[0]
        if not all(part.replace("_", "a").replace("$", "a").isalnum() for part in name.split(".")):
            return []
    return [part for part in name.split(".") if part] if name else []


@dataclass(frozen=True)
class Call:
    """A call or `new` in any language: what it calls, its arguments, and its receiver when a method."""

    node: Node
    callee: list[str]
    args: list[Node]
    receiver: Node | None = None
    method: str | None = None
    is_new: bool = False


_THIS_TYPES = frozenset({"this", "this_expression"})
_MAP_OF = frozenset({"mapOf", "mutableMapOf", "hashMapOf"})


def holder_parts(node: Node | None) -> list[str]:
    """`parts_of`, and also a member of the stack itself: `this.uploads.bucketName` → [this, uploads,
    bucketName] (`parts_of` stops at `this`, which no grammar spells as an identifier), so a
    construct kept in a field is named as `resource_name` names it on both sides of a match."""
    names: list[str] = []
    current = node
    for _ in range(MAX_HOLDER_DEPTH):
        if current is None or current.type not in MEMBER_TYPES | _THIS_TYPES:
            break
        if current.type in _THIS_TYPES or st.text(current) == "this":
            return ["this", *reversed(names)] if names else []
        current, name = member_parts(current)
        if name is None:
            break
        names.append(name)
    return parts_of(node)


def attribute_holder(node: Node) -> str | None:
    """The construct an attribute read names: `bucket.bucketName`, Java's `bucket.getBucketName()`,
    C#'s `Bucket.BucketName`, Go's `bucket.BucketName()` → `bucket`; None for anything else."""
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None:
        if call.args or call.receiver is None or not call.method:
            return None
        attribute = call.method[3:] if call.method.startswith("get") and call.method[3:4].isupper() else call.method
        names = [*holder_parts(st.unwrap(call.receiver)), _lower_first(attribute)]
    else:
        names = holder_parts(node) if node.type in MEMBER_TYPES else []
    if len(names) >= 2 and _lower_first(names[-1]) in RESOURCE_ATTRIBUTES:
        return resource_name(names[:-1])
    return None


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def member_parts(member: Node) -> tuple[Node | None, str | None]:
    """The receiver and the member name of `receiver.name` in any grammar."""
    if member.type == "navigation_expression":
        named = [child for child in member.named_children if child.type not in ("comment", "line_comment",
                                                                               "multiline_comment")]
        if len(named) != 2:
            return None, None
        suffix = named[1]
        last = suffix.named_children[-1] if suffix.named_children else suffix
        return named[0], st.text(last)
    receiver = (member.child_by_field_name("object") or member.child_by_field_name("operand")
                or member.child_by_field_name("expression") or member.child_by_field_name("scope"))
    name = (member.child_by_field_name("property") or member.child_by_field_name("field")
            or member.child_by_field_name("name"))
    return receiver, (st.text(name) if name is not None else None)


def callee_node(node: Node) -> Node | None:
    if node.type == "new_expression":
        return node.child_by_field_name("constructor")
    if node.type in ("object_creation_expression", "implicit_object_creation_expression"):
        return node.child_by_field_name("type")
    if node.type == "method_invocation":
        return None
    found = node.child_by_field_name("function")
    if found is None and node.named_children and node.type == "call_expression":
        found = node.named_children[0]   # Kotlin: the callee is the first child, unnamed by field
    return found


def as_call(node: Node) -> Call | None:
    """The call `node` is, or None when it is not a call in any language read here."""
    kind = node.type
    if kind not in CALL_TYPES:
        return None
    args = st.arguments(node)
    if kind == "method_invocation":   # Java: object.name(args)
        receiver = node.child_by_field_name("object")
        name = st.text(node.child_by_field_name("name"))
        prefix = parts_of(receiver) if receiver is not None else []
        callee = prefix + [name] if (receiver is None or prefix) else []
        return Call(node, callee, args, receiver, name)
    target = callee_node(node)
    is_new = kind != "call_expression" and kind != "invocation_expression"
    if target is None:
        return Call(node, [], args, is_new=is_new)
    receiver = method = None
    if target.type in MEMBER_TYPES and target.type != "scoped_identifier":
        receiver, method = member_parts(target)
    elif target.type in IDENTIFIER_TYPES:
        method = st.text(target)
    return Call(node, parts_of(target), args, receiver, method, is_new)


def chain_end(node: Node, limit: int = 200) -> Node:
    """The last call of the method chain `node` starts (`Builder.create(...).runtime(x).build()`
    from its `create`), or `node` itself when nothing is chained on it (bounded by `limit` links)."""
    top = node
    for _ in range(limit):
        outer = outer_call(top)
        if outer is None:
            break
        top = outer
    return top


def outer_call(node: Node) -> Node | None:
    """The call whose receiver is `node` (`node.next(...)`), climbing one link of a method chain."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "method_invocation" and same(parent.child_by_field_name("object"), node):
        return parent
    if parent.type in MEMBER_TYPES and parent.parent is not None and parent.parent.type in CALL_TYPES:
        receiver, _ = member_parts(parent)
        if same(receiver, node) and same(callee_node(parent.parent), parent):
            return parent.parent
    return None


@dataclass
class Helper:
    """A function or method of the file: its parameter names and the expressions it returns."""

    params: list[str]
    body: Node | None
    expression_body: Node | None = None

    def returns(self) -> list[Node]:
        if self.expression_body is not None:
            return [self.expression_body]
        if self.body is None:
            return []
        found: list[Node] = []
        for count, node in enumerate(st.walk(self.body, descend=lambda n: n.type not in _SCOPES)):
            if count > MAX_FUNCTION_BODY_NODES:
                break
            if node.type in ("return_statement", "return_expression"):
                value = node.named_children[0] if node.named_children else None
                if value is not None and value.type == "expression_list":
                    value = value.named_children[0] if value.named_children else None
                if value is not None:
                    found.append(value)
        return found


@dataclass
class Declarations:
    """Every name the file gives a value (variables, constants, fields) and every helper it defines."""

    variables: dict[str, list[Node]] = field(default_factory=dict)
    helpers: dict[str, list[Helper]] = field(default_factory=dict)

    def value(self, name: str, near: Node | None = None) -> Node | None:
        """The one value the file gives `name`; when it gives several (`props` in two helpers), the
        one given in the function body that encloses `near`, the place the name is used."""
        values = self.variables.get(name, [])
        if len(values) == 1:
            return values[0]
        if near is None or not values:
            return None
        scope = enclosing_body(near)
        local = [value for value in values if same(enclosing_body(value), scope) and value.start_byte < near.start_byte]
        return local[0] if scope is not None and len(local) == 1 else None

    def helper(self, name: str) -> Helper | None:
        helpers = self.helpers.get(name, [])
        return helpers[0] if len(helpers) == 1 else None


# Nodes whose body is a scope of its own for the names declared in it, in every CDK language.
_SCOPES = _FUNCTION_DECLARATIONS | frozenset({
    "arrow_function", "function_expression", "function", "constructor_declaration", "func_literal",
    "lambda_expression", "anonymous_function", "secondary_constructor", "lambda_literal",
})


def enclosing_body(node: Node) -> Node | None:
    """The nearest function, method or lambda around `node`; None at the top of the file."""
    return next((parent for parent in st.ancestors(node) if parent.type in _SCOPES), None)


_ASSIGNMENTS = ("variable_declarator", "public_field_definition", "field_definition", "var_spec", "const_spec",
                "property_declaration", "short_var_declaration", "assignment_expression", "assignment_statement")


def value_before(root: Node, name: str, use: Node) -> Node | None:
    """The value `name` was last given before `use` in the file (`rule = new Rule(...)` reassigned
    further down names another rule): the last assignment that ends before it, else None."""
    found: Node | None = None
    for node in st.walk(root):
        if node.type not in _ASSIGNMENTS or node.end_byte > use.start_byte:
            continue
        if node.type == "assignment_statement":      # Go `name = value`
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            pairs = list(zip(left.named_children, right.named_children, strict=False)) \
                if left is not None and right is not None else []
            named = [(st.text(n), v) for n, v in pairs if n.type == "identifier"]
        else:
            named = _named_values(node)
        for assigned, value in named:
            if assigned == name and (found is None or node.start_byte >= found.start_byte):
                found = value
    return found


def declarations(root: Node) -> Declarations:
    found = Declarations()
    for node in st.walk(root):
        kind = node.type
        if kind in ("variable_declarator", "public_field_definition", "field_definition", "var_spec", "const_spec",
                    "property_declaration", "short_var_declaration", "assignment_expression"):
            for name, value in _named_values(node):
                found.variables.setdefault(name, []).append(value)
                if value.type in ("arrow_function", "function_expression", "function", "lambda_expression"):
                    found.helpers.setdefault(name, []).append(_helper(value))
        if kind == "enum_declaration" and node.child_by_field_name("name") is not None:
            found.variables.setdefault(st.text(node.child_by_field_name("name")), []).append(node)
        if kind in _FUNCTION_DECLARATIONS:
            declared = node.child_by_field_name("name")
            if declared is not None:
                found.helpers.setdefault(st.text(declared), []).append(_helper(node))
    return found


def _named_values(node: Node) -> list[tuple[str, Node]]:
    kind = node.type
    if kind in ("short_var_declaration", "var_spec", "const_spec"):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right") or node.child_by_field_name("value")
        names = left.named_children if left is not None else [
            c for c in node.children_by_field_name("name")]
        values = right.named_children if right is not None and right.type == "expression_list" else (
            [right] if right is not None else [])
        return [(st.text(n), v) for n, v in zip(names, values, strict=False) if n.type == "identifier"]
    if kind == "assignment_expression":
        # A field or variable assigned once (`this.props = {...}` counts as `props`); C# initializer
        # entries (`Runtime = ...`) are assignments too but are read as entries, not variables.
        if node.parent is not None and node.parent.type == "initializer_expression":
            return []
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        parts = parts_of(left)
        if right is None or not parts or (len(parts) > 1 and parts[0] not in ("this", "self")):
            return []
        return [(parts[-1], right)]
    if kind == "property_declaration":
        if node.child_by_field_name("type") is not None and node.child_by_field_name("value") is not None:
            value = st.unwrap(node.child_by_field_name("value"))   # C# `T Name => expr;`
            name = node.child_by_field_name("name")
            if value is not None and value.type == "arrow_expression_clause" and value.named_children:
                value = value.named_children[0]
            return [(st.text(name), value)] if name is not None and value is not None else []
        declared = next((c for c in node.named_children if c.type == "variable_declaration"), None)
        if declared is None or not declared.named_children:
            return []
        rest = [c for c in node.named_children if c.start_byte >= declared.end_byte
                and c.type not in ("user_type", "nullable_type", "type_constraints", "getter", "setter")]
        return [(st.text(declared.named_children[0]), rest[0])] if rest else []
    name = node.child_by_field_name("name") or node.child_by_field_name("property")
    value = node.child_by_field_name("value")
    if value is None and name is not None:   # C#: `name = value` without a field on the value
        rest = [c for c in node.named_children if c.start_byte > name.end_byte]
        value = rest[-1] if rest else None
        if value is not None and value.type == "equals_value_clause" and value.named_children:
            value = value.named_children[-1]
    if name is None or value is None or name.type not in IDENTIFIER_TYPES | {"private_property_identifier"}:
        return []
    return [(st.text(name), value)]


def helper_of(node: Node) -> Helper:
    """A function, arrow function or method node as a `Helper` (another module's export, too)."""
    return _helper(node)


FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "function_declaration",
                             "generator_function_declaration"})


def _helper(node: Node) -> Helper:
    params_node = (node.child_by_field_name("parameters")
                   or next((c for c in node.named_children if c.type in ("function_value_parameters",
                                                                          "formal_parameters")), None))
    params = _parameter_names(params_node) if params_node is not None else []
    if node.type == "arrow_function" and params_node is None and node.child_by_field_name("parameter"):
        params = [st.text(node.child_by_field_name("parameter"))]
    body = node.child_by_field_name("body") or next(
        (c for c in node.named_children if c.type in ("function_body", "block", "arrow_expression_clause")), None)
    if body is not None and body.type == "function_body":  # Kotlin: `= expr` or `{ ... }`
        inner = body.named_children[0] if body.named_children else None
        if inner is not None and inner.type != "block" and inner.type != "statements":
            return Helper(params, None, inner)
        body = inner
    if body is not None and body.type == "arrow_expression_clause":
        return Helper(params, None, body.named_children[0] if body.named_children else None)
    if body is not None and body.type not in ("statement_block", "block", "statements", "constructor_body"):
        return Helper(params, None, body)   # `(x) => ({...})`
    return Helper(params, body)


def _parameter_names(params: Node) -> list[str]:
    names: list[str] = []
    for child in params.named_children:
        if child.type in ("identifier", "simple_identifier"):
            names.append(st.text(child))
            continue
        target = (child.child_by_field_name("pattern") or child.child_by_field_name("left")
                  or child.child_by_field_name("name"))
        named = child.children_by_field_name("name")
        if len(named) > 1:   # Go: `a, b string`
            names.extend(st.text(n) for n in named)
            continue
        if target is None:
            target = next((c for c in child.named_children if c.type in ("identifier", "simple_identifier")), None)
        if target is not None and target.type in ("identifier", "simple_identifier"):
            names.append(st.text(target))
        elif child.type != "comment":
            names.append("")   # a destructured or unnamed parameter keeps its position
    return names


def key_name(key: Node) -> str | None:
    """An object key as written: `runtime`, `'runtime'`, C#/Go `Runtime` (computed keys give None)."""
    value = st.string_value(key)
    if value is not None:
        return value
    if key.type in IDENTIFIER_TYPES or key.type == "private_property_identifier":
        return st.text(key)
    if key.type == "literal_element" and key.named_children:
        return key_name(key.named_children[0])
    return None


def literal_entries(node: Node, key_of: Callable[[Node], str | None] | None = None
                    ) -> list[tuple[str, Node, Node]] | None:
    """(key, key node, value) of an object literal, C# object initializer or Go struct literal.

    A spread (`...defaults`) is returned under the key "..." with the spread expression as value.
    None when `node` is none of those forms. `key_of` names a map's key that is no string
    literal (an enum constant's name), for the maps built by a call.
    """
    kind = node.type
    items: list[tuple[str, Node, Node]] = []
    if kind == "object":
        for child in node.named_children:
            if child.type == "pair":
                key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                name = key_name(key) if key is not None else None
                if name is not None and value is not None:
                    items.append((name, key, value))   # type: ignore[arg-type]
            elif child.type == "shorthand_property_identifier":
                items.append((st.text(child), child, child))
            elif child.type == "spread_element" and child.named_children:
                items.append(("...", child, child.named_children[0]))
        return items
    if kind in ("object_creation_expression", "implicit_object_creation_expression"):
        initializer = node.child_by_field_name("initializer") or next(
            (c for c in node.named_children if c.type == "initializer_expression"), None)
        if initializer is None:
            return record_entries(node) if kind == "object_creation_expression" else None   # `new Route("/a", h)`
        for child in initializer.named_children:
            if child.type == "assignment_expression":
                left, right = child.child_by_field_name("left"), child.child_by_field_name("right")
                if left is not None and right is not None and left.type == "identifier":
                    items.append((st.text(left), left, right))
                elif left is not None and right is not None and left.type == "element_binding_expression":
                    index = _keyed_string(left.named_children[0] if left.named_children else None)
                    if index is not None:
                        items.append((index, left, right))       # a dictionary's `["KEY"] = value`
            elif child.type == "initializer_expression" and len(child.named_children) == 2:
                pair = _keyed_string(child.named_children[0])
                if pair is not None:
                    items.append((pair, child.named_children[0], child.named_children[1]))  # `{ "KEY", value }`
        return items
    if kind in CALL_TYPES:
        return _map_call_entries(node, key_of)
    if kind == "enum_declaration":   # TypeScript `enum Events { SOURCE = "orders" }`: its initialised members
        body = node.child_by_field_name("body")
        for child in body.named_children if body is not None else []:
            name_node, value = child.child_by_field_name("name"), child.child_by_field_name("value")
            if child.type == "enum_assignment" and name_node is not None and value is not None:
                items.append((st.text(name_node), name_node, value))
        return items
    if kind == "unary_expression" and st.text(node).startswith("&"):
        operand = node.child_by_field_name("operand")
        return literal_entries(operand) if operand is not None else None
    if kind in ("composite_literal", "literal_value"):   # Go `T{K: v}`, and `{K: v}` in a `[]*T{...}`
        body = node.child_by_field_name("body") if kind == "composite_literal" else node
        for child in body.named_children if body is not None else []:
            if child.type == "keyed_element":
                key = child.child_by_field_name("key") or (child.named_children[0] if child.named_children else None)
                value = child.child_by_field_name("value") or (
                    child.named_children[1] if len(child.named_children) > 1 else None)
                name = key_name(key) if key is not None else None
                inner = st.unwrap(value)
                if name is not None and inner is not None and key is not None:
                    items.append((name, key, inner))
        return items
    return None


def _keyed_string(node: Node | None) -> str | None:
    node = st.unwrap(node)
    return st.string_value(node) if node is not None else None


def _map_call_entries(node: Node, key_of: Callable[[Node], str | None] | None = None
                      ) -> list[tuple[str, Node, Node]] | None:
    """A map built by a call of literal keys: Java's `Map.of("K", v, ...)`, `Map.ofEntries(
    Map.entry("K", v))` and `Collections.singletonMap("K", v)`, Kotlin's `mapOf("K" to v)` (and `mutableMapOf`, `hashMapOf`); None otherwise."""
    call = as_call(node)
    if call is None or not call.callee:
        return None
    args = [st.unwrap(arg) or arg for arg in call.args]
    pairs: list[tuple[Node, Node]] = []
    if (call.callee[-2:] == ["Map", "of"] and len(args) % 2 == 0) or (
            call.callee[-2:] == ["Collections", "singletonMap"] and len(args) == 2):
        pairs = list(zip(args[::2], args[1::2], strict=True))
    elif call.callee[-2:] == ["Map", "ofEntries"]:
        entries = [as_call(arg) for arg in args]
        pairs = [(entry.args[0], entry.args[1]) for entry in entries
                 if entry is not None and entry.callee[-2:] == ["Map", "entry"] and len(entry.args) == 2]
    elif call.callee[-1] in _MAP_OF and not call.receiver:
        for arg in args:
            operator = arg.named_children[1] if arg.type == "infix_expression" and len(arg.named_children) == 3 \
                else None
            if operator is not None and st.text(operator) == "to":
                pairs.append((arg.named_children[0], arg.named_children[2]))
    else:
        return None
    if 2 * len(pairs) != len(args) and len(pairs) != len(args):
        return None    # an entry that is not a literal pair: the map is not read at all
    items = [(key, key_node, value) for key_node, value in pairs
             if (key := _keyed_string(key_node) or (key_of(st.unwrap(key_node) or key_node) if key_of else None))
             is not None]
    return items if len(items) == len(pairs) else None


def within(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def fallback(node: Node) -> tuple[Node, Node] | None:
    """(value, default) of `a ?? b`, `a || b` (TS/JS, C#) and Kotlin's `a ?: b`."""
    if node.type == "elvis_expression" and len(node.named_children) == 2:
        return node.named_children[0], node.named_children[1]
    if node.type != "binary_expression":
        return None
    operator = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if operator is None or left is None or right is None or st.text(operator) not in ("??", "||", "?:"):
        return None   # Kotlin's `a ?: b` is a binary expression in the grammar installed here
    return left, right


def superclass(node: Node) -> Node | None:
    """The base class node of a class declaration in TS/JS, Java, C# or Kotlin."""
    for child in node.named_children:
        if child.type == "class_heritage":
            clause = next((c for c in child.named_children if c.type == "extends_clause"), None)
            value = clause.child_by_field_name("value") if clause is not None else None
            if value is None and clause is None and child.named_children:
                value = child.named_children[0]   # JavaScript: class_heritage holds the expression
            return value
        if child.type == "superclass" and child.named_children:
            return child.named_children[0]
        if child.type == "base_list" and child.named_children:
            first = child.named_children[0]
            return first.named_children[0] if first.type == "primary_constructor_base_type" and \
                first.named_children else first
        if child.type == "delegation_specifiers" and child.named_children:
            specifier = child.named_children[0]
            invocation = next((c for c in st.walk(specifier, max_depth=2) if c.type in ("constructor_invocation",
                                                                                         "user_type")), None)
            if invocation is not None and invocation.type == "constructor_invocation":
                return next((c for c in invocation.named_children if c.type == "user_type"), None)
            return invocation
    return None


def super_arguments(node: Node, base: Node) -> list[Node] | None:
    """The arguments of the call that passes properties to the construct's constructor."""
    if node.type == "call_expression" and node.named_children and node.named_children[0].type == "super":
        return st.arguments(node)
    if node.type == "explicit_constructor_invocation" and st.text(node).startswith("super"):
        return st.arguments(node)
    if node.type == "constructor_initializer" and st.text(node).lstrip(": \t\r\n").startswith("base"):
        return st.arguments(node)
    if node.type == "constructor_invocation" and node.parent is not None and within(base, node):
        return st.arguments(node)
    return None


# Expressions a construct call sits inside and still is the value of: `new X(...).with(...)`,
# `X.Builder.create(...).build()`, `await`, `(...)`, `as T`, Go's `&X{}`.
_VALUE_WRAPPERS = frozenset(CALL_TYPES | MEMBER_TYPES | {
    "parenthesized_expression", "await_expression", "as_expression", "non_null_expression", "unary_expression",
    "call_suffix", "navigation_suffix", "value_arguments", "equals_value_clause", "expression_list",
    "satisfies_expression"})
_DECLARATORS = frozenset({"variable_declarator", "property_declaration", "short_var_declaration", "var_spec",
                          "assignment_expression", "assignment", "assignment_statement", "lexical_declaration"})


def assigned_name(node: Node) -> str | None:
    """The variable or field a construct is stored in: `const handler = new Function(...)` → handler,
    `this.fn = ...` → fn, `val fn = Function.Builder.create(...).build()` → fn; None when it is not stored."""
    child = node
    for parent in st.ancestors(node):
        if parent.type in _DECLARATORS:
            target = (parent.child_by_field_name("name") or parent.child_by_field_name("left")
                      or next((c for c in parent.named_children if c.type in ("variable_declaration",
                                                                              "directly_assignable_expression")), None)
                      or (parent.named_children[0] if parent.named_children else None))
            if target is None or same(target, child):
                return None
            names = [n for n in st.walk(target) if n.type in IDENTIFIER_TYPES]
            return st.text(names[-1]) if names else None
        if parent.type in ("value_argument", "arguments", "argument_list") or parent.type not in _VALUE_WRAPPERS:
            return None
        # a call's callee or receiver keeps the value; an argument of it does not
        if parent.type in CALL_TYPES and any(same(child, a) for a in parent.named_children
                                             if a.type in ("arguments", "argument_list", "value_arguments")):
            return None
        child = parent
    return None
