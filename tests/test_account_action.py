"""The action with `source: account` on a schedule: job summary, SARIF, outputs and one tracking issue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_emulator import Deployment, reset, running_emulator
from github_standin import GitHubStandIn
from scenario import REPOSITORY, run_action

TOKEN = "ghs_accountTokenNeverPrinted0123456789"
SECRET_VALUE = "xoxb-1234567890-never-printed"
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: nightly-report
      Runtime: python3.13
      Handler: app.handler
      CodeUri: report/
"""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_emulator() as url:
        yield url


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        standin.add_repository(REPOSITORY)
        yield standin


def scheduled_run(tmp_path: Path, endpoint: str, github: GitHubStandIn, workspace: Path, **inputs: str):  # type: ignore[no-untyped-def]
    aws = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
           "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    return run_action(tmp_path, workspace, event_name="schedule", event_path=None, api_url=github.api_url,
                      token=TOKEN, env=aws,
                      inputs={"source": "account", "aws-endpoint-url": endpoint, "regions": "us-east-1",
                              "tracking-issue": "true", **inputs})


def test_scheduled_account_review_writes_summary_sarif_and_edits_one_tracking_issue(tmp_path: Path, endpoint: str,
                                                                                   github: GitHubStandIn) -> None:
    reset(endpoint)
    deployment = Deployment(endpoint, "us-east-1")
    deployment.function("nightly-report", "python3.8", {"SLACK_BOT_TOKEN": SECRET_VALUE})
    deployment.function("orders-api", "nodejs14.x")
    workspace = tmp_path / "workspace"
    (workspace / "report").mkdir(parents=True)
    (workspace / "template.yaml").write_text(TEMPLATE)

    first = scheduled_run(tmp_path, endpoint, github, workspace)
    assert first.exit_code == 1, first.stdout + first.stderr           # nodejs14.x is blocked: an error
    assert "### Runtimes by family and region" in first.job_summary
    assert "| Python | `us-east-1` | `python3.8` | deprecated |" in first.job_summary
    assert "`nightly-report` in `us-east-1` runs `python3.8`" in first.job_summary   # declared python3.13
    assert "::error file=" not in first.stdout and "::warning file=" not in first.stdout
    sarif = json.loads((workspace / "lambda-review.sarif").read_text())
    assert all("logicalLocations" in r["locations"][0] for r in sarif["runs"][0]["results"])
    for text in (first.stdout, first.stderr, first.job_summary, json.dumps(sarif)):
        assert SECRET_VALUE not in text
    issues = github.plain_issues(REPOSITORY)
    assert len(issues) == 1 and first.outputs["tracking-issue"] == str(issues[0]["number"])
    assert "`nodejs14.x`" in issues[0]["body"] and "update blocked from 2027-03-03" in issues[0]["body"]
    assert json.loads(first.outputs["api-calls"])["requests"] > 0

    deployment.lam.update_function_configuration(FunctionName="orders-api", Runtime="nodejs24.x")
    second = scheduled_run(tmp_path, endpoint, github, workspace)
    issues = github.plain_issues(REPOSITORY)
    assert len(issues) == 1, "the tracking issue is edited in place, not opened again"
    assert "Tracking issue #" in second.stdout and "updated" in second.stdout, second.stdout + second.stderr
    assert "`nodejs14.x`" not in issues[0]["body"] and "`python3.8`" in issues[0]["body"]
    assert "Tracking issue #" in second.stdout and "updated" in second.stdout


def test_account_source_without_a_region_is_a_configuration_error(tmp_path: Path, endpoint: str,
                                                                  github: GitHubStandIn) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    run = run_action(tmp_path, workspace, event_name="workflow_dispatch", event_path=None, api_url=github.api_url,
                     token=TOKEN, env={"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                       "AWS_CONFIG_FILE": "/nonexistent"},
                     inputs={"source": "account", "aws-endpoint-url": endpoint})
    assert run.exit_code == 2
    assert "::error title=Lambda Review configuration::source: account: no region" in run.stdout


def test_a_pull_request_with_aws_credentials_calls_out_a_function_deployed_older_than_declared(
        tmp_path: Path, endpoint: str, github: GitHubStandIn) -> None:
    from scenario import PR_NUMBER, build_scenario, write_event

    reset(endpoint)
    Deployment(endpoint, "us-east-1").function("orders-ApiFunction-1Q2W3E4R", "python3.8")   # template: python3.9
    Deployment(endpoint, "us-east-1").function("orders-Unrelated-9Z8Y", "python3.8")
    scenario = build_scenario(tmp_path, padding_files=0)
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=scenario.head_sha, base_sha=scenario.base_sha,
                            files=scenario.files)
    aws = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    run = run_action(tmp_path, scenario.workspace, event_name="pull_request", event_path=write_event(tmp_path, scenario),
                     api_url=github.api_url, token=TOKEN, env=aws,
                     inputs={"regions": "us-east-1", "aws-endpoint-url": endpoint})
    assert run.exit_code == 1, run.stdout + run.stderr          # the pull request adds nodejs14.x
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "ApiFunction" in summary and "orders-ApiFunction-1Q2W3E4R" in summary
    assert "declares python3.9, but the deployed function" in summary.replace("\\", "")
    assert "Unrelated" not in summary
