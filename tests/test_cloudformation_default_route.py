"""An HTTP API's `RouteKey: $default` route takes every request no other route matches: LR305 names
it `ANY $default`, as it names a CDK HTTP API's default route, not `$DEFAULT $default`; its
fingerprint keeps the route as read, so baselines hold."""

from __future__ import annotations

from pathlib import Path

from tests.test_route_authorization import scan

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SiteFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: site.handler
      Role: arn:aws:iam::123456789012:role/site
      Code: ./site
  SiteApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: site
      ProtocolType: HTTP
  SiteIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref SiteApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${SiteFunction.Arn}/invocations"
  SiteDefaultRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref SiteApi
      RouteKey: $default
      Target: !Sub "integrations/${SiteIntegration}"
  SiteHealthRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref SiteApi
      RouteKey: GET /health
      Target: !Sub "integrations/${SiteIntegration}"
"""


def test_a_default_route_key_is_any_method(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "site.py").write_text("def handler(event, context):\n    return {}\n")
    messages = sorted(f["message"].split(" invokes")[0] for f in scan(tmp_path) if f["rule_id"] == "LR305")
    assert messages == ["The route `ANY $default`", "The route `GET /health`"]
