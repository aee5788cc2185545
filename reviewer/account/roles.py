"""The execution roles of an account's functions: what each allows, read once per role.

A role is usually shared (one role for a service's 500 functions), so the roles are collected
from the listing (`Role`) and each is read once per account, whichever regions its functions run
in (IAM is global): its inline policies (`ListRolePolicies`, `GetRolePolicy`) and its attached
ones (`ListAttachedRolePolicies`). A customer managed policy is read once per account however many
roles attach it (`GetPolicy` for its default version, `GetPolicyVersion` for that version's
document). An AWS managed policy (`arn:<partition>:iam::aws:policy/...`) is not read: it is judged
by its name, as a template's is (`AdministratorAccess`, `PowerUserAccess`, `...FullAccess`), and
AWS keeps the others (`AWSLambdaBasicExecutionRole`) to what their name says.

Only the statements are kept, never a document's text. A role of another account (which these
credentials cannot read) is left alone; a refused call is refused once for the account
(access.py), and what was read before it is still judged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from threading import Lock
from typing import Any
from urllib.parse import unquote

from reviewer.account.access import AccountAccess
from reviewer.account.connection import MAX_WORKERS

# IAM's own limits keep these small (at most 20 managed policies per role, inline policies within
# 10,240 characters); the caps only bound work if an endpoint answers otherwise.
MAX_PAGES = 20
MAX_POLICIES_PER_ROLE = 200
_AWS_MANAGED = re.compile(r"^arn:[a-z-]+:iam::aws:policy/", re.I)


@dataclass(frozen=True)
class RolePolicy:
    """One policy of an execution role: its kind ("inline", "customer" or "aws"), its name, and the
    document of an inline or customer managed policy (None for an AWS managed one, judged by name)."""

    kind: str
    name: str
    arn: str
    document: dict[str, Any] | None = None


@dataclass
class ExecutionRole:
    """A role as read: its policies, in the order IAM lists them."""

    arn: str
    name: str
    policies: list[RolePolicy] = field(default_factory=list)


def role_name(arn: str) -> str | None:
    """`arn:aws:iam::123456789012:role/service-role/orders` → `orders` (a role's name is unique
    whatever its path); None for what is not a role's ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None
    return parts[5].rsplit("/", 1)[-1] or None


def read_roles(client: Any, arns: Iterable[str], account: str, region: str,
               access: AccountAccess) -> dict[str, ExecutionRole]:
    """Role ARN → the role as read, for each distinct role of `account` (others are left out)."""
    wanted = sorted({arn for arn in arns if role_name(arn) and (not account or arn.split(":")[4] == account)})
    if not wanted:
        return {}
    documents = _ManagedDocuments(client, region, access)

    def read(arn: str) -> ExecutionRole:
        return _read_role(client, arn, region, access, documents)

    # The first role alone, as the functions' questions: a refused call is then refused once.
    roles = [read(wanted[0])]
    with ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="lambda-review-roles") as pool:
        roles.extend(pool.map(read, wanted[1:]))
    return {role.arn: role for role in roles}


def _read_role(client: Any, arn: str, region: str, access: AccountAccess,
               documents: _ManagedDocuments) -> ExecutionRole:
    name = role_name(arn) or ""
    role = ExecutionRole(arn, name)
    inline = _pages(lambda marker: access.ask(client, "iam.list_role_policies", region, RoleName=name, **marker),
                    "PolicyNames")
    for policy_name in inline:
        answer = access.ask(client, "iam.get_role_policy", region, RoleName=name, PolicyName=str(policy_name))
        if isinstance(answer, dict):
            role.policies.append(RolePolicy("inline", str(policy_name), "",
                                            _document(answer.get("PolicyDocument"))))
    attached_policies = _pages(lambda marker: access.ask(client, "iam.list_attached_role_policies", region,
                                                         RoleName=name, **marker), "AttachedPolicies")
    for attached in attached_policies:
        policy_arn = str(attached.get("PolicyArn") or "") if isinstance(attached, dict) else ""
        if not policy_arn:
            continue
        policy_name = str(attached.get("PolicyName") or policy_arn.rsplit("/", 1)[-1])
        if _AWS_MANAGED.match(policy_arn):
            role.policies.append(RolePolicy("aws", policy_name, policy_arn))
        else:
            role.policies.append(RolePolicy("customer", policy_name, policy_arn, documents.get(policy_arn)))
    del role.policies[MAX_POLICIES_PER_ROLE:]
    return role


def _pages(ask: Callable[[dict[str, str]], Any], key: str) -> Iterator[Any]:
    """The items under `key` of every page `ask` gets (given `{"Marker": ...}` after the first),
    following `Marker` while `IsTruncated` (IAM may return fewer items than asked for and still
    have more)."""
    marker: str | None = None
    for _ in range(MAX_PAGES):
        page = ask({"Marker": marker} if marker else {})
        if not isinstance(page, dict):
            return
        yield from (page.get(key) or ())[:MAX_POLICIES_PER_ROLE]
        marker = page.get("Marker")
        if not page.get("IsTruncated") or not marker:
            return


class _ManagedDocuments:
    """The default version's document of each customer managed policy, read once per account."""

    def __init__(self, client: Any, region: str, access: AccountAccess) -> None:
        self._client, self._region, self._access = client, region, access
        self._read: dict[str, dict[str, Any] | None] = {}
        self._locks: dict[str, Lock] = {}
        self._lock = Lock()

    def get(self, arn: str) -> dict[str, Any] | None:
        with self._lock:
            lock = self._locks.setdefault(arn, Lock())
        with lock:
            if arn not in self._read:
                self._read[arn] = self._fetch(arn)
            return self._read[arn]

    def _fetch(self, arn: str) -> dict[str, Any] | None:
        answer = self._access.ask(self._client, "iam.get_policy", self._region, PolicyArn=arn)
        version = (answer.get("Policy") or {}).get("DefaultVersionId") if isinstance(answer, dict) else None
        if not version:
            return None
        answer = self._access.ask(self._client, "iam.get_policy_version", self._region, PolicyArn=arn,
                                  VersionId=str(version))
        if not isinstance(answer, dict):
            return None
        return _document((answer.get("PolicyVersion") or {}).get("Document"))


def _document(value: Any) -> dict[str, Any] | None:
    """A policy document as boto3 gives it: decoded already (botocore's IAM handler), or, should
    that have failed, the URL-encoded JSON IAM sends."""
    if isinstance(value, str):
        try:
            value = json.loads(unquote(value))
        except ValueError:
            return None
    return value if isinstance(value, dict) else None
