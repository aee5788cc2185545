"""Each instance of an app's subclass of a CDK Lambda construct is one function (TypeScript).

Shaped on an app whose `class StandardLambdaPythonFunction extends lambdaPython.PythonFunction`
merges the team's defaults with `...props` into a `const` and passes it to `super(scope, id, ...)`,
and whose stacks make it forty times with their own `entry`, `runtime` and `handler`: all were one
function at the class, with no runtime ("spread from `props`") and no code folder.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "ts-python-function-subclass"


def test_each_instance_of_a_python_function_subclass_is_one_function_with_what_its_caller_passes():
    fns = {fn.name: fn for fn in build_inventory(Workspace(APP)).functions}
    assert sorted(fns) == ["ingestLaps", "nightlyCleanup", "scoreBoard"]
    ingest, scores = fns["ingestLaps"], fns["scoreBoard"]
    assert (ingest.location.path, ingest.location.line) == ("lib/race-stack.ts", 10)
    assert (ingest.runtime, scores.runtime, fns["nightlyCleanup"].runtime) == ("python3.12", "python3.9", "python3.13")
    assert ingest.handler == "index.lambda_handler"          # the class's default
    assert scores.handler == "index.scores_handler"          # the caller's own
    assert (ingest.code_path, scores.code_path) == ("lib/lambdas/ingest", "lib/lambdas/scores")


def test_a_subclass_nobody_makes_stays_the_one_function_of_its_class(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/orders.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "export class OrdersFunction extends lambda.Function {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "                       code: lambda.Code.fromAsset('orders') });\n"
        "  }\n"
        "}\n")
    fns = build_inventory(Workspace(tmp_path)).functions
    assert [(fn.name, fn.runtime) for fn in fns] == [("OrdersFunction", "nodejs22.x")]
