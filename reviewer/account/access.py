"""Every API call the account review makes, the IAM action it needs, and what to do when refused.

`IAM_ACTIONS` is the whole read-only surface of the mode: examples/iam/lambda-review-account-policy.json
grants exactly these actions, and a test checks that nothing else is ever called. An operation the
endpoint does not serve, or that the credentials may not call, is asked once: it gives one notice
naming the call and the action to grant, is skipped for the rest of that account, and every other
check goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

# boto3 method → (API operation, IAM action). A method of another service than Lambda whose name
# Lambda's client also has (IAM's `get_policy`) is written `<service>.<method>`; the execution
# role's reads are all written so, to be told apart at a glance.
IAM_ACTIONS: dict[str, tuple[str, str]] = {
    "list_functions": ("ListFunctions", "lambda:ListFunctions"),
    "list_event_source_mappings": ("ListEventSourceMappings", "lambda:ListEventSourceMappings"),
    "list_versions_by_function": ("ListVersionsByFunction", "lambda:ListVersionsByFunction"),
    "get_function_recursion_config": ("GetFunctionRecursionConfig", "lambda:GetFunctionRecursionConfig"),
    "get_runtime_management_config": ("GetRuntimeManagementConfig", "lambda:GetRuntimeManagementConfig"),
    "get_function_code_signing_config": ("GetFunctionCodeSigningConfig", "lambda:GetFunctionCodeSigningConfig"),
    "get_function_url_config": ("GetFunctionUrlConfig", "lambda:GetFunctionUrlConfig"),
    "get_policy": ("GetPolicy", "lambda:GetPolicy"),
    "get_layer_version": ("GetLayerVersion", "lambda:GetLayerVersion"),
    "iam.list_role_policies": ("ListRolePolicies", "iam:ListRolePolicies"),
    "iam.get_role_policy": ("GetRolePolicy", "iam:GetRolePolicy"),
    "iam.list_attached_role_policies": ("ListAttachedRolePolicies", "iam:ListAttachedRolePolicies"),
    "iam.get_policy": ("GetPolicy", "iam:GetPolicy"),
    "iam.get_policy_version": ("GetPolicyVersion", "iam:GetPolicyVersion"),
    "list_accounts": ("ListAccounts", "organizations:ListAccounts"),
    "assume_role": ("AssumeRole", "sts:AssumeRole"),
}

_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
                     "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException"})
_NOT_SERVED = frozenset({"UnknownOperationException", "UnknownOperation", "InvalidAction", "NotImplemented",
                         "NotImplementedException", "404", "501"})
NOT_FOUND = "ResourceNotFoundException"
# IAM's word for the same (a role deleted after its function was made): answered with HTTP 404,
# which must not read as an operation the endpoint does not serve.
_IAM_NOT_FOUND = "NoSuchEntity"


class Missing:
    """The API answered that the thing asked about does not exist (no URL, no policy)."""


MISSING = Missing()


@dataclass(frozen=True)
class Unavailable:
    """An operation that could not be used in one account: why, and where it was first refused."""

    method: str
    reason: str          # "not-served" | "denied" | "failed"
    detail: str
    region: str

    @property
    def operation(self) -> str:
        return IAM_ACTIONS[self.method][0]

    @property
    def action(self) -> str:
        return IAM_ACTIONS[self.method][1]


def classify(error: ClientError) -> str:
    """'missing', 'not-served', 'denied' or 'failed' for an error answer."""
    code = str(error.response.get("Error", {}).get("Code", ""))
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in (NOT_FOUND, _IAM_NOT_FOUND):
        return "missing"
    if code in _DENIED or status == 403:
        return "denied"
    if code in _NOT_SERVED or status in (404, 405, 501):
        return "not-served"
    return "failed"


@dataclass
class AccountAccess:
    """The operations refused in one account so far; the first refusal of each is kept for its notice."""

    account: str
    refused: dict[str, Unavailable] = field(default_factory=dict)
    # Other errors (a 5xx after every retry): noted, but the operation is still asked for the next function.
    failed: dict[str, Unavailable] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def usable(self, method: str) -> bool:
        return method not in self.refused

    def ask(self, client: Any, method: str, region: str, **params: Any) -> Any:
        """The answer, MISSING, or None when the operation is refused (recorded once)."""
        if not self.usable(method):
            return None
        call: Callable[..., Any] = getattr(client, method.rpartition(".")[2])
        try:
            return call(**params)
        except ClientError as error:
            kind = classify(error)
            if kind == "missing":
                return MISSING
            self.refuse(method, kind, _describe(error), region)
            return None

    def refuse(self, method: str, reason: str, detail: str, region: str) -> None:
        with self._lock:
            kept = self.failed if reason == "failed" else self.refused
            kept.setdefault(method, Unavailable(method, reason, detail, region))

    def unavailable(self) -> list[Unavailable]:
        return [*self.refused.values(), *(item for method, item in self.failed.items() if method not in self.refused)]


def _describe(error: ClientError) -> str:
    details = error.response.get("Error", {})
    code = str(details.get("Code", "")) or "error"
    message = str(details.get("Message", ""))
    if "<html" in message.lower() or "<!doctype" in message.lower():
        message = ""                      # an HTML error page says nothing more than its status
    return f"{code}: {message[:200]}" if message else code
