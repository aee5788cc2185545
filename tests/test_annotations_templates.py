"""A .NET project whose `serverless.template` Amazon.Lambda.Annotations keeps up to date, deployed by
a CDK app that builds the same project with `DotNetFunction` (in the shape of PlantBasedPizza's
account service): the functions the generator wrote are not deployed, so they are not listed and
their routes give no findings; a resource written by hand stays, and so does the whole template
when no CDK app builds the project."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_GENERATED = {"Tool": "Amazon.Lambda.Annotations"}
_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Transform": "AWS::Serverless-2016-10-31",
    "Description": "Ledger functions. This template is partially managed by Amazon.Lambda.Annotations (v1.7.0.0).",
    "Resources": {
        "LedgerLambdaFunctionsBalanceGenerated": {
            "Type": "AWS::Serverless::Function",
            "Metadata": _GENERATED,
            "Properties": {
                "Runtime": "dotnet8", "CodeUri": ".", "MemorySize": 512, "Timeout": 30,
                "Handler": "Ledger.Lambda::Ledger.Lambda.Functions_Balance_Generated::Balance",
                "Events": {"RootGet": {"Type": "HttpApi", "Properties": {"Path": "/balance", "Method": "GET"}}},
            },
        },
        "NightlyExport": {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Runtime": "dotnet8", "CodeUri": ".", "Handler": "Ledger.Lambda::Ledger.Lambda.Export::Run"},
        },
    },
}

_STACK = """\
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.DotNet;
using Constructs;

namespace Ledger.Infra;

public class LedgerStack : Stack
{
    public LedgerStack(Construct scope, string id, IStackProps props = null) : base(scope, id, props)
    {
        var balance = new DotNetFunction(this, "BalanceFunction", new DotNetFunctionProps
        {
            ProjectDir = "../application/Ledger.Lambda",
            Handler = "Ledger.Lambda::Ledger.Lambda.Functions_Balance_Generated::Balance",
            Runtime = Runtime.DOTNET_8,
        });
    }
}
"""


def _write(root: Path, with_cdk: bool) -> Path:
    files = {
        "ledger/application/Ledger.Lambda/serverless.template": json.dumps(_TEMPLATE, indent=2),
        "ledger/application/Ledger.Lambda/Ledger.Lambda.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        "ledger/application/Ledger.Lambda/Functions.cs": "namespace Ledger.Lambda { public class Functions { } }\n",
    }
    if with_cdk:
        files["ledger/infra/cdk.json"] = '{"app": "dotnet run --project src/Infra/Infra.csproj"}'
        files["ledger/infra/src/Infra/LedgerStack.cs"] = _STACK
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_cdk_app_building_the_project_deploys_it_not_the_generated_template(tmp_path: Path) -> None:
    functions = build_inventory(Workspace(_write(tmp_path, with_cdk=True))).functions
    assert sorted((fn.format, fn.name) for fn in functions) == [("cdk", "BalanceFunction"), ("sam", "NightlyExport")]


def test_the_template_is_the_deployment_when_no_cdk_app_builds_the_project(tmp_path: Path) -> None:
    functions = build_inventory(Workspace(_write(tmp_path, with_cdk=False))).functions
    assert sorted(fn.name for fn in functions) == ["LedgerLambdaFunctionsBalanceGenerated", "NightlyExport"]
