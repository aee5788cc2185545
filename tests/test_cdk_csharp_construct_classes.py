"""A C# construct class of a shared project that wraps `DotNetFunction`, its settings taken from
a positional record its callers fill in (in the shape of PlantBasedPizza's shared
`QueueWorkerFunction`), made by each service's stack. The C# reader does not follow the class to
its callers yet: the class's construct is read once, as written, and an LR904 notice says which
class and which settings its callers give, rather than leaving the missing functions unsaid."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.inventory.interface import InventoryResult
from reviewer.workspace import Workspace

WORKER = """\
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.DotNet;
using Constructs;

namespace Kitchen.Constructs;

public record EventWorkerProps(string ServiceName, string ProjectFolder, string Handler);

public class EventWorker : Construct
{
    public IFunction Worker { get; }

    public EventWorker(Construct scope, string id, EventWorkerProps props) : base(scope, id)
    {
        Worker = new DotNetFunction(this, id,
            new DotNetFunctionProps
            {
                ProjectDir = props.ProjectFolder,
                Handler = props.Handler,
                Runtime = Runtime.DOTNET_8,
                MemorySize = 512,
            });
    }
}
"""

STACK = """\
using Amazon.CDK;
using Constructs;
using Kitchen.Constructs;

namespace Kitchen.Infra;

public class KitchenStack : Stack
{
    public KitchenStack(Construct scope, string id, IStackProps props) : base(scope, id, props)
    {
        new EventWorker(this, "OrderPlaced", new EventWorkerProps("kitchen", "../application/Workers",
            "Workers::Workers.Functions::HandleOrderPlaced"));
        new EventWorker(this, "OrderCancelled", new EventWorkerProps("kitchen", "../application/Workers",
            "Workers::Workers.Functions::HandleOrderCancelled"));
    }
}
"""


def _inventory(root: Path) -> InventoryResult:
    files = {
        "infra/cdk.json": '{"app": "dotnet run --project src/Infra/Infra.csproj"}\n',
        "infra/src/Infra/KitchenStack.cs": STACK,
        "shared/Kitchen.Constructs/EventWorker.cs": WORKER,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return build_inventory(Workspace(root))


def test_the_construct_class_is_named_with_what_its_callers_give(tmp_path: Path) -> None:
    result = _inventory(tmp_path)
    notices = [n for n in result.notices if n.rule_id == "LR904"]
    assert [(n.path, n.line) for n in notices] == [("shared/Kitchen.Constructs/EventWorker.cs", 16)]
    message = notices[0].message
    assert "the DotNetFunction `Worker` has its handler and code folder set by what each `new EventWorker(...)` " \
           "passes" in message
    assert "`props.Handler`, `props.ProjectFolder`" in message
    assert "each function made with `EventWorker` is listed once" in message
    assert "the runtime, for one" not in message   # the runtime is read: `Runtime.DOTNET_8`


def test_the_code_location_is_said_to_come_from_the_callers(tmp_path: Path) -> None:
    result = _inventory(tmp_path)
    (worker,) = [fn for fn in result.functions if fn.location.path.endswith("EventWorker.cs")]
    assert worker.runtime == "dotnet8"
    assert worker.unresolved["Code"] == ("the code location `props.ProjectFolder` is passed by each caller of "
                                         "`EventWorker`, which is not followed")
