"""CDK image assets that name their function's handler: `DockerImageCode.fromImageAsset(dir, { cmd })`.

Several functions built from one Dockerfile each run the handler their asset's `cmd` names; the
Dockerfile's own `CMD` is another function's, and reading it would review the wrong code."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

# One backend image, built from the folder the stack names, copying every module to the task root.
_DOCKERFILE = ("FROM public.ecr.aws/lambda/python:3.12\n"
               "COPY requirements.txt ./\n"
               "RUN pip install -r requirements.txt\n"
               "COPY . ${LAMBDA_TASK_ROOT}\n"
               'CMD ["api.handler"]\n')


def _backend(root: Path, *modules: str) -> None:
    (root / "backend").mkdir(parents=True, exist_ok=True)
    (root / "backend" / "Dockerfile").write_text(_DOCKERFILE)
    (root / "backend" / "requirements.txt").write_text("boto3==1.34.0\n")
    for module in ("api", *modules):
        (root / "backend" / f"{module}.py").write_text("def handler(event, context):\n    return event\n")


def _by_name(root: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {fn.name: (fn.handler, fn.task_root, str(fn.locations["Handler"]) if "Handler" in fn.locations else None)
            for fn in build_inventory(Workspace(root)).functions}


def test_typescript_functions_sharing_an_image_each_run_the_handler_their_asset_names(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "billing-stack.ts").write_text(
        "import * as path from 'path';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { Stack } from 'aws-cdk-lib';\n\n"
        "const backend = path.join(__dirname, '..', 'backend');\n\n"
        "export class BillingStack extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    new lambda.DockerImageFunction(this, 'Invoices', {\n"
        "      code: lambda.DockerImageCode.fromImageAsset(backend, {\n"
        "        cmd: ['invoices.handler'],\n"
        "      }),\n"
        "    });\n"
        "    const refundCommand = ['refunds.handler'];\n"
        "    new lambda.DockerImageFunction(this, 'Refunds', {\n"
        "      code: lambda.DockerImageCode.fromImageAsset(backend, {\n"
        "        cmd: refundCommand,\n"
        "        entrypoint: ['/lambda-entrypoint.sh'],\n"
        "      }),\n"
        "    });\n"
        "    new lambda.DockerImageFunction(this, 'Api', {\n"
        "      code: lambda.DockerImageCode.fromImageAsset(backend),\n"
        "    });\n"
        "  }\n"
        "}\n")
    _backend(tmp_path, "invoices", "refunds")
    assert _by_name(tmp_path) == {
        "Invoices": ("invoices.handler", "backend", "lib/billing-stack.ts:12"),
        "Refunds": ("refunds.handler", "backend", "lib/billing-stack.ts:18"),
        "Api": ("api.handler", "backend", None),
    }


def test_python_asset_command_names_the_handler_unless_another_program_is_the_entry_point(tmp_path):
    """`cmd=[...]` under Lambda's runtime interface is the handler; under `entrypoint=["python3"]`
    it is that program's arguments, and the image's `CMD` is not taken instead."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "jobs_stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as lambda_\n\n"
        "class JobsStack(Stack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id, **kwargs)\n"
        "        reminder_command = ['reminder.handler']\n"
        "        lambda_.DockerImageFunction(\n"
        "            self, 'Reminder',\n"
        "            code=lambda_.DockerImageCode.from_image_asset('backend', cmd=reminder_command),\n"
        "        )\n"
        "        lambda_.DockerImageFunction(\n"
        "            self, 'Digest',\n"
        "            code=lambda_.DockerImageCode.from_image_asset(\n"
        "                'backend', cmd=['digest.handler'],\n"
        "                entrypoint=['/usr/local/bin/python', '-m', 'awslambdaric']),\n"
        "        )\n"
        "        lambda_.DockerImageFunction(\n"
        "            self, 'Export',\n"
        "            code=lambda_.DockerImageCode.from_image_asset(\n"
        "                'backend', cmd=['export.py'], entrypoint=['python3']),\n"
        "        )\n")
    _backend(tmp_path, "reminder", "digest", "export")
    assert _by_name(tmp_path) == {
        "Reminder": ("reminder.handler", "backend", "stacks/jobs_stack.py:9"),
        "Digest": ("digest.handler", "backend", "stacks/jobs_stack.py:14"),
        "Export": (None, "backend", None),
    }


def test_java_go_and_csharp_asset_commands_name_the_handler(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}\n')
    (tmp_path / "src" / "main" / "java" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "main" / "java" / "shop" / "ShopStack.java").write_text(
        "package shop;\n\n"
        "import java.util.List;\n"
        "import software.amazon.awscdk.Stack;\n"
        "import software.amazon.awscdk.services.lambda.*;\n\n"
        "public class ShopStack extends Stack {\n"
        "    public ShopStack(final software.constructs.Construct scope, final String id) {\n"
        "        super(scope, id);\n"
        "        DockerImageFunction.Builder.create(this, \"Orders\")\n"
        "            .code(DockerImageCode.fromImageAsset(\"backend\", AssetImageCodeProps.builder()\n"
        "                .cmd(List.of(\"orders.handler\"))\n"
        "                .build()))\n"
        "            .build();\n"
        "    }\n"
        "}\n")
    _backend(tmp_path, "orders")
    go_app = tmp_path / "go-app"
    go_app.mkdir()
    (go_app / "cdk.json").write_text('{"app": "go mod download && go run shop.go"}\n')
    (go_app / "shop.go").write_text(
        "package main\n\n"
        "import (\n"
        "\t\"github.com/aws/aws-cdk-go/awscdk/v2\"\n"
        "\t\"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "\t\"github.com/aws/jsii-runtime-go\"\n"
        ")\n\n"
        "func NewShopStack(scope awscdk.App, id string) awscdk.Stack {\n"
        "\tstack := awscdk.NewStack(scope, &id, nil)\n"
        "\tawslambda.NewDockerImageFunction(stack, jsii.String(\"Payments\"), &awslambda.DockerImageFunctionProps{\n"
        "\t\tCode: awslambda.DockerImageCode_FromImageAsset(jsii.String(\"backend\"), &awslambda.AssetImageCodeProps{\n"
        "\t\t\tCmd: &[]*string{jsii.String(\"payments.handler\")},\n"
        "\t\t}),\n"
        "\t})\n"
        "\treturn stack\n"
        "}\n")
    _backend(go_app, "payments")
    dotnet_app = tmp_path / "dotnet-app"
    (dotnet_app / "src" / "Shop").mkdir(parents=True)
    (dotnet_app / "cdk.json").write_text('{"app": "dotnet run --project src/Shop/Shop.csproj"}\n')
    (dotnet_app / "src" / "Shop" / "ShopStack.cs").write_text(
        "using Amazon.CDK;\n"
        "using Amazon.CDK.AWS.Lambda;\n\n"
        "namespace Shop\n{\n"
        "    public class ShopStack : Stack\n    {\n"
        "        internal ShopStack(Constructs.Construct scope, string id) : base(scope, id)\n        {\n"
        "            new DockerImageFunction(this, \"Shipping\", new DockerImageFunctionProps\n            {\n"
        "                Code = DockerImageCode.FromImageAsset(\"backend\", new AssetImageCodeProps\n"
        "                {\n"
        "                    Cmd = new[] { \"shipping.handler\" }\n"
        "                })\n"
        "            });\n"
        "        }\n    }\n}\n")
    _backend(dotnet_app, "shipping")
    found = _by_name(tmp_path)
    assert found["Orders"] == ("orders.handler", "backend", "src/main/java/shop/ShopStack.java:12")
    assert found["Payments"] == ("payments.handler", "go-app/backend", "go-app/shop.go:13")
    assert found["Shipping"] == ("shipping.handler", "dotnet-app/backend", "dotnet-app/src/Shop/ShopStack.cs:14")
