"""Who a CDK app lets invoke a function: its resource-based permissions, for LR303 and the trigger
reading (`Function.permissions`, which `analyzers/untrusted_writers.py` judges the event's writer
from), and the Application Load Balancers it is the target of (an HTTP invoker).

Read from the source file that constructs the function, without running it:

- `fn.addPermission('Id', {principal, action, sourceArn, sourceAccount, organizationId,
  functionUrlAuthType})` (Python: `fn.add_permission("Id", principal=..., source_arn=...)`);
- `fn.grantInvoke(principal)` and `fn.grantInvokeUrl(principal)` (`grant_invoke`, `grant_invoke_url`)
  for the principals CDK turns into a resource-based permission: `AnyPrincipal`/`StarPrincipal`
  (`*`), `OrganizationPrincipal(org)` and `AnyPrincipal().inOrganization(org)` (`*` limited to an
  organization), `ServicePrincipal(service)`, `AccountPrincipal(account)` and `ArnPrincipal(arn)`;
  the conditions a principal is given (`.withConditions({ArnLike: {'aws:SourceArn': ...}})`) count
  as the permission's `sourceArn`, `sourceAccount` or organization, as CDK writes them. A role,
  user or state machine is granted through its own identity policy instead, and left out;
- `new lambda.CfnPermission(this, 'Id', {functionName: fn.functionName, principal: '*', ...})`, whose
  organization is `principalOrgId` (`addPermission`'s is `organizationId`);
- `new targets.LambdaTarget(fn)` of `aws-elasticloadbalancingv2-targets` (`elbv2_targets.LambdaTarget`
  in Python), an `other` trigger of type `ALB`, as Serverless's `alb` event is. The class is told
  by the file's imports: apps also import EventBridge's `LambdaFunction as LambdaTarget`, a rule's
  target (`rule_targets.py`). Java and Go cannot rename an import, so there the name is enough;
  Kotlin and C# files that alias another class to `LambdaTarget` are not read for it.

A principal held in a variable of the file is followed to its value. The function is the construct
kept in the variable the call names, matched by its construct's line; a permission on anything else
(an alias, a function imported by ARN) is left alone. The permission's place is the line of its
principal (where the fix goes), else the call's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.constructs import RESOURCE_ATTRIBUTES, resource_name
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name, receiver_name
from reviewer.inventory.cdk.function_urls import NOT_FOLLOWED
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, as_call, holder_parts
from reviewer.inventory.cdk.triggers import resource_ref
from reviewer.inventory.cdk.values import Env, ValueReader
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function, InvokePermission, Location, ResourceRef, Trigger

_MARKERS = ("ermission", "rantInvoke", "grant_invoke", "LambdaTarget")
_ADD_PERMISSION = frozenset({"addPermission", "add_permission", "AddPermission"})
_GRANT_INVOKE = frozenset({"grantInvoke", "grant_invoke", "GrantInvoke"})
_GRANT_URL = frozenset({"grantInvokeUrl", "grant_invoke_url", "GrantInvokeUrl"})
_CFN_PERMISSION = frozenset({"CfnPermission", "NewCfnPermission"})
_CONDITIONED = frozenset({"withConditions", "with_conditions", "WithConditions"})
_IN_ORGANIZATION = frozenset({"inOrganization", "in_organization", "InOrganization"})
_ANYONE = frozenset({"AnyPrincipal", "StarPrincipal"})
_NAMED = frozenset({"ServicePrincipal", "AccountPrincipal", "ArnPrincipal"})
_ORGANIZATION = "OrganizationPrincipal"
_FUNCTION_MEMBERS = frozenset({"functionName", "functionArn", "function_name", "function_arn", "FunctionName",
                               "FunctionArn"})
_ELB_TARGETS = "aws_elasticloadbalancingv2_targets"
_LAMBDA_TARGET = "LambdaTarget"
INVOKE = "lambda:InvokeFunction"
INVOKE_URL = "lambda:InvokeFunctionUrl"
ALB = ("other", "ALB")
MAX_FOLLOW = 4     # a principal followed through this many variables at most


@dataclass
class _Principal:
    """A principal as CDK writes it into the permission, with the conditions it carries."""

    principal: str
    source_arn: str | None = None
    source_account: str | None = None
    org_id: str | None = None


@dataclass
class _Grant:
    """One permission as written: the function's variable, and what the permission says."""

    function: str
    line: int
    principal: _Principal
    action: str = INVOKE
    source: ResourceRef | None = None
    url_auth: str | None = None
    method: str | None = None      # the method as written (`grantInvoke`, `addPermission`), None for a CfnPermission


@dataclass
class _Found:
    """What one file grants: its permissions, and the functions load balancers invoke."""

    grants: list[_Grant] = field(default_factory=list)
    targets: list[tuple[str, int]] = field(default_factory=list)   # an ALB's function variable, the line


def attach_invoke_permissions(rel: str, language: str, text: str, functions: list[Function],
                              calls: FileCalls) -> None:
    """Give the functions constructed in this file the permissions and load balancers it gives them."""
    if not functions or not any(marker in text for marker in _MARKERS):
        return
    found = _python(rel, calls) if calls.tree is not None else _tree_sitter(rel, language, text, calls)
    by_line = by_construct_line(functions)
    for grant in found.grants:
        for function in by_line.get(calls.stored.get(grant.function, AMBIGUOUS), []):
            written = grant.principal
            function.permissions.append(InvokePermission(
                principal=written.principal, location=Location(rel, grant.line), source_arn=written.source_arn,
                source_account=written.source_account, source=grant.source, action=grant.action,
                principal_org_id=written.org_id, function_url_auth_type=grant.url_auth, cdk_method=grant.method))
            # Whether the app publishes versions is not read: LR401 would guess (reviewer.analyzers.deployment).
            function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)
    for variable, line in found.targets:
        for function in by_line.get(calls.stored.get(variable, AMBIGUOUS), []):
            kind, type_ = ALB
            function.triggers.append(Trigger(kind, Location(rel, line), None, {"name": _LAMBDA_TARGET, "type": type_}))
            function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


def _conditioned(principal: _Principal | None, conditions: list[str], organization: str | None) -> _Principal | None:
    """The conditions CDK moves from a principal into the permission (`withConditions`, by the keys
    they test as written), and the organization `inOrganization` limits it to."""
    if principal is None:
        return None
    lowered = " ".join(conditions).lower()
    if "aws:sourcearn" in lowered:
        principal.source_arn = principal.source_arn or "aws:SourceArn"
    if "aws:sourceaccount" in lowered:
        principal.source_account = principal.source_account or "aws:SourceAccount"
    if "aws:principalorgid" in lowered:
        principal.org_id = principal.org_id or "aws:PrincipalOrgID"
    principal.org_id = principal.org_id or organization
    return principal


def _arn_source(rel: str, parts: list[str]) -> ResourceRef | None:
    """`bucket.bucketArn`, `this.topic.topicArn` → the construct the ARN belongs to."""
    if len(parts) >= 2 and parts[-1] in RESOURCE_ATTRIBUTES and parts[-1].lower().endswith("arn"):
        return resource_ref(rel, resource_name(parts[:-1]))
    return None


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ---------------------------------------------------


def _tree_sitter(rel: str, language: str, text: str, calls: FileCalls) -> _Found:
    reader = calls.reader
    assert reader is not None
    found = _Found()
    aliased = language in ("kotlin", "csharp") and ("as LambdaTarget" in text or "LambdaTarget =" in text)
    for call in calls.calls:
        line = st.line(call.node)
        method = call.method or ""
        last = call.callee[-1] if call.callee else ""
        if method in _ADD_PERMISSION and call.receiver is not None and len(call.args) >= 2:
            grant = _script_permission(rel, reader, reader.props(call.args[1], Env()).entries, receiver_name(call),
                                       line, method=method)
            if grant is not None:
                found.grants.append(grant)
        elif method in _GRANT_INVOKE | _GRANT_URL and call.receiver is not None and call.args:
            principal = _script_principal(reader, call.args[0], Env())
            if principal is not None:
                url = method in _GRANT_URL
                found.grants.append(_Grant(receiver_name(call), line, principal, INVOKE_URL if url else INVOKE,
                                           url_auth="AWS_IAM" if url else None, method=method))
        elif last in _CFN_PERMISSION and len(call.args) >= 3:
            entries = reader.props(call.args[2], Env()).entries
            named = next((entry for key, entry in entries.items() if _camel(key) == "functionName"), None)
            parts = holder_parts(st.unwrap(named.value)) if named is not None else []
            if len(parts) >= 2 and parts[-1] in _FUNCTION_MEMBERS:
                grant = _script_permission(rel, reader, entries, parts[-2], line, literal=True)
                if grant is not None:
                    found.grants.append(grant)
        elif last in (_LAMBDA_TARGET, "New" + _LAMBDA_TARGET) and call.args and not aliased \
                and _is_elb_target(language, call.callee, reader.symbols):
            variable = st.text(st.unwrap(call.args[0]) or call.args[0]).rpartition(".")[2]
            if variable:
                found.targets.append((variable, line))
    return found


def _is_elb_target(language: str, callee: list[str], symbols: dict[str, str]) -> bool:
    """Whether `callee` names the load balancer's `LambdaTarget` by the file's imports (TypeScript,
    JavaScript), or by its name in a language that cannot rename an import into it."""
    if language not in ("typescript", "tsx", "javascript"):
        return True
    if not callee or callee[0] not in symbols:
        return False
    path = [part for part in symbols[callee[0]].split(".") if part] + callee[1:]
    return path == [_ELB_TARGETS, _LAMBDA_TARGET]


def _script_permission(rel: str, reader: ValueReader, entries: dict[str, Any], function: str, line: int,
                       literal: bool = False, method: str | None = None) -> _Grant | None:
    """`addPermission`'s options (or a `CfnPermission`'s properties, whose principal is a string)."""
    options = {_camel(key): entry for key, entry in entries.items()}
    if not function or "principal" not in options:
        return None
    entry = options["principal"]
    principal = _Principal(reader.string(entry.value, entry.env) or st.text(entry.value)) if literal \
        else _script_principal(reader, entry.value, entry.env)
    if principal is None:
        return None

    def written(key: str) -> str | None:
        value = options.get(key)
        return (reader.string(value.value, value.env) or st.text(value.value)) if value is not None else None

    source_node = st.unwrap(options["sourceArn"].value) if "sourceArn" in options else None
    source = _arn_source(rel, holder_parts(source_node)) if source_node is not None \
        and source_node.type in MEMBER_TYPES else None
    principal.source_arn = written("sourceArn") or principal.source_arn
    principal.source_account = written("sourceAccount") or principal.source_account
    # CfnPermission's property is `principalOrgId`; addPermission's option, `organizationId`.
    principal.org_id = (written("principalOrgId") or written("principalOrgID") if literal
                        else written("organizationId")) or principal.org_id
    return _Grant(function, entry.line, principal, written("action") or INVOKE, source,
                  written("functionUrlAuthType"), method)


def _script_principal(reader: ValueReader, node: Any, env: Env) -> _Principal | None:
    conditions: list[str] = []
    organization: str | None = None
    for _ in range(MAX_FOLLOW):
        node = st.unwrap(node)
        if node is None:
            return None
        if node.type in IDENTIFIER_TYPES:
            bound = reader.follow_name(st.text(node), env, near=node)
            if bound is None:
                return None
            node, env = bound
            continue
        call = as_call(node) if node.type in CALL_TYPES else None
        if call is None:
            return None
        if call.method in _CONDITIONED | _IN_ORGANIZATION and call.receiver is not None:
            conditions.extend(st.text(arg) for arg in call.args)
            if call.method in _IN_ORGANIZATION and call.args:
                organization = organization or reader.string(call.args[0], env) or st.text(call.args[0])
            node = call.receiver
            continue
        name = call.callee[-1] if call.callee else ""
        name = name[3:] if name.startswith("New") else name       # Go: awsiam.NewServicePrincipal
        principal = _principal_of(name, [reader.string(arg, env) or st.text(arg) for arg in call.args[:1]])
        return _conditioned(principal, conditions, organization)
    return None


def _principal_of(name: str, first: list[str]) -> _Principal | None:
    """The permission CDK makes of a principal class given its first argument."""
    if name in _ANYONE:
        return _Principal("*")
    if name == _ORGANIZATION and first:
        return _Principal("*", org_id=first[0])
    if name in _NAMED and first:
        return _Principal(first[0])
    return None


# -- Python ---------------------------------------------------------------------------------------


def _python(rel: str, calls: FileCalls) -> _Found:
    tree = calls.tree
    assert tree is not None
    modules, classes = _python_elb_imports(tree)
    found = _Found()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg is not None}
        receiver = python_stored_name(func.value) if isinstance(func, ast.Attribute) else None
        if method in _ADD_PERMISSION and receiver is not None and "principal" in keywords:
            grant = _py_permission(rel, calls, keywords, receiver, node.lineno, method=method)
            if grant is not None:
                found.grants.append(grant)
        elif method in _GRANT_INVOKE | _GRANT_URL and receiver is not None and (node.args or "grantee" in keywords):
            principal = _py_principal(calls, node.args[0] if node.args else keywords["grantee"])
            if principal is not None:
                url = method in _GRANT_URL
                found.grants.append(_Grant(receiver, node.lineno, principal, INVOKE_URL if url else INVOKE,
                                           url_auth="AWS_IAM" if url else None, method=method))
        elif _last(func) == "CfnPermission" and "function_name" in keywords and "principal" in keywords:
            named = keywords["function_name"]
            if isinstance(named, ast.Attribute) and named.attr in _FUNCTION_MEMBERS:
                variable = python_stored_name(named.value)
                grant = _py_permission(rel, calls, keywords, variable, node.lineno, literal=True) if variable else None
                if grant is not None:
                    found.grants.append(grant)
        elif node.args and _is_py_elb_target(func, modules, classes):
            variable = python_stored_name(node.args[0])
            if variable is not None:
                found.targets.append((variable, node.lineno))
    return found


def _python_elb_imports(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a Python file gives the load balancer's targets module, and its `LambdaTarget` class."""
    modules: set[str] = set()
    classes: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            for alias in node.names:
                if node.module.endswith(_ELB_TARGETS) and alias.name == _LAMBDA_TARGET:
                    classes.add(alias.asname or alias.name)
                elif node.module.split(".")[0] == "aws_cdk" and alias.name == _ELB_TARGETS:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.endswith(_ELB_TARGETS):
                    modules.add(alias.asname or alias.name)
    return modules, classes


def _is_py_elb_target(func: ast.expr, modules: set[str], classes: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in classes
    if isinstance(func, ast.Attribute) and func.attr == _LAMBDA_TARGET:
        return ast.unparse(func.value) in modules or ast.unparse(func.value).endswith("." + _ELB_TARGETS)
    return False


def _py_permission(rel: str, calls: FileCalls, keywords: dict[str, ast.expr], function: str, line: int,
                   literal: bool = False, method: str | None = None) -> _Grant | None:
    given = keywords["principal"]
    principal = _Principal(_py_text(given)) if literal else _py_principal(calls, given)
    if principal is None:
        return None

    def written(key: str) -> str | None:
        return _py_text(keywords[key]) if key in keywords else None

    arn = keywords.get("source_arn")
    source = None
    if isinstance(arn, ast.Attribute):
        holder = python_stored_name(arn.value)
        source = _arn_source(rel, [holder, arn.attr]) if holder is not None else None
    principal.source_arn = written("source_arn") or principal.source_arn
    principal.source_account = written("source_account") or principal.source_account
    principal.org_id = written("principal_org_id" if literal else "organization_id") or principal.org_id
    return _Grant(function, given.lineno, principal, written("action") or INVOKE, source,
                  written("function_url_auth_type"), method)


def _py_principal(calls: FileCalls, node: ast.expr) -> _Principal | None:
    conditions: list[str] = []
    organization: str | None = None
    for _ in range(MAX_FOLLOW):
        stored = python_stored_name(node)
        if stored is not None:
            values = calls.values.get(stored, [])
            if len(values) != 1:
                return None
            node = values[0]
            continue
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _CONDITIONED | _IN_ORGANIZATION:
            conditions.extend(ast.unparse(arg) for arg in [*node.args, *(k.value for k in node.keywords)])
            if func.attr in _IN_ORGANIZATION and node.args:
                organization = organization or _py_text(node.args[0])
            node = func.value
            continue
        principal = _principal_of(_last(func) or "", [_py_text(arg) for arg in node.args[:1]])
        return _conditioned(principal, conditions, organization)
    return None


def _py_text(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
