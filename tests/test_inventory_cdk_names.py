"""CDK constructs the source leaves to defaults or names by an expression.

`PythonFunction` deploys `<index>.<handler>` (defaults `index.py`, `handler`) from its `entry`
directory, so its code is read; a construct whose id is an expression (`props.functionName`) is
named by the variable it is stored in, else by its construct and line, never by the raw expression.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

DAY = "2026-11-22"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out)
    return json.loads(out.getvalue())


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


PYTHON_STACK = '''\
from aws_cdk import Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk.aws_lambda_python_alpha import PythonFunction


class ReportsStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        PythonFunction(self, "Export", entry="functions/export", runtime=lambda_.Runtime.PYTHON_3_12)
        PythonFunction(self, "Digest", entry="functions/digest", index="app/main.py", handler="run",
                       runtime=lambda_.Runtime.PYTHON_3_12)
        self.cleanup = lambda_.Function(self, f"{construct_id}-cleanup", runtime=lambda_.Runtime.PYTHON_3_12,
                                        handler="cleanup.handler", code=lambda_.Code.from_asset("functions/export"))
'''


def test_python_function_defaults_give_the_handler_and_its_code_is_read(tmp_path):
    root = write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}',
        "reports/stack.py": PYTHON_STACK,
        "functions/export/index.py": "import os\n\n\ndef handler(event, context):\n    os.system(event['cmd'])\n",
        "functions/digest/app/main.py": "def run(event, context):\n    return {}\n",
    })
    fns = inventory(root)
    assert (fns["Export"].handler, fns["Export"].code_path) == ("index.handler", "functions/export")
    assert (fns["Digest"].handler, fns["Digest"].code_path) == ("app.main.run", "functions/digest")
    assert fns["cleanup"].handler == "cleanup.handler"   # an f-string id: named by the field it is stored in
    injection = [f for f in scan(root)["findings"] if f["rule_id"] == "LR306"]
    assert [(f["function"], f["path"], f["line"]) for f in injection] == [
        ("Export", "functions/export/index.py", 5)]


TS_STACK = """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export class ApiStack extends cdk.Stack {
  readonly api: lambda.Function;
  constructor(scope: cdk.App, id: string, props: { functionName: string; prefix: string }) {
    super(scope, id);
    this.api = new lambda.Function(this, props.functionName, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'api.handler', code: lambda.Code.fromAsset('src'),
    });
    const worker = new lambda.Function(this, `${props.prefix}-worker`, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'worker.handler', code: lambda.Code.fromAsset('src'),
    });
    [1].forEach(() => new lambda.Function(this, props.prefix + 'loose', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'loose.handler', code: lambda.Code.fromAsset('src'),
    }));
    new lambda.Function(this, 'Literal', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'literal.handler', code: lambda.Code.fromAsset('src'),
    });
  }
}
"""


def test_typescript_expression_ids_are_named_by_variable_or_construct_and_line(tmp_path):
    root = write(tmp_path, {"cdk.json": "{}", "lib/api-stack.ts": TS_STACK})
    fns = inventory(root)
    assert sorted(fns) == ["Function at lib/api-stack.ts:14", "Literal", "api", "worker"]
    assert fns["worker"].properties["ConstructIdExpression"] == "`${props.prefix}-worker`"


GO_HELPERS = """\
package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdklambdagoalpha/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

func newGetOrder(scope constructs.Construct, prefix string) {
	lambda := awscdklambdagoalpha.NewGoFunction(scope, jsii.String(fmt.Sprintf("%s-get", prefix)), &awscdklambdagoalpha.GoFunctionProps{
		Entry: jsii.String("cmd/get_order"),
	})
	_ = lambda
}

func newPutOrder(scope constructs.Construct, prefix string) {
	lambda := awscdklambdagoalpha.NewGoFunction(scope, jsii.String(fmt.Sprintf("%s-put", prefix)), &awscdklambdagoalpha.GoFunctionProps{
		Entry: jsii.String("cmd/put_order"),
	})
	_ = lambda
}

func newAudit(scope constructs.Construct, prefix string) {
	audit := awscdklambdagoalpha.NewGoFunction(scope, jsii.String(prefix+"-audit"), &awscdklambdagoalpha.GoFunctionProps{
		Entry: jsii.String("cmd/audit"),
	})
	_ = audit
}
"""


def test_two_functions_stored_in_variables_of_one_name_are_named_by_construct_and_line(tmp_path):
    """Two helpers of one file each keep their function in `lambda`: named `lambda` both would read
    as one function, in lists and tables alike."""
    root = write(tmp_path, {"cdk.json": "{}", "cdk/stack/function.go": GO_HELPERS})
    assert sorted(inventory(root)) == ["GoFunction at cdk/stack/function.go:12",
                                       "GoFunction at cdk/stack/function.go:19", "audit"]


OTHER_LANGUAGES = {
    "src/main/java/com/example/Billing.java": """\
package com.example;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Code;
public class Billing {
    public Billing(Object scope, String name) {
        Function invoices = Function.Builder.create(this, name + "Invoices")
            .runtime(Runtime.JAVA_21).handler("a.B::handle").code(Code.fromAsset("target")).build();
    }
}
""",
    "infra/Ledger.kt": """\
import software.amazon.awscdk.services.lambda.Function
import software.amazon.awscdk.services.lambda.Runtime
class Ledger(scope: Any, name: String) {
    init {
        val ledger = Function.Builder.create(this, name).runtime(Runtime.JAVA_21).handler("a.L::h").build()
    }
}
""",
    "src/Shop/ShopStack.cs": """\
using Amazon.CDK.AWS.Lambda;
namespace Shop {
    public class ShopStack {
        public ShopStack(string name) {
            var orders = new Function(this, name, new FunctionProps { Runtime = Runtime.DOTNET_8, Handler = "Orders::Orders.F::H" });
        }
    }
}
""",
    "stack.go": """\
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

func NewStack(stack awscdk.Stack, name string) {
	mailer := awslambda.NewFunction(stack, jsii.String(name), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String("bootstrap"),
	})
	_ = mailer
}

func main() {
	NewStack(awscdk.NewStack(nil, nil, nil), "mailer")
}
""",
}


def test_expression_ids_in_java_kotlin_csharp_and_go_are_named_by_their_variable(tmp_path):
    fns = inventory(write(tmp_path, {"cdk.json": "{}", **OTHER_LANGUAGES}))
    assert sorted(fns) == ["invoices", "ledger", "mailer", "orders"]


def test_a_nodejs_function_naming_its_export_keeps_its_findings(tmp_path):
    root = write(tmp_path, {
        "cdk.json": "{}",
        "lib/stack.ts": (
            "import * as cdk from 'aws-cdk-lib';\n"
            "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "export class S extends cdk.Stack {\n"
            "  constructor(scope: cdk.App, id: string) {\n"
            "    super(scope, id);\n"
            "    new NodejsFunction(this, 'Calc', { entry: 'src/calc.ts', handler: 'main',\n"
            "      runtime: lambda.Runtime.NODEJS_22_X });\n"
            "  }\n"
            "}\n"),
        "src/calc.ts": "export const main = async (event: any) => eval(event.body);\n",
    })
    calc = inventory(root)["Calc"]
    assert (calc.handler, calc.code_path) == ("calc.main", "src")
    assert [(f["function"], f["path"]) for f in scan(root)["findings"] if f["rule_id"] == "LR306"] == [
        ("Calc", "src/calc.ts")]
