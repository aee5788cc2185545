"""The account review: accounts × regions, a paginated listing, then the per-function questions on
a bounded pool of threads, then the repository's analyzers over what was read."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TextIO

from reviewer import markdown
from reviewer.account.access import AccountAccess, Unavailable
from reviewer.account.connection import MAX_WORKERS, ApiCalls, Connection
from reviewer.account.details import fill_details, layer_runtimes
from reviewer.account.judgement import judge
from reviewer.account.listing import (
    DeployedFunction,
    latest_event_sources,
    list_functions,
)
from reviewer.account.organizations import (
    AccountTarget,
    assume,
    role_arns_in_organization,
)
from reviewer.account.roles import read_roles
from reviewer.config import Settings
from reviewer.findings import Finding
from reviewer.progress import Progress
from reviewer.rules import LR900

# Keyed by IAM action: Lambda and IAM both have a `GetPolicy`.
_CHECK_OF_ACTION = {
    "lambda:ListFunctions": "the whole review of this account in that region",
    "lambda:ListEventSourceMappings": "the `$LATEST` check (LR401)",
    "lambda:ListVersionsByFunction": "the `$LATEST` check (LR401)",
    "lambda:GetFunctionRecursionConfig": "the recursion setting check (LR202)",
    "lambda:GetRuntimeManagementConfig": "the runtime-update mode check (LR105)",
    "lambda:GetFunctionCodeSigningConfig": "the code signing check (LR400)",
    "lambda:GetFunctionUrlConfig": "the public function URL check (LR302)",
    "lambda:GetPolicy": "the resource policy check (LR303)",
    "lambda:GetLayerVersion": "the layer runtime check (LR107)",
    "iam:ListRolePolicies": "the execution role check (LR300, LR301) of inline policies",
    "iam:GetRolePolicy": "the execution role check (LR300, LR301) of inline policies",
    "iam:ListAttachedRolePolicies": "the execution role check (LR300, LR301) of attached policies",
    "iam:GetPolicy": "the execution role check (LR300, LR301) of customer managed policies",
    "iam:GetPolicyVersion": "the execution role check (LR300, LR301) of customer managed policies",
    "organizations:ListAccounts": "the review of the organization's member accounts",
}


@dataclass
class AccountResult:
    """One account: what was read and found, or why it could not be reviewed."""

    label: str
    account_id: str
    role_arn: str | None
    functions: list[DeployedFunction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refusal: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"account": self.account_id or None, "role_arn": self.role_arn,
                "status": "refused" if self.refusal else "reviewed", "refusal": self.refusal,
                "functions": len(self.functions), "findings": len(self.findings)}


@dataclass
class AccountReview:
    """The deployed functions of every account and region read, the API calls that took, and what could not be read."""

    accounts: list[AccountResult]
    regions: list[str]
    calls: ApiCalls
    notices: list[Finding] = field(default_factory=list)

    @property
    def functions(self) -> list[DeployedFunction]:
        return [function for account in self.accounts for function in account.functions]

    @property
    def findings(self) -> list[Finding]:
        return [*self.notices, *(finding for account in self.accounts for finding in account.findings)]


class AccountProgress(Progress):
    """The live line of an account review: account, region and functions asked about so far."""

    def __init__(self, stream: TextIO | None, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(stream, environ)
        self.where = ""
        self.asked = 0
        self.listed = 0
        self.inventoried = True

    def region(self, where: str, listed: int) -> None:
        with self._lock:
            self.where, self.listed, self.asked = where, listed, 0
        self._draw(force=True)

    def asked_one(self) -> None:
        with self._lock:
            self.asked += 1
        self._draw()

    def status(self) -> str:
        return f"lambda-review: {self.where}: {self.asked:,}/{self.listed:,} functions"


def review_accounts(connection: Connection, regions: list[str], settings: Settings,
                    assume_role: str | None = None, role_arns: tuple[str, ...] = (),
                    progress: AccountProgress | None = None) -> AccountReview:
    review = AccountReview([], regions, connection.calls)
    for target in _targets(connection, regions[0], assume_role, role_arns, review):
        result = AccountResult(target.label, target.account_id, target.role_arn, refusal=target.refusal)
        review.accounts.append(result)
        if target.connection is None:
            review.notices.append(_refused_account(target))
            continue
        access = AccountAccess(target.label)
        layers: dict[str, tuple[str, ...]] = {}
        for region in regions:
            result.functions.extend(_review_region(target.connection, region, access, layers, progress))
        if not result.account_id and result.functions:
            result.account_id = result.functions[0].account
        _read_execution_roles(target.connection, regions[0], access, result)
        result.findings = judge(result.functions, layers, settings)
        result.findings.extend(_notice(item, result.account_id) for item in access.unavailable())
    return review


def _targets(connection: Connection, region: str, assume_role: str | None, role_arns: tuple[str, ...],
             review: AccountReview) -> list[AccountTarget]:
    arns = list(role_arns)
    if assume_role:
        access = AccountAccess("organization")
        listed = role_arns_in_organization(connection, assume_role, region, access)
        review.notices.extend(_notice(item, "") for item in access.unavailable())
        arns.extend(arn for arn in listed or () if arn not in arns)
    if not arns and not assume_role:
        return [AccountTarget("default credentials", "", None, connection)]
    return [assume(connection, arn, region) for arn in arns]


def _review_region(connection: Connection, region: str, access: AccountAccess, layers: dict[str, tuple[str, ...]],
                   progress: AccountProgress | None) -> list[DeployedFunction]:
    client = connection.client("lambda", region)
    functions = list_functions(client, region, access)
    if not functions:
        return []
    if progress is not None:
        progress.region(f"{access.account} {region}", len(functions))
    sources = latest_event_sources(client, region, access)
    for function in functions:
        function.latest_event_sources = sources.get(function.arn, [])
    lock = threading.Lock()

    def ask(function: DeployedFunction) -> None:
        fill_details(client, function, access)
        if progress is not None:
            with lock:
                progress.asked_one()

    # The first function is asked alone: an operation the endpoint refuses is then refused once,
    # not once per thread that asked it at the same time.
    ask(functions[0])
    with ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="lambda-review-account") as pool:
        list(pool.map(ask, functions[1:]))
    for arn in sorted({arn for function in functions for arn in function.layers} - set(layers)):
        runtimes = layer_runtimes(client, arn, region, access)
        if runtimes is not None:
            layers[arn] = runtimes
    return functions


def _read_execution_roles(connection: Connection, region: str, access: AccountAccess, result: AccountResult) -> None:
    """Each distinct execution role of the account's functions read once (IAM is global), then
    handed to every function that runs as it."""
    if not result.functions:
        return
    roles = read_roles(connection.client("iam", region), (function.role for function in result.functions),
                       result.account_id, region, access)
    for function in result.functions:
        function.execution_role = roles.get(function.role)


def _notice(item: Unavailable, account: str) -> Finding:
    why = {"not-served": "is not served by the endpoint", "denied": "was refused (access denied)",
           "failed": "failed"}[item.reason]
    skipped = _CHECK_OF_ACTION.get(item.action, "one check")
    effect = ("did not run; every other check ran." if item.reason != "failed"
              else "is incomplete for some functions; every other check ran.")
    grant = (f" Granting {markdown.code(item.action)} (examples/iam/lambda-review-account-policy.json) lets it run."
             if item.reason != "not-served" else "")
    where = f"account {markdown.code(account)}, " if account else ""
    message = (f"The call {markdown.code(item.operation)} ({markdown.code(item.action)}) {why} "
               f"({where}first in {markdown.code(item.region)}: {markdown.code(item.detail)}), so {skipped} "
               f"{effect}{grant}")
    return LR900.finding(message, "", 0, evidence=f"account-call {item.operation} {item.reason}",
                         resource=item.action, region=item.region, account=account or None)


def _refused_account(target: AccountTarget) -> Finding:
    message = (f"Account {markdown.code(target.account_id or target.label)} refused the role "
               f"{markdown.code(target.role_arn or '')} ({markdown.code(target.refusal or '')}), so it was not "
               "reviewed; the other accounts were. The role must exist there and trust the reviewing account "
               "(`sts:AssumeRole`).")
    return LR900.finding(message, "", 0, evidence=f"account-refused {target.role_arn}",
                         resource=target.role_arn or target.label, account=target.account_id or None)
