"""The execution roles of deployed functions (LR300, LR301), read through moto's IAM on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from reviewer.account.access import AccountAccess
from reviewer.account.command import AccountRequest, AccountRun, review_account
from reviewer.account.roles import read_roles, role_name
from reviewer.config import Settings, resolve_settings
from tests.aws_emulator import ACCOUNT, TRUST, handler_zip, reset, running_emulator

REPO = Path(__file__).resolve().parents[1]
BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_emulator() as url:
        yield url


@pytest.fixture
def aws_managed_policies(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto knows AWS's managed policies (AdministratorAccess) only when asked to load them, which
    takes seconds at each reset: only the test that attaches them asks."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


def settings() -> Settings:
    return resolve_settings(REPO, None, reference_date="2026-11-22", fail_on="never")


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class Estate:
    """An account whose functions run as a few roles, each role made the way a deployment tool makes it."""

    def __init__(self, endpoint: str, session: boto3.session.Session | None = None) -> None:
        self.session = session or boto3.session.Session()
        self.endpoint = endpoint
        self.iam = self.session.client("iam", region_name="us-east-1", endpoint_url=endpoint)

    def role(self, name: str, inline: dict[str, str] | None = None, attached: tuple[str, ...] = ()) -> str:
        arn = str(self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"])
        for policy, text in (inline or {}).items():
            self.iam.put_role_policy(RoleName=name, PolicyName=policy, PolicyDocument=text)
        for policy_arn in attached:
            self.iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        return arn

    def customer_policy(self, name: str, text: str) -> str:
        return str(self.iam.create_policy(PolicyName=name, PolicyDocument=text)["Policy"]["Arn"])

    def function(self, name: str, role: str, region: str = "us-east-1") -> None:
        client = self.session.client("lambda", region_name=region, endpoint_url=self.endpoint)
        client.create_function(FunctionName=name, Runtime="python3.13", Role=role, Handler="app.handler",
                               Code={"ZipFile": handler_zip()})


def review(endpoint: str, session: boto3.session.Session | None = None,
           regions: tuple[str, ...] = ("us-east-1", "eu-west-1")) -> AccountRun:
    return review_account(AccountRequest(regions=list(regions), endpoint_url=endpoint), settings(), session=session)


def role_findings(run: AccountRun, function: str) -> list[Any]:
    return [f for f in run.review.findings if f.function == function and f.rule_id in ("LR300", "LR301")]


def test_a_shared_role_is_read_once_and_each_of_its_functions_gets_the_template_checks_finding(endpoint: str) -> None:
    reset(endpoint)
    estate = Estate(endpoint)
    writes = estate.customer_policy("orders-events", document(
        {"Effect": "Allow", "Action": "events:PutEvents", "Resource": "*"}))
    role = estate.role("orders-fn-role", inline={"orders-access": document(
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": TABLE},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
    )}, attached=(writes,))
    estate.function("orders-api", role)
    estate.function("orders-worker", role)
    estate.function("orders-eu", role, region="eu-west-1")
    run = review(endpoint)

    calls = run.review.calls.calls
    for operation in ("ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion"):
        assert calls[f"iam:{operation}"] == 1, operation      # one role, three functions, two regions
    for function in ("orders-api", "orders-worker", "orders-eu"):
        found = {(f.rule_id, f.evidence.split(" ")[0]) for f in role_findings(run, function)}
        assert found == {("LR300", "broad-actions"), ("LR301", "writes-on-star")}, function
    broad = next(f for f in role_findings(run, "orders-api") if f.rule_id == "LR300")
    assert broad.message.startswith(
        "A policy statement on the execution role of `orders-api` (the inline policy `orders-access` of the role "
        "`orders-fn-role`) allows `s3:*` on every resource")
    assert "SAM policy template" not in broad.message and broad.resource.endswith(":function:orders-api")
    events = next(f for f in role_findings(run, "orders-eu") if f.rule_id == "LR301")
    assert "(the customer managed policy `orders-events` attached to the role `orders-fn-role`)" in events.message
    assert "`events:PutEvents`" in events.message and "its ARN, such as" in events.message
    # The statements a reviewer needs no more of are not repeated: the scoped table, the log writes.
    assert not any(TABLE in f.message or "PutLogEvents" in f.message for f in run.review.findings)
    assert not [f for f in run.review.findings if f.rule_id == "LR900" and f.resource.startswith("iam:")]
    listed = {function.name: function.to_json()["role"] for function in run.review.functions}
    assert listed["orders-eu"] == role


def test_administrator_access_is_judged_by_name_and_aws_managed_policies_are_not_read(
        endpoint: str, aws_managed_policies: None) -> None:
    reset(endpoint)
    estate = Estate(endpoint)
    estate.function("ops-runner", estate.role("ops-admin", attached=(BASIC, ADMIN)))
    estate.function("thumbnailer", estate.role("thumbnailer-role", attached=(BASIC,)))
    run = review(endpoint, regions=("us-east-1",))
    admin = role_findings(run, "ops-runner")
    assert [(f.rule_id, f.severity.value) for f in admin] == [("LR300", "error")]
    assert admin[0].message.startswith(
        "The execution role of `ops-runner` (`ops-admin`) attaches the AWS managed policy "
        "`arn:aws:iam::aws:policy/AdministratorAccess`, which grants every action")
    assert not role_findings(run, "thumbnailer")
    assert run.review.calls.calls.get("iam:GetPolicy", 0) == 0
    assert run.review.calls.calls.get("iam:GetPolicyVersion", 0) == 0


def test_a_customer_managed_policy_two_roles_attach_is_read_once(endpoint: str) -> None:
    reset(endpoint)
    estate = Estate(endpoint)
    shared = estate.customer_policy("shared-queue-writes", document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}))
    estate.function("intake", estate.role("intake-role", attached=(shared,)))
    estate.function("outflow", estate.role("outflow-role", attached=(shared,)))
    run = review(endpoint, regions=("us-east-1",))
    assert run.review.calls.calls["iam:ListAttachedRolePolicies"] == 2
    assert run.review.calls.calls["iam:GetPolicy"] == 1 and run.review.calls.calls["iam:GetPolicyVersion"] == 1
    for function, role in (("intake", "intake-role"), ("outflow", "outflow-role")):
        found = role_findings(run, function)
        assert [f.rule_id for f in found] == ["LR301"]
        assert f"attached to the role `{role}`" in found[0].message


def test_a_refused_role_read_gives_one_notice_naming_the_action_and_the_rest_is_still_judged(endpoint: str) -> None:
    reset(endpoint)
    estate = Estate(endpoint)
    inline = {"wide": document({"Effect": "Allow", "Action": "*", "Resource": "*"})}
    attached = estate.customer_policy("every-service", document({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    for index in range(3):
        estate.function(f"svc-{index}", estate.role(f"svc-{index}-role", inline=inline, attached=(attached,)))
    session = boto3.session.Session()

    def deny(**_: Any) -> Any:
        error = {"Error": {"Code": "AccessDenied", "Message": "not authorized to perform: iam:GetRolePolicy"},
                 "ResponseMetadata": {"HTTPStatusCode": 403}}
        return AWSResponse("https://iam.amazonaws.com/", 403, {}, None), error

    session.events.register("before-call.iam.GetRolePolicy", deny)
    run = review(endpoint, session=session, regions=("us-east-1",))
    notices = [f for f in run.review.findings if f.rule_id == "LR900"
               and (f.resource or "").startswith("iam:")]
    assert [notice.resource for notice in notices] == ["iam:GetRolePolicy"]
    assert ("so the execution role check (LR300, LR301) of inline policies did not run" in notices[0].message
            and "Granting `iam:GetRolePolicy`" in notices[0].message)
    assert run.review.calls.calls["iam:GetRolePolicy"] == 1          # refused once, not asked for every role
    for index in range(3):                                            # the attached policy is still judged
        found = role_findings(run, f"svc-{index}")
        assert [f.rule_id for f in found] == ["LR300"]
        assert "(the customer managed policy `every-service` attached to the role" in found[0].message


def test_a_role_deleted_after_its_function_was_made_is_no_refusal(endpoint: str) -> None:
    reset(endpoint)
    estate = Estate(endpoint)
    estate.function("orphan", estate.role("gone-role"))
    estate.iam.delete_role(RoleName="gone-role")
    run = review(endpoint, regions=("us-east-1",))
    assert not [f for f in run.review.findings if f.rule_id == "LR900" and (f.resource or "").startswith("iam:")]
    assert run.review.calls.calls["iam:ListRolePolicies"] == 1
    assert not role_findings(run, "orphan")


def test_the_role_listings_follow_marker_while_truncated() -> None:
    client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    role = f"arn:aws:iam::{ACCOUNT}:role/service-role/orders"
    name = {"RoleName": "orders"}
    with Stubber(client) as stub:
        # Each name is read as its page comes: the first page's policy before the second page.
        for policy, page, marker in (("a", {"IsTruncated": True, "Marker": "m1"}, {}),
                                     ("b", {"IsTruncated": False}, {"Marker": "m1"})):
            stub.add_response("list_role_policies", {"PolicyNames": [policy], **page}, {**name, **marker})
            stub.add_response("get_role_policy", {"RoleName": "orders", "PolicyName": policy, "PolicyDocument": document(
                {"Effect": "Allow", "Action": f"{policy}x:*", "Resource": "*"})}, {**name, "PolicyName": policy})
        stub.add_response("list_attached_role_policies", {
            "AttachedPolicies": [{"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyArn": BASIC}],
            "IsTruncated": True, "Marker": "m2"}, name)
        stub.add_response("list_attached_role_policies", {
            "AttachedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}], "IsTruncated": False},
            {**name, "Marker": "m2"})
        roles = read_roles(client, [role, role, role], ACCOUNT, "us-east-1", AccountAccess(ACCOUNT))
        stub.assert_no_pending_responses()
    policies = roles[role].policies
    assert [(p.kind, p.name) for p in policies] == [("inline", "a"), ("inline", "b"), ("aws", "AWSLambdaBasicExecutionRole"),
                                                    ("aws", "AdministratorAccess")]
    assert policies[1].document == {"Version": "2012-10-17",
                                    "Statement": [{"Effect": "Allow", "Action": "bx:*", "Resource": "*"}]}


def test_a_role_of_another_account_or_not_a_role_is_not_read() -> None:
    client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        assert read_roles(client, ["arn:aws:iam::999999999999:role/theirs", "not-an-arn", ""], ACCOUNT, "us-east-1",
                          AccountAccess(ACCOUNT)) == {}
        stub.assert_no_pending_responses()
    assert role_name("arn:aws:iam::123456789012:role/service-role/x-role") == "x-role"
    assert role_name("arn:aws:iam::123456789012:user/x") is None


def test_star_on_one_deployed_table_names_the_table_s_service_not_every_service(endpoint: str) -> None:
    """A deployed role's `Action: "*"` on one table's ARN allows what applies to a table: the
    words name `dynamodb`, and the finding stays LR300's error."""
    reset(endpoint)
    estate = Estate(endpoint)
    role = estate.role("ledger-role", inline={"ledger-table": document(
        {"Effect": "Allow", "Action": "*", "Resource": TABLE})})
    estate.function("ledger-writer", role)
    run = review(endpoint, regions=("us-east-1",))
    broad = [f for f in role_findings(run, "ledger-writer") if f.rule_id == "LR300"]
    assert [f.severity.value for f in broad] == ["error"]
    assert broad[0].message.startswith(
        "A policy statement on the execution role of `ledger-writer` (the inline policy `ledger-table` of the role "
        f"`ledger-role`) allows `*` on `{TABLE}`: every action of `dynamodb` that applies to it.")
    assert "every service" not in broad[0].message
