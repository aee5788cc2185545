"""A public function URL's `lambda:InvokeFunction` grant limited to calls through the URL
(`InvokedViaFunctionUrl`, required by URLs created since October 2025) is the URL's exposure
(LR302), not a second one: it is no LR303 "any account may invoke" in a template, a Terraform
configuration, or a deployed function's resource policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.account.judgement import permissions
from reviewer.model import Location
from tests.aws_emulator import Deployment, reset, running_emulator
from tests.test_account import account
from tests.test_guardrails import guardrail_findings

CFN_URL_WITH_BOTH_GRANTS = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  HookFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/hook
      Code:
        ZipFile: "def handler(event, context):\\n    return {}\\n"
  HookUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt HookFunction.Arn
      AuthType: NONE
  HookUrlPublic:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref HookFunction
      Action: lambda:InvokeFunctionUrl
      Principal: "*"
      FunctionUrlAuthType: NONE
  HookUrlInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref HookFunction
      Action: lambda:InvokeFunction
      Principal: "*"
      InvokedViaFunctionUrl: true
"""

TF_URL_WITH_BOTH_GRANTS = """\
resource "aws_lambda_function" "hook" {
  function_name = "hook"
  runtime       = "python3.13"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/hook"
  filename      = "hook.zip"
}

resource "aws_lambda_function_url" "hook" {
  function_name      = aws_lambda_function.hook.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "url" {
  statement_id           = "url"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.hook.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "invoke" {
  statement_id             = "invoke"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.hook.function_name
  principal                = "*"
  invoked_via_function_url = true
}
"""


@pytest.mark.parametrize(("name", "text"), [("template.yaml", CFN_URL_WITH_BOTH_GRANTS),
                                             ("main.tf", TF_URL_WITH_BOTH_GRANTS)])
def test_a_public_url_and_its_two_grants_are_one_public_url_finding(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    rules = [finding["rule_id"] for finding in guardrail_findings(tmp_path) if finding["rule_id"] in ("LR302", "LR303")]
    assert rules == ["LR302"]


def test_the_deployed_policy_condition_marks_the_grant_as_the_urls() -> None:
    statement = {"Sid": "FunctionURLInvokeAllowPublicAccess", "Effect": "Allow", "Principal": "*",
                 "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hook",
                 "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}
    [grant] = permissions({"Statement": [statement]}, Location("arn", 1))
    assert grant.invoked_via_function_url and grant.principal == "*"
    statement["Condition"] = {}
    [grant] = permissions({"Statement": [statement]}, Location("arn", 1))
    assert not grant.invoked_via_function_url


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with running_emulator() as url:
        yield url


def test_a_deployed_public_url_with_both_grants_is_one_finding_and_an_open_invoke_still_is_another(
        emulator: str) -> None:
    reset(emulator)
    east = Deployment(emulator, "us-east-1")
    east.function("webhooks-prod-receive")
    east.public_url("webhooks-prod-receive")
    east.lam.add_permission(FunctionName="webhooks-prod-receive", StatementId="FunctionURLAllowPublicAccess",
                            Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")
    east.lam.add_permission(FunctionName="webhooks-prod-receive", StatementId="FunctionURLInvokeAllowPublicAccess",
                            Action="lambda:InvokeFunction", Principal="*", InvokedViaFunctionUrl=True)
    east.function("reports-prod-export")
    east.open_to_everyone("reports-prod-export")
    document = json.loads(account(emulator)[1])
    exposure = sorted((finding["function"], finding["rule_id"]) for finding in document["findings"]
                      if finding["rule_id"] in ("LR302", "LR303"))
    assert exposure == [("reports-prod-export", "LR303"), ("webhooks-prod-receive", "LR302")]


@pytest.mark.parametrize(("name", "text", "flag"), [
    ("template.yaml", CFN_URL_WITH_BOTH_GRANTS.replace("      InvokedViaFunctionUrl: true\n", ""),
     "`InvokedViaFunctionUrl` set to true"),
    ("main.tf", TF_URL_WITH_BOTH_GRANTS.replace("  invoked_via_function_url = true\n", ""),
     "`invoked_via_function_url` set to true"),
])
def test_an_open_invoke_grant_beside_a_public_url_names_the_flag_that_limits_it_to_the_url(
        tmp_path: Path, name: str, text: str, flag: str) -> None:
    """The grant a team adds for the October 2025 change, without the flag: open to any account's
    direct calls (LR303), and the message names the flag that keeps it to the URL."""
    (tmp_path / name).write_text(text)
    [open_grant] = [finding for finding in guardrail_findings(tmp_path) if finding["rule_id"] == "LR303"]
    assert "directly, not only through its function URL" in open_grant["message"]
    assert flag in open_grant["message"]


def test_an_open_invoke_grant_of_a_function_without_a_url_keeps_to_accounts_and_organizations(
        tmp_path: Path) -> None:
    text = TF_URL_WITH_BOTH_GRANTS.replace("  invoked_via_function_url = true\n", "")
    start = text.index('resource "aws_lambda_function_url"')
    (tmp_path / "main.tf").write_text(text[:start] + text[text.index('resource "aws_lambda_permission" "invoke"'):])
    [open_grant] = [finding for finding in guardrail_findings(tmp_path) if finding["rule_id"] == "LR303"]
    assert "function URL" not in open_grant["message"]
    assert "`principal_org_id`" in open_grant["message"]
