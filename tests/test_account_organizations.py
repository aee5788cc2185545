"""Many accounts (moto's Organizations and STS), and the checks moto does not serve (botocore's Stubber)."""

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
from reviewer.account.command import AccountRequest, review_account
from reviewer.account.details import fill_details
from reviewer.account.judgement import judge
from reviewer.account.listing import DeployedFunction
from reviewer.account.report import to_json
from reviewer.config import Settings, resolve_settings
from tests.aws_emulator import (
    ACCOUNT,
    Deployment,
    reset,
    running_emulator,
)

REPO = Path(__file__).resolve().parents[1]
MEMBER_ROLE = "OrganizationAccountAccessRole"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_emulator() as url:
        yield url


def settings() -> Settings:
    return resolve_settings(REPO, None, reference_date="2026-11-22", fail_on="never")


def member_session(endpoint: str, account_id: str) -> boto3.session.Session:
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint)
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{MEMBER_ROLE}",
                                  RoleSessionName="deploy")["Credentials"]
    return boto3.session.Session(aws_access_key_id=credentials["AccessKeyId"],
                                 aws_secret_access_key=credentials["SecretAccessKey"],
                                 aws_session_token=credentials["SessionToken"])


def organization(endpoint: str) -> list[str]:
    client = boto3.client("organizations", region_name="us-east-1", endpoint_url=endpoint)
    client.create_organization(FeatureSet="ALL")
    members = []
    for name in ("payments-prod", "search-prod", "sandbox"):
        status = client.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        members.append(str(status["AccountId"]))
    return members


def refuse_role_in(session: boto3.session.Session, account_id: str) -> None:
    """The account's role does not trust the reviewer: STS answers AccessDenied (moto assumes any role)."""

    def refuse(params: dict[str, Any], **_: Any) -> Any:
        if f":{account_id}:" in str(params.get("body", {}).get("RoleArn", "")):
            error = {"Error": {"Code": "AccessDenied", "Message": "not authorized to perform: sts:AssumeRole"},
                     "ResponseMetadata": {"HTTPStatusCode": 403}}
            return AWSResponse("https://sts.amazonaws.com/", 403, {}, None), error
        return None

    session.events.register("before-call.sts.AssumeRole", refuse)


def test_assume_role_reviews_every_member_account_and_notes_the_one_that_refuses(endpoint: str) -> None:
    reset(endpoint)
    payments, search, sandbox = organization(endpoint)
    Deployment(endpoint, "us-east-1", member_session(endpoint, payments)).function("charge-card", "python3.8")
    Deployment(endpoint, "us-east-1", member_session(endpoint, search)).function("index-products", "nodejs24.x")
    Deployment(endpoint, "us-east-1", member_session(endpoint, sandbox)).function("experiment", "python3.13")
    session = boto3.session.Session()
    refuse_role_in(session, sandbox)

    run = review_account(AccountRequest(regions=["us-east-1"], endpoint_url=endpoint, assume_role=MEMBER_ROLE),
                         settings(), session=session)
    document = to_json(run.review, run.facts)

    accounts = {entry["account"]: entry for entry in document["accounts"]}
    assert set(accounts) == {ACCOUNT, payments, search, sandbox}
    assert accounts[sandbox]["status"] == "refused" and accounts[payments]["status"] == "reviewed"
    where = {function["name"]: function["account"] for function in document["functions"]}
    assert where == {"charge-card": payments, "index-products": search}
    old = [f for f in document["findings"] if f["rule_id"] == "LR100"]
    assert [(f["function"], f["account"]) for f in old] == [("charge-card", payments)]
    refused = [f for f in document["findings"] if f["rule_id"] == "LR900" and f["account"] == sandbox]
    assert len(refused) == 1 and "sts:AssumeRole" in refused[0]["message"]
    assert document["summary"]["api_calls"]["by_operation"]["organizations:ListAccounts"] == 1
    assert document["summary"]["api_calls"]["by_operation"]["sts:AssumeRole"] == 4


def test_role_arn_names_the_accounts_directly(endpoint: str) -> None:
    reset(endpoint)
    payments, _, _ = organization(endpoint)
    Deployment(endpoint, "eu-west-1", member_session(endpoint, payments)).function("refund", "nodejs14.x")
    run = review_account(AccountRequest(regions=["eu-west-1"], endpoint_url=endpoint,
                                        role_arns=(f"arn:aws:iam::{payments}:role/{MEMBER_ROLE}",)), settings())
    document = to_json(run.review, run.facts)
    assert [entry["account"] for entry in document["accounts"]] == [payments]
    assert {(f["rule_id"], f["function"]) for f in document["findings"]} >= {("LR101", "refund")}
    assert "organizations:ListAccounts" not in document["summary"]["api_calls"]["by_operation"]


def stubbed_function(runtime: str = "python3.12") -> DeployedFunction:
    return DeployedFunction(name="thumbnailer", arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:thumbnailer",
                            region="us-east-1", account=ACCOUNT, runtime=runtime, package_type="Zip",
                            environment={}, layers=(), signed=False)


def test_recursion_allowed_and_manual_runtime_updates_are_found_where_the_endpoint_serves_them() -> None:
    client = boto3.client("lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    function = stubbed_function()
    name = {"FunctionName": function.arn}
    with Stubber(client) as stub:
        stub.add_response("get_function_recursion_config", {"RecursiveLoop": "Allow"}, name)
        stub.add_response("get_runtime_management_config", {"UpdateRuntimeOn": "Manual"}, name)
        stub.add_response("get_function_code_signing_config",
                          {"CodeSigningConfigArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:code-signing-config:csc-1",
                           "FunctionName": "thumbnailer"}, name)
        stub.add_client_error("get_function_url_config", "ResourceNotFoundException", http_status_code=404,
                              expected_params=name)
        stub.add_client_error("get_policy", "AccessDeniedException", http_status_code=403, expected_params=name)
        fill_details(client, function, access := AccountAccess(ACCOUNT))
        stub.assert_no_pending_responses()
    rules = {finding.rule_id for finding in judge([function], {}, settings())}
    assert {"LR202", "LR105"} <= rules
    assert "LR400" not in rules and "LR302" not in rules
    assert [(item.action, item.reason) for item in access.unavailable()] == [("lambda:GetPolicy", "denied")]


def test_signed_code_in_the_listing_saves_the_code_signing_call() -> None:
    client = boto3.client("lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    function = stubbed_function()
    function.signed = True
    with Stubber(client) as stub:
        for method in ("get_function_recursion_config", "get_runtime_management_config"):
            stub.add_response(method, {})
        stub.add_client_error("get_function_url_config", "ResourceNotFoundException", http_status_code=404)
        stub.add_client_error("get_policy", "ResourceNotFoundException", http_status_code=404)
        fill_details(client, function, AccountAccess(ACCOUNT))
        stub.assert_no_pending_responses()
    assert "LR400" not in {finding.rule_id for finding in judge([function], {}, settings())}


def test_the_policy_file_grants_every_call_the_review_can_make(endpoint: str) -> None:
    from reviewer.account.access import IAM_ACTIONS

    policy = json.loads((REPO / "examples/iam/lambda-review-account-policy.json").read_text())
    granted = {action for statement in policy["Statement"] for action in statement["Action"]}
    assert all(statement["Effect"] == "Allow" for statement in policy["Statement"])
    assert {action for _, action in IAM_ACTIONS.values()} == granted
    assert not any(action.split(":")[1].startswith(("Create", "Update", "Delete", "Put", "Add", "Remove", "Tag",
                                                    "Invoke", "Publish")) for action in granted)
    # What the code actually called, counted by botocore's events over a full organization run.
    reset(endpoint)
    payments, _, _ = organization(endpoint)
    deployment = Deployment(endpoint, "us-east-1", member_session(endpoint, payments))
    deployment.function("settle", "python3.8")
    deployment.queue_to_latest("settle")
    layer = deployment.layer("shared-py38", ["python3.8"])
    deployment.lam.update_function_configuration(FunctionName="settle", Layers=[layer])
    deployment.public_url("settle")
    run = review_account(AccountRequest(regions=["us-east-1", "eu-west-1"], endpoint_url=endpoint,
                                        assume_role=MEMBER_ROLE), settings())
    called = set(run.review.calls.calls)
    assert called <= granted
    assert {"lambda:ListFunctions", "lambda:GetLayerVersion", "lambda:ListVersionsByFunction",
            "organizations:ListAccounts", "sts:AssumeRole"} <= called


def test_the_listing_follows_next_marker_to_the_last_page() -> None:
    from reviewer.account.listing import list_functions

    client = boto3.client("lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

    def page(names: range) -> list[dict[str, Any]]:
        return [{"FunctionName": f"fn-{i}", "FunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn-{i}",
                 "Runtime": "python3.13", "PackageType": "Zip"} for i in names]

    with Stubber(client) as stub:
        stub.add_response("list_functions", {"Functions": page(range(50)), "NextMarker": "m1"}, {})
        stub.add_response("list_functions", {"Functions": page(range(50, 100)), "NextMarker": "m2"}, {"Marker": "m1"})
        stub.add_response("list_functions", {"Functions": page(range(100, 123))}, {"Marker": "m2"})
        listed = list_functions(client, "us-east-1", AccountAccess(ACCOUNT))
        stub.assert_no_pending_responses()
    assert listed is not None and [f.name for f in listed] == [f"fn-{i}" for i in range(123)]


def test_a_refused_listing_gives_one_notice_naming_the_action(endpoint: str) -> None:
    reset(endpoint)
    Deployment(endpoint, "us-east-1").function("orders-api")
    session = boto3.session.Session()

    def deny(**_: Any) -> Any:
        error = {"Error": {"Code": "AccessDeniedException", "Message": "not authorized: lambda:ListFunctions"},
                 "ResponseMetadata": {"HTTPStatusCode": 403}}
        return AWSResponse("https://lambda.amazonaws.com/", 403, {}, None), error

    session.events.register("before-call.lambda.ListFunctions", deny)
    run = review_account(AccountRequest(regions=["us-east-1", "eu-west-1"], endpoint_url=endpoint), settings(),
                         session=session)
    notices = [f for f in run.review.findings if f.rule_id == "LR900"]
    assert [notice.resource for notice in notices] == ["lambda:ListFunctions"]
    assert "Granting `lambda:ListFunctions`" in notices[0].message
    assert run.review.calls.calls["lambda:ListFunctions"] == 1     # refused once, not asked again per region
    assert not run.review.functions


def test_an_unknown_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from reviewer.cli import main

    assert main(["account", "--region", "us-east-1", "--profile", "no-such-profile"]) == 2
    assert "no-such-profile" in capsys.readouterr().err


def test_the_progress_line_is_drawn_only_on_a_terminal() -> None:
    import io

    from reviewer.account.review import AccountProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = AccountProgress(stream, environ={})
        progress.region("123456789012 us-east-1", 120)
        for _ in range(120):
            progress.asked_one()
    assert "us-east-1: 0/120 functions" in terminal.getvalue()
    assert log.getvalue() == ""


def test_every_aws_call_in_the_code_is_one_the_policy_grants() -> None:
    """Statically too: each `access.ask(client, "<method>")` and direct `client.<method>(...)` in
    reviewer/account is a listed read-only operation, so a new call cannot slip past the policy."""
    import ast

    from reviewer.account.access import IAM_ACTIONS

    called: set[str] = set()
    for path in (REPO / "reviewer" / "account").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "ask" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                called.add(str(node.args[1].value))
            elif isinstance(node.func.value, ast.Name) and node.func.value.id == "client":
                called.add(node.func.attr)
    assert called, "the walk found no call at all"
    assert called <= set(IAM_ACTIONS), called - set(IAM_ACTIONS)
