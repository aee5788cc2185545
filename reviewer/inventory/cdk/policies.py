"""IAM statements CDK apps give a function's role, for LR300 and LR301 (TypeScript, JavaScript, Python).

Read from the source file that constructs the function, without running it:

- `initialPolicy: [new iam.PolicyStatement({actions: [...], resources: [...]})]` in the construct's
  properties (`initial_policy=[iam.PolicyStatement(actions=[...], resources=[...])]` in Python);
- `fn.addToRolePolicy(statement)` (`fn.add_to_role_policy(...)`) on a function constructed and
  stored in the file.

A statement may be held in a variable of the file; its `notActions`, `notResources` and the keys
its `conditions` test are kept, as for a template's statement. Each listed action and resource is kept as
written: a string literal as its text, anything else (`bucket.bucketArn`) as its expression, which
is never `*`; so only what the file spells out can make a statement broad. `effect: iam.Effect.DENY`
statements grant nothing and are left out. The role's managed policies and the grants of other
constructs (`bucket.grantReadWrite(fn)`, scoped by CDK itself) are not read.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name, receiver_name
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import Function, Location, PolicyStatement

LANGUAGES = frozenset({"typescript", "tsx", "javascript", "python"})
_ADD_METHODS = frozenset({"addToRolePolicy", "add_to_role_policy"})
_INITIAL = ("initialPolicy", "initial_policy")
MAX_STATEMENTS = 50
_LISTS = ("actions", "resources", "notActions", "notResources")
_SNAKE = {"actions": "actions", "resources": "resources", "notActions": "not_actions", "notResources": "not_resources"}


@dataclass(frozen=True)
class _Grant:
    """Statements for the function stored in `variable`, or constructed at `line`."""

    statements: tuple[PolicyStatement, ...]
    variable: str | None = None
    line: int | None = None


def attach_policies(rel: str, language: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Add the statements the file gives the roles of the functions it constructs."""
    if language not in LANGUAGES or "PolicyStatement" not in text or not functions:
        return
    grants = _python(rel, calls) if calls.tree is not None else _tree_sitter(rel, calls)
    by_line = {function.location.line: function for function in functions}
    for grant in grants:
        line = grant.line if grant.line is not None else calls.stored.get(grant.variable or "", AMBIGUOUS)
        function = by_line.get(line)
        if function is not None:
            function.policy_statements.extend(grant.statements)


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


def _tree_sitter(rel: str, calls: FileCalls) -> list[_Grant]:
    reader = calls.reader
    assert reader is not None
    grants: list[_Grant] = []
    for call in calls.calls:
        if call.method in _ADD_METHODS and call.receiver is not None and call.args:
            statement = _ts_statement(reader, call.args[0], rel, "CDK `addToRolePolicy`")
            if statement is not None:
                grants.append(_Grant((statement,), variable=receiver_name(call)))
        elif len(call.args) >= 3:
            entries = _entries(reader.props(call.args[2], Env()))
            initial = next((entries[key] for key in _INITIAL if key in entries), None)
            if initial is not None:
                listed = st.unwrap(initial.value)
                items = listed.named_children if listed is not None and listed.type == "array" else []
                statements = [s for item in items[:MAX_STATEMENTS]
                              if (s := _ts_statement(reader, item, rel, "CDK `initialPolicy`")) is not None]
                if statements:
                    grants.append(_Grant(tuple(statements), line=st.line(call.node)))
    return grants


def _entries(props: Props) -> dict:
    return {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}


def _ts_statement(reader: ValueReader, node: object, rel: str, source: str) -> PolicyStatement | None:
    """`new iam.PolicyStatement({...})`, directly or through a variable of the file."""
    node = st.unwrap(node)  # type: ignore[arg-type]
    for _ in range(8):
        if node is None or node.type not in ("identifier",):
            break
        bound = reader.follow_name(st.text(node), Env(), near=node)
        node = st.unwrap(bound[0]) if bound is not None else None
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee or call.callee[-1] != "PolicyStatement" or not call.args:
        return None
    entries = _entries(reader.props(call.args[0], Env()))

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
    return _statement(effect, {key: listed(key) for key in _LISTS}, keys, st.line(call.node), rel, source)


# -- Python ---------------------------------------------------------------------------------------


def _python(rel: str, calls: FileCalls) -> list[_Grant]:
    tree, values = calls.tree, calls.values
    assert tree is not None

    def statement(node: ast.expr, source: str) -> PolicyStatement | None:
        if isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1:
            node = values[node.id][0]
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
        return _statement(effect, {key: listed(_SNAKE[key]) for key in _LISTS}, keys, node.lineno, rel, source)

    grants: list[_Grant] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _ADD_METHODS and node.args:
            found = statement(node.args[0], "CDK `add_to_role_policy`")
            receiver = python_stored_name(node.func.value)
            if found is not None and receiver is not None:
                grants.append(_Grant((found,), variable=receiver))
            continue
        initial = next((k.value for k in node.keywords if k.arg == "initial_policy"), None)
        if isinstance(initial, (ast.List, ast.Tuple)):
            statements = [s for item in initial.elts[:MAX_STATEMENTS]
                          if (s := statement(item, "CDK `initial_policy`")) is not None]
            if statements:
                grants.append(_Grant(tuple(statements), line=node.lineno))
    return grants


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None

