"""Sentences that name what the function's own format writes: how it publishes versions (LR401),
its event sources by their service (LR401), the language of a document that does not parse
(LR901), and where a CDK grant's missing conditions go (LR303)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

CDK_JSON = '{"app": "npx ts-node bin/app.ts"}'

# A synthesized stack: a function a nightly rule invokes, with the permission CDK writes for it.
SYNTHESIZED = """{
  "Resources": {
    "NightlyReport1A2B3C4D": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Code": {"S3Bucket": "cdk-assets", "S3Key": "abc.zip"},
        "Handler": "index.handler",
        "Runtime": "nodejs22.x",
        "Role": {"Fn::GetAtt": ["NightlyReportServiceRole", "Arn"]}
      },
      "Metadata": {"aws:cdk:path": "ReportsStack/NightlyReport/Resource"}
    },
    "NightlyRule5E6F7A8B": {
      "Type": "AWS::Events::Rule",
      "Properties": {
        "ScheduleExpression": "rate(1 day)",
        "Targets": [{"Arn": {"Fn::GetAtt": ["NightlyReport1A2B3C4D", "Arn"]}, "Id": "Target0"}]
      },
      "Metadata": {"aws:cdk:path": "ReportsStack/NightlyRule/Resource"}
    }
  }
}
"""


def scan(root: Path, fmt: str = "json") -> str:
    out = io.StringIO()
    main(["scan", str(root), "--audit", "off", "--fail-on", "never", "--format", fmt,
          "--reference-date", "2026-12-07"], stdout=out)
    return out.getvalue()


def messages(root: Path, rule_id: str) -> list[str]:
    return [f["message"] for f in json.loads(scan(root))["findings"] if f["rule_id"] == rule_id]


def test_a_synthesized_cdk_function_is_told_to_publish_with_current_version_and_an_alias(tmp_path):
    (tmp_path / "cdk.json").write_text(CDK_JSON)
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "ReportsStack.template.json").write_text(SYNTHESIZED)
    (message,) = messages(tmp_path, "LR401")
    assert "`fn.currentVersion`" in message and "`fn.addAlias('live')`" in message
    assert "AutoPublishAlias" not in message
    summary = scan(tmp_path, "markdown")
    assert "LR401" in summary and "the template publishes" not in summary


def test_serverless_events_are_named_by_their_service_and_versions_by_versionfunctions(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "serverless.yml").write_text(
        "service: edge-events\n"
        "provider:\n  name: aws\n  runtime: python3.12\n  versionFunctions: false\n"
        "functions:\n  router:\n    handler: src/app.handler\n    events:\n"
        "      - alb:\n          listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/e/a/b\n"
        "          priority: 1\n          conditions:\n            path: /orders\n"
        "      - iot:\n          sql: \"SELECT * FROM 'devices/+/status'\"\n"
        "      - cloudwatchLog: /aws/lambda/other-service\n"
        "      - cognitoUserPool:\n          pool: Members\n          trigger: PreSignUp\n"
        "      - schedule: rate(10 minutes)\n")
    (message,) = messages(tmp_path, "LR401")
    for name in ("the load balancer target group (line 10)", "the IoT topic rule (line 15)",
                 "the CloudWatch Logs subscription filter (line 17)", "the Cognito user pool trigger (line 18)",
                 "the schedule (line 21)"):
        assert name in message
    assert "event source" not in message
    assert "`versionFunctions`" in message and "AutoPublishAlias" not in message


def test_a_truncated_json_template_is_a_json_syntax_error(tmp_path):
    (tmp_path / "cdk.json").write_text(CDK_JSON)
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "ReportsStack.template.json").write_text(SYNTHESIZED[:300])
    (message,) = messages(tmp_path, "LR901")
    assert "JSON syntax error at line" in message and "YAML" not in message


def test_a_broken_yaml_template_is_still_a_yaml_syntax_error(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.12\n")
    (message,) = messages(tmp_path, "LR901")
    assert "YAML syntax error at line" in message


def test_a_cdk_grant_invoke_is_told_where_its_source_arn_goes(tmp_path):
    (tmp_path / "cdk.json").write_text(CDK_JSON)
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "index.js").write_text("exports.handler = async () => ({});\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "export class IngestStack extends cdk.Stack {\n"
        "  constructor(scope: cdk.App, id: string) {\n"
        "    super(scope, id);\n"
        "    const ingest = new lambda.Function(this, 'Ingest', {\n"
        "      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('lambda'),\n"
        "    });\n"
        "    ingest.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));\n"
        "  }\n"
        "}\n")
    (tmp_path / "lib" / "bucket_stack.py").write_text(
        "from aws_cdk import Stack, aws_iam as iam, aws_lambda as _lambda\n"
        "class ThumbStack(Stack):\n"
        "    def __init__(self, scope, id):\n"
        "        super().__init__(scope, id)\n"
        "        thumbs = _lambda.Function(self, 'Thumbs', runtime=_lambda.Runtime.PYTHON_3_12,\n"
        "                                  handler='index.handler', code=_lambda.Code.from_asset('lambda'))\n"
        "        thumbs.grant_invoke(iam.ServicePrincipal('s3.amazonaws.com'))\n")
    found = messages(tmp_path, "LR303")
    (typescript,) = [m for m in found if "`Ingest`" in m]
    assert ("`grantInvoke` takes no such condition: grant the permission with `addPermission` and its "
            "`sourceArn` or `sourceAccount`, or give the principal the condition with `withConditions`") in typescript
    (python,) = [m for m in found if "`Thumbs`" in m]
    assert ("`grant_invoke` takes no such condition: grant the permission with `add_permission` and its "
            "`source_arn` and `source_account`, or give the principal the condition with `with_conditions`") in python


def test_a_truncated_pipfile_lock_is_a_json_syntax_error_at_its_line(tmp_path):
    """A Pipenv function whose lock was cut off in a merge: Pipfile.lock is JSON, read as YAML."""
    from reviewer.code.dependency_files import read_dependency_files
    from reviewer.workspace import Workspace

    (tmp_path / "functions" / "billing").mkdir(parents=True)
    (tmp_path / "functions" / "billing" / "Pipfile.lock").write_text(
        '{\n    "_meta": {"hash": {"sha256": "ab12"}},\n    "default": {\n'
        '        "boto3": {"version": "==1.35.0"}\n        "requests": {"version": "==2.32.3"}\n')
    (notice,) = read_dependency_files(Workspace(tmp_path), "functions/billing").notices
    assert notice.rule_id == "LR901" and notice.line == 5
    assert "JSON syntax error at line 5" in notice.message and "YAML" not in notice.message


def test_a_json_settings_file_that_does_not_parse_is_a_json_syntax_error(tmp_path):
    import pytest

    from reviewer.config import ConfigError, Settings, load_config_file

    (tmp_path / "lambda-review.json").write_text('{\n  "fail-on": "error",\n  "exclude": ["examples/**"\n}\n')
    with pytest.raises(ConfigError) as raised:
        load_config_file(tmp_path / "lambda-review.json", Settings())
    assert "JSON syntax error at line" in str(raised.value) and "YAML" not in str(raised.value)
    (tmp_path / ".lambda-review.yml").write_text("fail-on: error\nexclude: [examples/**\n")
    with pytest.raises(ConfigError) as raised:
        load_config_file(tmp_path / ".lambda-review.yml", Settings())
    assert "YAML syntax error at line" in str(raised.value)


def test_a_terraform_jsondecode_of_a_broken_file_is_a_json_syntax_error(tmp_path):
    """A root module that keeps its functions' settings in a JSON file it decodes (`yamldecode` of a
    YAML file stays YAML's error)."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  settings = jsondecode(file("${path.module}/settings.json"))\n'
        '  limits   = yamldecode(file("${path.module}/limits.yaml"))\n}\n\n'
        'resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n  filename      = "worker.zip"\n'
        '  handler       = "app.handler"\n  runtime       = local.settings.runtime\n'
        '  role          = "arn:aws:iam::123456789012:role/worker"\n'
        '  environment {\n    variables = local.limits.environment\n  }\n}\n')
    (tmp_path / "settings.json").write_text('{\n  "runtime": "python3.12",\n  "memory": 512\n  "arch": "arm64"\n')
    (tmp_path / "limits.yaml").write_text("environment: {POOL_SIZE: '4'\n")
    (function,) = json.loads(scan(tmp_path))["functions"]
    unresolved = function["unresolved"]
    assert "settings.json is not readable (JSON syntax error at line 4" in unresolved["Runtime"]
    assert "limits.yaml is not readable (YAML syntax error at line" in unresolved["Environment"]
