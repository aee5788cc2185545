"""Resources named by template parameters without a default: a bucket whose `BucketName` is
`!Ref StatementsBucketName` is the bucket an environment variable set to `!Ref
StatementsBucketName` names, and an external queue's ARN and URL built with `!Sub` from one
parameter are one queue; a value that takes another parameter is never matched to it (the
deployer may still pass one name to both, so the check says it cannot tell)."""

from __future__ import annotations

from pathlib import Path

from test_recursion import scan, verdicts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "recursion" / "sam-parameter-names"


def test_a_write_named_by_the_parameter_that_names_the_trigger_is_a_loop():
    assert verdicts(FIXTURE) == {
        ("LR201", "error", "ConvertFunction", "functions/convert/app.py:19"),
        ("LR201", "error", "RetryFunction", "functions/retry/app.py:16"),
        ("LR201", "error", "DrainFunction", "functions/drain/app.py:14"),
        ("LR201", "warning", "AlertsFunction", "functions/alerts/app.py:16"),   # only escalated alerts
        ("LR204", "notice", "ForwardFunction", "functions/forward/app.py:12"),
    }   # ArchiveFunction copies to the archive bucket, named by another parameter (with a default)


def test_the_loop_says_which_parameter_names_the_resource():
    findings = {f["function"]: f for f in scan(FIXTURE)}
    assert "parameter StatementsBucketName, the name of StatementsBucket" in findings["ConvertFunction"]["message"]
    assert "`${RenderQueueName}`" in findings["RetryFunction"]["message"]
    forward = findings["ForwardFunction"]["message"]
    assert "the template parameter OutgoingQueueUrl, which has no default value" in forward


def test_an_event_source_mapping_of_a_queue_arn_built_with_sub_is_an_sqs_trigger():
    drain = next(f for f in scan(FIXTURE) if f["function"] == "DrainFunction")
    assert "EventSourceMapping DrainMapping" in drain["message"]


def _resolver(parameters: dict, resources: dict | None = None):
    from reviewer.analyzers.recursion_targets import TargetResolver
    return TargetResolver({"template.yaml": {"Parameters": parameters, "Resources": resources or {}}})


def test_an_arn_written_with_pseudo_parameters_only_names_its_literal_resource():
    from reviewer.inventory.targets import value_target
    resolver = _resolver({})
    value = {"Fn::Sub": "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:print-jobs"}
    found = resolver.target("template.yaml", value_target(resolver.names, "template.yaml", value))
    assert {key.value for key in found.keys} == {"print-jobs"} and not found.open


def test_a_systems_manager_parameter_default_is_where_the_name_is_kept_not_the_name():
    from reviewer.inventory.targets import value_target
    resolver = _resolver({"QueueName": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/print/queue"}})
    found = resolver.target("template.yaml", value_target(resolver.names, "template.yaml", {"Ref": "QueueName"}))
    assert found.open and {key.value for key in found.keys} == {"${QueueName}"}


def test_two_stacks_of_one_app_sharing_a_default_bucket_name_are_not_one_cycle():
    """v1 and v2 of a stack each declare the bucket `!Ref ReportsBucketName` (one default): each
    function's write, skipped by its own guard, is judged against its own bucket only."""
    assert verdicts(FIXTURE.parent / "sam-parameter-default-stacks") == {
        ("LR203", "notice", "SummarizeFunction", "src/summarize/app.py:15"),
    }


_ROOT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  StatementsStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./statements.yaml
      Parameters:
        StatementsBucketName: acme-statements-eu
"""

_CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  StatementsBucketName:
    Type: String
Resources:
  StatementsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref StatementsBucketName
  ConvertFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: functions/convert
      Environment:
        Variables:
          OUTPUT_BUCKET: !Ref StatementsBucketName
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref StatementsBucket
            Events: s3:ObjectCreated:*
"""


def test_a_bucket_named_by_a_parameter_a_parent_passes_is_still_the_variable_s_bucket(tmp_path):
    """The parent passes the child's parameter a name: the child's bucket takes that name, so the
    variable set to the same parameter names that bucket, whatever the parent passes."""
    (tmp_path / "statements.yaml").write_text(_CHILD)
    (tmp_path / "template.yaml").write_text(_ROOT)
    handler = tmp_path / "functions" / "convert" / "app.py"
    handler.parent.mkdir(parents=True)
    handler.write_text((FIXTURE / "functions" / "convert" / "app.py").read_text())
    assert verdicts(tmp_path) == {("LR201", "error", "ConvertFunction", "functions/convert/app.py:19")}
