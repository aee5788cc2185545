"""A function an API's OpenAPI document integrates (`x-amazon-apigateway-integration` naming
`${SearchFunction.Arn}`, with the `credentials` of a role rather than an invoke permission) is
invoked through those routes: with no version published, LR401 names them, as it names a SAM
`Api` event. A function with an `Api` event of its own keeps that one trigger."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
Resources:
  SearchFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../../src/
      Handler: search_service.search.lambda_handler
  PublishedSearchFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../../src/
      Handler: search_service.search.lambda_handler
      AutoPublishAlias: live
  PropertiesApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody: !Transform
        Name: AWS::Include
        Parameters:
          Location: api.yaml
  ApiIntegrationRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: apigateway.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource:
                  - !GetAtt SearchFunction.Arn
                  - !GetAtt PublishedSearchFunction.Arn
"""

OPERATION = """\
    get:
      security:
        - api_key: []
      x-amazon-apigateway-integration:
        credentials:
          Fn::GetAtt: [ApiIntegrationRole, Arn]
        httpMethod: POST
        uri:
          Fn::Sub: "arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}.Arn}}/invocations"
        type: aws_proxy
"""

API = ("openapi: 3.0.1\ninfo: {title: Properties, version: '1.0'}\n"
       "components:\n  securitySchemes:\n    api_key: {type: apiKey, name: x-api-key, in: header}\n"
       "paths:\n"
       "  /search/{country}:\n" + OPERATION.format(function="SearchFunction")
       + "  /properties/{id}:\n" + OPERATION.format(function="PublishedSearchFunction"))


def test_routes_of_an_openapi_document_are_the_places_that_invoke_latest(tmp_path: Path) -> None:
    service = tmp_path / "web" / "infrastructure" / "web-service"
    service.mkdir(parents=True)
    (service / "template.yaml").write_text(TEMPLATE)
    (service / "api.yaml").write_text(API)
    source = tmp_path / "web" / "src" / "search_service"
    source.mkdir(parents=True)
    (source / "search.py").write_text("def lambda_handler(event, context):\n    return {'statusCode': 200}\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    latest = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR401"]
    assert [(f["function"], f["path"]) for f in latest] == [
        ("SearchFunction", "web/infrastructure/web-service/template.yaml")]
    assert "invoked through the API integration (web/infrastructure/web-service/api.yaml:" in latest[0]["message"]
