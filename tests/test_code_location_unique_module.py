"""A template whose functions deploy packages CI builds and uploads (`Code: {S3Bucket, S3Key}`)
names no folder of the repository; each handler's source is found when exactly one file of its
module's name defines the handler's function, and then every code check reads it as that
function's (the loop check says how it was matched, LR306 names the function)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import scan

_TEMPLATE = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Parameters:
      ArtifactBucket:
        Type: String
    Resources:
      PartitionLoader:
        Type: AWS::Lambda::Function
        Properties:
          Handler: load_partitions.handler
          Runtime: python3.12
          Role: arn:aws:iam::123456789012:role/loader
          Code:
            S3Bucket: !Ref ArtifactBucket
            S3Key: builds/log_tools.zip
      PartitionSchedule:
        Type: AWS::Events::Rule
        Properties:
          ScheduleExpression: rate(1 hour)
          Targets:
            - Id: loader
              Arn: !GetAtt PartitionLoader.Arn
              Input: '{"database": "access_logs"}'
      DailyDigest:
        Type: AWS::Lambda::Function
        Properties:
          Handler: main.handler
          Runtime: python3.12
          Role: arn:aws:iam::123456789012:role/reporter
          Code:
            S3Bucket: !Ref ArtifactBucket
            S3Key: builds/digest.zip
    """

# The function's own module: the table name comes from the event into the SQL text.
_LOADER = """\
    import boto3

    athena = boto3.client("athena")


    def handler(event, context):
        database = event["database"]
        query = "ALTER TABLE " + database + ".requests ADD IF NOT EXISTS PARTITION (day = 1);"
        athena.start_query_execution(QueryString=query)
    """

# A module of the same name in another program (a custom resource's operations), no handler in it.
_OPERATION = """\
    def run(event, manager):
        manager.repair(event["ResourceProperties"])
    """

# Two services each with a `main.py` defining `handler`: which one `main.handler` is cannot be told.
_MAIN = """\
    def handler(event, context):
        return {"ok": True}
    """


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _repository(root: Path) -> Path:
    return _write(root, {
        "deployment/log-tools.template": _TEMPLATE,
        "source/log_tools/load_partitions.py": _LOADER,
        "source/log_tools/test/test_load_partitions.py": "from load_partitions import handler\n",
        "source/custom_resource/operations/load_partitions.py": _OPERATION,
        "source/reporter/main.py": _MAIN,
        "source/exporter/main.py": _MAIN,
    })


def test_a_built_package_is_read_from_the_one_module_of_its_handler_name(tmp_path: Path) -> None:
    workspace = Workspace(_repository(tmp_path))
    functions = {function.name: function for function in build_inventory(workspace).functions}
    reading = read_function_code(workspace, functions["PartitionLoader"])
    assert reading.skipped is None
    assert reading.handler_path == "source/log_tools/load_partitions.py"
    assert reading.source_note == (
        "the code location is not in the repository; source/log_tools/load_partitions.py, the file named "
        "load_partitions.py that defines handler in the folder the package's name log_tools spells, was read")


def test_a_handler_module_several_folders_define_is_not_tied_to_either(tmp_path: Path) -> None:
    workspace = Workspace(_repository(tmp_path))
    functions = {function.name: function for function in build_inventory(workspace).functions}
    reading = read_function_code(workspace, functions["DailyDigest"])
    assert reading.handler_path is None
    assert reading.skipped is not None and "no source of its handler was found" in reading.skipped


def test_event_data_in_the_module_found_by_name_is_the_function_s_finding(tmp_path: Path) -> None:
    report = scan(_repository(tmp_path))
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "LR306"]
    assert finding["path"] == "source/log_tools/load_partitions.py"
    assert finding["function"] == "PartitionLoader"
    # only the schedule invokes it, with the constant input the rule sets
    assert finding["severity"] == "notice"


def test_the_file_that_declares_the_function_is_never_taken_for_its_handler(tmp_path):
    """A CDK stack module named like the handler's module (`infra/ingest.py` declaring a function
    whose handler is `ingest.handler`, its package built into `build/ingest.zip`) is the
    infrastructure code, not the handler's source: neither beside the declaration nor by name."""
    from reviewer.code.reader import read_function_code
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "ingest.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n\n"
        "class IngestStack(Stack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id, **kwargs)\n"
        "        _lambda.Function(self, 'Ingest', runtime=_lambda.Runtime.PYTHON_3_12, handler='ingest.handler',\n"
        "                         code=_lambda.Code.from_asset('build/ingest.zip'))\n")
    workspace = Workspace(tmp_path)
    (function,) = build_inventory(workspace).functions
    reading = read_function_code(workspace, function)
    assert reading.handler_path is None and reading.skipped is not None
