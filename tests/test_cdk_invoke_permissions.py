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
