"""SAM and CloudFormation inventory: every syntax form, with the exact line of each property."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

JSON_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"Rt": {"Type": "String", "Default": "nodejs16.x"}},
    "Resources": {
        "FromParam": {"Type": "AWS::Lambda::Function",
                      "Properties": {"Runtime": {"Ref": "Rt"}, "Handler": "i.h", "Code": {"ZipFile": "x"}}},
        "Image": {"Type": "AWS::Lambda::Function",
                  "Properties": {"PackageType": "Image", "Code": {"ImageUri": "123.dkr.ecr.eu-west-1.amazonaws.com/app:1"}}},
    },
}

YAML_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Globals:
  Function:
    Runtime: python3.9
    Handler: app.handler
Resources:
  First:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: services/first/
  Second:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(e, c): pass"
  Chosen:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: !If [IsProd, python3.12, python3.8]
      CodeUri: ../../outside
"""


def _inventory(root: Path) -> dict:
    out = io.StringIO()
    assert main(["inventory", str(root), "--format", "json"], stdout=out) == 0
    return {f["name"]: f for f in json.loads(out.getvalue())["functions"]}


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR1")]


def test_json_template_found_by_content_with_parameter_default_and_image(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "stack.json").write_text(json.dumps(JSON_TEMPLATE, indent=2))
    functions = _inventory(tmp_path)
    assert functions["FromParam"]["runtime"] == "nodejs16.x"
    assert functions["FromParam"]["declarations"]["Runtime.Default"]["line"] == 6
    assert functions["Image"]["package_type"] == "Image" and functions["Image"]["runtime"] is None
    findings = _findings(tmp_path)
    # The finding points at the parameter default, the line to change.
    assert [(f["rule_id"], f["path"], f["line"]) for f in findings] == [("LR100", "infra/stack.json", 6)]


def test_globals_runtime_is_one_finding_naming_every_function_that_inherits_it(tmp_path):
    (tmp_path / "template.yaml").write_text(YAML_TEMPLATE)
    functions = _inventory(tmp_path)
    assert functions["First"]["declarations"]["Runtime"]["line"] == 6
    assert functions["First"]["code_path"] == "services/first"
    assert functions["Second"]["runtime"] == "python3.9"
    findings = _findings(tmp_path)
    globals_findings = [f for f in findings if f["line"] == 6]
    assert len(globals_findings) == 1 and globals_findings[0]["function"] is None
    assert "`First`" in globals_findings[0]["message"] and "`Second`" in globals_findings[0]["message"]


def test_a_computed_runtime_is_reported_unresolved_never_guessed(tmp_path):
    (tmp_path / "template.yaml").write_text(YAML_TEMPLATE)
    chosen = _inventory(tmp_path)["Chosen"]
    assert chosen["runtime"] is None and chosen["unresolved"]["Runtime"] == (
        "chosen by the condition IsProd: `python3.12` or `python3.8`")
    assert chosen["code_path"] is None and "outside the workspace" in chosen["unresolved"]["CodeUri"]
    assert not any(f["function"] == "Chosen" for f in _findings(tmp_path))


PACKAGED_TEMPLATE = """\
Resources:
  Sync:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: main.handler
      Role: arn:aws:iam::111122223333:role/sync
      Code: ./functions/sync/src
  Escaping:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: main.handler
      Role: arn:aws:iam::111122223333:role/sync
      Code: ../../elsewhere
  Stored:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: main.handler
      Role: arn:aws:iam::111122223333:role/sync
      Code: {S3Bucket: artifacts, S3Key: sync.zip}
"""


def test_a_plain_lambda_resource_whose_code_is_a_local_folder_is_read_from_it(tmp_path):
    # `aws cloudformation package` uploads the folder written as `Code: ./src`: the code is here.
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "pipeline.yaml").write_text(PACKAGED_TEMPLATE)
    (tmp_path / "stacks" / "functions" / "sync" / "src").mkdir(parents=True)
    (tmp_path / "stacks" / "functions" / "sync" / "src" / "main.py").write_text("def handler(event, context):\n    return 1\n")
    functions = _inventory(tmp_path)
    assert functions["Sync"]["code_path"] == "stacks/functions/sync/src"
    assert functions["Escaping"]["code_path"] is None
    assert "outside the workspace" in functions["Escaping"]["unresolved"]["Code"]
    assert functions["Stored"]["code_path"] is None and "Code" not in functions["Stored"]["unresolved"]


AMPLIFY_TEMPLATE = {
    "Parameters": {"deploymentBucketName": {"Type": "String"}, "s3Key": {"Type": "String"}},
    "Resources": {
        "LambdaFunction": {
            "Type": "AWS::Lambda::Function",
            "Metadata": {"aws:asset:path": "./src", "aws:asset:property": "Code"},
            "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Role": "arn:aws:iam::1:role/r",
                           "Code": {"S3Bucket": {"Ref": "deploymentBucketName"}, "S3Key": {"Ref": "s3Key"}}},
        },
        "Elsewhere": {
            "Type": "AWS::Lambda::Function",
            "Metadata": {"aws:asset:path": "./missing", "aws:asset:property": "Code"},
            "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Role": "arn:aws:iam::1:role/r",
                           "Code": {"S3Bucket": "b", "S3Key": "k"}},
        },
    },
}


def test_a_function_whose_metadata_names_its_code_asset_folder_is_read_from_it(tmp_path):
    # Amplify's function templates point `Code` at the deployment bucket and name the packaged
    # folder in `aws:asset:path`; the folder beside the template is the function's code.
    folder = tmp_path / "amplify" / "backend" / "function" / "uploads"
    (folder / "src").mkdir(parents=True)
    (folder / "uploads-cloudformation-template.json").write_text(json.dumps(AMPLIFY_TEMPLATE, indent=2))
    (folder / "src" / "index.js").write_text("exports.handler = async () => ({});\n")
    functions = _inventory(tmp_path)
    assert functions["LambdaFunction"]["code_path"] == "amplify/backend/function/uploads/src"
    assert functions["Elsewhere"]["code_path"] is None and not functions["Elsewhere"]["unresolved"].get("Code")


PARAMETERISED_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  HandlerName:
    Type: String
    Default: ingest.lambda_handler
  HandlerModule:
    Type: String
    Default: report
  DeployedHandler:
    Type: String
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Runtime: python3.12
      Handler: !Ref HandlerName
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Runtime: python3.12
      Handler: !Sub "${HandlerModule}.lambda_handler"
  Sample:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Role: arn:aws:iam::111122223333:role/sample
      Handler: !Sub ${DeployedHandler}
      Code:
        ZipFile: |
          def lambda_handler(event, context):
              return event
  Chosen:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Runtime: python3.12
      Handler: !If [IsProd, ingest.lambda_handler, report.lambda_handler]
"""


def test_a_handler_given_by_a_parameter_is_its_default_or_said_to_be_unknown(tmp_path):
    # A template made to be deployed with other settings names its handler by a parameter, as it
    # does its runtime: the default is the handler; without one, the handler is not "missing".
    (tmp_path / "template.yaml").write_text(PARAMETERISED_TEMPLATE)
    (tmp_path / "src").mkdir()
    for module in ("ingest", "report"):
        (tmp_path / "src" / f"{module}.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    functions = _inventory(tmp_path)
    assert functions["Ingest"]["handler"] == "ingest.lambda_handler"
    assert functions["Report"]["handler"] == "report.lambda_handler"
    assert functions["Sample"]["handler"] is None
    assert functions["Sample"]["unresolved"]["Handler"] == "parameter DeployedHandler has no default value"
    assert functions["Chosen"]["handler"] is None
    assert functions["Chosen"]["unresolved"]["Handler"] == (
        "chosen by the condition IsProd: `ingest.lambda_handler` or `report.lambda_handler`")


EMBEDDING_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  MacroFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::111122223333:role/macro
      Code:
        ZipFile: !Rain::Embed handler.py
  Missing:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::111122223333:role/macro
      Code:
        ZipFile: !Rain::Embed gone.py
"""


def test_code_rain_embeds_as_inline_code_is_read_from_its_file(tmp_path):
    # `rain pkg` writes handler.py's text as the ZipFile: that file is the function's code, in
    # the YAML form as in the JSON one (`{"Rain::Embed": "handler.py"}`).
    from reviewer.code.reader import read_function_code
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    (tmp_path / "macro").mkdir()
    (tmp_path / "macro" / "macro.yaml").write_text(EMBEDDING_TEMPLATE)
    document = json.loads(json.dumps({"Resources": {"MacroFunction": {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::1:role/m",
                       "Code": {"ZipFile": {"Rain::Embed": "handler.py"}}}}}}))
    (tmp_path / "macro" / "macro.json").write_text(json.dumps(document, indent=1))
    (tmp_path / "macro" / "handler.py").write_text(
        "def handler(event, context):\n    return {'status': 'success', 'fragment': event['fragment']}\n")
    workspace = Workspace(tmp_path)
    functions = {(fn.location.path, fn.name): fn for fn in build_inventory(workspace).functions}
    for path in ("macro/macro.yaml", "macro/macro.json"):
        reading = read_function_code(workspace, functions[(path, "MacroFunction")])
        assert reading.skipped is None and reading.inline and reading.handler_path == "macro/handler.py"
    # a pull request that edits handler.py alone touches the function
    from reviewer.analyzers.interface import ChangeFocus

    assert ChangeFocus(frozenset({"macro/handler.py"})).touches(functions[("macro/macro.yaml", "MacroFunction")])
    assert not ChangeFocus(frozenset({"macro/handler.py"})).touches(functions[("macro/macro.yaml", "Missing")])
    missing = functions[("macro/macro.yaml", "Missing")].inline_code
    assert missing is not None and missing.text is None and missing.built_by == "Rain::Embed"
