"""The OpenAPI document an API keeps in a file of the repository, read as its inline body would be.

Real SAM and CloudFormation apps often keep an API's definition beside the template:

    OrdersApi:
      Type: AWS::Serverless::Api
      Properties:
        DefinitionBody:
          Fn::Transform: {Name: AWS::Include, Parameters: {Location: api/openapi.yaml}}

or `DefinitionUri: api/openapi.yaml` (SAM's `Api`/`HttpApi`), or `BodyS3Location: api/openapi.yaml`
(`AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`), a local path that `sam deploy` or
`aws cloudformation package` uploads. Those paths are relative to the template's folder. The
routes and their security are then in that file, and a reader that ignored it would miss every
route of the API. Only a local file inside the workspace is read, through the workspace (its size
limit, no links) and the run's bounded YAML/JSON parser; an S3 location (`s3://…`, a
`{Bucket, Key}` mapping), a path leaving the repository, a value computed by an intrinsic
function, or a file that does not parse gives no document, and the API's routes stay unread.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.interface import parse_yaml
from reviewer.located import LocatedMap
from reviewer.findings import Finding
from reviewer.workspace import UnreadableFile, Workspace

# The property of each API type that names a packaged document file.
FILE_PROPERTIES = {"AWS::Serverless::Api": "DefinitionUri", "AWS::Serverless::HttpApi": "DefinitionUri",
                   "AWS::ApiGateway::RestApi": "BodyS3Location", "AWS::ApiGatewayV2::Api": "BodyS3Location"}
INCLUDE = "AWS::Include"


def included_location(body: Any) -> Any:
    """The `Location` of a body written as `Fn::Transform: {Name: AWS::Include, ...}`, or None."""
    if not isinstance(body, dict) or set(body) != {"Fn::Transform"}:
        return None
    transform = body["Fn::Transform"]
    if not isinstance(transform, dict) or str(transform.get("Name", "")).strip() != INCLUDE:
        return None
    parameters = transform.get("Parameters")
    return parameters.get("Location") if isinstance(parameters, dict) else None


def document_file(kind: str, properties: dict, body: Any) -> str | None:
    """The local path (as written) that holds the API's document: an included body's `Location`,
    else the type's file property when the API has no inline body."""
    location = included_location(body)
    if location is None and body is None:
        location = properties.get(FILE_PROPERTIES.get(kind, ""))
    if not isinstance(location, str) or not location.strip() or "://" in location:
        return None
    return location.strip()


def read_document(workspace: Workspace | None, template: str, written: str) -> tuple[LocatedMap, str] | None:
    """The parsed document at `written` (relative to the template's folder) and its repository
    path, or None when it is outside the repository, unreadable or not a mapping with `paths`."""
    if workspace is None:
        return None
    rel = workspace.resolve(str(PurePosixPath(template).parent / written))
    if rel is None or rel == template:
        return None
    try:
        text = workspace.read_text(rel)
    except UnreadableFile:
        return None
    notices: list[Finding] = []   # a broken document leaves its routes unread, as an S3 one does
    document = parse_yaml(workspace, rel, text, notices)
    if not isinstance(document, LocatedMap) or not isinstance(document.get("paths"), LocatedMap):
        return None
    return document, rel


__all__ = ["document_file", "included_location", "read_document"]
