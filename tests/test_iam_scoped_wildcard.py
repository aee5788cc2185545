"""LR300 on `Action: "*"` whose `Resource` names specific resources: the role can do every action
that applies to those resources, which are the actions of the services that own them, not every
action of every service. The words name those services (a Serverless service whose bootstrap
function gets `*` on the Cognito user pool it declares, as a state reporting app's auth service
did; a SAM function with `*` on its table and bucket), and keep the rule's severity."""

from __future__ import annotations

from pathlib import Path

from reviewer.config import Settings
from reviewer.scan import scan_checkout

SERVICE = """service: portal-auth

provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role:
      statements:
        - Effect: "Allow"
          Action:
            - "*"
          Resource: !GetAtt AuthUserPool.Arn

functions:
  seedUsers:
    handler: handlers/seed.handler
    timeout: 60

resources:
  Resources:
    AuthUserPool:
      Type: AWS::Cognito::UserPool
      Properties:
        UserPoolName: portal-${sls:stage}-users
"""

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  ArchiveArn:
    Type: String
Resources:
  ReportsTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  ExportBucket:
    Type: AWS::S3::Bucket
  ExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: export/
      Policies:
        - Statement:
            - Effect: Allow
              Action: '*'
              Resource:
                - !GetAtt ReportsTable.Arn
                - !Sub '${ExportBucket.Arn}/*'
                - !Sub 'arn:${AWS::Partition}:s3:::${ExportBucket}'
  ArchiveFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: archive/
      Policies:
        - Statement:
            - Effect: Allow
              Action: ['*']
              Resource: !Ref ArchiveArn
  AdminFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: admin/
      Policies:
        - Statement:
            - Effect: Allow
              Action: '*'
              Resource: '*'
"""


def _broad(root: Path) -> dict[str, object]:
    findings = scan_checkout(root, Settings()).findings
    return {str(f.function): f for f in findings if f.rule_id == "LR300"}


def test_star_on_a_user_pool_names_cognito_not_every_service(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(SERVICE)
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "seed.js").write_text("exports.handler = async () => ({});\n")
    finding = _broad(tmp_path)["seedUsers"]
    assert finding.severity.value == "error"
    assert ("(provider.iam.role.statements) allows `*` on `${AuthUserPool.Arn}`: every action of "
            "`cognito-idp` that applies to it.") in finding.message
    assert "every service" not in finding.message


def test_star_on_named_resources_names_their_services_or_says_it_cannot(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    for folder in ("export", "archive", "admin"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "app.py").write_text("def handler(event, context):\n    return {}\n")
    broad = _broad(tmp_path)
    assert {f.severity.value for f in broad.values()} == {"error"}
    export = broad["ExportFunction"].message
    assert ("allows `*` on `${ReportsTable.Arn}`, `${ExportBucket.Arn}/*`, `arn:${AWS::Partition}:s3:::${ExportBucket}`: "
            "every action of `dynamodb` and `s3` that applies to them.") in export
    # A parameter's ARN: which service owns it is not known, and the words do not guess.
    assert ("allows `*` on `${ArchiveArn}`: every action that applies to it, of the service that owns it."
            in broad["ArchiveFunction"].message)
    # `Resource: "*"` is every action of every service, as before.
    assert "allows `*` on every resource (`Resource: \"*\"`): every action of every service." \
        in broad["AdminFunction"].message
