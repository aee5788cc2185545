"""IAM statements CDK apps give a function's role, for LR300 and LR301 (TypeScript, JavaScript, Python).

Read from the source file that constructs the function, without running it:

- `initialPolicy: [new iam.PolicyStatement({actions: [...], resources: [...]})]` in the construct's
  properties (`initial_policy=[iam.PolicyStatement(actions=[...], resources=[...])]` in Python);
- `fn.addToRolePolicy(statement)` (`fn.add_to_role_policy(...)`, the statement given first or as
  `statement=`) on a function constructed and stored in the file;
- a role the construct is given (`role: role`): the role's `managedPolicies`, its
  `addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(...))` and `addToPolicy(statement)`
  calls, and `fn.role?.addManagedPolicy(...)` on the function itself.

A statement may be held in a variable of the file, and built there step by step (`const s = new
iam.PolicyStatement(); s.addActions(...); s.addResources(...)`, `add_actions` in Python); its
`notActions`, `notResources` and the keys
its `conditions` test are kept, as for a template's statement. Each listed action and resource is kept as
written: a string literal as its text, anything else (`bucket.bucketArn`) as its expression, which
is never `*`; so only what the file spells out can make a statement broad. `effect: iam.Effect.DENY`
statements grant nothing and are left out. The grants of other constructs (`bucket.grantReadWrite(fn)`,
scoped by CDK itself) are not read.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call, assigned_name
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name, receiver_name
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import Function, Location, ManagedPolicy, PolicyStatement

LANGUAGES = frozenset({"typescript", "tsx", "javascript", "python"})
_ADD_METHODS = frozenset({"addToRolePolicy", "add_to_role_policy"})
_ROLE_STATEMENTS = frozenset({"addToPolicy", "addToPrincipalPolicy", "add_to_policy", "add_to_principal_policy"})
_ADD_MANAGED = frozenset({"addManagedPolicy", "add_managed_policy"})
_MANAGED_FACTORIES = frozenset({"fromAwsManagedPolicyName", "fromManagedPolicyArn", "fromManagedPolicyName",
                                "from_aws_managed_policy_name", "from_managed_policy_arn", "from_managed_policy_name"})
_INITIAL = ("initialPolicy", "initial_policy")
MAX_STATEMENTS = 50
_LISTS = ("actions", "resources", "notActions", "notResources")
_SNAKE = {"actions": "actions", "resources": "resources", "notActions": "not_actions", "notResources": "not_resources"}
# What a statement built step by step is given afterwards: method → the list it adds to.
_ADDED = {"addActions": "actions", "addResources": "resources", "addNotActions": "notActions",
          "addNotResources": "notResources", "add_actions": "actions", "add_resources": "resources",
          "add_not_actions": "notActions", "add_not_resources": "notResources"}


@dataclass(frozen=True)
class _Grant:
    """Statements and managed policies for the function stored in `variable`, or constructed at
    `line`, or for the role stored in `role` (given to functions with their `role` property)."""

    statements: tuple[PolicyStatement, ...] = ()
    variable: str | None = None
    line: int | None = None
    managed: tuple[ManagedPolicy, ...] = ()
    role: str | None = None


def attach_policies(rel: str, language: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Add the statements and managed policies the file gives the roles of the functions it constructs."""
    if language not in LANGUAGES or ("PolicyStatement" not in text and "ManagedPolicy" not in text) or not functions:
        return
    grants, roles = _python(rel, calls) if calls.tree is not None else _tree_sitter(rel, calls)
    by_line = {function.location.line: function for function in functions}
    for grant in grants:
        if grant.role is not None:
            targets = [by_line[line] for line, role in roles.items() if role == grant.role and line in by_line]
        else:
            line = grant.line if grant.line is not None else calls.stored.get(grant.variable or "", AMBIGUOUS)
            targets = [by_line[line]] if line in by_line else []
        for function in targets:
            function.policy_statements.extend(grant.statements)
            function.managed_policies.extend(grant.managed)


def _managed(name: str | None, line: int, rel: str) -> tuple[ManagedPolicy, ...]:
    return (ManagedPolicy(name, Location(rel, line)),) if name else ()


def _statement(effect: str, listed: dict[str, list[str]], conditions: list[str], line: int, rel: str,
               source: str) -> PolicyStatement | None:
    """`listed`: the statement's actions, resources, notActions and notResources as written;
    `conditions`: the keys its conditions test (`aws:ResourceTag/team`), which scope `*`."""
    if effect.rpartition(".")[2].upper() == "DENY" or not (listed["actions"] or listed["notActions"]):
        return None
    return PolicyStatement(effect="Allow", actions=tuple(listed["actions"]), resources=tuple(listed["resources"]),
                           not_actions=tuple(listed["notActions"]), not_resources=tuple(listed["notResources"]),
                           condition_keys=tuple(conditions), location=Location(rel, line), source=source)


# -- TypeScript, JavaScript -------------------------------------------------------------------------


def _tree_sitter(rel: str, calls: FileCalls) -> tuple[list[_Grant], dict[int, str]]:
    """The grants of the file, and the role variable each construct (by line) is given."""
    reader = calls.reader
    assert reader is not None
    grants: list[_Grant] = []
    roles: dict[int, str] = {}
    for call in calls.calls:
        holder = st.text(st.unwrap(call.receiver) or call.receiver) if call.receiver is not None else ""
        if call.method in _ADD_METHODS and holder and call.args:
            statement = _ts_statement(calls, call.args[0], rel, "CDK `addToRolePolicy`")
            if statement is not None:
                grants.append(_Grant((statement,), variable=receiver_name(call)))
        elif call.method in _ROLE_STATEMENTS and holder and call.args:
            statement = _ts_statement(calls, call.args[0], rel, f"CDK `{call.method}`")
            if statement is not None:
                grants.append(_role_grant(holder, statements=(statement,)))
        elif call.method in _ADD_MANAGED and holder and call.args:
            managed = _managed(_ts_managed_name(reader, call.args[0]), st.line(call.node), rel)
            grants.append(_role_grant(holder, managed=managed))
        elif len(call.args) >= 3:
            entries = _entries(reader.props(call.args[2], Env()))
            initial = next((entries[key] for key in _INITIAL if key in entries), None)
            if initial is not None:
                listed = st.unwrap(initial.value)
                items = listed.named_children if listed is not None and listed.type == "array" else []
                statements = [s for item in items[:MAX_STATEMENTS]
                              if (s := _ts_statement(calls, item, rel, "CDK `initialPolicy`")) is not None]
                if statements:
                    grants.append(_Grant(tuple(statements), line=st.line(call.node)))
            if "role" in entries:
                roles[st.line(call.node)] = st.text(st.unwrap(entries["role"].value) or entries["role"].value) \
                    .rpartition(".")[2]
            policies = st.unwrap(entries["managedPolicies"].value) if "managedPolicies" in entries else None
            variable = assigned_name(call.node)
            if policies is not None and policies.type == "array" and call.callee[-1:] == ["Role"] and variable:
                managed = tuple(policy for item in policies.named_children
                                for policy in _managed(_ts_managed_name(reader, item), st.line(item), rel))
                grants.append(_Grant(managed=managed, role=variable))
    return grants, roles


def _role_grant(holder: str, statements: tuple[PolicyStatement, ...] = (),
                managed: tuple[ManagedPolicy, ...] = ()) -> _Grant:
    """`fn.role.addManagedPolicy(...)` is the function's; `role.addManagedPolicy(...)` the role's."""
    parts = holder.replace("?", "").split(".")
    if len(parts) >= 2 and parts[-1] == "role":
        return _Grant(statements, variable=parts[-2], managed=managed)
    return _Grant(statements, managed=managed, role=parts[-1])


def _ts_managed_name(reader: ValueReader, node: object) -> str | None:
    """`iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')`, or `fromManagedPolicyArn(
    this, 'Id', 'arn:aws:iam::aws:policy/...')`: the policy's name or ARN as written."""
    node = st.unwrap(node)  # type: ignore[arg-type]
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee or call.callee[-1] not in _MANAGED_FACTORIES or not call.args:
        return None
    return reader.string(call.args[-1], Env())


def _entries(props: Props) -> dict:
    return {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}


def _ts_statement(calls: FileCalls, node: object, rel: str, source: str) -> PolicyStatement | None:
    """`new iam.PolicyStatement({...})`, directly or through a variable of the file, with what
    the file adds to it afterwards (`statement.addActions(...)`, `addResources`, `addAllResources`)."""
    reader = calls.reader
    assert reader is not None
    node = st.unwrap(node)  # type: ignore[arg-type]
    variable = None
    for _ in range(8):
        if node is None or node.type not in ("identifier",):
            break
        variable = st.text(node)
        bound = reader.follow_name(variable, Env(), near=node)
        node = st.unwrap(bound[0]) if bound is not None else None
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee or call.callee[-1] != "PolicyStatement":
        return None
    entries = _entries(reader.props(call.args[0], Env())) if call.args else {}

    def listed(key: str) -> list[str]:
        entry = entries.get(key)
        value = st.unwrap(entry.value) if entry is not None else None
        if value is None or value.type != "array":
            return [] if value is None else [st.text(value)]
        return [st.string_value(item) or st.text(item) for item in value.named_children if item.type != "comment"]

    conditions = entries.get("conditions")
    keys = [key for operator in _entries(reader.props(conditions.value, Env())).values()
            for key in reader.props(operator.value, Env()).entries] if conditions is not None else []
    effect = st.text(entries["effect"].value) if "effect" in entries else "Allow"
    lists = {key: listed(key) for key in _LISTS}
    if variable is not None:
        _ts_added(calls, variable, st.line(call.node), lists, keys)
    return _statement(effect, lists, keys, st.line(call.node), rel, source)


def _ts_added(calls: FileCalls, variable: str, declared: int, lists: dict[str, list[str]], keys: list[str]) -> None:
    """`statement.addActions('s3:*')` and its siblings on the statement declared at line `declared`,
    up to the next statement the same name is given."""
    reader = calls.reader
    assert reader is not None
    later = [st.line(c.node) for c in calls.calls if c.callee[-1:] == ["PolicyStatement"]
             and assigned_name(c.node) == variable and st.line(c.node) > declared]
    until = min(later, default=None)
    for step in calls.calls:
        line = st.line(step.node)
        if receiver_name(step) != variable or line < declared or (until is not None and line >= until):
            continue
        if step.method == "addAllResources":
            lists["resources"].append("*")
        elif step.method in _ADDED:
            lists[_ADDED[step.method]].extend(st.string_value(arg) or st.text(arg) for arg in step.args)
        elif step.method in ("addCondition", "addConditions") and step.args:
            conditions = step.args[1] if step.method == "addCondition" and len(step.args) > 1 else step.args[0]
            props = reader.props(conditions, Env())
            keys.extend(props.entries if step.method == "addCondition" else
                        [key for operator in props.entries.values()
                         for key in reader.props(operator.value, Env()).entries])


# -- Python ---------------------------------------------------------------------------------------


def _python(rel: str, calls: FileCalls) -> tuple[list[_Grant], dict[int, str]]:
    """The grants of the file, and the role variable each construct (by line) is given."""
    tree, values = calls.tree, calls.values
    assert tree is not None

    def statement(node: ast.expr, source: str) -> PolicyStatement | None:
        variable = node.id if isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1 else None
        if variable is not None:
            node = values[variable][0]
        if not isinstance(node, ast.Call) or _last(node.func) != "PolicyStatement":
            return None
        keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}

        def listed(key: str) -> list[str]:
            value = keywords.get(key)
            if value is None:
                return []
            items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            return [item.value if isinstance(item, ast.Constant) and isinstance(item.value, str)
                    else ast.unparse(item) for item in items]

        conditions = keywords.get("conditions")
        keys = [str(key.value) for operator in (conditions.values if isinstance(conditions, ast.Dict) else [])
                if isinstance(operator, ast.Dict) for key in operator.keys if isinstance(key, ast.Constant)]
        effect = ast.unparse(keywords["effect"]) if "effect" in keywords else "Allow"
        lists = {key: listed(_SNAKE[key]) for key in _LISTS}
        if variable is not None:
            _py_added(tree, variable, lists, keys)
        return _statement(effect, lists, keys, node.lineno, rel, source)

    def managed_name(node: ast.expr) -> str | None:
        if not isinstance(node, ast.Call) or _last(node.func) not in _MANAGED_FACTORIES or not node.args:
            return None
        last = node.args[-1]
        return last.value if isinstance(last, ast.Constant) and isinstance(last.value, str) else None

    grants: list[_Grant] = []
    roles: dict[int, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        holder = ast.unparse(owner) if owner is not None else ""
        given = _statement_argument(node)
        if method in _ADD_METHODS and given is not None and owner is not None:
            found = statement(given, "CDK `add_to_role_policy`")
            receiver = python_stored_name(owner)
            if found is not None and receiver is not None:
                grants.append(_Grant((found,), variable=receiver))
            continue
        if method in _ROLE_STATEMENTS and given is not None:
            found = statement(given, f"CDK `{method}`")
            if found is not None:
                grants.append(_role_grant(holder.removeprefix("self."), statements=(found,)))
            continue
        if method in _ADD_MANAGED and node.args:
            grants.append(_role_grant(holder.removeprefix("self."),
                                      managed=_managed(managed_name(node.args[0]), node.lineno, rel)))
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        initial = keywords.get("initial_policy")
        if isinstance(initial, (ast.List, ast.Tuple)):
            statements = [s for item in initial.elts[:MAX_STATEMENTS]
                          if (s := statement(item, "CDK `initial_policy`")) is not None]
            if statements:
                grants.append(_Grant(tuple(statements), line=node.lineno))
        role = python_stored_name(keywords["role"]) if "role" in keywords else None
        if role is not None:
            roles[node.lineno] = role
        listed = keywords.get("managed_policies")
        if isinstance(listed, (ast.List, ast.Tuple)) and _last(node.func) == "Role":
            grants.append(_Grant(managed=tuple(policy for item in listed.elts
                                               for policy in _managed(managed_name(item), item.lineno, rel)),
                                 role=f"@{node.lineno}"))
    # a Role assigned to a name: its `managed_policies` belong to that name
    assigned = {value.lineno: name for name, values in calls.values.items() for value in values
                if isinstance(value, ast.Call) and _last(value.func) == "Role"}
    grants = [replace(grant, role=assigned.get(int(grant.role[1:]))) if grant.role and grant.role.startswith("@")
              else grant for grant in grants]
    return grants, roles


def _py_added(tree: ast.Module, variable: str, lists: dict[str, list[str]], keys: list[str]) -> None:
    """`statement.add_actions("s3:*")` and its siblings on a statement the file assigns once."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) \
                or python_stored_name(node.func.value) != variable:
            continue
        method = node.func.attr
        if method == "add_all_resources":
            lists["resources"].append("*")
        elif method in _ADDED:
            lists[_ADDED[method]].extend(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                         else ast.unparse(arg) for arg in node.args)
        elif method == "add_condition" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
            keys.extend(str(key.value) for key in node.args[1].keys if isinstance(key, ast.Constant))


def _statement_argument(call: ast.Call) -> ast.expr | None:
    """The statement `add_to_role_policy` or `add_to_principal_policy` is given: its first
    argument, or the `statement=` keyword, which is how CDK's Python signature names it."""
    if call.args:
        return call.args[0]
    return next((keyword.value for keyword in call.keywords if keyword.arg == "statement"), None)


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None

