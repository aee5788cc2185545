"""What the CDK role readers share: a grant (statements or managed policies for one function or
one role), how a statement's parts become a `PolicyStatement`, and the method names every CDK
language calls, compared in one spelling (`AddToRolePolicy` in C# and Go is `addToRolePolicy`).

The readers themselves: `cdk/policies.py` (Python, and where grants meet the functions) and
`cdk/policies_source.py` (TypeScript, JavaScript, Java, Kotlin, C#, Go).
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.model import Location, ManagedPolicy, PolicyStatement

ADD_METHODS = frozenset({"addToRolePolicy", "add_to_role_policy"})
ROLE_STATEMENTS = frozenset({"addToPolicy", "addToPrincipalPolicy", "add_to_policy", "add_to_principal_policy"})
ADD_MANAGED = frozenset({"addManagedPolicy", "add_managed_policy"})
MANAGED_FACTORIES = frozenset({"fromAwsManagedPolicyName", "fromManagedPolicyArn", "fromManagedPolicyName",
                               "from_aws_managed_policy_name", "from_managed_policy_arn", "from_managed_policy_name"})
INITIAL = ("initialPolicy", "initial_policy")
# A role's own policies: `inlinePolicies: {Name: new iam.PolicyDocument({statements: [...]})}`.
INLINE = ("inlinePolicies", "inline_policies")
MAX_STATEMENTS = 50
LISTS = ("actions", "resources", "notActions", "notResources")
SNAKE = {"actions": "actions", "resources": "resources", "notActions": "not_actions", "notResources": "not_resources"}
# What a statement built step by step is given afterwards: method → the list it adds to.
ADDED = {"addActions": "actions", "addResources": "resources", "addNotActions": "notActions",
         "addNotResources": "notResources", "add_actions": "actions", "add_resources": "resources",
         "add_not_actions": "notActions", "add_not_resources": "notResources"}


@dataclass(frozen=True)
class Grant:
    """Statements and managed policies for the function stored in `variable`, or constructed at
    `line`, or for the role stored in `role` (given to functions with their `role` property)."""

    statements: tuple[PolicyStatement, ...] = ()
    variable: str | None = None
    line: int | None = None
    managed: tuple[ManagedPolicy, ...] = ()
    role: str | None = None


def managed(name: str | None, line: int, rel: str) -> tuple[ManagedPolicy, ...]:
    return (ManagedPolicy(name, Location(rel, line)),) if name else ()


def statement(effect: str, listed: dict[str, list[str]], conditions: list[str], line: int, rel: str,
              source: str) -> PolicyStatement | None:
    """`listed`: the statement's actions, resources, notActions and notResources as written;
    `conditions`: the keys its conditions test (`aws:ResourceTag/team`), which scope `*`.
    `effect` as written: `iam.Effect.DENY`, Go's `awsiam.Effect_DENY`."""
    if effect.rpartition(".")[2].rpartition("_")[2].upper() == "DENY" or not (listed["actions"]
                                                                             or listed["notActions"]):
        return None
    return PolicyStatement(effect="Allow", actions=tuple(listed["actions"]), resources=tuple(listed["resources"]),
                           not_actions=tuple(listed["notActions"]), not_resources=tuple(listed["notResources"]),
                           condition_keys=tuple(conditions), location=Location(rel, line), source=source)


def role_grant(holder: str, statements: tuple[PolicyStatement, ...] = (),
               policies: tuple[ManagedPolicy, ...] = ()) -> Grant:
    """`fn.role.addManagedPolicy(...)` is the function's; `role.addManagedPolicy(...)` the role's.
    The role of a function is spelled `fn.role?`, `fn.getRole()` (Java), `fn.Role` (C#) or
    `fn.Role()` (Go)."""
    parts = [part.strip().removesuffix("()") for part in holder.replace("?", "").replace("!", "").split(".")]
    if len(parts) >= 2 and _member(parts[-1]) == "role" and parts[-2] not in ("this", "self"):
        return Grant(statements, variable=parts[-2], managed=policies)
    return Grant(statements, managed=policies, role=parts[-1])


def _member(name: str) -> str:
    """`getRole` → `role`, `Role` → `role`: a member as TypeScript and Python name it."""
    if name.startswith("get") and name[3:4].isupper():
        name = name[3:]
    return name[:1].lower() + name[1:]
