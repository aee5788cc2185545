"""LR301 on the writes no write verb begins, which IAM's access levels call writes
(reviewer/data/iam_unverbed_writes.json): `kms:Decrypt` for a pipeline step's artifacts (CDK), the
Data API's statements on an Aurora cluster (Terraform), `rekognition:IndexFaces` (SAM)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cdk_shared_roles import scan


def _lr301(root: Path) -> list[dict]:
    return [finding for finding in scan(root)["findings"] if finding["rule_id"] == "LR301"]


def test_a_pipeline_step_that_decrypts_with_every_key_is_told_what_that_reaches(tmp_path):
    """A CodePipeline invoke step reads its input artifacts: `kms:Decrypt` on `*` beside the job
    results (which IAM authorizes only on `*`) lets it decrypt with every key; the same action
    narrowed by `kms:ViaService` is left alone."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prepare.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "pipeline-stack.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { Construct } from 'constructs';\n"
        "\n"
        "export class PipelineStack extends cdk.Stack {\n"
        "  constructor(scope: Construct, id: string, props?: cdk.StackProps) {\n"
        "    super(scope, id, props);\n"
        "    const prepare = new lambda.Function(this, 'PrepareRelease', {\n"
        "      handler: 'prepare.lambda_handler',\n"
        "      runtime: lambda.Runtime.PYTHON_3_13,\n"
        "      code: lambda.Code.fromAsset('src'),\n"
        "    });\n"
        "    prepare.addToRolePolicy(new iam.PolicyStatement({\n"
        "      actions: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult', 'kms:Decrypt'],\n"
        "      resources: ['*'],\n"
        "    }));\n"
        "    prepare.addToRolePolicy(new iam.PolicyStatement({\n"
        "      actions: ['kms:Decrypt'],\n"
        "      resources: ['*'],\n"
        "      conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },\n"
        "    }));\n"
        "  }\n"
        "}\n")
    findings = _lr301(tmp_path)
    assert [f["line"] for f in findings] == [14]
    message = findings[0]["message"]
    assert "allows `kms:Decrypt` on every resource" in message and "codepipeline" not in message
    assert "can decrypt what any KMS key protects, in this account or shared with it by another" in message
    assert "Naming the key it decrypts with" in message
    assert "act on any such resource" not in message


def test_data_api_statements_on_every_cluster_are_writes(tmp_path):
    """A Terraform policy document shared by several functions: the Data API runs SQL on any
    cluster; IAM counts its actions as writes though no write verb begins them."""
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "lambda_rds" {\n'
        "  statement {\n"
        '    effect = "Allow"\n'
        "    actions = [\n"
        '      "rds-data:ExecuteStatement",\n'
        '      "rds-data:BatchExecuteStatement",\n'
        '      "rds-data:BeginTransaction",\n'
        '      "rds-data:CommitTransaction",\n'
        '      "rds-data:RollbackTransaction",\n'
        "    ]\n"
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
        "\n"
        'resource "aws_iam_role" "lambda" {\n'
        '  name               = "reports"\n'
        '  assume_role_policy = "{}"\n'
        "}\n"
        "\n"
        'resource "aws_iam_role_policy" "lambda_rds" {\n'
        "  role   = aws_iam_role.lambda.id\n"
        "  policy = data.aws_iam_policy_document.lambda_rds.json\n"
        "}\n"
        "\n"
        'resource "aws_lambda_function" "reports" {\n'
        '  function_name = "reports"\n'
        "  role          = aws_iam_role.lambda.arn\n"
        '  runtime       = "python3.13"\n'
        '  handler       = "app.handler"\n'
        '  filename      = "lambda.zip"\n'
        "}\n")
    findings = _lr301(tmp_path)
    assert [f["line"] for f in findings] == [2]
    message = findings[0]["message"]
    assert "`rds-data:ExecuteStatement`" in message and "`rds-data:RollbackTransaction`" in message
    assert "IAM counts each of these actions as a write" in message
    assert "decrypt" not in message


def test_indexing_faces_into_any_collection_is_a_write(tmp_path):
    """A SAM function's inline statement: `rekognition:IndexFaces` adds faces to a collection."""
    (tmp_path / "index_face").mkdir()
    (tmp_path / "index_face" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  IndexFaceFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: index_face/\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.13\n"
        "      Policies:\n"
        "        - Version: '2012-10-17'\n"
        "          Statement:\n"
        "            - Effect: Allow\n"
        "              Action:\n"
        "                - rekognition:IndexFaces\n"
        "              Resource: '*'\n")
    findings = _lr301(tmp_path)
    assert [(f["line"], f["function"]) for f in findings] == [(13, "IndexFaceFunction")]
    assert "allows `rekognition:IndexFaces` on every resource" in findings[0]["message"]
    assert "With it the function can act on any such resource" in findings[0]["message"]
