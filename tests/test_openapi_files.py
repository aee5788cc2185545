"""LR305 on the routes of an API's OpenAPI document: the operation-level `x-amazon-apigateway-auth`
that documents use to ask for IAM."""

from __future__ import annotations

from tests.test_route_authorization import scan

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
