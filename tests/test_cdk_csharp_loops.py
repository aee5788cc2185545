"""A C# stack that makes one function per entry of a list of route records, in the shape of
PlantBasedPizza's account stack: a positional record, a list made empty and filled with `Add`,
`foreach` over it making a `DotNetFunction` whose handler and id the entry gives; a second list
written with a collection initializer and named arguments; and a third changed by `AddRange`,
whose entries the review cannot know."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = """\
using System.Collections.Generic;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.DotNet;
using Constructs;

namespace Bakery.Infra;

public record ApiRoute(string Path, string Handler, string FunctionName);

public class BakeryStack : Stack
{
    private readonly string _stage;

    public BakeryStack(Construct scope, string id, IStackProps props) : base(scope, id, props)
    {
        _stage = (string)scope.Node.TryGetContext("stage");
        MakeApi();
    }

    private void MakeApi()
    {
        var routes = new List<ApiRoute>();
        routes.Add(new ApiRoute("/bread", "Bakery.Api::Bakery.Api.Functions_ListBread_Generated::ListBread",
            $"ListBread-{_stage}"));
        routes.Add(new ApiRoute("/cake", "Bakery.Api::Bakery.Api.Functions_ListCakes_Generated::ListCakes",
            $"ListCakes-{_stage}"));

        foreach (var route in routes)
        {
            var handler = new DotNetFunction(this, $"{route.FunctionName}", new DotNetFunctionProps
            {
                ProjectDir = "../application/Bakery.Api",
                Handler = route.Handler,
                Runtime = Runtime.DOTNET_8,
            });
        }

        var jobs = new List<ApiRoute>
        {
            new ApiRoute(FunctionName: "Proofing", Path: "/jobs/proof", Handler: "Bakery.Jobs::Bakery.Jobs.Proof::Run"),
        };
        foreach (var job in jobs)
        {
            new DotNetFunction(this, job.FunctionName, new DotNetFunctionProps
            {
                ProjectDir = "../application/Bakery.Jobs",
                Handler = job.Handler,
                Runtime = Runtime.DOTNET_8,
            });
        }

        var extra = new List<ApiRoute>();
        extra.AddRange(LoadRoutes());
        foreach (var route in extra)
        {
            var other = new DotNetFunction(this, $"{route.FunctionName}", new DotNetFunctionProps
            {
                ProjectDir = "../application/Bakery.Api",
                Handler = route.Handler,
                Runtime = Runtime.DOTNET_8,
            });
        }
    }
}
"""


def test_each_entry_of_a_written_list_is_one_function(tmp_path: Path) -> None:
    files = {
        "infra/cdk.json": '{"app": "dotnet run --project src/Infra/Infra.csproj"}\n',
        "infra/src/Infra/BakeryStack.cs": STACK,
        "application/Bakery.Api/Bakery.Api.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\" />\n",
        "application/Bakery.Jobs/Bakery.Jobs.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\" />\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    functions = build_inventory(Workspace(tmp_path)).functions
    made = sorted((fn.name, fn.location.line, fn.handler, fn.code_path) for fn in functions)
    assert made[:3] == [
        # the id the entry gives, the stage the app is given as written: they would otherwise share one name
        ("ListBread-{_stage}", 31, "Bakery.Api::Bakery.Api.Functions_ListBread_Generated::ListBread",
         "application/Bakery.Api"),
        ("ListCakes-{_stage}", 31, "Bakery.Api::Bakery.Api.Functions_ListCakes_Generated::ListCakes",
         "application/Bakery.Api"),
        ("Proofing", 45, "Bakery.Jobs::Bakery.Jobs.Proof::Run", "application/Bakery.Jobs"),
    ]
    # a list filled some other way: one function as written, its handler not known
    (other,) = made[3:]
    assert other[:3] == ("other", 57, None)
