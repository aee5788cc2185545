"""Write a generated mixed-format monorepo of about 1,000 folders, for bench/cost_curves.py.

    .venv/bin/python bench/generate_mixed_monorepo.py OUTPUT_DIR [--seed N]

The shapes of a large company monorepo where teams chose their own deployment tool:

- `sam/<stack>/`: SAM stacks (template.yaml, `src/<function>/` with a handler, its modules and a
  requirements.txt), as bench/generate_monorepo.py writes them;
- `cdk/<app>/`: CDK apps in TypeScript (`bin/`, `lib/*-stack.ts`), Python (`app.py`, a stack
  module), Java (`src/main/java/.../*Stack.java`, `pom.xml`) and Go (`<app>.go`, `go.mod`), each
  with `cdk.json` and Python functions under `lambda/<function>/` (`Code.fromAsset`);
- `terraform/<root>/`: Terraform roots (`main.tf` with `archive_file` + `aws_lambda_function`,
  `variables.tf`, `src/<function>/`);
- `serverless/<service>/`: Serverless Framework services (`serverless.yml`, `handlers/`, one
  requirements.txt per service).

Every function's code is Python written by bench/generate_monorepo.py's fragments (so bandit, the
recursion and `/tmp` checks have the same kind of work), with pinned requirements drawn from the
same pool. Same seed, same bytes. No third-party content: every file is written here.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from generate_monorepo import (_handler_module, _models_module, _requirements, _service_module, _snake, _template,
                               function_names)

SAM_STACKS = 22
CDK_APPS = {"typescript": 14, "python": 10, "java": 7, "go": 7}
TERRAFORM_ROOTS = 24
SERVERLESS_SERVICES = 26
FUNCTIONS_PER_UNIT = 8
RUNTIMES = ("python3.12", "python3.11", "python3.12", "python3.9")
CDK_RUNTIMES = {"python3.12": "PYTHON_3_12", "python3.11": "PYTHON_3_11", "python3.9": "PYTHON_3_9"}
TEAMS = ("orders", "payments", "catalog", "search", "billing", "identity", "media", "shipping", "ledger",
         "reports", "inbox", "pricing", "loyalty", "audit", "fraud", "exports", "partners", "stock")

# The pull request of cost_curves.py: one line added to this handler (a function of the first SAM stack).
PR_HANDLER = "sam/orders-0/src/orders_create_order/app.py"
PR_FUNCTION = function_names("orders")[0]


def _team(index: int) -> str:
    return f"{TEAMS[index % len(TEAMS)]}-{index // len(TEAMS)}"


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def _function_code(rng: random.Random, directory: Path, team: str, index: int, handler: str = "app.py") -> int:
    """A function's code directory: its handler, two modules and its requirements; the pins written."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / handler).write_text(_handler_module(rng, team.split("-")[0], index, False), encoding="utf-8")
    (directory / "service.py").write_text(_service_module(rng, team.split("-")[0]), encoding="utf-8")
    (directory / "models.py").write_text(_models_module(rng), encoding="utf-8")
    requirements = _requirements(rng)
    (directory / "requirements.txt").write_text(requirements, encoding="utf-8")
    return len(requirements.split())


def _sam(rng: random.Random, root: Path, index: int, counts: dict[str, int]) -> None:
    stack = f"{TEAMS[index % len(TEAMS)]}-{index // len(TEAMS)}"
    stack_dir = root / "sam" / stack
    functions = []
    for number, logical in enumerate(function_names(stack.split("-")[0])[:FUNCTIONS_PER_UNIT]):
        code_dir = f"src/{_snake(logical.removesuffix('Function'))}"
        counts["pins"] += _function_code(rng, stack_dir / code_dir, stack, number)
        (stack_dir / code_dir / "clients.py").write_text("import boto3\n\nS3 = boto3.client('s3')\n", encoding="utf-8")
        functions.append((logical, code_dir))
    (stack_dir / "template.yaml").write_text(_template(rng, stack.split("-")[0], functions), encoding="utf-8")
    (stack_dir / "samconfig.toml").write_text(
        f'version = 0.1\n[default.deploy.parameters]\nstack_name = "{stack}"\ncapabilities = "CAPABILITY_IAM"\n',
        encoding="utf-8")
    counts["functions"] += len(functions)


def _cdk_typescript(rng: random.Random, app_dir: Path, app: str, functions: list[tuple[str, str]]) -> None:
    (app_dir / "bin").mkdir(parents=True, exist_ok=True)
    (app_dir / "lib").mkdir(parents=True, exist_ok=True)
    (app_dir / "cdk.json").write_text('{\n  "app": "npx ts-node --prefer-ts-exts bin/app.ts"\n}\n', encoding="utf-8")
    (app_dir / "package.json").write_text(
        f'{{\n  "name": "{app}",\n  "private": true,\n  "dependencies": {{"aws-cdk-lib": "2.130.0", '
        f'"constructs": "10.3.0"}}\n}}\n', encoding="utf-8")
    (app_dir / "bin" / "app.ts").write_text(
        f"import * as cdk from 'aws-cdk-lib';\nimport {{ {_camel(app)}Stack }} from '../lib/{app}-stack';\n\n"
        f"const app = new cdk.App();\nnew {_camel(app)}Stack(app, '{_camel(app)}Stack');\n", encoding="utf-8")
    body = "".join(
        f"    new lambda.Function(this, '{name}', {{\n"
        f"      runtime: lambda.Runtime.{CDK_RUNTIMES[runtime]},\n"
        f"      handler: 'app.handler',\n"
        f"      code: lambda.Code.fromAsset(path.join(__dirname, '../lambda/{name.lower()}')),\n"
        f"      timeout: Duration.seconds({rng.choice((10, 30, 60))}),\n"
        f"      environment: {{ TABLE_NAME: table.tableName }},\n"
        f"    }});\n\n" for name, runtime in functions)
    (app_dir / "lib" / f"{app}-stack.ts").write_text(
        "import * as path from 'path';\nimport { Duration, Stack, StackProps } from 'aws-cdk-lib';\n"
        "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { Construct } from 'constructs';\n\n"
        f"export class {_camel(app)}Stack extends Stack {{\n"
        "  constructor(scope: Construct, id: string, props?: StackProps) {\n    super(scope, id, props);\n\n"
        "    const table = new dynamodb.Table(this, 'Table', {\n"
        "      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },\n    });\n\n"
        f"{body}  }}\n}}\n", encoding="utf-8")


def _cdk_python(rng: random.Random, app_dir: Path, app: str, functions: list[tuple[str, str]]) -> None:
    module = app.replace("-", "_")
    (app_dir / module).mkdir(parents=True, exist_ok=True)
    (app_dir / "cdk.json").write_text('{\n  "app": "python3 app.py"\n}\n', encoding="utf-8")
    (app_dir / "requirements.txt").write_text("aws-cdk-lib==2.130.0\nconstructs==10.3.0\n", encoding="utf-8")
    (app_dir / "app.py").write_text(
        f"import aws_cdk as cdk\n\nfrom {module}.stack import {_camel(app)}Stack\n\napp = cdk.App()\n"
        f'{_camel(app)}Stack(app, "{_camel(app)}Stack")\napp.synth()\n', encoding="utf-8")
    (app_dir / module / "__init__.py").write_text("", encoding="utf-8")
    body = "".join(
        f'        _lambda.Function(\n            self, "{name}",\n'
        f"            runtime=_lambda.Runtime.{CDK_RUNTIMES[runtime]},\n"
        f'            handler="app.handler",\n'
        f'            code=_lambda.Code.from_asset("lambda/{name.lower()}"),\n'
        f"            timeout=Duration.seconds({rng.choice((10, 30, 60))}),\n        )\n" for name, runtime in functions)
    (app_dir / module / "stack.py").write_text(
        "from aws_cdk import Duration, Stack\nfrom aws_cdk import aws_lambda as _lambda\nfrom constructs import Construct\n\n\n"
        f"class {_camel(app)}Stack(Stack):\n"
        "    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:\n"
        "        super().__init__(scope, construct_id, **kwargs)\n\n" + body, encoding="utf-8")


def _cdk_java(rng: random.Random, app_dir: Path, app: str, functions: list[tuple[str, str]]) -> None:
    package = app_dir / "src" / "main" / "java" / "com" / "example" / app.replace("-", "")
    package.mkdir(parents=True, exist_ok=True)
    (app_dir / "cdk.json").write_text('{\n  "app": "mvn -e -q compile exec:java"\n}\n', encoding="utf-8")
    (app_dir / "pom.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        f"  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>{app}</artifactId>\n"
        "  <version>0.1</version>\n  <dependencies>\n    <dependency>\n      <groupId>software.amazon.awscdk</groupId>\n"
        "      <artifactId>aws-cdk-lib</artifactId>\n      <version>2.130.0</version>\n    </dependency>\n"
        "  </dependencies>\n</project>\n", encoding="utf-8")
    body = "".join(
        f'        Function.Builder.create(this, "{name}")\n'
        f"            .runtime(Runtime.{CDK_RUNTIMES[runtime]})\n"
        f'            .handler("app.handler")\n'
        f'            .code(Code.fromAsset("lambda/{name.lower()}"))\n'
        f"            .timeout(Duration.seconds({rng.choice((10, 30, 60))}))\n            .build();\n\n"
        for name, runtime in functions)
    (package / f"{_camel(app)}Stack.java").write_text(
        f"package com.example.{app.replace('-', '')};\n\n"
        "import software.amazon.awscdk.Duration;\nimport software.amazon.awscdk.Stack;\n"
        "import software.amazon.awscdk.StackProps;\nimport software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.Function;\nimport software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.constructs.Construct;\n\n"
        f"public class {_camel(app)}Stack extends Stack {{\n"
        f"    public {_camel(app)}Stack(final Construct scope, final String id, final StackProps props) {{\n"
        f"        super(scope, id, props);\n\n{body}    }}\n}}\n", encoding="utf-8")


def _cdk_go(rng: random.Random, app_dir: Path, app: str, functions: list[tuple[str, str]]) -> None:
    app_dir.mkdir(parents=True, exist_ok=True)
    (app_dir / "cdk.json").write_text('{\n  "app": "go mod download && go run ' + app + '.go"\n}\n', encoding="utf-8")
    (app_dir / "go.mod").write_text(
        f"module {app}\n\ngo 1.21\n\nrequire (\n\tgithub.com/aws/aws-cdk-go/awscdk/v2 v2.130.0\n"
        "\tgithub.com/aws/constructs-go/constructs/v10 v10.3.0\n\tgithub.com/aws/jsii-runtime-go v1.94.0\n)\n",
        encoding="utf-8")
    runtimes = {"python3.12": "Runtime_PYTHON_3_12", "python3.11": "Runtime_PYTHON_3_11",
                "python3.9": "Runtime_PYTHON_3_9"}
    body = "".join(
        f'\tawslambda.NewFunction(stack, jsii.String("{name}"), &awslambda.FunctionProps{{\n'
        f"\t\tRuntime: awslambda.{runtimes[runtime]}(),\n"
        f'\t\tHandler: jsii.String("app.handler"),\n'
        f'\t\tCode:    awslambda.Code_FromAsset(jsii.String("lambda/{name.lower()}"), nil),\n'
        f"\t\tTimeout: awscdk.Duration_Seconds(jsii.Number({rng.choice((10, 30, 60))})),\n\t}})\n\n"
        for name, runtime in functions)
    (app_dir / f"{app}.go").write_text(
        'package main\n\nimport (\n\t"github.com/aws/aws-cdk-go/awscdk/v2"\n'
        '\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"\n\t"github.com/aws/constructs-go/constructs/v10"\n'
        '\t"github.com/aws/jsii-runtime-go"\n)\n\n'
        "func NewAppStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {\n"
        "\tstack := awscdk.NewStack(scope, &id, props)\n\n" + body + "\treturn stack\n}\n\n"
        "func main() {\n\tdefer jsii.Close()\n\tapp := awscdk.NewApp(nil)\n"
        f'\tNewAppStack(app, "{_camel(app)}Stack", nil)\n\tapp.Synth(nil)\n}}\n', encoding="utf-8")


CDK_WRITERS = {"typescript": _cdk_typescript, "python": _cdk_python, "java": _cdk_java, "go": _cdk_go}


def _cdk(rng: random.Random, root: Path, language: str, index: int, counts: dict[str, int]) -> None:
    app = f"{_team(index)}-{language[:2]}"
    app_dir = root / "cdk" / app
    functions = [(f"{_camel(TEAMS[index % len(TEAMS)])}Fn{number}", rng.choice(RUNTIMES))
                 for number in range(FUNCTIONS_PER_UNIT)]
    for number, (name, _) in enumerate(functions):
        counts["pins"] += _function_code(rng, app_dir / "lambda" / name.lower(), app, number)
    CDK_WRITERS[language](rng, app_dir, app, functions)
    counts["functions"] += len(functions)


def _terraform(rng: random.Random, root: Path, index: int, counts: dict[str, int]) -> None:
    name = _team(index)
    root_dir = root / "terraform" / name
    blocks = []
    for number in range(FUNCTIONS_PER_UNIT):
        function = f"{name.replace('-', '_')}_fn{number}"
        counts["pins"] += _function_code(rng, root_dir / "src" / function, name, number)
        blocks.append(
            f'data "archive_file" "{function}" {{\n  type        = "zip"\n  source_dir  = "${{path.module}}/src/{function}"\n'
            f'  output_path = "${{path.module}}/build/{function}.zip"\n}}\n\n'
            f'resource "aws_lambda_function" "{function}" {{\n  function_name    = "{name}-fn{number}"\n'
            f"  role             = aws_iam_role.lambda.arn\n  handler          = \"app.handler\"\n"
            f"  runtime          = var.python_runtime\n  filename         = data.archive_file.{function}.output_path\n"
            f"  source_code_hash = data.archive_file.{function}.output_base64sha256\n"
            f"  timeout          = {rng.choice((10, 30, 60))}\n\n  environment {{\n    variables = {{\n"
            f"      TABLE_NAME = var.table_name\n    }}\n  }}\n}}\n")
    (root_dir / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n'
        '    }\n  }\n}\n\ndata "aws_iam_policy_document" "assume" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
        '    principals {\n      type        = "Service"\n      identifiers = ["lambda.amazonaws.com"]\n    }\n  }\n}\n\n'
        f'resource "aws_iam_role" "lambda" {{\n  name               = "{name}-lambda"\n'
        "  assume_role_policy = data.aws_iam_policy_document.assume.json\n}\n\n" + "\n".join(blocks), encoding="utf-8")
    (root_dir / "variables.tf").write_text(
        f'variable "python_runtime" {{\n  type    = string\n  default = "{rng.choice(RUNTIMES)}"\n}}\n\n'
        f'variable "table_name" {{\n  type    = string\n  default = "{name}-items"\n}}\n', encoding="utf-8")
    counts["functions"] += FUNCTIONS_PER_UNIT


def _serverless(rng: random.Random, root: Path, index: int, counts: dict[str, int]) -> None:
    name = _team(index)
    service_dir = root / "serverless" / name
    handlers = service_dir / "handlers"
    handlers.mkdir(parents=True, exist_ok=True)
    (handlers / "__init__.py").write_text("", encoding="utf-8")
    entries = []
    for number in range(FUNCTIONS_PER_UNIT):
        function = f"fn{number}"
        (handlers / f"{function}.py").write_text(_handler_module(rng, TEAMS[index % len(TEAMS)], number, False),
                                                 encoding="utf-8")
        event = rng.choice(("    events:\n      - http:\n          path: /items\n          method: get\n",
                            "    events:\n      - schedule: rate(1 hour)\n",
                            "    events:\n      - sqs:\n          arn: !GetAtt Queue.Arn\n"))
        entries.append(f"  {function}:\n    handler: handlers/{function}.handler\n{event}")
    (service_dir / "service.py").write_text(_service_module(rng, TEAMS[index % len(TEAMS)]), encoding="utf-8")
    (service_dir / "models.py").write_text(_models_module(rng), encoding="utf-8")
    requirements = _requirements(rng)
    (service_dir / "requirements.txt").write_text(requirements, encoding="utf-8")
    counts["pins"] += len(requirements.split())
    (service_dir / "serverless.yml").write_text(
        f'service: {name}\nframeworkVersion: "3"\n\nprovider:\n  name: aws\n  runtime: {rng.choice(RUNTIMES)}\n'
        "  region: eu-west-1\n  environment:\n    TABLE_NAME: ${self:service}-items\n\n"
        "functions:\n" + "\n".join(entries) +
        "\nresources:\n  Resources:\n    Queue:\n      Type: AWS::SQS::Queue\n", encoding="utf-8")
    counts["functions"] += FUNCTIONS_PER_UNIT


def generate(root: Path, seed: int = 8) -> dict[str, int]:
    """Write the mixed monorepo under `root` (created); returns its counts."""
    rng = random.Random(seed)
    counts = {"functions": 0, "pins": 0}
    for index in range(SAM_STACKS):
        _sam(rng, root, index, counts)
    for language, apps in CDK_APPS.items():
        for index in range(apps):
            _cdk(rng, root, language, index, counts)
    for index in range(TERRAFORM_ROOTS):
        _terraform(rng, root, index, counts)
    for index in range(SERVERLESS_SERVICES):
        _serverless(rng, root, index, counts)
    paths = list(root.rglob("*"))
    counts["folders"] = sum(1 for path in paths if path.is_dir())
    counts["files"] = sum(1 for path in paths if path.is_file())
    counts["python_files"] = sum(1 for path in paths if path.suffix == ".py")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    counts = generate(args.output, args.seed)
    print(", ".join(f"{key}: {value}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
