"""A Go CDK app's exported helper in another package of its module makes one function per call.

Shaped on a Go app whose stack calls `resource.NewLambdaFunction(stack, &resource.NewLambdaFunctionInput{
FunctionName: "dlq-function", CodePath: ...})` from the `main` package: the helper's construct takes
its id and asset folder from fields of its input, and was listed once, as "Function at
resource/lambda.go:34" with its code "computed when the app runs", for two functions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "go-packages-app"


def functions(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_each_call_of_another_packages_helper_is_one_function_with_the_fields_it_passes():
    fns = functions(APP)
    assert sorted(fns) == ["intake", "ledger"]
    intake, ledger = fns["intake"], fns["ledger"]
    assert (intake.location.path, intake.location.line, ledger.location.line) == ("billing.go", 16, 20)
    assert (intake.code_path, ledger.code_path) == ("functions/intake", "functions/ledger")
    assert intake.runtime == "go1.x" and intake.handler == "bootstrap"
    assert intake.locations["Runtime"].path == "constructs/lambda.go"
    assert [t.kind for t in ledger.triggers] == ["sqs"] and intake.triggers == []   # what the caller adds


def test_instances_of_a_helper_that_computes_its_own_id_are_named_by_their_calls(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    helper = (root / "constructs/lambda.go").read_text()
    (root / "constructs/lambda.go").write_text(
        helper.replace("jsii.String(in.Name)", 'jsii.String("Fn" + in.Folder[2:])'))
    assert sorted(functions(root)) == ["NewGoLambda at billing.go:16", "NewGoLambda at billing.go:20"]


def test_a_package_of_another_module_is_not_the_helper(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    (root / "go.mod").write_text((root / "go.mod").read_text().replace("example.com/billing", "example.com/other"))
    assert len(functions(root)) == 1
