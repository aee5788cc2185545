"""Why a function's code was not read, said truly: a reviewer reads these reasons in the coverage list,
so "declares no handler" or "not in the repository" must not be said of a handler given by a variable,
a Go function, or inline code written in a CDK language the review does not read."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def skipped(root: Path) -> dict[str, str | None]:
    workspace = Workspace(root)
    return {fn.name: read_function_code(workspace, fn).skipped for fn in build_inventory(workspace).functions}


def test_a_handler_set_by_a_module_variable_is_said_to_be_unknown_not_missing(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "handler" {\n  type = string\n}\n'
        'resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n  handler = var.handler\n'
        '  runtime = "python3.12"\n  filename = "worker.zip"\n  role = "arn:aws:iam::123456789012:role/w"\n}\n')
    [reason] = skipped(tmp_path).values()
    assert reason is not None and "declares no handler" not in reason
    assert reason.startswith("its handler is not known statically") and "variable handler" in reason


def test_a_go_function_construct_is_said_to_be_go(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "api-stack.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\nimport * as golambda from '@aws-cdk/aws-lambda-go-alpha';\n\n"
        "export class ApiStack extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n"
        "    super(scope, id);\n    new golambda.GoFunction(this, 'Api', { entry: '../backend/cmd/api' });\n  }\n}\n")
    assert skipped(tmp_path) == {"Api": "only Python and Node.js handlers are read, and the function is built from Go source"}


def test_inline_code_in_java_cdk_source_is_not_called_missing(tmp_path):
    (tmp_path / "src" / "main" / "java" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "main" / "java" / "demo" / "DemoStack.java").write_text(
        "package demo;\n\nimport software.amazon.awscdk.Stack;\nimport software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.InlineCode;\nimport software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.constructs.Construct;\n\npublic class DemoStack extends Stack {\n"
        "    public DemoStack(final Construct scope, final String id) {\n        super(scope, id);\n"
        "        Function.Builder.create(this, \"Hello\")\n            .runtime(Runtime.NODEJS_22_X)\n"
        "            .handler(\"index.handler\")\n"
        "            .code(new InlineCode(\"exports.handler = _ => 'Hello';\"))\n            .build();\n    }\n}\n")
    assert skipped(tmp_path) == {
        "Hello": "its code is written inline in src/main/java/demo/DemoStack.java, and inline code is read only "
                 "from Python, TypeScript and JavaScript CDK apps"}


def _web_adapter_app(root: Path, runtime: str, events: str = "") -> None:
    """A SAM web app behind the Lambda Web Adapter: the handler is the script that starts it."""
    (root / "app").mkdir()
    (root / "app" / "run.sh").write_text("#!/bin/bash\nexec python -m uvicorn --port=$PORT main:app\n")
    (root / "app" / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (root / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  WebFunction:\n    Type: AWS::Serverless::Function\n"
        f"    Properties:\n      CodeUri: app/\n      Handler: run.sh\n      Runtime: {runtime}\n"
        "      Environment:\n        Variables:\n          AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap\n"
        "      Layers:\n        - !Sub arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:25\n"
        + events)


def test_a_web_adapter_script_handler_is_said_to_be_a_script_not_a_missing_module(tmp_path):
    _web_adapter_app(tmp_path, "python3.13")
    workspace = Workspace(tmp_path)
    [function] = build_inventory(workspace).functions
    reading = read_function_code(workspace, function)
    assert reading.skipped is not None and "run.py" not in reading.skipped
    assert reading.skipped.startswith("its handler run.sh is a shell script")
    assert reading.other_language      # the source is there: keeping it beside the template is no advice


def test_a_web_adapter_script_handler_of_node_is_not_looked_for_as_run_js(tmp_path):
    _web_adapter_app(tmp_path, "nodejs22.x", "      Events:\n        Jobs:\n          Type: SQS\n"
                                             "          Properties:\n            Queue: !GetAtt Jobs.Arn\n"
                                             "  Jobs:\n    Type: AWS::SQS::Queue\n")
    [reason] = skipped(tmp_path).values()
    assert reason is not None and "run.js" not in reason and "shell script" in reason


def test_a_handler_decided_inside_a_remote_module_is_not_said_to_wait_for_deployment(tmp_path):
    """NHSDigital/nhs-notify-digital-letters calls its shared Lambda module from a release zip: the
    handler is decided inside that module, which `terraform init` fetches, not at deployment."""
    (tmp_path / "module_lambda_notifier.tf").write_text(
        'module "notifier" {\n'
        '  source = "https://github.com/example-org/shared-modules/releases/download/3.0.6/terraform-lambda.zip"\n'
        '  function_name         = "notifier"\n  handler_function_name = "handler"\n'
        '  runtime               = "nodejs22.x"\n  function_code_dir     = "notifier-lambda/dist"\n}\n')
    [reason] = skipped(tmp_path).values()
    assert reason is not None and "before deployment" not in reason
    assert reason.startswith("its handler is not known statically (decided inside https://github.com/")
