"""Who can invoke the function from outside: its URL and its resource-based permissions (LR302, LR303)."""

from __future__ import annotations

import re
from typing import Iterable

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.inventory.spelling import (
    SOURCE_ACCOUNT,
    SOURCE_ARN,
    cdk_grant,
    method_alike,
    organization_condition,
    permission_condition,
    url_invoke_flag,
)
from reviewer.findings import Finding
from reviewer.model import Function, InvokePermission, Location
from reviewer.workspace import UnreadableFile, Workspace
from reviewer.rules import LR302, LR303
from reviewer.wording import finding_message

_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$", re.I)
_NONE_TOKEN = re.compile(r"(?<![\w-])NONE(?![\w-])")
URL_ACTION = "lambda:invokefunctionurl"
INVOKE_ACTION = "lambda:invokefunction"
# The messages' words: templates/findings/exposure.md.j2.
MESSAGES = "exposure"


class ExposureAnalyzer:
    name = "exposure"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        for function in context.inventory.functions:
            public_url = function.url is not None and function.url.auth_type.strip().upper() == "NONE"
            if public_url:
                _public_url(shared, function, context.workspace)
            for permission in function.permissions:
                if _is_url_permission(permission):
                    # A function URL's grant: public (LR302's case, said once per function) or IAM-authenticated.
                    if _is_public_url_permission(permission, function) and not public_url:
                        public_url = True
                        _public_url(shared, function, context.workspace, permission.location)
                    if public_url or _is_public_url_permission(permission, function):
                        continue
                _permission(shared, function, permission)
        return list(shared.findings())


def _is_url_permission(permission: InvokePermission) -> bool:
    """A grant of the function URL's access: `lambda:InvokeFunctionUrl`, a grant conditioned on the URL's
    auth type, or the `lambda:InvokeFunction` grant limited to calls through the URL (which a public URL
    needs as well since October 2025, so it is the URL's exposure, not a second one)."""
    return ((permission.action or "").strip().lower() == URL_ACTION or permission.function_url_auth_type is not None
            or permission.invoked_via_function_url)


def _is_public_url_permission(permission: InvokePermission, function: Function) -> bool:
    """A URL permission for principal `*` whose auth type is `NONE` (its own, or the URL's)."""
    auth = permission.function_url_auth_type or (function.url.auth_type if function.url is not None else "")
    return permission.principal.strip() == "*" and auth.strip().upper() == "NONE"


def _public_url(shared: SharedFindings, function: Function, workspace: Workspace,
                at: Location | None = None) -> None:
    """LR302 on the URL's `AuthType` line, or on the permission that makes a URL public (`at`)."""
    if at is not None:
        location = at
    else:
        assert function.url is not None
        location = function.url.location

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "public_url", subject=Markup(subject), several=several)

    shared.add(LR302, function, location, "url-auth-none", describe,
               suggestion=_replace_none(workspace, location.path, location.line),
               describe_shared=lambda subject: describe(subject, several=True))


def _replace_none(workspace: Workspace, path: str, line: int) -> str | None:
    """The AuthType line with `AWS_IAM` in place of `NONE`, when that is a one-token change."""
    try:
        lines = workspace.read_text(path).splitlines()
    except UnreadableFile:
        return None
    if not 0 < line <= len(lines) or len(_NONE_TOKEN.findall(lines[line - 1])) != 1:
        return None
    return _NONE_TOKEN.sub("AWS_IAM", lines[line - 1])


def _may_serve_public_url(function: Function, permission: InvokePermission) -> bool:
    """Whether an open `lambda:InvokeFunction` grant may be the one a public function URL needs
    besides `lambda:InvokeFunctionUrl` since October 2025: its flag then limits it to calls through
    the URL."""
    return (function.url is not None and function.url.auth_type.strip().upper() == "NONE"
            and (permission.action or "").strip().lower() == INVOKE_ACTION)


def _permission(shared: SharedFindings, function: Function, permission: InvokePermission) -> None:
    principal = permission.principal.strip()

    def spelled(condition: str) -> str:
        """The condition as the file that declares the permission writes it (`source_arn` in Terraform)."""
        return permission_condition(permission.location.path, condition, function.format)
    # A grant method (`grantInvoke`) takes a principal and no condition: the message says what
    # narrows it instead, in the file's spelling (`add_permission` beside `grant_invoke`).
    grant = cdk_grant(permission.cdk_method)
    add_permission = method_alike(grant, "addPermission") if grant else ""
    if principal == "*":
        if permission.principal_org_id:
            return
        org_id = organization_condition(permission.location.path, function.format, permission.cdk_method)
        in_organization = method_alike(grant, "inOrganization") if grant else ""
        via_url = (url_invoke_flag(permission.location.path, function.format)
                   if _may_serve_public_url(function, permission) else "")

        def describe(subject: str, several: bool = False) -> str:
            return finding_message(MESSAGES, "any_account", subject=Markup(subject), several=several,
                                   principal=principal, org_id=org_id, grant=grant, in_organization=in_organization,
                                   add_permission=add_permission, source_arn=spelled(SOURCE_ARN), via_url=via_url,
                                   when=permission.principal_when)

        shared.add(LR303, function, permission.location, "principal-star", describe,
                   describe_shared=lambda subject: describe(subject, several=True))
        return
    if not _SERVICE_PRINCIPAL.match(principal):
        return
    is_s3 = principal.lower().startswith("s3.")
    if permission.source_account and not permission.source_arn:
        # `SourceAccount` alone limits the service to resources of that account: the cross-account
        # confused deputy is closed, and which of the account's own resources may trigger the
        # function is a narrower question this rule does not ask.
        return
    missing = [name for name, value in ((SOURCE_ARN, permission.source_arn),
                                        (SOURCE_ACCOUNT, permission.source_account if is_s3 else "n/a"))
               if not value]
    if not missing:
        return

    with_conditions = method_alike(grant, "withConditions") if grant else ""

    def describe_missing(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "service_without_source", subject=Markup(subject), several=several,
                               principal=principal, missing=[spelled(name) for name in missing], s3=is_s3,
                               source_arn=spelled(SOURCE_ARN), source_account=spelled(SOURCE_ACCOUNT),
                               grant=grant, add_permission=add_permission, with_conditions=with_conditions)

    shared.add(LR303, function, permission.location,
               f"service-principal {permission.service} missing {','.join(missing)}", describe_missing,
               describe_shared=lambda subject: describe_missing(subject, several=True))
