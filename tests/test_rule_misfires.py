"""Rules judge values, not names: shapes of real repositories that used to be reported wrongly (issue 19)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"], stdout=out,
         stderr=io.StringIO())
    return json.loads(out.getvalue())["findings"]


def _sam(tmp_path: Path, properties: str, extra_resources: str = "") -> Path:
    (tmp_path / "template.yaml").write_text(
        SAM_HEADER + "  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.13\n      Handler: app.handler\n      CodeUri: src/\n" + properties + extra_resources)
    return tmp_path


def _by_rule(findings: list[dict], rule_id: str) -> list[dict]:
    return [finding for finding in findings if finding["rule_id"] == rule_id]


def test_ports_counts_and_placeholders_under_secret_names_are_not_errors(tmp_path):
    root = _sam(tmp_path, "      Environment:\n        Variables:\n"
                          "          PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: \"2773\"\n"
                          "          PASSWORD_ITERATIONS: \"4096\"\n"
                          "          JWT_SECRET: YOUR-SECRET-HERE\n"
                          "          ADMIN_PASSWORD: \"<admin-password>\"\n"
                          "          AWS_SECRET_ACCESS_KEY: DUMMYEXAMPLEKEY\n"
                          "          GOOGLE_API_KEY: AIzaXXXX\n"
                          "          DB_PASSWORD: s3cr3t-Pa55w0rd-9f8e\n"
                          "          LEGACY_KEY: AKIAQWERTYUIOPASDFGH\n")
    lr304 = {finding["message"].split("`")[1]: finding["severity"] for finding in _by_rule(_findings(root), "LR304")}
    assert lr304 == {"JWT_SECRET": "notice", "ADMIN_PASSWORD": "notice", "AWS_SECRET_ACCESS_KEY": "notice",
                     "GOOGLE_API_KEY": "notice",
                     "DB_PASSWORD": "error", "LEGACY_KEY": "error"}


def test_sam_policy_templates_are_not_called_aws_managed_full_access(tmp_path):
    root = _sam(tmp_path, "      Policies:\n"
                          "        - PollyFullAccessPolicy:\n            LexiconName: !Ref Lexicon\n"
                          "        - S3FullAccessPolicy:\n            BucketName: !Ref Bucket\n"
                          "        - AmazonS3FullAccess\n")
    lr300 = _by_rule(_findings(root), "LR300")
    assert len(lr300) == 1 and "AmazonS3FullAccess" in lr300[0]["message"]


def test_writes_on_star_limited_by_a_condition_are_not_lr301(tmp_path):
    root = _sam(tmp_path, "      Policies:\n        - Statement:\n"
                          "            - Effect: Allow\n              Action: iam:CreateServiceLinkedRole\n"
                          "              Resource: '*'\n              Condition:\n                StringEquals:\n"
                          "                  iam:AWSServiceName: elasticloadbalancing.amazonaws.com\n"
                          "            - Effect: Allow\n              Action: sqs:SendMessage\n"
                          "              Resource: '*'\n              Condition:\n                Bool:\n"
                          "                  aws:SecureTransport: 'true'\n")
    lr301 = _by_rule(_findings(root), "LR301")
    assert len(lr301) == 1 and "sqs:SendMessage" in lr301[0]["message"]


def test_a_public_url_permission_is_reported_once_as_lr302(tmp_path):
    root = _sam(tmp_path, "", extra_resources=(
        "  WorkerUrlPermission:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      Action: lambda:InvokeFunctionUrl\n      FunctionName: !Ref Worker\n      Principal: '*'\n"
        "      FunctionUrlAuthType: NONE\n"))
    findings = _findings(root)
    assert _by_rule(findings, "LR303") == []
    assert len(_by_rule(findings, "LR302")) == 1


def test_runtime_placeholders_and_plugin_managed_runtimes_are_notices(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text(
        SAM_HEADER + "  Setup:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: PYTHON3_VERSION\n      Handler: app.handler\n      CodeUri: src/\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "serverless.yml").write_text(
        "service: billing\nprovider:\n  name: aws\n  runtime: rust\nplugins:\n  - serverless-rust\n"
        "functions:\n  charge:\n    handler: billing.charge\n")
    lr103 = {finding["path"]: finding for finding in _by_rule(_findings(tmp_path), "LR103")}
    assert {path: finding["severity"] for path, finding in lr103.items()} == {
        "infra/template.yaml": "notice", "svc/serverless.yml": "notice"}
    assert "serverless-rust" in lr103["svc/serverless.yml"]["message"]


def test_a_runtime_typo_is_an_error_that_suggests_only_supported_runtimes(tmp_path):
    (tmp_path / "template.yaml").write_text(
        SAM_HEADER + "  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3\n      Handler: app.handler\n      CodeUri: src/\n")
    (finding,) = _by_rule(_findings(tmp_path), "LR103")
    assert finding["severity"] == "error"
    assert "python3.1" in finding["message"]
    for retired in ("python3.9", "python3.8", "python3.7"):
        assert f"`{retired}`" not in finding["message"]


def test_terraform_condition_blocks_narrow_a_statement_too(tmp_path):
    (tmp_path / "main.tf").write_text('''
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "worker.zip"
  role          = aws_iam_role.worker.arn
}

resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}
''')
    lr301 = _by_rule(_findings(tmp_path), "LR301")
    assert len(lr301) == 1 and "sqs:SendMessage" in lr301[0]["message"]
    # The advice names resources the way Terraform does, not CloudFormation's `!GetAtt`.
    assert "`aws_sqs_queue.jobs.arn`" in lr301[0]["message"] and "!GetAtt" not in lr301[0]["message"]


def test_writes_that_take_no_resource_but_star_are_not_lr301(tmp_path):
    """A custom AWS Config rule must call `config:PutEvaluations` on `*`, and the account password
    policy has no ARN: naming a resource, LR301's fix, cannot be done for them. `s3:PutObject`
    in the same statement can be scoped, and is reported alone."""
    root = _sam(tmp_path, "      Policies:\n        - Statement:\n"
                          "            - Effect: Allow\n              Action:\n"
                          "                - config:PutEvaluations\n                - iam:UpdateAccountPasswordPolicy\n"
                          "                - s3:PutObject\n"
                          "              Resource: '*'\n")
    [lr301] = _by_rule(_findings(root), "LR301")
    assert "s3:PutObject" in lr301["message"]
    assert "PutEvaluations" not in lr301["message"] and "PasswordPolicy" not in lr301["message"]


def test_a_statement_with_a_service_wildcard_is_not_also_lr301_for_that_service(tmp_path):
    """`bedrock:*` with `bedrock:InvokeModel` on `*` is LR300's (every action of the service); LR301
    lists only writes of other services in the same statement."""
    root = _sam(tmp_path, "      Policies:\n        - Statement:\n"
                          "            - Effect: Allow\n              Action:\n"
                          "                - bedrock:*\n                - bedrock:InvokeModel\n                - sqs:SendMessage\n"
                          "              Resource: '*'\n")
    findings = _findings(root)
    assert len(_by_rule(findings, "LR300")) == 1
    [lr301] = _by_rule(findings, "LR301")
    assert "sqs:SendMessage" in lr301["message"] and "bedrock:InvokeModel" not in lr301["message"]
