"""A CDK function's imports are followed into the layers its app builds from local folders
(`new lambda.LayerVersion(this, 'X', {code: lambda.Code.fromAsset('layers/x')})`, whose
`python/` folder Lambda imports from, and `PythonLayerVersion({entry})`, whose entry folder is
bundled into `python/`), as Lambda imports them from /opt/python after the function's own code."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

# The shape of a TypeScript app whose construct keeps a shared layer as a member and builds its
# functions in a helper method, beside a stack that names a layer variable, one written in the
# list, one added later, a layer built by a bundling command, and a caller's layer (props).
CONSTRUCT_TS = """\
import * as path from 'path';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PythonFunction, PythonLayerVersion } from '@aws-cdk/aws-lambda-python-alpha';

export interface ReportsProps { readonly layer: lambda.ILayerVersion; }

export class Reports extends Construct {
  private readonly common: PythonLayerVersion;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    this.common = new PythonLayerVersion(this, 'Common', {
      entry: path.join(__dirname, '..', 'layers', 'common'),
      compatibleRuntimes: [lambda.Runtime.PYTHON_3_12],
    });
    this.reportFunction('Daily');
    this.reportFunction('Weekly');
    new PythonFunction(this, 'Archive', {
      entry: path.join(__dirname, '..', 'functions', 'archive'),
      runtime: lambda.Runtime.PYTHON_3_12,
      layers: [props.layer],
    });
  }

  private reportFunction(name: string) {
    return new PythonFunction(this, name, {
      entry: path.join(__dirname, '..', 'functions', 'reports'),
      runtime: lambda.Runtime.PYTHON_3_12,
      layers: [this.common],
    });
  }
}
"""

STACK_TS = """\
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export class OrdersStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shared = new lambda.LayerVersion(this, 'Shared', {
      code: lambda.Code.fromAsset('layers/shared'),
      compatibleRuntimes: [lambda.Runtime.PYTHON_3_12],
    });
    const vendored = new lambda.LayerVersion(this, 'Vendored', {
      code: lambda.Code.fromAsset('layers/vendored', {
        bundling: {
          image: lambda.Runtime.PYTHON_3_12.bundlingImage,
          command: ['bash', '-c', 'pip install -r requirements.txt -t /asset-output/python && cp -r . /asset-output/python'],
        },
      }),
    });
    const powertools = lambda.LayerVersion.fromLayerVersionArn(this, 'Powertools',
      'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7');
    new lambda.Function(this, 'Checkout', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'checkout.handler',
      code: lambda.Code.fromAsset('functions/orders'),
      layers: [shared, powertools],
    });
    const refunds = new lambda.Function(this, 'Refunds', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'refunds.handler',
      code: lambda.Code.fromAsset('functions/orders'),
      layers: [new lambda.LayerVersion(this, 'Inline', { code: lambda.Code.fromAsset('layers/inline') })],
    });
    refunds.addLayers(vendored);
  }
}
"""


def _write(root: Path) -> None:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    for folder in ("lib", "functions/reports", "functions/archive", "functions/orders", "layers/common/common",
                   "layers/shared/python/shared", "layers/vendored/vendored", "layers/inline/python"):
        (root / folder).mkdir(parents=True)
    (root / "lib" / "reports.ts").write_text(CONSTRUCT_TS)
    (root / "lib" / "orders-stack.ts").write_text(STACK_TS)
    (root / "functions" / "reports" / "index.py").write_text(
        "from common.export import export\n\n\ndef handler(event, context):\n    return export('reports')\n")
    (root / "functions" / "archive" / "index.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "functions" / "orders" / "checkout.py").write_text(
        "from shared.catalog import fetch_item\n\n\n"
        "def handler(event, context):\n    return fetch_item(event['queryStringParameters']['source'])\n")
    (root / "functions" / "orders" / "refunds.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "layers" / "common" / "requirements.txt").write_text("requests==2.31.0\n")
    (root / "layers" / "common" / "common" / "__init__.py").write_text("")
    (root / "layers" / "common" / "common" / "export.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")
    (root / "layers" / "shared" / "python" / "shared" / "__init__.py").write_text("")
    (root / "layers" / "shared" / "python" / "shared" / "catalog.py").write_text(
        "import requests\n\n\ndef fetch_item(source):\n    return requests.get(source, timeout=5).text\n")


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    findings: list[dict] = json.loads(out.getvalue())["findings"]
    return findings


def test_typescript_functions_take_the_layers_their_file_builds(tmp_path):
    _write(tmp_path)
    functions = {f.name: f for f in build_inventory(Workspace(tmp_path)).functions}
    # a PythonLayerVersion's entry folder is bundled into python/; a member read in a helper method
    assert functions["Daily"].layer_paths == ("layers/common",)
    assert functions["Weekly"].layer_paths == ("layers/common",)
    assert functions["Archive"].layer_paths == ()                     # a caller's layer: not read
    # a LayerVersion's python/ folder; the ARN layer is not in the repository
    assert functions["Checkout"].layer_paths == ("layers/shared/python",)
    # one written in the list, and one added later whose bundling fills python/ with its folder
    assert functions["Refunds"].layer_paths == ("layers/inline/python", "layers/vendored")


def test_event_data_and_bandit_follow_the_handler_into_the_layer(tmp_path):
    _write(tmp_path)
    findings = _findings(tmp_path)
    ssrf = [(f["path"], f["line"], f["function"]) for f in findings if f["rule_id"] == "LR306"]
    assert ssrf == [("layers/shared/python/shared/catalog.py", 5, "Checkout")]
    shell = [f["path"] for f in findings if f["rule_id"] == "bandit/B602"]
    assert shell == ["layers/common/common/export.py"]


# The shape of a Python app: a layer kept in a variable and one in a member, folders written
# relative to the stack's file, a list held in a variable, and `add_layers`.
STACK_PY = """\
import os
from pathlib import Path

from aws_cdk import Stack, aws_lambda as _lambda
from aws_cdk.aws_lambda_python_alpha import PythonLayerVersion
from constructs import Construct

HERE = Path(__file__).parent


class OrdersStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        shared = _lambda.LayerVersion(
            self, "Shared",
            code=_lambda.Code.from_asset(os.path.join(os.path.dirname(__file__), "..", "layers", "shared")),
        )
        self.common = PythonLayerVersion(self, "Common", entry=str(HERE.parent / "layers" / "common"))
        layers = [shared, self.common]
        _lambda.Function(
            self, "Checkout",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler="checkout.handler",
            code=_lambda.Code.from_asset("functions/orders"),
            layers=layers,
        )
        refunds = _lambda.Function(
            self, "Refunds",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler="refunds.handler",
            code=_lambda.Code.from_asset("functions/orders"),
        )
        refunds.add_layers(self.common)
"""


def test_python_functions_take_the_layers_their_file_builds(tmp_path):
    (tmp_path / "infra" / "stacks").mkdir(parents=True)
    (tmp_path / "infra" / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "infra" / "stacks" / "orders_stack.py").write_text(STACK_PY)
    for folder in ("infra/functions/orders", "infra/layers/shared/python/shared", "infra/layers/common/common"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "infra" / "functions" / "orders" / "checkout.py").write_text("def handler(event, context):\n    pass\n")
    (tmp_path / "infra" / "functions" / "orders" / "refunds.py").write_text("def handler(event, context):\n    pass\n")
    functions = {f.name: f for f in build_inventory(Workspace(tmp_path)).functions}
    assert functions["Checkout"].layer_paths == ("infra/layers/shared/python", "infra/layers/common")
    assert functions["Refunds"].layer_paths == ("infra/layers/common",)


# The same stack in the other CDK languages: a layer variable passed in the function's list.
OTHER_LANGUAGES = {
    "java/src/main/java/com/acme/OrdersStack.java": """\
package com.acme;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

public class OrdersStack extends Stack {
    public OrdersStack(final Construct scope, final String id) {
        super(scope, id);
        LayerVersion shared = LayerVersion.Builder.create(this, "Shared")
            .code(Code.fromAsset("../layers/shared")).build();
        Function.Builder.create(this, "JavaCheckout")
            .runtime(Runtime.PYTHON_3_12).handler("checkout.handler")
            .code(Code.fromAsset("../functions/orders"))
            .layers(List.of(shared))
            .build();
    }
}
""",
    "kotlin/src/main/kotlin/OrdersStack.kt": """\
import software.amazon.awscdk.Stack
import software.amazon.awscdk.services.lambda.Code
import software.amazon.awscdk.services.lambda.Function
import software.amazon.awscdk.services.lambda.LayerVersion
import software.amazon.awscdk.services.lambda.Runtime
import software.constructs.Construct

class OrdersStack(scope: Construct, id: String) : Stack(scope, id) {
    init {
        val shared = LayerVersion.Builder.create(this, "Shared").code(Code.fromAsset("../layers/shared")).build()
        Function.Builder.create(this, "KotlinCheckout")
            .runtime(Runtime.PYTHON_3_12).handler("checkout.handler")
            .code(Code.fromAsset("../functions/orders"))
            .layers(listOf(shared))
            .build()
    }
}
""",
    "csharp/src/Orders/OrdersStack.cs": """\
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Orders
{
    public class OrdersStack : Stack
    {
        internal OrdersStack(Construct scope, string id) : base(scope, id)
        {
            var shared = new LayerVersion(this, "Shared", new LayerVersionProps { Code = Code.FromAsset("../layers/shared") });
            new Function(this, "CsharpCheckout", new FunctionProps
            {
                Runtime = Runtime.PYTHON_3_12,
                Handler = "checkout.handler",
                Code = Code.FromAsset("../functions/orders"),
                Layers = new[] { shared }
            });
        }
    }
}
""",
    "go/orders.go": """\
package main

import (
\t"github.com/aws/aws-cdk-go/awscdk/v2"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
\t"github.com/aws/constructs-go/constructs/v10"
\t"github.com/aws/jsii-runtime-go"
)

func NewOrdersStack(scope constructs.Construct, id string) awscdk.Stack {
\tstack := awscdk.NewStack(scope, &id, nil)
\tshared := awslambda.NewLayerVersion(stack, jsii.String("Shared"), &awslambda.LayerVersionProps{
\t\tCode: awslambda.Code_FromAsset(jsii.String("../layers/shared"), nil),
\t})
\tawslambda.NewFunction(stack, jsii.String("GoCheckout"), &awslambda.FunctionProps{
\t\tRuntime: awslambda.Runtime_PYTHON_3_12(),
\t\tHandler: jsii.String("checkout.handler"),
\t\tCode:    awslambda.Code_FromAsset(jsii.String("../functions/orders"), nil),
\t\tLayers:  &[]awslambda.ILayerVersion{shared},
\t})
\treturn stack
}
""",
}


def test_java_kotlin_csharp_and_go_functions_take_their_file_s_layers(tmp_path):
    for rel, text in OTHER_LANGUAGES.items():
        app = tmp_path / rel.split("/")[0]
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / "cdk.json").write_text('{"app": "run"}')
        (tmp_path / rel).write_text(text)
    for folder in ("functions/orders", "layers/shared/python/shared"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "functions" / "orders" / "checkout.py").write_text("def handler(event, context):\n    pass\n")
    functions = {f.name: f for f in build_inventory(Workspace(tmp_path)).functions}
    for name in ("JavaCheckout", "KotlinCheckout", "CsharpCheckout", "GoCheckout"):
        assert functions[name].layer_paths == ("layers/shared/python",), name
