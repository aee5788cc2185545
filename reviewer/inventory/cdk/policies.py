"""IAM statements CDK apps give a function's role, for LR300 and LR301 (every CDK language).

Read from the source file that constructs the function, without running it:

- `initialPolicy: [new iam.PolicyStatement({actions: [...], resources: [...]})]` in the construct's
  properties (`initial_policy=[iam.PolicyStatement(actions=[...], resources=[...])]` in Python,
  `.initialPolicy(List.of(...))` on a Java builder, `InitialPolicy = new[] {...}` in C#,
  `InitialPolicy: &[]awsiam.PolicyStatement{...}` in Go);
- `fn.addToRolePolicy(statement)` (`fn.add_to_role_policy(...)`, the statement given first or as
  `statement=`; `AddToRolePolicy` in C# and Go) on a function constructed and stored in the file;
- a role the construct is given (`role: role`): the role's `managedPolicies`, the statements of
  its `inlinePolicies` (`{Name: new iam.PolicyDocument({statements: [...]})}`, a document held in
  a variable too; `PolicyDocument.fromJson` is not read), its
  `addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(...))` and `addToPolicy(statement)`
  calls, and `fn.role?.addManagedPolicy(...)` on the function itself (`fn.getRole()` in Java). The
  role is followed to where the file makes it (`cdk/role_keys.py`): every function given it, by
  whatever name, method or helper, holds its statements, and `fn.addToRolePolicy(...)` on a function
  given a shared role adds to that role.

A statement may be held in a variable of the file, and built there step by step (`const s = new
iam.PolicyStatement(); s.addActions(...); s.addResources(...)`, `add_actions` in Python); its
`notActions`, `notResources` and the keys
its `conditions` test are kept, as for a template's statement. Each listed action and resource is kept as
written: a string literal as its text, anything else (`bucket.bucketArn`) as its expression, which
is never `*`; so only what the file spells out can make a statement broad. `effect: iam.Effect.DENY`
statements grant nothing and are left out. The grants of other constructs (`bucket.grantReadWrite(fn)`,
scoped by CDK itself) are not read.

Python is read here with `ast`; the other languages with tree-sitter in `cdk/policies_source.py`.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from reviewer.inventory.cdk import policies_source
from reviewer.inventory.cdk.construct_lines import CONSTRUCT_LINE, by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.policy_grants import (
    ADD_MANAGED, ADD_METHODS, ADDED, INLINE, LISTS, MANAGED_FACTORIES, MAX_STATEMENTS, ROLE_STATEMENTS, SNAKE, Grant,
    managed, role_grant, statement as make_statement,
)
from reviewer.inventory.cdk.python_role_keys import PythonRoles
from reviewer.inventory.cdk.role_keys import function_key, is_named, name_key
from reviewer.model import Function, PolicyStatement

LANGUAGES = policies_source.LANGUAGES | {"python"}
_MANAGED_KEYWORDS = frozenset({"managed_policy_name", "managed_policy_arn"})


def attach_policies(rel: str, language: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Add the statements and managed policies the file gives the roles of the functions it constructs."""
    if language not in LANGUAGES or ("PolicyStatement" not in text and "ManagedPolicy" not in text) or not functions:
        return
    if calls.tree is not None:
        grants, roles, sites = _python(rel, calls, functions)
    else:
        grants, roles = policies_source.source_grants(rel, calls)
        sites = policies_source.site_roles(calls, functions)
    by_line = by_construct_line(functions)
    keys = _role_keys(functions, roles, sites)
    for grant in grants:
        if grant.role is not None:
            targets = [function for function in functions if keys.get(id(function)) == grant.role]
        else:
            line = grant.line if grant.line is not None else calls.stored.get(grant.variable or "", AMBIGUOUS)
            targets = _sharing(by_line.get(line, []), functions, keys, line)
        for function in targets:   # a function given no role has its own: one role per function
            role = keys.get(id(function)) or f"own:{function.location.path}:{function.location.line}:{function.name}"
            function.policy_statements.extend(replace(statement, role=role) for statement in grant.statements)
            function.managed_policies.extend(replace(policy, role=role) for policy in grant.managed)


def _role_keys(functions: list[Function], roles: dict[int, str], sites: dict[int, str]) -> dict[int, str]:
    """Each function (by id) → the role it is given (`cdk/role_keys.py`): what the call of its
    helper passes, else what its construct writes; `fn:<line>` of a function given `fn.role` is
    that function's own role when it was given one."""
    keys: dict[int, str] = {}
    for function in functions:
        line = function.properties.get(CONSTRUCT_LINE)
        key = sites.get(function.location.line) or roles.get(function.location.line) or (
            roles.get(line) if isinstance(line, int) else None)
        if key is not None:
            keys[id(function)] = key
    for function in functions:   # `role: first.role`, `first` given a role of its own
        key = keys.get(id(function), "")
        if key.startswith("fn:") and key[3:].isdigit() and not is_named(roles.get(int(key[3:]))):
            keys[id(function)] = roles[int(key[3:])]
    return keys


def _sharing(direct: list[Function], functions: list[Function], keys: dict[int, str], line: int) -> list[Function]:
    """`fn.addToRolePolicy(...)` adds to fn's role: every function given the same role (one the
    reader followed to where it is made) or given `fn.role`, shares the statement."""
    shared = {keys[id(function)] for function in direct if not is_named(keys.get(id(function)))}
    shared.add(function_key(line))
    seen = {id(function) for function in direct}
    return direct + [function for function in functions if id(function) not in seen
                     and keys.get(id(function)) in shared]


# -- Python ---------------------------------------------------------------------------------------


def _python(rel: str, calls: FileCalls, functions: list[Function]
            ) -> tuple[list[Grant], dict[int, str], dict[int, str]]:
    """The grants of the file, the role each construct (by line) is given, and the role each call
    of a function-making helper (by line) passes (`cdk/python_role_keys.py`)."""
    tree, values = calls.tree, calls.values
    assert tree is not None
    followed = PythonRoles(tree)

    def role_of(holder: ast.expr | None, grant: Grant) -> Grant:
        """A grant on a role (not `fn.role`): keyed by the role its holder stands for."""
        if grant.role is None or holder is None:
            return grant
        return replace(grant, role=followed.key(holder, calls.stored) or name_key(grant.role))

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
        lists = {key: listed(SNAKE[key]) for key in LISTS}
        if variable is not None:
            _py_added(tree, variable, lists, keys)
        return make_statement(effect, lists, keys, node.lineno, rel, source)

    def managed_name(node: ast.expr) -> str | None:
        """The policy's name or ARN, given last or by its keyword (`managed_policy_name=...`)."""
        if not isinstance(node, ast.Call) or _last(node.func) not in MANAGED_FACTORIES:
            return None
        last = next((k.value for k in node.keywords if k.arg in _MANAGED_KEYWORDS),
                    node.args[-1] if node.args else None)
        return last.value if isinstance(last, ast.Constant) and isinstance(last.value, str) else None

    grants: list[Grant] = []
    roles: dict[int, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        holder = ast.unparse(owner) if owner is not None else ""
        given = _statement_argument(node)
        if method in ADD_METHODS and given is not None and owner is not None:
            found = statement(given, "CDK `add_to_role_policy`")
            receiver = python_stored_name(owner)
            if found is not None and receiver is not None:
                grants.append(Grant((found,), variable=receiver))
            continue
        if method in ROLE_STATEMENTS and given is not None:
            found = statement(given, f"CDK `{method}`")
            if found is not None:
                grants.append(role_of(owner, role_grant(holder.removeprefix("self."), statements=(found,))))
            continue
        if method in ADD_MANAGED and node.args:
            grants.append(role_of(owner, role_grant(holder.removeprefix("self."), policies=managed(
                managed_name(node.args[0]), node.lineno, rel))))
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        initial = keywords.get("initial_policy")
        if isinstance(initial, (ast.List, ast.Tuple)):
            statements = [s for item in initial.elts[:MAX_STATEMENTS]
                          if (s := statement(item, "CDK `initial_policy`")) is not None]
            if statements:
                grants.append(Grant(tuple(statements), line=node.lineno))
        role = followed.key(keywords["role"], calls.stored) if "role" in keywords else None
        if role is not None:
            roles[node.lineno] = role
        if _last(node.func) != "Role":
            continue
        listed = keywords.get("managed_policies")
        if isinstance(listed, (ast.List, ast.Tuple)):
            grants.append(Grant(managed=tuple(policy for item in listed.elts
                                               for policy in managed(managed_name(item), item.lineno, rel)),
                                 role=followed.key(node, calls.stored)))
        inline = [s for item in _py_documents(keywords.get(INLINE[1]), values)
                  if (s := statement(item, f"CDK `{INLINE[1]}`")) is not None]
        if inline:
            grants.append(Grant(tuple(inline), role=followed.key(node, calls.stored)))
    return grants, roles, _python_sites(tree, followed, functions, calls.stored)


def _python_sites(tree: ast.Module, followed: PythonRoles, functions: list[Function],
                  stored: dict[str, int]) -> dict[int, str]:
    """The role each call of a function-making helper passes, by the call's line."""
    wanted = {function.location.line: line for function in functions
              if isinstance(line := function.properties.get(CONSTRUCT_LINE), int) and line != function.location.line}
    if not wanted:
        return {}
    lines = set(wanted) | set(wanted.values())
    calls: dict[int, list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno in lines:
            calls.setdefault(node.lineno, []).append(node)
    sites: dict[int, str] = {}
    for site_line, construct_line in wanted.items():
        for construct in calls.get(construct_line, []):
            key = next((found for site in calls.get(site_line, [])
                        if (found := followed.site_key(construct, site, stored)) is not None), None)
            if key is not None:
                sites[site_line] = key
                break
    return sites


def _py_added(tree: ast.Module, variable: str, lists: dict[str, list[str]], keys: list[str]) -> None:
    """`statement.add_actions("s3:*")` and its siblings on a statement the file assigns once."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) \
                or python_stored_name(node.func.value) != variable:
            continue
        method = node.func.attr
        if method == "add_all_resources":
            lists["resources"].append("*")
        elif method in ADDED:
            lists[ADDED[method]].extend(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                         else ast.unparse(arg) for arg in node.args)
        elif method == "add_condition" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
            keys.extend(str(key.value) for key in node.args[1].keys if isinstance(key, ast.Constant))


def _py_documents(given: ast.expr | None, values: dict[str, list[ast.expr]]) -> list[ast.expr]:
    """The statements of a role's `inline_policies={"Name": iam.PolicyDocument(statements=[...])}`,
    the dict or a document held in a variable the file assigns once; none for anything else
    (`PolicyDocument.from_json`)."""

    def held(node: ast.expr | None) -> ast.expr | None:
        if isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1:
            return values[node.id][0]
        return node

    documents = held(given)
    found: list[ast.expr] = []
    for written in (documents.values if isinstance(documents, ast.Dict) else [])[:MAX_STATEMENTS]:
        document = held(written)
        if not isinstance(document, ast.Call) or _last(document.func) != "PolicyDocument":
            continue
        listed = held(next((k.value for k in document.keywords if k.arg == "statements"), None))
        if isinstance(listed, (ast.List, ast.Tuple)):
            found.extend(listed.elts[:MAX_STATEMENTS])
    return found


def _statement_argument(call: ast.Call) -> ast.expr | None:
    """The statement `add_to_role_policy` or `add_to_principal_policy` is given: its first
    argument, or the `statement=` keyword, which is how CDK's Python signature names it."""
    if call.args:
        return call.args[0]
    return next((keyword.value for keyword in call.keywords if keyword.arg == "statement"), None)


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None

