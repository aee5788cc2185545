"""LR304 for a Secrets Manager secret the deployment resolves into an environment variable: a
`{{resolve:secretsmanager:...}}` dynamic reference (SAM, CloudFormation) or a Serverless
`${ssm:/aws/reference/secretsmanager/...}` variable. The value is not in the repository but is in
the function's configuration in plain text, so it is a warning, and the advice is to pass the
secret's name or ARN; the advice of every LR304 message no longer recommends a dynamic reference."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def _lr304(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304"]


def test_a_dynamic_reference_to_a_secret_is_a_warning_with_advice_to_fetch_it(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: x\n"
        "      Environment:\n        Variables:\n"
        "          DB_PASSWORD: '{{resolve:secretsmanager:prod/orders/db:SecretString:password}}'\n"
        "          DB_SECRET_ARN: !Ref DatabaseSecret\n"
        "          API_KEY: s3cr3t-Pa55w0rd-9f8e\n")
    found = {f["message"].split("`")[1]: f for f in _lr304(tmp_path)}
    assert set(found) == {"DB_PASSWORD", "API_KEY"}
    resolved = found["DB_PASSWORD"]
    assert (resolved["severity"], resolved["line"]) == ("warning", 11)
    assert "dynamic reference" in resolved["message"] and "in plain text" in resolved["message"]
    assert "prod/orders/db" not in json.dumps(resolved)
    plain = found["API_KEY"]["message"]
    assert "dynamic reference" not in plain and "NoEcho" not in plain
    assert "passing only its name or ARN" in plain


def test_a_serverless_variable_for_a_secret_through_ssm_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(
        "service: orders\nprovider:\n  name: aws\n  runtime: python3.13\n"
        "functions:\n  api:\n    handler: app.handler\n    environment:\n"
        "      STRIPE_KEY: ${ssm:/aws/reference/secretsmanager/prod/stripe}\n"
        "      TABLE: ${ssm:/orders/prod/table}\n")
    findings = _lr304(tmp_path)
    assert [(f["severity"], f["line"]) for f in findings] == [("warning", 9)]
    assert "${ssm:/aws/reference/secretsmanager/...}" in findings[0]["message"]


def test_a_username_taken_from_a_secret_is_a_setting_not_a_secret(tmp_path: Path) -> None:
    """`username: !Sub "{{resolve:secretsmanager:${SecretArn}:SecretString:username}}"` (an RDS proxy
    sample): neither the key nor the variable names a secret; the password key would."""
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Proxy:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: x\n"
        "      Environment:\n        Variables:\n"
        "          username: !Sub '{{resolve:secretsmanager:${SecretArn}:SecretString:username}}'\n"
        "          db_login: !Sub '{{resolve:secretsmanager:${SecretArn}:SecretString:password}}'\n")
    assert [(f["message"].split("`")[1], f["line"]) for f in _lr304(tmp_path)] == [("db_login", 12)]


def test_a_cdk_secret_read_into_the_environment_is_a_resolved_secret(tmp_path: Path) -> None:
    """`secret.secretValueFromJson('password').unsafeUnwrap()` (and Python's `secret_value`): CDK
    writes a dynamic reference; a table name beside it is no secret."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "new lambda.Function(this, 'Api', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "  environment: {\n"
        "    DB_PASSWORD: dbSecret.secretValueFromJson('password').unsafeUnwrap(),\n"
        "    DB_USER: dbSecret.secretValueFromJson('username').unsafeUnwrap(),\n"
        "    TABLE: table.tableName,\n"
        "  },\n"
        "});\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_\n"
        "lambda_.Function(self, 'Reports', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset('src'),\n"
        "                 environment={'STRIPE_KEY': stripe.secret_value.unsafe_unwrap()})\n")
    found = sorted((f["function"], f["line"], f["severity"]) for f in _lr304(tmp_path))
    assert found == [("Api", 5, "warning"), ("Reports", 4, "warning")]


def test_a_member_named_like_a_secret_method_is_not_a_secret_read(tmp_path: Path) -> None:
    """`SECRETS_MANAGER: props.secretsManager` (an image-resizing solution's back end, handed the
    secret's name from a stack parameter): only a call of `secretsManager` or
    `secretValueFromJson` reads a secret; a member of that name is whatever the stack passes."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "back-end.ts").write_text(
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { SecretValue } from 'aws-cdk-lib';\n"
        "export interface BackEndProps { readonly secretsManager: string; readonly secretsManagerKey: string; }\n"
        "export class BackEnd extends Construct {\n"
        "  constructor(scope: Construct, id: string, props: BackEndProps) {\n"
        "    super(scope, id);\n"
        "    new NodejsFunction(this, 'Resizer', {\n"
        "      runtime: Runtime.NODEJS_22_X,\n"
        "      entry: 'handlers/resize/index.ts',\n"
        "      environment: {\n"
        "        SECRETS_MANAGER: props.secretsManager,\n"
        "        SECRET_KEY: props.secretsManagerKey,\n"
        "        SIGNING_TOKEN: SecretValue.secretsManager('resizer/signing', { jsonField: 'token' }).unsafeUnwrap(),\n"
        "      },\n"
        "    });\n"
        "  }\n"
        "}\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_\n"
        "lambda_.Function(self, 'Thumbnails', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset('src'),\n"
        "                 environment={'SECRETS_MANAGER': props.secrets_manager,\n"
        "                              'SECRET_KEY': props.secret_value_from_json})\n")
    found = sorted((f["function"], f["message"].split("`")[1], f["line"]) for f in _lr304(tmp_path))
    assert found == [("Resizer", "SIGNING_TOKEN", 14)]
