"""A CDK app whose functions are all made by a construct library the review does not read says so
(LR904 at each such call) instead of listing no function and no notice; an app that declares its
own Lambda constructs gets no such notice."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

GO_MOD = "module github.com/acme/kennel\n\ngo 1.22\n"
GO_MAIN = """package main

import (
\t"github.com/aws/aws-cdk-go/awscdk/v2"
\t"github.com/acme/kennel/internal/awskennel"
)

func main() {
\tapp := awscdk.NewApp(nil)
\tawskennel.NewKennel(app, "kennel")
\tapp.Synth(nil)
}
"""
GO_STACK = """package awskennel

import (
\t"github.com/aws/aws-cdk-go/awscdk/v2"
\t"github.com/aws/jsii-runtime-go"
\t"github.com/fogcraft/sprocket/v2"
)

func NewKennel(scope awscdk.App, id string) awscdk.Stack {
\tstack := awscdk.NewStack(scope, jsii.String(id), nil)
\tgateway := sprocket.NewGateway(stack, jsii.String("Gateway"), &sprocket.GatewayProps{})
\treader := sprocket.NewFunctionGo(stack, jsii.String("Reader"),
\t\t&sprocket.FunctionGoProps{
\t\t\tSourceCodeModule: "github.com/acme/kennel",
\t\t\tSourceCodeLambda: "cmd/lambda/reader",
\t\t},
\t)
\tgateway.AddResource("dogs", reader)
\treturn stack
}
"""


def _go_app(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run kennel.go"}')
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "kennel.go").write_text(GO_MAIN)
    (tmp_path / "internal/awskennel").mkdir(parents=True)
    (tmp_path / "internal/awskennel/awskennel.go").write_text(GO_STACK.replace("\treturn stack", extra + "\treturn stack"))
    return tmp_path


def test_an_app_whose_functions_a_construct_library_makes_says_so_at_the_call(tmp_path):
    result = build_inventory(Workspace(_go_app(tmp_path)))
    assert result.functions == []
    notices = [(n.rule_id, n.path, n.line) for n in result.notices if n.rule_id == "LR904"]
    assert notices == [("LR904", "internal/awskennel/awskennel.go", 12)]
    (notice,) = [n for n in result.notices if n.rule_id == "LR904"]
    assert "`sprocket.NewFunctionGo(...)`" in notice.message and "`github.com/fogcraft/sprocket/v2`" in notice.message


OWN_FUNCTION = """\tawslambda.NewFunction(stack, jsii.String("Writer"), &awslambda.FunctionProps{
\t\tRuntime: awslambda.Runtime_PROVIDED_AL2023(),
\t\tHandler: jsii.String("bootstrap"),
\t\tCode:    awslambda.Code_FromAsset(jsii.String("dist/writer"), nil),
\t})
"""


def test_an_app_that_declares_its_own_function_gets_no_notice_for_a_librarys_construct(tmp_path):
    root = _go_app(tmp_path, OWN_FUNCTION)
    stack = root / "internal/awskennel/awskennel.go"
    stack.write_text(stack.read_text().replace('\t"github.com/aws/jsii-runtime-go"\n',
                                               '\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"\n'
                                               '\t"github.com/aws/jsii-runtime-go"\n'))
    result = build_inventory(Workspace(root))
    assert [fn.name for fn in result.functions] == ["Writer"]
    assert [n for n in result.notices if n.rule_id == "LR904"] == []


TS_STACK = """import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StaticSite } from '@acme/cdk-site';
import { ServerlessApi } from '@acme/cdk-serverless';
import { Helpers } from 'lib/helpers';

export class StoreStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new StaticSite(this, 'Site', { domain: 'store.example.com' });
    new ServerlessApi(this, 'Api', { handler: 'src/api.handler', memorySize: 512 });
    new Helpers(this, 'Helpers', { handler: 'x' });
  }
}
"""


def test_a_typescript_librarys_construct_given_a_handler_is_named_and_a_site_is_not(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/store.ts"}')
    (tmp_path / "lib/helpers").mkdir(parents=True)
    (tmp_path / "lib/store-stack.ts").write_text(TS_STACK)
    result = build_inventory(Workspace(tmp_path))
    notices = [(n.path, n.line) for n in result.notices if n.rule_id == "LR904"]
    assert notices == [("lib/store-stack.ts", 11)]


PY_STACK = """from aws_cdk import Stack
from constructs import Construct
from cdk_microservice import ApiLambda, Dashboard
from stacks.naming import prefixed


class ShopStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        Dashboard(self, "Dashboard", title=prefixed("shop"))
        ApiLambda(self, "Orders", source="src/orders")
"""


def test_a_python_librarys_lambda_construct_is_named_and_the_apps_own_modules_are_not(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks/__init__.py").write_text("")
    (tmp_path / "stacks/naming.py").write_text("def prefixed(name):\n    return f'acme-{name}'\n")
    (tmp_path / "stacks/shop_stack.py").write_text(PY_STACK)
    notices = [(n.path, n.line) for n in build_inventory(Workspace(tmp_path)).notices if n.rule_id == "LR904"]
    assert notices == [("stacks/shop_stack.py", 11)]


CS_STACK = """using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Constructs;
using Harbor.Shared;
using Quayside.Cdk.Lambda.Native;

namespace Harbor.Api
{
    public class HarborStack : Stack
    {
        internal HarborStack(Construct scope, string id, IStackProps props = null) : base(scope, id, props)
        {
            var ships = new NativeFunction(this,
                "ships-function",
                new NativeFunctionProps
            {
                ProjectDir = "../Harbor.Ships",
                Handler = "Harbor.Ships::Harbor.Ships.Function::Handle"
            });
            var docks = new ServiceLambda(this, $"Docks{id}", new ServiceLambdaProps("./src/Harbor.Docks"));
            new LambdaRestApi(this, "Api", new LambdaRestApiProps { Handler = ships.Function });
            new LambdaIntegration(docks.Function, new LambdaIntegrationOptions { Proxy = true });
        }
    }
}
"""
CS_SHARED = """using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Harbor.Shared;

public class ServiceLambda : Construct
{
    public IFunction Function { get; }

    public ServiceLambda(Construct scope, string id, ServiceLambdaProps props) : base(scope, id)
    {
    }
}
"""


def test_a_csharp_librarys_construct_is_named_at_its_call_and_the_repositorys_and_the_cdks_are_not(tmp_path):
    """The shape of a .NET app making its function with a NuGet package's construct: the namespace
    is the file's one `using` that is neither the CDK's nor the repository's; a construct class of a
    shared project and the CDK's own `LambdaRestApi` are no library's."""
    app = tmp_path / "src/Harbor.Cdk"
    app.mkdir(parents=True)
    (app / "cdk.json").write_text('{"app": "dotnet run --project Harbor.Cdk.csproj"}')
    (app / "HarborStack.cs").write_text(CS_STACK)
    (tmp_path / "src/Harbor.Shared").mkdir()
    (tmp_path / "src/Harbor.Shared/ServiceLambda.cs").write_text(CS_SHARED)
    result = build_inventory(Workspace(tmp_path))
    assert result.functions == []
    notices = [n for n in result.notices if n.rule_id == "LR904"]
    assert [(n.path, n.line) for n in notices] == [("src/Harbor.Cdk/HarborStack.cs", 13)]
    assert "`NativeFunction(...)`" in notices[0].message
    assert "`Quayside.Cdk.Lambda.Native`" in notices[0].message


def test_a_csharp_name_two_library_namespaces_may_hold_names_them_both(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "dotnet run --project src/Harbor.Cdk.csproj"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src/HarborStack.cs").write_text(CS_STACK.replace("using Harbor.Shared;\n",
                                                                  "using Quayside.Cdk.Monitoring;\n"))
    notices = [n for n in build_inventory(Workspace(tmp_path)).notices if n.rule_id == "LR904"]
    assert [n.line for n in notices] == [13, 20]
    assert "in one of the namespaces `Quayside.Cdk.Monitoring` or `Quayside.Cdk.Lambda.Native`, which is not" \
        in notices[0].message


JAVA_STACK = """package com.harbor.cdk;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.LambdaRestApi;
import software.constructs.Construct;
import dev.quayside.cdk.lambda.NativeFunction;
import dev.quayside.cdk.lambda.NativeFunctionProps;
import dev.quayside.cdk.monitoring.*;

public class HarborStack extends Stack {
    public HarborStack(final Construct scope, final String id) {
        super(scope, id, null);
        NativeFunction ships = new NativeFunction(this, "Ships", NativeFunctionProps.builder()
                .handler("com.harbor.Ships::handleRequest")
                .build());
        NativeFunction docks = NativeFunction.Builder.create(this, "Docks")
                .handler("com.harbor.Docks::handleRequest")
                .build();
        new Dashboard(this, "Dashboard", DashboardProps.builder().title("harbor").build());
        LambdaRestApi.Builder.create(this, "Api").handler(ships).build();
    }
}
"""


def test_a_java_librarys_construct_is_named_by_its_import_in_both_forms_and_the_cdks_is_not(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    stack = tmp_path / "src/main/java/com/harbor/cdk"
    stack.mkdir(parents=True)
    (stack / "HarborStack.java").write_text(JAVA_STACK)
    notices = [n for n in build_inventory(Workspace(tmp_path)).notices if n.rule_id == "LR904"]
    assert [(n.path, n.line) for n in notices] == [("src/main/java/com/harbor/cdk/HarborStack.java", 13),
                                                   ("src/main/java/com/harbor/cdk/HarborStack.java", 16)]
    assert all("`dev.quayside.cdk.lambda`" in n.message for n in notices)
