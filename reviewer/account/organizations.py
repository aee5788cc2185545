"""Which accounts to review: the caller's own, every active member of the organization, or named roles.

`--assume-role NAME` lists the organization's accounts (organizations:ListAccounts, from the
management or a delegated administrator account) and assumes that role in each active one;
`--role-arn` names the roles directly. An account that refuses the role is reported and skipped;
the others are reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.account.access import MISSING, AccountAccess
from reviewer.account.connection import Connection

SESSION_NAME = "lambda-review"


@dataclass
class AccountTarget:
    """One account to review, reachable through `connection`, or refused with `refusal` (then None)."""

    label: str
    account_id: str
    role_arn: str | None
    connection: Connection | None
    refusal: str | None = None


def role_arns_in_organization(base: Connection, role_name: str, region: str, access: AccountAccess) -> list[str] | None:
    """The role of that name in every ACTIVE account of the organization; None when the listing is refused."""
    client = base.client("organizations", region)
    arns: list[str] = []
    token: str | None = None
    while True:
        page = access.ask(client, "list_accounts", region, **({"NextToken": token} if token else {}))
        if page is None or page is MISSING:
            return None
        for account in page.get("Accounts") or ():
            if str(account.get("Status", "")).upper() == "ACTIVE" and account.get("Id"):
                partition = str(account.get("Arn", "arn:aws:")).split(":")[1] or "aws"
                arns.append(f"arn:{partition}:iam::{account['Id']}:role/{role_name}")
        token = page.get("NextToken")
        if not token:
            return arns


def assume(base: Connection, role_arn: str, region: str) -> AccountTarget:
    """Temporary credentials for the role, or a target that says why the account refused it."""
    account_id = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
    client = base.client("sts", region)
    from botocore.exceptions import ClientError

    try:
        answer = client.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)
    except ClientError as error:
        details = error.response.get("Error", {})
        reason = f"{details.get('Code', 'error')}: {str(details.get('Message', ''))[:200]}"
        return AccountTarget(account_id or role_arn, account_id, role_arn, None, refusal=reason)
    return AccountTarget(account_id, account_id, role_arn, base.with_credentials(answer["Credentials"]))
