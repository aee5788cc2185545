"""IAM statements and managed policies a CDK app in TypeScript, JavaScript, Java, Kotlin, C# or Go
gives its functions' roles, read with tree-sitter (`cdk/policies.py` says what is read and why).

Each language spells the same calls its own way, and the reader compares them in one spelling:

- a statement: `new iam.PolicyStatement({...})`, Java's `PolicyStatement.Builder.create()...build()`
  (or `new PolicyStatement(PolicyStatementProps.builder()...build())`), Kotlin's
  `PolicyStatement(...)`, C#'s `new PolicyStatement(new PolicyStatementProps {...})`, Go's
  `awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{...})`;
- a list: `[...]`, `List.of(...)`, `Arrays.asList(...)`, `listOf(...)`, `new[] {...}`,
  `&[]*string{...}`, `jsii.Strings(...)`; a string: a literal or Go's `jsii.String("...")`;
- a method: `addToRolePolicy`, C# and Go `AddToRolePolicy`; a managed policy:
  `ManagedPolicy.fromAwsManagedPolicyName`, Go `awsiam.ManagedPolicy_FromAwsManagedPolicyName`;
- a construct's properties: its third argument, or (Java, Kotlin) the builder chain that
  `Function.Builder.create(this, "Id")` starts.
"""

from __future__ import annotations

from dataclasses import replace

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.file_calls import FileCalls, receiver_name
from reviewer.inventory.cdk.policy_grants import (
    ADD_MANAGED, ADD_METHODS, ADDED, INITIAL, INLINE, LISTS, MANAGED_FACTORIES, MAX_STATEMENTS, ROLE_STATEMENTS, Grant,
    managed, role_grant, statement,
)
from reviewer.inventory.cdk.construct_lines import CONSTRUCT_LINE
from reviewer.inventory.cdk.role_keys import SourceRoles, helper_name, name_key
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, Call, as_call, assigned_name, chain_end, enclosing_body
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import Function, PolicyStatement

Node = tree_sitter.Node
LANGUAGES = frozenset({"typescript", "tsx", "javascript", "java", "kotlin", "csharp", "go"})
MAX_FOLLOW = 8
MAX_SITES = 200   # helper calls whose role is read, per file
# Calls that make a list of their arguments: Java, Kotlin, Go's `jsii.Strings`.
_LIST_CALLS = frozenset({"of", "asList", "singletonList", "listOf", "mutableListOf", "arrayListOf", "arrayOf",
                         "setOf", "Strings", "copyOf"})
# Expressions whose elements are a list: TS/JS arrays, C# arrays and collection initializers.
_ARRAYS = frozenset({"array", "implicit_array_creation_expression", "array_creation_expression",
                     "collection_expression"})
_STRING_WRAPPERS = frozenset({"String", "string"})
_STATEMENT_CONSTRUCTORS = frozenset({"PolicyStatement", "NewPolicyStatement"})
_DOCUMENT_CONSTRUCTORS = frozenset({"PolicyDocument", "NewPolicyDocument"})


def _spelled(name: str | None) -> str:
    """`AddToRolePolicy` → `addToRolePolicy`, Go's `ManagedPolicy_FromAwsManagedPolicyName` →
    `fromAwsManagedPolicyName`, Go's `NewRole` → `Role`: one spelling for every language."""
    name = name or ""
    if "_" in name and name[:1].isupper():
        name = name.rpartition("_")[2]
    return name[:1].lower() + name[1:]


def _construct(call: Call) -> str:
    """The class a construct call makes: `Role` for `new iam.Role(...)`, `Role.Builder.create(...)`
    and Go's `awsiam.NewRole(...)`."""
    callee = call.callee[:-2] if call.callee[-2:] == ["Builder", "create"] else call.callee
    name = callee[-1] if callee else ""
    return name[3:] if name.startswith("New") and name[3:4].isupper() and not call.is_new else name


def source_grants(rel: str, calls: FileCalls) -> tuple[list[Grant], dict[int, str]]:
    """The grants of the file, and the role variable each construct (by line) is given."""
    reader = calls.reader
    assert reader is not None
    grants: list[Grant] = []
    roles: dict[int, str] = {}
    followed = SourceRoles(reader, calls.stored)
    for call in calls.calls:
        holder = st.text(st.unwrap(call.receiver) or call.receiver) if call.receiver is not None else ""
        method = _spelled(call.method)
        if method in ADD_METHODS and holder and call.args:
            found = _statement(calls, call.args[0], rel, f"CDK `{call.method}`")
            if found is not None:
                grants.append(Grant((found,), variable=receiver_name(call)))
        elif method in ROLE_STATEMENTS and holder and call.args:
            found = _statement(calls, call.args[0], rel, f"CDK `{call.method}`")
            if found is not None:
                grants.append(_on_role(followed, call, role_grant(holder, statements=(found,))))
        elif method in ADD_MANAGED and holder and call.args:
            grants.append(_on_role(followed, call, role_grant(holder, policies=managed(
                _managed_name(reader, call.args[0]), st.line(call.node), rel))))
        else:
            props = _construct_props(reader, call)
            if props is not None:
                _construct_grants(calls, followed, call, props, rel, grants, roles)
    return grants, roles


def _on_role(followed: SourceRoles, call: Call, grant: Grant) -> Grant:
    """A grant on a role (not `fn.role`): keyed by the role its receiver stands for (`cdk/role_keys.py`)."""
    if grant.role is None or call.receiver is None:
        return grant
    key = followed.key(call.receiver, Env())
    return replace(grant, role=key or name_key(grant.role))


def site_roles(calls: FileCalls, functions: list[Function]) -> dict[int, str]:
    """The role each call of a function-making helper passes (by the call's line), read through
    the helper's construct (`role_keys.site_role_key`)."""
    reader = calls.reader
    wanted = {function.location.line: line for function in functions
              if isinstance(line := function.properties.get(CONSTRUCT_LINE), int) and line != function.location.line}
    if reader is None or not wanted:
        return {}
    by_line: dict[int, list[Call]] = {}
    for call in calls.calls:
        by_line.setdefault(st.line(call.node), []).append(call)
    followed = SourceRoles(reader, calls.stored)
    sites: dict[int, str] = {}
    for site_line, construct_line in list(wanted.items())[:MAX_SITES]:
        construct = next((c for c in by_line.get(construct_line, []) if len(c.args) >= 3), None)
        helper = enclosing_body(construct.node) if construct is not None else None
        name = helper_name(helper) if helper is not None else None
        site = next((c for c in by_line.get(site_line, []) if name is not None and c.method == name), None)
        if construct is not None and site is not None:
            key = followed.site_key(construct.node, construct.args[2], site.node)
            if key is not None:
                sites[site_line] = key
    return sites


def _construct_props(reader: ValueReader, call: Call) -> Props | None:
    """The properties of a construct call: its third argument, or the chain a Java or Kotlin
    `X.Builder.create(scope, id)` starts; None for any other call."""
    if call.callee[-2:] == ["Builder", "create"] and len(call.args) >= 2:
        top = chain_end(call.node)
        return reader.props(top, Env()) if top is not call.node else Props()
    if len(call.args) >= 3:
        return reader.props(call.args[2], Env())
    return None


def _construct_grants(calls: FileCalls, followed: SourceRoles, call: Call, props: Props, rel: str, grants: list[Grant],
                      roles: dict[int, str]) -> None:
    """The `initialPolicy` statements, the `role` and (for a `Role`) the `managedPolicies` of one construct."""
    reader = calls.reader
    assert reader is not None
    entries = {_spelled(key): (key, entry) for key, entry in props.entries.items()}
    initial = next((entries[key] for key in INITIAL if key in entries), None)
    line = st.line(call.node)
    if initial is not None:
        written, entry = initial
        items = list_items(reader, entry.value, entry.env) or []
        statements = [s for item in items[:MAX_STATEMENTS]
                      if (s := _statement(calls, item, rel, f"CDK `{written}`")) is not None]
        if statements:
            grants.append(Grant(tuple(statements), line=line))
    if "role" in entries:
        entry = entries["role"][1]
        key = followed.key(entry.value, entry.env)
        if key is not None:
            roles[line] = key
    if "managedPolicies" in entries and _construct(call) == "Role":
        entry = entries["managedPolicies"][1]
        policies = tuple(policy for item in list_items(reader, entry.value, entry.env) or []
                         for policy in managed(_managed_name(reader, item), st.line(item), rel))
        grants.append(Grant(managed=policies, role=followed.key(call.node, Env())))
    inline = next((entries[key] for key in INLINE if key in entries), None)
    if inline is not None and _construct(call) == "Role":
        written, entry = inline
        documents = list(reader.props(entry.value, entry.env).entries.values())[:MAX_STATEMENTS]
        statements = [s for document in documents
                      for item in _document_statements(reader, document.value, document.env)[:MAX_STATEMENTS]
                      if (s := _statement(calls, item, rel, f"CDK `{written}`")) is not None]
        if statements:
            grants.append(Grant(tuple(statements), role=followed.key(call.node, Env())))


def _document_statements(reader: ValueReader, node: Node | None, env: Env) -> list[Node]:
    """The statements of one of a role's inline policies: `new iam.PolicyDocument({statements: [...]})`
    (Java's `PolicyDocument.Builder.create().statements(...)`, Go's `awsiam.NewPolicyDocument`),
    written in place or held in a variable of the file; none for anything else (`PolicyDocument.fromJson`)."""
    for _ in range(MAX_FOLLOW):
        node = st.unwrap(node)
        if node is None or node.type not in IDENTIFIER_TYPES:
            break
        bound = reader.follow_name(st.text(node), env, near=node)
        node, env = bound if bound is not None else (None, env)
    made = _made(reader, node, _DOCUMENT_CONSTRUCTORS) if node is not None else None
    if made is None:
        return []
    entry = {_spelled(key): entry for key, entry in made[1].entries.items()}.get("statements")
    return (list_items(reader, entry.value, entry.env) or []) if entry is not None else []


def _managed_name(reader: ValueReader, node: Node) -> str | None:
    """`iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')`, or `fromManagedPolicyArn(
    this, 'Id', 'arn:aws:iam::aws:policy/...')`: the policy's name or ARN as written."""
    node = st.unwrap(node)  # type: ignore[assignment]
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee or _spelled(call.callee[-1]) not in MANAGED_FACTORIES or not call.args:
        return None
    return reader.string(call.args[-1], Env())


def list_items(reader: ValueReader, node: Node | None, env: Env) -> list[Node] | None:
    """The elements of a list as the language writes one (see the module), followed through the
    names of the file; None when `node` is not one."""
    for _ in range(MAX_FOLLOW):
        node = st.unwrap(node)
        if node is None:
            return None
        if node.type == "unary_expression" and st.text(node).startswith("&") and node.named_children:
            node = node.named_children[-1]    # Go `&[]*string{...}`
            continue
        if node.type in _ARRAYS or (node.type == "object_creation_expression" and _collection(node)):
            holder = next((c for c in node.named_children if c.type == "initializer_expression"), node)
            return [c for c in holder.named_children if c.type not in ("comment", "spread_element", "array_type")]
        if node.type == "composite_literal":
            body = node.child_by_field_name("body")
            return [st.unwrap(c.named_children[0]) or c for c in (body.named_children if body is not None else [])
                    if c.type == "literal_element" and c.named_children]
        call = as_call(node) if node.type in CALL_TYPES else None
        if call is not None and call.callee and call.callee[-1] in _LIST_CALLS:
            return list(call.args)
        if node.type not in IDENTIFIER_TYPES:
            return None
        bound = reader.follow_name(st.text(node), env, near=node)
        if bound is None:
            return None
        node, env = bound
    return None


def _collection(node: Node) -> bool:
    """C#'s `new List<string> { "a" }`: a collection initializer (elements, no `Key = value`)."""
    initializer = next((c for c in node.named_children if c.type == "initializer_expression"), None)
    return initializer is not None and all(c.type != "assignment_expression" for c in initializer.named_children)


def _text(node: Node) -> str:
    """An action or resource as written: a string's value (Go's `jsii.String("s3:*")` too), else
    the expression (`bucket.bucketArn`), which is never `*`."""
    node = st.unwrap(node) or node
    value = st.string_value(node)
    if value is None and node.type in CALL_TYPES:
        call = as_call(node)
        if call is not None and call.method in _STRING_WRAPPERS and len(call.args) == 1:
            value = st.string_value(st.unwrap(call.args[0]))
    return value if value is not None else st.text(node)


def _statement(calls: FileCalls, node: Node, rel: str, source: str) -> PolicyStatement | None:
    """The statement an expression makes, directly or through a variable of the file, with what
    the file adds to it afterwards (`statement.addActions(...)`, `addResources`, `addAllResources`)."""
    reader = calls.reader
    assert reader is not None
    found = st.unwrap(node)
    variable = None
    for _ in range(MAX_FOLLOW):
        if found is None or found.type not in IDENTIFIER_TYPES:
            break
        variable = st.text(found)
        bound = reader.follow_name(variable, Env(), near=found)
        found = st.unwrap(bound[0]) if bound is not None else None
    made = _made(reader, found) if found is not None else None
    if made is None:
        return None
    call, props = made
    entries = {_spelled(key): entry for key, entry in props.entries.items()}

    def listed(key: str) -> list[str]:
        entry = entries.get(key)
        if entry is None:
            return []
        items = list_items(reader, entry.value, entry.env)
        return [_text(entry.value)] if items is None else [_text(item) for item in items if item.type != "comment"]

    conditions = entries.get("conditions")
    keys = [key for operator in reader.props(conditions.value, conditions.env).entries.values()
            for key in reader.props(operator.value, operator.env).entries] if conditions is not None else []
    effect = st.text(entries["effect"].value) if "effect" in entries else "Allow"
    lists = {key: listed(key) for key in LISTS}
    if variable is not None:
        _added(calls, variable, st.line(call.node), lists, keys)
    return statement(effect, lists, keys, st.line(call.node), rel, source)


def _made(reader: ValueReader, node: Node, constructors: frozenset[str] = _STATEMENT_CONSTRUCTORS
          ) -> tuple[Call, Props] | None:
    """(the call that makes the statement, its properties) when `node` makes a `PolicyStatement`
    (or, given `_DOCUMENT_CONSTRUCTORS`, a `PolicyDocument`)."""
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is None:
        return None
    if call.callee and call.callee[-1] in constructors:
        return call, reader.props(call.args[0], Env()) if call.args else Props()
    if call.method != "build":
        return None
    root = call
    for _ in range(200):   # down the chain to `PolicyStatement.Builder.create()`
        receiver = st.unwrap(root.receiver) if root.receiver is not None else None
        inner = as_call(receiver) if receiver is not None and receiver.type in CALL_TYPES else None
        if inner is None:
            break
        root = inner
    if len(root.callee) < 3 or root.callee[-3] not in constructors or root.callee[-2:] != ["Builder", "create"]:
        return None
    return root, reader.props(call.node, Env())


def _added(calls: FileCalls, variable: str, declared: int, lists: dict[str, list[str]], keys: list[str]) -> None:
    """`statement.addActions('s3:*')` and its siblings on the statement declared at line `declared`,
    up to the next statement the same name is given."""
    reader = calls.reader
    assert reader is not None
    later = [st.line(c.node) for c in calls.calls if c.callee and c.callee[-1] in _STATEMENT_CONSTRUCTORS
             and assigned_name(c.node) == variable and st.line(c.node) > declared]
    until = min(later, default=None)
    for step in calls.calls:
        line = st.line(step.node)
        if receiver_name(step) != variable or line < declared or (until is not None and line >= until):
            continue
        method = _spelled(step.method)
        if method == "addAllResources":
            lists["resources"].append("*")
        elif method in ADDED:
            lists[ADDED[method]].extend(_text(arg) for arg in step.args)
        elif method in ("addCondition", "addConditions") and step.args:
            conditions = step.args[1] if method == "addCondition" and len(step.args) > 1 else step.args[0]
            props = reader.props(conditions, Env())
            keys.extend(props.entries if method == "addCondition" else
                        [key for operator in props.entries.values()
                         for key in reader.props(operator.value, operator.env).entries])
