"""C# construct classes that wrap a Lambda construct and take its handler and code folder from what
their callers pass, in the shape of PlantBasedPizza: a shared project's `EventWorker` (a positional
record of settings), each service's `Workers` class making several workers with the folder its own
callers complete (`$"{props.ApplicationRoot}/Workers"`), two services declaring a `Workers` class
of the same name, and a `LambdaFunction` whose settings class takes its folder as a constructor
argument and the rest from an object initializer (beside EventBridge's `LambdaFunction` target).
Each `new` of a class in another file is one function with the settings that call gives; a class
no file calls stays listed as written, with an LR904 notice that says why its settings are missing."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.inventory.interface import InventoryResult
from reviewer.workspace import Workspace

WORKER = """\
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.DotNet;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Kitchen.Constructs;

public record EventWorkerProps(string ServiceName, string ProjectFolder, string Handler, IQueue Source);

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
        Worker.AddEventSource(new SqsEventSource(props.Source));
    }
}
"""

API_FUNCTION = """\
using System.Collections.Generic;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Kitchen.Constructs;

public class LambdaFunctionProps
{
    public LambdaFunctionProps(string projectDir)
    {
        ProjectDir = projectDir;
    }

    public string Handler { get; set; }
    public string ProjectDir { get; set; }
    public Dictionary<string, string> Environment { get; set; }
}

public class LambdaFunction : Construct
{
    public LambdaFunction(Construct scope, string id, LambdaFunctionProps props) : base(scope, id)
    {
        new Function(this, "Handler", new FunctionProps
        {
            Runtime = Runtime.DOTNET_8,
            Handler = props.Handler,
            Environment = props.Environment,
            Code = Code.FromAsset(props.ProjectDir),
        });
    }
}
"""

UNUSED = """\
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.DotNet;
using Constructs;

namespace Kitchen.Constructs;

public class ScheduledJob : Construct
{
    public ScheduledJob(Construct scope, string id, string handler) : base(scope, id)
    {
        new DotNetFunction(this, id, new DotNetFunctionProps
        {
            ProjectDir = "../application/Jobs",
            Handler = handler,
            Runtime = Runtime.DOTNET_8,
        });
    }
}
"""


def _workers(service: str, workers: list[str]) -> str:
    made = "".join(f"""
        new EventWorker(this, "{name}", new EventWorkerProps(
            "{service}",
            $"{{props.ApplicationRoot}}/Workers",
            "Workers::Workers.Functions::Handle{name}",
            props.Queue));
""" for name in workers)
    return f"""\
using Amazon.CDK.AWS.SQS;
using Constructs;
using Kitchen.Constructs;

namespace Infra;

public record WorkersProps(string ApplicationRoot, IQueue Queue);

public class Workers : Construct
{{
    public Workers(Construct scope, string id, WorkersProps props) : base(scope, id)
    {{{made}    }}
}}
"""


KITCHEN_STACK = """\
using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Kitchen.Constructs;

namespace Infra;

public class KitchenStack : Stack
{
    public KitchenStack(Construct scope, string id, IStackProps props) : base(scope, id, props)
    {
        var queue = new Queue(this, "Orders");
        var workers = new Workers(this, "KitchenWorkers", new WorkersProps("../application", queue));
        new EventWorker(this, "MenuChanged", new EventWorkerProps(
            Handler: "Menu::Menu.Functions::Changed", ServiceName: "kitchen", Source: queue,
            ProjectFolder: "../application/Menu"));
        new LambdaFunction(this, "GetMenu", new LambdaFunctionProps("../application/Api")
        {
            Handler = "Api::Api.Functions::GetMenu",
            Environment = new Dictionary<string, string> { { "MENU_TABLE", "menu" } },
        });
    }
}
"""

BILLING_STACK = """\
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Infra;

public class BillingStack : Stack
{
    public BillingStack(Construct scope, string id, IStackProps props) : base(scope, id, props)
    {
        new Workers(this, "BillingWorkers", new WorkersProps("../application", new Queue(this, "Invoices")));
        var existing = Amazon.CDK.AWS.Lambda.Function.FromFunctionName(this, "Existing", "billing-report");
        new Rule(this, "Nightly", new RuleProps { Targets = new[] { new LambdaFunction(existing) } });
        new Rule(this, "Weekly", new RuleProps
        {
            Targets = new[] { new Amazon.CDK.AWS.Events.Targets.LambdaFunction(existing, new LambdaFunctionProps()) },
        });
    }
}
"""

CDK_JSON = '{"app": "dotnet run --project src/Infra/Infra.csproj"}\n'


def _inventory(root: Path) -> InventoryResult:
    files = {
        "shared/Kitchen.Constructs/EventWorker.cs": WORKER,
        "shared/Kitchen.Constructs/LambdaFunction.cs": API_FUNCTION,
        "shared/Kitchen.Constructs/ScheduledJob.cs": UNUSED,
        "services/Kitchen/infra/cdk.json": CDK_JSON,
        "services/Kitchen/infra/src/Infra/KitchenStack.cs": KITCHEN_STACK,
        "services/Kitchen/infra/src/Infra/Workers.cs": _workers("kitchen", ["OrderPlaced", "OrderCancelled"]),
        "services/Billing/infra/cdk.json": CDK_JSON,
        "services/Billing/infra/src/Infra/BillingStack.cs": BILLING_STACK,
        "services/Billing/infra/src/Infra/Workers.cs": _workers("billing", ["InvoiceDue"]),
    }
    for project in ("Kitchen/application/Menu", "Kitchen/application/Api", "Kitchen/application/Workers",
                    "Billing/application/Workers"):
        files[f"services/{project}/{project.rpartition('/')[2]}.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\" />\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return build_inventory(Workspace(root))


def _made(result: InventoryResult) -> dict[str, tuple[str, int, str | None, str | None, str | None]]:
    return {fn.name: (fn.location.path, fn.location.line, fn.handler, fn.code_path, fn.runtime)
            for fn in result.functions}


def test_each_call_of_a_construct_class_is_one_function_with_what_it_passes(tmp_path: Path) -> None:
    made = _made(_inventory(tmp_path))
    kitchen = "services/Kitchen/infra/src/Infra/KitchenStack.cs"
    # named arguments of the record, in another order than its parameters
    assert made["MenuChanged"] == (kitchen, 14, "Menu::Menu.Functions::Changed", "services/Kitchen/application/Menu",
                                   "dotnet8")
    # a settings class's constructor argument and object initializer, the folder given to
    # `Code.FromAsset`; the construct's own id (`"Handler"`) is the caller's for the class's one function
    assert made["GetMenu"] == (kitchen, 17, "Api::Api.Functions::GetMenu", "services/Kitchen/application/Api",
                               "dotnet8")


def test_the_caller_s_environment_is_the_function_s(tmp_path: Path) -> None:
    (api,) = [fn for fn in _inventory(tmp_path).functions if fn.name == "GetMenu"]
    assert api.environment == {"MENU_TABLE": "menu"}
    assert "Environment" not in api.unresolved


def test_a_class_of_the_same_name_in_another_namespace_is_not_the_app_s(tmp_path: Path) -> None:
    # the Billing stack's EventBridge targets, `LambdaFunction` of `Amazon.CDK.AWS.Events.Targets`
    assert not [fn for fn in _inventory(tmp_path).functions if fn.location.path.endswith("BillingStack.cs")
                and fn.name != "BillingWorkers"]


def test_a_class_passing_its_callers_settings_on_is_followed_to_its_own_callers(tmp_path: Path) -> None:
    result = _inventory(tmp_path)
    made = _made(result)
    kitchen = "services/Kitchen/infra/src/Infra/KitchenStack.cs"
    for name in ("OrderPlaced", "OrderCancelled"):   # the class's several functions: the caller's id and theirs
        assert made[f"KitchenWorkers/{name}"] == (kitchen, 13, f"Workers::Workers.Functions::Handle{name}",
                              "services/Kitchen/application/Workers", "dotnet8")
    # the `Workers` of the Billing app, not the Kitchen one of the same name
    assert made["BillingWorkers"] == ("services/Billing/infra/src/Infra/BillingStack.cs", 13,
                                  "Workers::Workers.Functions::HandleInvoiceDue",
                                  "services/Billing/application/Workers", "dotnet8")
    # the classes' own constructs are no functions of their own, and the queue triggers each worker
    assert not [fn for fn in result.functions if fn.location.path.startswith("shared/")
                and not fn.location.path.endswith("ScheduledJob.cs")]
    assert all(fn.triggers for fn in result.functions if fn.name in ("KitchenWorkers/OrderPlaced", "BillingWorkers", "MenuChanged"))


def test_a_class_no_file_calls_keeps_its_notice(tmp_path: Path) -> None:
    result = _inventory(tmp_path)
    notices = [n for n in result.notices if n.rule_id == "LR904"]
    assert [(n.path, n.line) for n in notices] == [("shared/Kitchen.Constructs/ScheduledJob.cs", 11)]
    message = notices[0].message
    assert "has its handler set by what each `new ScheduledJob(...)` passes" in message
    assert "and no call of the class that the review can read was found" in message
    (job,) = [fn for fn in result.functions if fn.location.path.endswith("ScheduledJob.cs")]
    assert job.runtime == "dotnet8" and job.handler is None
