"""LR305 on the route a SAM event adds to its API's inline OpenAPI document.

Seen on a real repository (a Stackery-made .NET sample): an `AWS::Serverless::HttpApi` whose
inline `DefinitionBody` lists `POST /users/{id}` with no integration, and the function's
`HttpApi` event on that API and path, which SAM turns into the operation's Lambda integration.
Events on an API with a document were all left out, so the open route was never judged. SAM adds
an event only to an inline document, and rejects one whose operation already has an integration:
there the document's own route is the one there is.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_route_authorization import line_of, scan

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  UsersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0'
        info: {title: users, version: '1.0'}
        paths:
          /users/{id}:
            post:
              responses: {}
OPERATION_EXTRA
COMPONENTS
  SaveUser:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(e, c): return {}"
      Events:
        Save:
          Type: HttpApi
          Properties:
            Path: PATH
            Method: POST
            ApiId: !Ref UsersApi
"""

JWT = """\
        components:
          securitySchemes:
            Users:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: {issuer: https://example.com, audience: [users]}
"""

INTEGRATION = """\
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                payloadFormatVersion: '2.0'
                uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${SaveUser.Arn}/invocations
"""


def _write(root: Path, path: str = "/users/{id}", operation: str = "", components: str = "") -> Path:
    template = root / "template.yaml"
    template.write_text(TEMPLATE.replace("OPERATION_EXTRA\n", operation).replace("COMPONENTS\n", components)
                        .replace("PATH", path))
    return template


def test_an_event_on_an_operation_of_the_inline_document_is_a_route(tmp_path):
    template = _write(tmp_path)

    [finding] = scan(tmp_path)
    assert finding["function"] == "SaveUser"
    assert finding["line"] == line_of(template, "Save:")
    assert finding["message"].startswith("The route `POST /users/{id}` invokes `SaveUser` and has no authorizer")


def test_an_event_on_a_path_the_document_lacks_is_a_route_too(tmp_path):
    _write(tmp_path, path="/users")

    assert [finding["function"] for finding in scan(tmp_path)] == ["SaveUser"]


def test_the_document_s_security_for_the_operation_authorises_the_event_s_route(tmp_path):
    _write(tmp_path, operation="              security:\n                - Users: []\n", components=JWT)

    assert scan(tmp_path) == []


def test_an_operation_the_document_integrates_is_its_one_route(tmp_path):
    template = _write(tmp_path, operation=INTEGRATION)

    [finding] = scan(tmp_path)
    assert finding["line"] == line_of(template, "post:")


def test_an_included_document_takes_no_event(tmp_path):
    template = _write(tmp_path)
    template.write_text(template.read_text().replace(
        "      DefinitionBody:\n        openapi: '3.0'\n        info: {title: users, version: '1.0'}\n"
        "        paths:\n          /users/{id}:\n            post:\n              responses: {}\n",
        "      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n"
        "          Parameters: {Location: s3://bucket/openapi.yaml}\n"))

    assert scan(tmp_path) == []
