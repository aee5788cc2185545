"""A template a script renders one folder deeper before `sam build` (`cloud/templates/` into
`cloud/generated/templates/`) writes its `CodeUri` from there: `../../../src/etl/` then names
`project/src/etl`, while from where the template is committed it names a folder the repository
lacks. The code folder is taken from each folder above the declaration instead, nearest first:
the loop check reads `project/src/etl`, not the local simulation's copy (`project/local_run/src/etl`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_TEMPLATE = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Runtime: python3.11
        Environment:
          Variables:
            RAW_BUCKET: !Sub '${AWS::AccountId}-surveillance-raw'
    Resources:
      RawBucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub '${AWS::AccountId}-surveillance-raw'
          NotificationConfiguration:
            LambdaConfigurations:
              - Event: s3:ObjectCreated:*
                Function: !GetAtt TransformFunction.Arn
      TransformFunction:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: ../../../src/etl/
          Handler: normalize.lambda_handler
    """

# The deployed handler re-files the normalised data in the bucket that invoked it.
_DEPLOYED = """\
    import os
    import boto3

    s3 = boto3.client("s3")

    def lambda_handler(event, context):
        s3.put_object(Bucket=os.environ["RAW_BUCKET"], Key="normalised/data.json", Body=b"{}")
    """

# The local simulation's copy writes to a folder on disk.
_LOCAL = """\
    from pathlib import Path

    def lambda_handler(event, context):
        Path("local_data/normalised.json").write_text("{}")
    """


def _repository(tmp_path: Path) -> Path:
    files = {
        "surveillance/cloud/templates/template.yml": _TEMPLATE,
        "surveillance/src/etl/normalize.py": _DEPLOYED,
        "surveillance/local_run/src/etl/normalize.py": _LOCAL,
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_a_code_folder_missing_where_its_dots_lead_is_read_from_the_folder_above_the_declaration(tmp_path):
    workspace = Workspace(_repository(tmp_path))
    function, = build_inventory(workspace).functions
    reading = read_function_code(workspace, function)
    assert [str(write.location) for write in reading.writes] == ["surveillance/src/etl/normalize.py:7"]
    assert "the handler's source in surveillance/src/etl was read" in str(reading.source_note)

