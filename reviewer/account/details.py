"""The per-function questions the listing cannot answer: one call per check that applies, no more.

Skipped where the listing answers or the check does not apply: code signing when the listing
shows signed code, and for container images (which Lambda does not sign); runtime-update mode
for images (they carry their own runtime). Published versions are asked only for functions that
an event source mapping invokes unqualified.
"""

from __future__ import annotations

import json
from typing import Any

from reviewer.account.access import MISSING, AccountAccess
from reviewer.account.listing import DeployedFunction


def fill_details(client: Any, function: DeployedFunction, access: AccountAccess) -> None:
    region, name = function.region, function.arn or function.name
    answer = access.ask(client, "get_function_recursion_config", region, FunctionName=name)
    if isinstance(answer, dict):
        function.recursive_loop = answer.get("RecursiveLoop")
    if not function.is_image:
        answer = access.ask(client, "get_runtime_management_config", region, FunctionName=name)
        if isinstance(answer, dict):
            function.update_runtime_on = answer.get("UpdateRuntimeOn")
    if not function.is_image:
        if function.signed:
            function.code_signing_known = True
            function.code_signing_config = "signed code"
        else:
            answer = access.ask(client, "get_function_code_signing_config", region, FunctionName=name)
            if answer is MISSING or isinstance(answer, dict):
                function.code_signing_known = True
                function.code_signing_config = answer.get("CodeSigningConfigArn") if isinstance(answer, dict) else None
    answer = access.ask(client, "get_function_url_config", region, FunctionName=name)
    if isinstance(answer, dict):
        function.url_auth_type = str(answer.get("AuthType") or "")
    answer = access.ask(client, "get_policy", region, FunctionName=name)
    if isinstance(answer, dict):
        function.policy = _policy_document(answer.get("Policy"))
    if function.latest_event_sources:
        answer = access.ask(client, "list_versions_by_function", region, FunctionName=name)
        if isinstance(answer, dict):
            function.published_versions = sum(1 for version in answer.get("Versions") or ()
                                              if version.get("Version") not in (None, "$LATEST"))


def _policy_document(text: Any) -> dict[str, Any] | None:
    try:
        document = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def layer_runtimes(client: Any, arn: str, region: str, access: AccountAccess) -> tuple[str, ...] | None:
    """The runtimes a layer version declares itself compatible with; None where it is not visible."""
    name, _, version = arn.rpartition(":")
    if not version.isdigit():
        return None
    answer = access.ask(client, "get_layer_version", region, LayerName=name, VersionNumber=int(version))
    if not isinstance(answer, dict):
        return None
    return tuple(str(runtime) for runtime in answer.get("CompatibleRuntimes") or ())
