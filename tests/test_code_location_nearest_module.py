"""A repository of solutions, each with its template and its code (`iam/password_policy/templates/`
beside `iam/password_policy/lambda/src/app.py`), deploys packages a script stages in S3
(`Code: {S3Bucket, S3Key}`): every handler is `app.lambda_handler`, so no file of that name is
the only one in the repository, but one is nearer each template than the others. That one is the
function's source: the loop check, LR306 and bandit read it as that function's. Two files of the
name under the nearest folder still tie nothing."""

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
      StagingBucket:
        Type: String
      SolutionName:
        Type: String
        Default: {solution}
    Resources:
      ConfigurationTopic:
        Type: AWS::SNS::Topic
      ConfigurationFunction:
        Type: AWS::Lambda::Function
        Properties:
          Handler: app.lambda_handler
          Runtime: python3.12
          Role: arn:aws:iam::123456789012:role/configuration
          Code:
            S3Bucket: !Ref StagingBucket
            S3Key: !Sub ${{SolutionName}}/lambda_code/${{SolutionName}}.zip
          Environment:
            Variables:
              TOPIC_ARN: !Ref ConfigurationTopic
      ConfigurationSubscription:
        Type: AWS::SNS::Subscription
        Properties:
          Protocol: lambda
          TopicArn: !Ref ConfigurationTopic
          Endpoint: !GetAtt ConfigurationFunction.Arn
      ConfigurationPermission:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !GetAtt ConfigurationFunction.Arn
          Principal: sns.amazonaws.com
          SourceArn: !Ref ConfigurationTopic
    """

# Fans each account out to the topic that triggers it: a loop the check must see in this file.
_FAN_OUT = """\
    import json
    import os

    import boto3

    sns = boto3.client("sns")


    def lambda_handler(event, context):
        for account in json.loads(event["Records"][0]["Sns"]["Message"])["accounts"]:
            sns.publish(TopicArn=os.environ["TOPIC_ARN"], Message=json.dumps({"accounts": [account]}))
    """

# Another solution's handler of the same module name: applies a setting, writes to no topic.
_APPLY = """\
    import boto3

    iam = boto3.client("iam")


    def lambda_handler(event, context):
        iam.update_account_password_policy(MinimumPasswordLength=14)
    """


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _repository(root: Path) -> Path:
    return _write(root, {
        "solutions/guardduty/guardduty_org/templates/guardduty-org.yaml":
            _TEMPLATE.format(solution="sra-guardduty-org"),
        "solutions/guardduty/guardduty_org/lambda/src/app.py": _FAN_OUT,
        "solutions/iam/password_policy/templates/password-policy.yaml":
            _TEMPLATE.format(solution="sra-iam-password-policy"),
        "solutions/iam/password_policy/lambda/src/app.py": _APPLY,
        # a solution whose folder holds its function's code and the rules it deploys itself
        "solutions/bedrock/bedrock_org/templates/bedrock-org.yaml": _TEMPLATE.format(solution="sra-bedrock-org"),
        "solutions/bedrock/bedrock_org/lambda/src/app.py": _APPLY,
        "solutions/bedrock/bedrock_org/lambda/rules/check_guardrails/app.py": _APPLY,
    })


def _functions(workspace: Workspace) -> dict[str, object]:
    return {function.location.path.split("/")[2]: function for function in build_inventory(workspace).functions}


def test_each_solution_s_function_reads_the_handler_module_nearest_its_template(tmp_path: Path) -> None:
    workspace = Workspace(_repository(tmp_path))
    functions = _functions(workspace)
    reading = read_function_code(workspace, functions["guardduty_org"])
    assert reading.handler_path == "solutions/guardduty/guardduty_org/lambda/src/app.py"
    assert reading.source_note == (
        "the code location is not in the repository; solutions/guardduty/guardduty_org/lambda/src/app.py, "
        "the file named app.py nearest the declaration that defines lambda_handler, was read")
    reading = read_function_code(workspace, functions["password_policy"])
    assert reading.handler_path == "solutions/iam/password_policy/lambda/src/app.py"


def test_two_handler_modules_under_the_nearest_folder_still_tie_nothing(tmp_path: Path) -> None:
    workspace = Workspace(_repository(tmp_path))
    reading = read_function_code(workspace, _functions(workspace)["bedrock_org"])
    assert reading.handler_path is None
    assert reading.skipped is not None and "no source of its handler was found" in reading.skipped


def test_the_loop_in_the_nearest_module_is_its_own_function_s(tmp_path: Path) -> None:
    report = scan(_repository(tmp_path))
    loops = [(f["function"], f["path"]) for f in report["findings"] if f["rule_id"] == "LR201"]
    assert loops == [("ConfigurationFunction", "solutions/guardduty/guardduty_org/lambda/src/app.py")]
    unread = [f for f in report["findings"] if f["rule_id"] == "LR206"]
    assert [f["path"] for f in unread] == ["solutions/bedrock/bedrock_org/templates/bedrock-org.yaml"]


_PACKAGED = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      SeedTables:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: s3://artifacts-bucket/5f0c2a
          Handler: app.handler
          Runtime: python3.12
      ValidateOrder:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: s3://artifacts-bucket/91be7d
          Handler: app.handler
          Runtime: python3.12
    """


_SEED = """\
    import boto3

    table = boto3.resource("dynamodb").Table("orders")


    def handler(event, context):
        table.put_item(Item={"pk": "config"})
    """


def test_functions_of_one_template_sharing_a_handler_name_are_not_told_apart_by_nearness(tmp_path: Path) -> None:
    """A packaged template (`sam package`'s output, each `CodeUri` an S3 object) beside the folder
    of one of its functions: the one `app.py` under the template's folder is not every function's."""
    workspace = Workspace(_write(tmp_path, {
        "core/packaged.yaml": _PACKAGED,
        "core/seed/app.py": _SEED,
        "backends/orders/validate/app.py": _SEED.replace("put_item", "get_item"),
    }))
    for function in build_inventory(workspace).functions:
        assert read_function_code(workspace, function).handler_path is None, function.name
