"""LR305 on an API whose OpenAPI document the template keeps in a local file (`DefinitionUri`,
`BodyS3Location`, `Fn::Transform` of `AWS::Include`), and the operation-level
`x-amazon-apigateway-auth` that documents use to ask for IAM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_route_authorization import line_of, scan

FUNCTIONS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  QuoteFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: "def handler(e, c): return {}"}
  HistoryFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: "def handler(e, c): return {}"}
"""

INCLUDED_API = """\
  QuotesApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: LOCATION
"""

DOCUMENT = """\
openapi: "3.0.1"
info:
  title: quotes
  version: "1"
paths:
  /quotes:
    post:
      security:
        - UserPool: []
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri:
          Fn::Sub: arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${QuoteFunction.Arn}/invocations
  /history:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri:
          Fn::Sub: arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HistoryFunction.Arn}/invocations
components:
  securitySchemes:
    UserPool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
"""


def write(root: Path, api: str, location: str = "api/openapi.yaml", document: str = DOCUMENT) -> Path:
    (root / "service").mkdir(parents=True, exist_ok=True)
    (root / "service" / "template.yaml").write_text(FUNCTIONS + api.replace("LOCATION", location))
    openapi = root / "service" / "api" / "openapi.yaml"
    openapi.parent.mkdir(exist_ok=True)
    openapi.write_text(document)
    return openapi


def test_an_included_openapi_file_s_routes_are_judged_by_their_security_at_their_line(tmp_path):
    """The document an `AWS::Include` names holds the API's routes: the operation its Cognito
    scheme guards is authorised, the one without `security` is open, reported in that file."""
    openapi = write(tmp_path, INCLUDED_API)
    findings = scan(tmp_path)
    assert [(f["function"], f["path"], f["line"]) for f in findings] == [
        ("HistoryFunction", "service/api/openapi.yaml", line_of(openapi, "get:"))]
    assert findings[0]["message"].startswith("The route `GET /history` invokes `HistoryFunction` and has no authorizer")
    write(tmp_path, INCLUDED_API, location="./api/openapi.yaml",
          document=DOCUMENT.replace("paths:\n", "security:\n  - UserPool: []\npaths:\n"))
    assert scan(tmp_path) == []


@pytest.mark.parametrize("api", [
    "  QuotesApi:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: prod, DefinitionUri: LOCATION}\n",
    "  QuotesApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionUri: LOCATION\n",
    "  QuotesApi:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      BodyS3Location: LOCATION\n",
])
def test_a_packaged_definition_file_is_read_like_an_included_one(tmp_path, api):
    """`DefinitionUri` and `BodyS3Location` name a local file that packaging uploads: its open route counts."""
    write(tmp_path, api)
    assert [f["function"] for f in scan(tmp_path)] == ["HistoryFunction"]


@pytest.mark.parametrize("location", ["s3://bucket/openapi.yaml", "../outside.yaml", "api/missing.yaml"])
def test_a_document_not_in_the_repository_is_not_read(tmp_path, location):
    """An S3 location, a path leaving the repository or a missing file leaves the routes unread."""
    (tmp_path / "outside.yaml").write_text(DOCUMENT)
    write(tmp_path, INCLUDED_API, location=location)
    assert scan(tmp_path / "service" if location.startswith("..") else tmp_path) == []


IAM_OPERATION = """\
  QuotesApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        paths:
          /quotes:
            post:
              x-amazon-apigateway-auth:
                type: AUTH
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${QuoteFunction.Arn}/invocations
"""


def test_an_operation_s_own_iam_auth_authorises_it(tmp_path):
    """`x-amazon-apigateway-auth: {type: AWS_IAM}` on an operation asks for signed requests, as
    API Gateway's exports and many hand-written documents say it; `NONE` leaves it open."""
    (tmp_path / "template.yaml").write_text(FUNCTIONS + IAM_OPERATION.replace("AUTH", "AWS_IAM"))
    assert scan(tmp_path) == []
    (tmp_path / "template.yaml").write_text(FUNCTIONS + IAM_OPERATION.replace("AUTH", "NONE"))
    assert [f["function"] for f in scan(tmp_path)] == ["QuoteFunction"]
