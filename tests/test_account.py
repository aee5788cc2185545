"""`lambda-review account` against moto's server on loopback, with functions created through boto3."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from tests.aws_emulator import (
    ACCOUNT,
    Deployment,
    reset,
    running_emulator,
)

SECRET_VALUE = "pr0d-Passw0rd-7f3a9c"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with running_emulator() as url:
        yield url


@pytest.fixture(scope="module")
def deployed(emulator: str) -> dict[str, str]:
    """The production estate below, created once for the tests that only read it."""
    reset(emulator)
    return estate(emulator)


@pytest.fixture
def endpoint(emulator: str, deployed: dict[str, str]) -> str:
    return emulator


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def account(endpoint: str, *extra: str, regions: tuple[str, ...] = ("us-east-1",), fmt: str = "json",
            fail_on: str = "never") -> tuple[int, str]:
    argv = ["account", *(arg for region in regions for arg in ("--region", region)), "--endpoint-url", endpoint,
            "--format", fmt, "--reference-date", "2026-11-22", "--fail-on", fail_on, *extra]
    code, out, _ = run(argv)
    return code, out


def estate(endpoint: str) -> dict[str, str]:
    """A production account: 120 ordinary functions and the cases the review must find, in two regions."""
    east = Deployment(endpoint, "us-east-1")
    arns = {f"orders-worker-{index:03d}": east.function(f"orders-worker-{index:03d}") for index in range(120)}
    arns["legacy-report"] = east.function("legacy-report", "python3.8")
    arns["billing-export"] = east.function("billing-export", "nodejs14.x")
    arns["image-resizer-go"] = east.function("image-resizer-go", "provided.al2023")
    arns["webhook-receiver"] = east.function("webhook-receiver", "python3.13",
                                            {"STRIPE_WEBHOOK_SECRET": SECRET_VALUE, "TABLE_NAME": "orders"})
    east.public_url("webhook-receiver")
    east.open_to_everyone("legacy-report")
    east.queue_to_latest("billing-export")
    old_layer = east.layer("pandas-py38", ["python3.7", "python3.8"])
    east.lam.update_function_configuration(FunctionName="legacy-report", Layers=[old_layer])
    west = Deployment(endpoint, "eu-west-1")
    arns["eu-invoices"] = west.function("eu-invoices", "python3.9")
    arns["eu-search"] = west.function("eu-search", "nodejs22.x")
    return arns


def by_rule(document: dict[str, Any], function: str) -> set[str]:
    return {finding["rule_id"] for finding in document["findings"] if finding["function"] == function}


def test_every_deployed_function_is_listed_and_judged_in_both_regions(endpoint: str, deployed: dict[str, str]) -> None:
    arns = deployed
    code, out = account(endpoint, regions=("us-east-1", "eu-west-1"))
    assert code == 0
    document = json.loads(out)
    assert {function["name"] for function in document["functions"]} == set(arns)
    assert {(f["name"], f["region"]) for f in document["functions"] if f["name"].startswith("eu-")} == {
        ("eu-invoices", "eu-west-1"), ("eu-search", "eu-west-1")}
    assert "LR100" in by_rule(document, "legacy-report")        # python3.8: deprecated, not yet blocked
    assert "LR101" in by_rule(document, "billing-export")       # nodejs14.x: creation blocked
    assert "LR104" in by_rule(document, "image-resizer-go")     # OS-only runtime
    assert "LR100" in by_rule(document, "eu-invoices")
    assert "LR102" in by_rule(document, "eu-search")            # nodejs22.x: deprecation near
    assert not by_rule(document, "orders-worker-007") - {"LR400"}
    assert "LR302" in by_rule(document, "webhook-receiver")     # public function URL
    assert "LR303" in by_rule(document, "legacy-report")        # policy open to any principal
    assert "LR401" in by_rule(document, "billing-export")       # queue mapped to $LATEST, nothing published
    assert "LR107" in by_rule(document, "legacy-report")        # layer built for python3.7/3.8 only
    secret = [f for f in document["findings"] if f["rule_id"] == "LR304"]
    assert [f["function"] for f in secret] == ["webhook-receiver"]
    assert "STRIPE_WEBHOOK_SECRET" in secret[0]["message"]
    for finding in document["findings"]:
        if finding["function"]:
            assert finding["path"] is None and finding["line"] is None
            assert finding["resource"] == arns[finding["function"]]
            assert finding["region"] in ("us-east-1", "eu-west-1")
    assert document["summary"]["api_calls"]["requests"] > 0
    assert document["accounts"][0]["account"] == ACCOUNT


def test_the_secret_value_appears_in_no_output(endpoint: str) -> None:
    from reviewer.account.command import AccountRequest, review_account
    from reviewer.account.report import render_account
    from reviewer.config import resolve_settings

    settings = resolve_settings(REPO, None, reference_date="2026-11-22", fail_on="never")
    run_ = review_account(AccountRequest(regions=["us-east-1"], endpoint_url=endpoint), settings)
    for fmt in ("json", "text", "sarif", "markdown"):
        out = render_account(run_.review, run_.facts, settings, fmt)
        assert "STRIPE_WEBHOOK_SECRET" in out, fmt
        assert SECRET_VALUE not in out, fmt


def test_fail_on_error_exits_one_and_never_exits_zero(endpoint: str) -> None:
    assert account(endpoint, fail_on="error")[0] == 1
    assert account(endpoint, fail_on="never")[0] == 0
    markdown = account(endpoint, fmt="markdown", fail_on="never")[1]
    assert "Nothing fails the step: `fail-on` is `never`." in markdown and "at or above `never`" not in markdown


def test_calls_the_emulator_does_not_serve_give_one_notice_each_and_the_rest_still_runs(endpoint: str) -> None:
    document = json.loads(account(endpoint)[1])
    notices = [f for f in document["findings"] if f["rule_id"] == "LR900"]
    named = {notice["resource"] for notice in notices}
    assert named == {"lambda:GetFunctionRecursionConfig", "lambda:GetRuntimeManagementConfig"}
    calls = document["summary"]["api_calls"]["by_operation"]
    assert calls["lambda:GetFunctionRecursionConfig"] == 1
    assert calls["lambda:GetRuntimeManagementConfig"] == 1


def test_sarif_uses_the_function_arn_as_logical_location(endpoint: str, deployed: dict[str, str]) -> None:
    arns = deployed
    sarif = json.loads(account(endpoint, fmt="sarif")[1])
    results = sarif["runs"][0]["results"]
    public = next(r for r in results if r["ruleId"] == "LR302")
    assert public["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": arns["webhook-receiver"], "name": "webhook-receiver", "kind": "resource"}]
    # Code scanning rejects a location without a physical part: it names the resource, not a file.
    assert public["locations"][0]["physicalLocation"] == {"artifactLocation": {
        "uri": "deployed/arn/aws/lambda/us-east-1/123456789012/function/webhook-receiver"}}
    assert all(location["physicalLocation"]["artifactLocation"]["uri"].startswith("deployed/")
               and "uriBaseId" not in location["physicalLocation"]["artifactLocation"]
               for r in results for location in r["locations"])


def test_job_summary_tables_runtimes_by_family_and_region(endpoint: str) -> None:
    out = account(endpoint, regions=("us-east-1", "eu-west-1"), fmt="markdown")[1]
    assert "| Python | `us-east-1` | `python3.13` | supported | deprecated 2029-06-30 | `python3.14` | 121 |" in out
    assert "| Python | `eu-west-1` | `python3.9` | deprecated |" in out
    assert "| Node.js | `us-east-1` | `nodejs14.x` | create blocked |" in out


def test_no_region_is_a_usage_error(endpoint: str) -> None:
    code, out, err = run(["account", "--endpoint-url", endpoint])
    assert code == 2 and "no region" in err and out == ""


def test_a_thousand_functions_cost_at_most_six_calls_each_and_one_per_applicable_check(emulator: str) -> None:
    """Last in the module: it replaces the estate with a fleet of its own."""
    reset(emulator)
    endpoint = emulator
    deployment = Deployment(endpoint, "us-east-1")
    for index in range(1000):
        deployment.function(f"fleet-{index:04d}", "python3.12" if index % 2 else "nodejs20.x")
    document = json.loads(account(endpoint)[1])
    assert document["summary"]["functions"] == 1000
    calls = document["summary"]["api_calls"]
    assert calls["requests"] <= 6 * 1000
    assert calls["per_function"] <= 6
    by_operation = calls["by_operation"]
    for check in ("GetFunctionCodeSigningConfig", "GetFunctionUrlConfig", "GetPolicy"):
        assert by_operation[f"lambda:{check}"] == 1000
    assert by_operation.get("lambda:ListVersionsByFunction", 0) == 0     # no event source mapping
    # The one role the fleet shares is read once, not once per function.
    assert by_operation["iam:ListRolePolicies"] == by_operation["iam:ListAttachedRolePolicies"] == 1
    assert not [f for f in document["findings"] if f["rule_id"] == "LR900" and "Throttl" in f["message"]]
