"""An AWS Quick Start deploys each function from a package its CI uploads
(`S3Key: !Sub '${QSS3KeyPrefix}functions/packages/CreateSSHKey/lambda.zip'`) and keeps its
source in `functions/source/CreateSSHKey/`; every handler is `lambda_function.lambda_handler`,
so only the folder the key names ties a function to its source (quickstart-git2s3 had none of
its three functions' code read). A key joined from parts, a SAM `s3://` `CodeUri` and a zip named
after its package tie alike; a package whose name the deployment chooses ties nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.code import code_location
from reviewer.inventory.cloudformation.read import CloudFormationFormat
from reviewer.inventory.cloudformation.uploaded_packages import uploaded_package_name
from reviewer.located import LocatedMap
from reviewer.workspace import Workspace

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  QSS3BucketName:
    Type: String
  QSS3KeyPrefix:
    Type: String
    Default: quickstart-mirror/
  PackageName:
    Type: String
Resources:
  RotateKeysFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: lambda_function.lambda_handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/rotate
      Code:
        S3Bucket: !Ref QSS3BucketName
        S3Key: !Sub '${QSS3KeyPrefix}functions/packages/RotateKeys/lambda.zip'
  EmptyBucketFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: lambda_function.lambda_handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/empty
      Code:
        S3Bucket: !Ref QSS3BucketName
        S3Key: !Join ['', [!Ref QSS3KeyPrefix, 'functions/packages/EmptyBucket/lambda.zip']]
  MirrorFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: lambda_function.lambda_handler
      Runtime: python3.12
      CodeUri: s3://quickstart-artifacts/functions/packages/mirror_repo.zip
  ChosenFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: lambda_function.lambda_handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/chosen
      Code:
        S3Bucket: !Ref QSS3BucketName
        S3Key: !Sub '${QSS3KeyPrefix}functions/packages/${PackageName}/lambda.zip'
"""


def _workspace(root: Path) -> Workspace:
    handler = "def lambda_handler(event, context):\n    return {'Status': 'SUCCESS', 'Folder': %r}\n"
    files = {"templates/mirror.template.yaml": TEMPLATE}
    for folder in ("RotateKeys", "EmptyBucket", "mirror_repo"):
        files[f"functions/source/{folder}/lambda_function.py"] = handler % folder
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Workspace(root)


def test_each_uploaded_package_is_tied_to_the_source_folder_its_key_names(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    functions = {fn.name: fn for fn in CloudFormationFormat().scan(workspace).functions}
    folders = {name: code_location.python_source_folder(workspace, fn, {}) for name, fn in functions.items()}
    assert folders == {
        "RotateKeysFunction": "functions/source/RotateKeys",
        "EmptyBucketFunction": "functions/source/EmptyBucket",
        "MirrorFunction": "functions/source/mirror_repo",
        "ChosenFunction": None,    # `${PackageName}`: chosen at deployment, any of the three
    }


@pytest.mark.parametrize(("code", "name"), [
    ("s3://bucket/releases/v1/orders_show.zip", "orders_show"),
    ("s3://bucket/releases/v1/lambda.zip", "v1"),
    ("s3://bucket/lambda.zip", None),
    ("s3://bucket/releases/orders.tar.gz", None),
    ("./src", None),
])
def test_the_name_a_key_spells(code: str, name: str | None) -> None:
    assert uploaded_package_name(code) == name
    assert uploaded_package_name(LocatedMap({"S3Key": code.removeprefix("s3://bucket/")})) == name
