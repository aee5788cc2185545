"""A C# CDK app that builds its functions with a `DotNetFunction` construct (Amazon.CDK.AWS.Lambda.DotNet,
as PlantBasedPizza's account service does): the project folder `ProjectDir` names, relative to the
app, is the function's code, as a SAM function's `CodeUri` is."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

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
        var projectPath = "../application/Ledger.Lambda/";

        var settle = new DotNetFunction(this, "SettleFunction", new DotNetFunctionProps
        {
            ProjectDir = projectPath,
            Handler = "Ledger.Lambda::Ledger.Lambda.Functions::Settle",
            Runtime = Runtime.DOTNET_8,
            MemorySize = 1024,
        });
    }
}
"""


def test_a_dotnet_functions_project_folder_is_its_code(tmp_path: Path) -> None:
    files = {
        "ledger/infra/cdk.json": '{"app": "dotnet run --project src/Infra/Infra.csproj"}',
        "ledger/infra/src/Infra/LedgerStack.cs": _STACK,
        "ledger/application/Ledger.Lambda/Ledger.Lambda.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        "ledger/application/Ledger.Lambda/Functions.cs": "namespace Ledger.Lambda { public class Functions { } }\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    [settle] = build_inventory(Workspace(tmp_path)).functions
    assert (settle.name, settle.runtime, settle.code_path) == ("SettleFunction", "dotnet8",
                                                               "ledger/application/Ledger.Lambda")
    assert settle.handler == "Ledger.Lambda::Ledger.Lambda.Functions::Settle"
