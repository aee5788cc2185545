"""Services a Terraform configuration points at a function on their own side
(reviewer/inventory/terraform/service_links.py), in fixtures/untrusted/terraform-service-triggers:
a members' club with user pool triggers (a resource's `lambda_config` and the lgallard module's
inputs), a status page behind a load balancer's target group (an attachment, and
terraform-aws-modules/alb's `target_groups`), an IoT topic rule and a log subscription filter."""

from __future__ import annotations

import shutil

from reviewer.analyzers.untrusted_pages import ALB, http_invokers
from reviewer.analyzers.untrusted_writers import EventWriter, function_sources, function_writer
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import FIXTURES, marks, scan

APP = FIXTURES / "terraform-service-triggers"


def _functions():
    return {fn.name.removeprefix("aws_lambda_function."): fn for fn in build_inventory(Workspace(APP)).functions}


def test_each_service_is_a_trigger_of_the_function_it_names():
    found = {name: [(t.kind, t.attributes["type"], t.location.path, t.location.line) for t in fn.triggers]
             for name, fn in _functions().items()}
    assert found == {
        "screen_signup": [("other", "Cognito", "auth.tf", 38)],       # lambda_config.pre_sign_up
        "invite_text": [("other", "Cognito", "auth.tf", 39)],         # custom_message (kms_key_id is no function)
        "mailer": [("other", "Cognito", "auth.tf", 42)],              # the custom_email_sender block
        "welcome": [("other", "Cognito", "auth.tf", 76)],             # the module's lambda_config map
        "gatekeeper": [("other", "Cognito", "auth.tf", 78)],          # its flat lambda_config_pre_authentication
        "status": [("other", "ALB", "web.tf", 28)],                   # aws_lb_target_group_attachment
        "roster": [("other", "ALB", "web.tf", 42)],                   # the alb module's lambda target group
        "readings": [("other", "IoTRule", "telemetry.tf", 23)],       # the rule's lambda action
        "audit_shipper": [("other", "CloudWatchLogs", "telemetry.tf", 40)],
    }


def test_user_pool_and_load_balancer_functions_are_invoked_by_outsiders():
    functions = _functions()
    assert function_writer(functions["screen_signup"]) is EventWriter.CALLER
    assert function_sources(functions["invite_text"]) == {"cognito"}
    assert http_invokers(functions["status"]) == [ALB]
    assert http_invokers(functions["roster"]) == [ALB]
    assert http_invokers(functions["readings"]) == []


def test_a_sign_up_s_attributes_and_a_load_balancer_s_host_header_are_errors(tmp_path):
    root = tmp_path / "club"
    shutil.copytree(APP, root)
    report = scan(root)
    found = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
    wanted, _ = marks(APP)
    assert set(found) == wanted
    for finding in found.values():
        assert finding["severity"] == "error"
        assert "No trigger of the function is declared" not in finding["message"]
    assert "The function is invoked through an Application Load Balancer" in found[("lambda/status.js", 3)]["message"]
    latest = {f["function"]: f["message"] for f in report["findings"] if f["rule_id"] == "LR401"}
    assert "invoked through the Cognito user pool trigger (line 38)" in latest["aws_lambda_function.screen_signup"]
    assert "invoked through the load balancer target group (line 28)" in latest["aws_lambda_function.status"]
    assert "invoked through the IoT topic rule (line 23) and the permission" in latest["aws_lambda_function.readings"]
    assert "through the CloudWatch Logs subscription filter (line 40)" in latest["aws_lambda_function.audit_shipper"]
