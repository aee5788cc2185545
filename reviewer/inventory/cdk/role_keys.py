"""Which role a CDK expression stands for, so a role's statements reach every function given it
(TypeScript, JavaScript, Java, Kotlin, C#, Go; Python in `cdk/python_role_keys.py`).

An app often makes one role and gives it to many functions: `const role = new iam.Role(...)`,
`const role = this.createLambdaRole()` (a method that makes the role, adds its statements with
`role.addToPolicy(...)` and returns it), `this.role = new Role(...)` read as `role: this.role` in
another method, or `role: otherFn.role`. The statements are added where the role is made and the
role is given where each function is made, often under different names, or under the same name in
different methods (`role` inside the helper, `role` in the constructor), so names alone cannot tie
them. Each expression is followed to the call that makes the role (a variable, a field, a helper's
`return`, all through `ValueReader`; a parameter of a method the file calls once, through that
call's argument) and the role is named by that call's place: the module and
the byte it starts at. An expression that cannot be followed keeps its last name (`name:role`),
as the readers matched roles before; `fn.role` of a function stored in the file is that function's
role (`fn:<line>`), its own unless it was given one.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import (
    CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, as_call, enclosing_body, helper_of, member_parts, parts_of,
)
from reviewer.inventory.cdk.values import Env, ValueReader, bind_parameters

Node = tree_sitter.Node
MAX_FOLLOW = 12
_FIELD_HOLDERS = ("this", "self")
_ROLE_MEMBERS = frozenset({"role", "getRole", "Role"})


def name_key(name: str) -> str:
    """The key of a role known only by the name it is held in."""
    return f"name:{name}"


def function_key(line: int) -> str:
    """The key of the role of the function constructed at `line` (`fn.role`)."""
    return f"fn:{line}"


def is_named(key: str | None) -> bool:
    """Whether the key is a fallback name rather than a role followed to where it is made."""
    return key is None or key.startswith("name:")


class SourceRoles:
    """Follows role expressions of one file; `stored`: each variable holding a construct of the
    file → its line (`cdk/file_calls.py`)."""

    def __init__(self, reader: ValueReader, stored: dict[str, int]) -> None:
        self.reader = reader
        self.stored = stored
        self._fields: dict[str, list[Node]] | None = None
        self._by_name: dict[str, list[Call]] | None = None

    def key(self, node: Node | None, env: Env) -> str | None:
        """The role `node` stands for (see the module); None when it is no name, field or call."""
        reader = self.reader
        for _ in range(MAX_FOLLOW):
            node = st.unwrap(node)
            if node is None:
                return None
            if node.type in CALL_TYPES:
                call = as_call(node)
                imported = imported_role(call) if call is not None else None
                if imported is not None:   # `Role.fromRoleArn(this, id, role.roleArn)`: that role
                    node = imported
                    continue
                followed = reader.helper_result(call, env) if call is not None else None
                if followed is None:   # the call that makes the role (`new Role`, `Role.fromRoleArn`)
                    module = env.origin.module.rel if env.origin is not None else ""
                    return f"{module}@{node.start_byte}"
                node, env = followed
                continue
            field = _field_name(node)
            if field is not None:
                values = self._field_values().get(field, []) if env.origin is None else []
                if len(values) != 1:
                    return name_key(field)
                node, env = values[0], Env(env.bindings, env.depth + 1, env.origin)
                continue
            parts = [st.text(node)] if node.type in IDENTIFIER_TYPES else \
                parts_of(node) if node.type in MEMBER_TYPES else []
            if not parts:
                return None
            if len(parts) >= 2:
                holder = parts[-2]
                if parts[-1].removesuffix("()") in _ROLE_MEMBERS and self.stored.get(holder, -1) > 0:
                    return function_key(self.stored[holder])
                return name_key(parts[-1])
            bound = reader.follow_name(parts[0], env, near=node)
            if bound is None and env.origin is None and parts[0] not in env.bindings:
                bound = self._argument(node, parts[0])
            if bound is None:
                return name_key(parts[0])
            node, env = bound
        return None

    def _argument(self, use: Node, name: str) -> tuple[Node, Env] | None:
        """What the one call of the file passes for the parameter `name` of the method around
        `use` (`this.addListIntegration('orders', listRole)` of a method that makes its function
        with `role`); None when the method is called other than once."""
        body = enclosing_body(use)
        called = helper_name(body) if body is not None else None
        if body is None or called is None:
            return None
        helper = helper_of(body)
        sites = self._calls().get(called, [])
        if name not in helper.params or len(sites) != 1:
            return None
        return bind_parameters(helper, list(sites[0].args), Env()).bindings.get(name)

    def _calls(self) -> dict[str, list[Call]]:
        """The file's calls by the name of the method or function they call, indexed once."""
        if self._by_name is None:
            self._by_name = {}
            for node in st.walk(self.reader.root):
                call = as_call(node) if node.type in CALL_TYPES else None
                if call is not None and call.method and not call.is_new:
                    self._by_name.setdefault(call.method, []).append(call)
        return self._by_name

    def _field_values(self) -> dict[str, list[Node]]:
        """Each field the file assigns (`this.role = new Role(...)`, a field's initializer) → its values."""
        if self._fields is None:
            self._fields = {}
            for node in st.walk(self.reader.root):
                if node.type == "assignment_expression":
                    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                    name = _field_name(left) if left is not None else None
                    if name is not None and right is not None:
                        self._fields.setdefault(name, []).append(right)
                elif node.type in ("public_field_definition", "field_definition"):
                    named, value = node.child_by_field_name("name"), node.child_by_field_name("value")
                    if named is not None and value is not None:
                        self._fields.setdefault(st.text(named), []).append(value)
        return self._fields

    def site_key(self, construct: Node, props_of: Node, site: Node) -> str | None:
        """The role a call of the helper that makes a function passes it: the helper's parameters
        bound to the call's arguments (`this.createLambdaFunction('health', {..., role})` whose
        construct spreads `...options`, or writes `role: props.role`), the construct's `role` read
        through them."""
        body = enclosing_body(construct)
        call = as_call(site) if site.type in CALL_TYPES else None
        if body is None or call is None:
            return None
        env = bind_parameters(helper_of(body), call.args, Env())
        entries = {key[:1].lower() + key[1:]: entry for key, entry in self.reader.props(props_of, env).entries.items()}
        entry = entries.get("role")
        return self.key(entry.value, entry.env) if entry is not None else None


def imported_role(call: Call) -> Node | None:
    """`role` of `Role.fromRoleArn(scope, id, role.roleArn)` (C#'s `Role.FromRoleArn(..., role.RoleArn)`,
    Java's `role.getRoleArn()`, Go's `awsiam.Role_FromRoleArn(..., role.RoleArn(), nil)`): a role the
    app makes, imported again by its ARN, holds the same statements. None for any other call, or an
    ARN written out."""
    method = (call.callee[-1] if call.callee else call.method or "").rpartition("_")[2]
    if method not in ("fromRoleArn", "FromRoleArn") or len(call.args) < 3:
        return None
    arn = st.unwrap(call.args[2])
    read = as_call(arn) if arn is not None and arn.type in CALL_TYPES else None
    if read is not None:   # `role.getRoleArn()`, `role.RoleArn()`
        return st.unwrap(read.receiver) if read.receiver is not None and not read.args \
            and (read.method or "") in ("getRoleArn", "RoleArn") else None
    holder, member = member_parts(arn) if arn is not None else (None, None)
    return st.unwrap(holder) if holder is not None and member in ("roleArn", "RoleArn") else None


def _field_name(node: Node) -> str | None:
    """`this.role` (`self.role`, C#'s `this.Role`) → `role`; None for anything else."""
    if node.type not in MEMBER_TYPES:
        return None
    holder, _, name = st.text(node).partition(".")
    return name if holder in _FIELD_HOLDERS and name.isidentifier() else None


def helper_name(body: Node) -> str | None:
    """The name a function or method is called by: its own, or the variable an arrow function is held in."""
    named = body.child_by_field_name("name")
    if named is None and body.parent is not None and body.parent.type in ("variable_declarator",
                                                                         "public_field_definition"):
        named = body.parent.child_by_field_name("name")
    return st.text(named) if named is not None else None
