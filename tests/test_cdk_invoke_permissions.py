"""Who a CDK app lets invoke its functions (fixtures/guardrails/cdk-invoke-permissions: a TypeScript
stack that grants API Gateway, IoT and anyone invoke permissions, puts a function behind an ALB and
another behind an EventBridge rule whose target class it imports as `LambdaTarget`; a Python stack
with a WebSocket handler's permission, a star grant and an ALB target with a `CfnPermission`)."""

from __future__ import annotations

from pathlib import Path

from reviewer.analyzers.untrusted_writers import EventWriter, function_writer
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import scan

APP = Path(__file__).parent / "fixtures" / "guardrails" / "cdk-invoke-permissions"


def _functions() -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(APP)).functions}


def _permissions(function) -> list[tuple]:
    return [(p.principal, p.location.line, p.source_arn is not None, p.source_account is not None, p.principal_org_id)
            for p in function.permissions]


def test_grants_and_added_permissions_are_read_with_the_principal_s_conditions():
    found = _functions()
    assert _permissions(found["Api"]) == [("apigateway.amazonaws.com", 25, False, False, None)]
    assert _permissions(found["Devices"]) == [("iot.amazonaws.com", 33, False, False, None),
                                              ("*", 35, False, False, None),
                                              ("*", 38, False, False, "o-a1b2c3d4e5")]
    assert _permissions(found["Web"]) == [("s3.amazonaws.com", 46, True, True, None)]
    # the role's grant is its own identity policy: no resource-based permission
    assert _permissions(found["Jobs"]) == [("*", 59, False, False, None)]
    assert _permissions(found["SocketHandler"]) == [("apigateway.amazonaws.com", 18, False, False, None)]
    assert _permissions(found["RuleHandler"]) == [("iot.amazonaws.com", 30, True, False, None),
                                                  ("*", 33, False, False, None)]
    assert _permissions(found["FormHandler"]) == [("*", 49, False, False, None)]


def test_a_load_balancer_s_lambda_target_is_an_http_invoker_and_an_eventbridge_one_is_not():
    found = _functions()
    alb = {name: [(t.kind, t.attributes["type"], t.location.line) for t in fn.triggers
                  if t.attributes.get("type") == "ALB"] for name, fn in found.items()}
    assert alb == {"Api": [], "Devices": [], "Web": [("other", "ALB", 45)], "Jobs": [],
                   "SocketHandler": [], "RuleHandler": [], "FormHandler": [("other", "ALB", 44)]}
    assert {name: function_writer(fn) for name, fn in found.items()} == dict.fromkeys(found, EventWriter.CALLER)


def test_open_permissions_are_lr303_in_the_app_s_own_spelling(tmp_path):
    findings = [f for f in scan(APP)["findings"] if f["rule_id"] == "LR303"]
    assert sorted((f["path"], f["line"]) for f in findings) == [
        ("ingest/stack.py", 18), ("ingest/stack.py", 33), ("ingest/stack.py", 49),
        ("lib/service-stack.ts", 25), ("lib/service-stack.ts", 33), ("lib/service-stack.ts", 35),
        ("lib/service-stack.ts", 59)]
    messages = {(f["path"], f["line"]): f["message"] for f in findings}
    assert "without `source_arn`" in messages[("ingest/stack.py", 18)]
    assert "without `sourceArn`" in messages[("lib/service-stack.ts", 25)]


ORG_APP = Path(__file__).parent / "fixtures" / "guardrails" / "cdk-org-invoke"


def test_a_grant_to_anyone_is_told_of_a_narrower_principal_and_add_permission_of_organization_id():
    """fixtures/guardrails/cdk-org-invoke: a cross-account onboarding app whose connector any account
    may invoke through `grantInvoke(new iam.AnyPrincipal())` (which takes no organization), and
    `addPermission`s to anyone with and without CDK's `organizationId` (TypeScript and Python)."""
    findings = [f for f in scan(ORG_APP)["findings"] if f["rule_id"] == "LR303"]
    messages = {(f["path"], f["line"]): f["message"] for f in findings}
    # the permissions limited to an organization by `organizationId` / `organization_id` are not findings
    assert sorted(messages) == [("lib/onboarding-stack.ts", 17), ("lib/onboarding-stack.ts", 29),
                                ("stacks/audit_stack.py", 14), ("stacks/audit_stack.py", 20)]
    grant = messages[("lib/onboarding-stack.ts", 17)]
    assert "`grantInvoke` takes the principal alone" in grant and "principalOrgId" not in grant
    assert "`OrganizationPrincipal` for your organization (or `inOrganization` on the principal)" in grant
    assert "`ServicePrincipal` through `addPermission` with a `sourceArn`" in grant
    python_grant = messages[("stacks/audit_stack.py", 14)]
    assert "(or `in_organization` on the principal)" in python_grant
    assert "through `add_permission` with a `source_arn`" in python_grant
    assert "limiting it to your organization with `organizationId`" in messages[("lib/onboarding-stack.ts", 29)]
    assert "limiting it to your organization with `organization_id`" in messages[("stacks/audit_stack.py", 20)]


def test_add_permission_s_organization_id_is_read_as_the_permission_s_organization():
    found = {fn.name: fn for fn in build_inventory(Workspace(ORG_APP)).functions}
    assert _permissions(found["Registry"]) == [("*", 25, False, False, "o-k3x9a1b2c4"),
                                               ("*", 29, False, False, None)]
    assert _permissions(found["AuditCollector"]) == [("*", 14, False, False, None),
                                                     ("*", 17, False, False, "o-k3x9a1b2c4"),
                                                     ("*", 20, False, False, None)]
