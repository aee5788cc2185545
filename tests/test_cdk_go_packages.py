"""A Go CDK app's settings, kept in a package of its own module or in another file of its package.

Shaped on Go apps whose stack builds its function from `jsii.String(config.FuncionName)`,
`jsii.String(config.Handler)` and `awslambda.AssetCode_FromAsset(jsii.String(config.CodePath), nil)`,
the constants of `import "<module>/config"`: the function was listed as "Function at cdk_main.go:25",
with no handler and its code "computed when the app runs".
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "go-settings-app"


def functions(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def copied(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_constants_of_a_package_of_the_apps_module_name_the_function_its_handler_and_code():
    worker = functions(APP)["InvoiceWorker"]
    assert (worker.location.path, worker.location.line) == ("app.go", 15)
    assert (worker.handler, worker.code_path, worker.runtime) == ("bootstrap", "worker", "provided.al2")
    assert worker.unresolved == {}


def test_a_variable_and_a_function_of_one_return_of_that_package_are_read_too():
    reports = functions(APP)["MonthlyReports"]
    assert (reports.runtime, reports.handler) == ("provided.al2023", "bootstrap")
    assert str(reports.locations["Runtime"]) == "app.go:24"
    assert str(reports.locations["Runtime.Default"]) == "settings/settings.go:16"


def test_names_another_file_of_the_main_package_declares_are_read():
    reports = functions(APP)["MonthlyReports"]   # `reportsId` and `reportsCode` are in names.go
    assert reports.code_path == "reports"


def test_a_variable_the_package_assigns_again_is_no_constant(tmp_path):
    root = copied(tmp_path)
    edit(root / "settings/settings.go", "func ReportsHandler",
         "func init() {\n\tReportsRuntime = awslambda.Runtime_PROVIDED_AL2()\n}\n\nfunc ReportsHandler")
    assert functions(root)["MonthlyReports"].runtime is None


def test_a_function_of_several_returns_is_not_guessed(tmp_path):
    root = copied(tmp_path)
    edit(root / "settings/settings.go", '\treturn "bootstrap"\n}',
         '\tif StackName == "" {\n\t\treturn "main"\n\t}\n\treturn "bootstrap"\n}')
    assert functions(root)["MonthlyReports"].handler is None


def test_a_function_that_builds_its_result_is_not_read_as_a_value(tmp_path):
    root = copied(tmp_path)   # `res := ""`, then `res += ...`: the first value is not what it returns
    edit(root / "settings/settings.go", '\treturn "bootstrap"\n}', '\tres := ""\n\tres += "bootstrap"\n\treturn res\n}')
    assert functions(root)["MonthlyReports"].handler is None


def test_a_package_of_another_module_is_not_followed(tmp_path):
    root = copied(tmp_path)
    edit(root / "go.mod", "module invoice-sync", "module example.com/invoices")
    fns = functions(root)
    assert "InvoiceWorker" not in fns
    worker = fns["Function at app.go:15"]
    assert worker.handler is None and worker.code_path is None and "Code" in worker.unresolved


def test_a_test_file_of_the_package_is_no_part_of_it(tmp_path):
    root = copied(tmp_path)
    (root / "names.go").rename(root / "names_test.go")
    assert "MonthlyReports" not in functions(root)
