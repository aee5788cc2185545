"""A function whose code is written in its template (`Code: ZipFile: |`, a custom resource's
helper, or one a `!Sub` builds) has no package built elsewhere: a module of its handler's name in
the repository (`index.py`, another stack's API function) is not its code, so bandit's findings
there name only the function that ships it, and the audit does not review that folder for it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.test_bandit_engine import bandit_findings, scan

_MAIN = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      DomainRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
      GetDomainFunction:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.lambda_handler
          Role: !GetAtt DomainRole.Arn
          Code:
            ZipFile: |
              import cfnresponse
              def lambda_handler(event, context):
                  name = event['ResourceProperties'].get('Name', '').lower()
                  cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Name': name})
      CheckModelFunction:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.lambda_handler
          Role: !GetAtt DomainRole.Arn
          Code:
            ZipFile: !Sub |
              import cfnresponse
              MODEL = "${AWS::Region}"
              def lambda_handler(event, context):
                  cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Model': MODEL})
    """

_API = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      SummaryFunction:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: index.lambda_handler
          CodeUri: ../../src/summary
    """

_SUMMARY = """\
    import requests

    def lambda_handler(event, context):
        return requests.post("https://llm.example.com/v1/complete", data=event["body"]).text
    """


def test_a_module_named_like_an_inline_handler_is_only_its_own_function_s(tmp_path: Path) -> None:
    for rel, text in {"main.template": _MAIN, "ui/cfn/api.template": _API, "src/summary/index.py": _SUMMARY}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    [finding] = bandit_findings(scan(tmp_path), "B113")
    assert finding["path"] == "src/summary/index.py"
    assert finding["function"] == "SummaryFunction"
    assert "GetDomainFunction" not in finding["message"] and "CheckModelFunction" not in finding["message"]
