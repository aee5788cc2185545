"""LR305 for CDK apps whose API and functions are declared in different files: a function kept on a
construct (`this.functions.listOrders`), one handed to the API stack through its props by
`bin/app.ts` (`props.statusHandler`; in Python an `__init__` parameter given by `app.py`), and a
`LambdaIntegration` handed over the same way. A route is linked only when exactly one function can
be its target."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_route_authorization import FIXTURES, line_of, scan

APP = "cdk-ts-stacks"


PYTHON_APP = "cdk-py-stacks"


def copy(tmp_path: Path, app: str = APP) -> Path:
    root = tmp_path / app
    shutil.copytree(FIXTURES / app, root)
    return root


def routes(root: Path) -> dict[tuple[str, str, int], set[tuple[str, str, str | None, str, int]]]:
    """(function file, name, line) -> its routes (method, path, authorizer, route file, line)."""
    return {(fn.location.path, fn.name, fn.location.line):
            {(r.method, r.path, r.authorizer, r.location.path, r.location.line) for r in fn.routes}
            for fn in build_inventory(Workspace(root)).functions}


def test_routes_reach_functions_through_construct_properties_and_stack_props(tmp_path):
    root = copy(tmp_path)
    api, functions, backend = root / "lib/api-stack.ts", root / "lib/order-functions.ts", root / "lib/backend-stack.ts"
    assert routes(root) == {
        ("lib/order-functions.ts", "ListOrders", line_of(functions, "'ListOrders'")):
            {("GET", "/orders", None, "lib/api-stack.ts", line_of(api, "orders.addMethod('GET'"))},
        ("lib/order-functions.ts", "CreateOrder", line_of(functions, "'CreateOrder'")):
            {("POST", "/orders", "authorizer", "lib/api-stack.ts", line_of(api, "orders.addMethod('POST'"))},
        ("lib/backend-stack.ts", "Status", line_of(backend, "'Status'")):
            {("GET", "/status", None, "lib/api-stack.ts", line_of(api, "addResource('status')"))},
        ("lib/backend-stack.ts", "Reports", line_of(backend, "'Reports'")):
            {("GET", "/reports", None, "lib/api-stack.ts", line_of(api, "addResource('reports')"))},
    }
    findings = scan(root)
    assert {(f["rule_id"], f["path"], f["line"], f["function"]) for f in findings} == {
        ("LR305", "lib/api-stack.ts", line_of(api, "orders.addMethod('GET'"), "ListOrders"),
        ("LR305", "lib/api-stack.ts", line_of(api, "addResource('status')"), "Status"),
        ("LR305", "lib/api-stack.ts", line_of(api, "addResource('reports')"), "Reports"),
    }
    api.write_text(api.read_text().replace("{ restApiName: 'Shop' }", "{ restApiName: 'Shop', defaultMethodOptions: "
                                           "{ authorizationType: apigw.AuthorizationType.IAM } }"))
    assert scan(root) == []


def test_no_link_when_two_functions_could_be_the_target(tmp_path):
    root = copy(tmp_path)
    app, backend, functions = root / "bin/app.ts", root / "lib/backend-stack.ts", root / "lib/order-functions.ts"
    # A second API stack handed another function as its status handler.
    backend.write_text(backend.read_text().replace(
        "  public readonly reportsIntegration",
        "  public readonly legacyStatusHandler: lambda.Function;\n  public readonly reportsIntegration").replace(
        "    const reports =",
        "    this.legacyStatusHandler = new lambda.Function(this, 'LegacyStatus', {\n"
        "      runtime: lambda.Runtime.NODEJS_22_X,\n      code: lambda.Code.fromAsset('lambda'),\n"
        "      handler: 'index.handler',\n    });\n\n    const reports ="))
    app.write_text(app.read_text() + "new ApiStack(app, 'LegacyApi', {\n  statusHandler: backend.legacyStatusHandler,\n"
                                     "  reportsIntegration: backend.reportsIntegration,\n});\n")
    # A construct property given one of two functions.
    functions.write_text(functions.read_text().replace(
        "    this.createOrder = new NodejsFunction(",
        "    if (process.env.LEGACY) {\n      this.listOrders = new NodejsFunction(this, 'LegacyList', {\n"
        "        runtime: lambda.Runtime.NODEJS_22_X,\n        entry: 'lambda/index.js',\n      });\n    }\n"
        "    this.createOrder = new NodejsFunction("))
    linked = {name: found for (_, name, _), found in routes(root).items()}
    assert linked["Status"] == linked["LegacyStatus"] == set()
    assert linked["ListOrders"] == linked["LegacyList"] == set()
    assert [path for _, path, _, _, _ in linked["Reports"]] == ["/reports"]     # the same in both stacks
    assert [path for _, path, _, _, _ in linked["CreateOrder"]] == ["/orders"]


def test_no_link_when_the_construct_class_is_declared_twice(tmp_path):
    root = copy(tmp_path)
    (root / "lib/legacy").mkdir()
    (root / "lib/legacy/order-functions.ts").write_text((root / "lib/order-functions.ts").read_text())
    linked = {(path, name): found for (path, name, _), found in routes(root).items()}
    assert linked[("lib/order-functions.ts", "ListOrders")] == linked[("lib/legacy/order-functions.ts", "ListOrders")] \
        == set()
    assert len(linked[("lib/backend-stack.ts", "Status")]) == 1


def test_python_routes_reach_functions_through_construct_attributes_and_init_parameters(tmp_path):
    root = copy(tmp_path, PYTHON_APP)
    api, functions = root / "stacks/api_stack.py", root / "stacks/order_functions.py"
    backend = root / "stacks/backend_stack.py"
    assert routes(root) == {
        ("stacks/order_functions.py", "ListOrders", line_of(functions, "self.list_orders =")):
            {("GET", "/orders", None, "stacks/api_stack.py", line_of(api, 'orders.add_method("GET"'))},
        ("stacks/order_functions.py", "CreateOrder", line_of(functions, "self.create_order =")):
            {("POST", "/orders", "authorizer", "stacks/api_stack.py", line_of(api, 'orders.add_method("POST"'))},
        ("stacks/backend_stack.py", "Status", line_of(backend, "self.status_handler =")):
            {("GET", "/status", None, "stacks/api_stack.py", line_of(api, 'add_resource("status")'))},
        ("stacks/backend_stack.py", "Reports", line_of(backend, "reports = ")):
            {("GET", "/reports", None, "stacks/api_stack.py", line_of(api, 'add_resource("reports")'))},
    }
    assert {(f["path"], f["line"], f["function"]) for f in scan(root)} == {
        ("stacks/api_stack.py", line_of(api, 'orders.add_method("GET"'), "ListOrders"),
        ("stacks/api_stack.py", line_of(api, 'add_resource("status")'), "Status"),
        ("stacks/api_stack.py", line_of(api, 'add_resource("reports")'), "Reports"),
    }


def test_python_no_link_when_two_functions_could_be_the_target(tmp_path):
    root = copy(tmp_path, PYTHON_APP)
    app, functions = root / "app.py", root / "stacks/order_functions.py"
    # A second API stack handed another function (a construct of the Reports integration's file).
    app.write_text(app.read_text().replace(
        "app.synth()",
        'ApiStack(app, "LegacyApi", status_handler=backend.legacy_handler,\n'
        '         reports_integration=backend.reports_integration)\napp.synth()'))
    backend = root / "stacks/backend_stack.py"
    backend.write_text(backend.read_text().replace(
        "        self.reports_integration =",
        '        self.legacy_handler = _lambda.Function(self, "Legacy", runtime=_lambda.Runtime.PYTHON_3_13,\n'
        '                                               handler="app.handler", code=_lambda.Code.from_asset("lambda"))\n'
        "        self.reports_integration ="))
    # An attribute given one of two functions.
    functions.write_text(functions.read_text() + (
        '        if self.node.try_get_context("legacy"):\n'
        '            self.list_orders = _lambda.Function(self, "LegacyList", runtime=_lambda.Runtime.PYTHON_3_13,\n'
        '                                               handler="app.handler", code=_lambda.Code.from_asset("lambda"))\n'))
    linked = {name: found for (_, name, _), found in routes(root).items()}
    assert linked["Status"] == linked["Legacy"] == set()
    assert linked["ListOrders"] == linked["LegacyList"] == set()
    assert [path for _, path, _, _, _ in linked["Reports"]] == ["/reports"]
    assert [path for _, path, _, _, _ in linked["CreateOrder"]] == ["/orders"]


def test_destructured_props_and_a_helper_method_parameter(tmp_path):
    root = copy(tmp_path)
    api = root / "lib/api-stack.ts"
    text = api.read_text().replace(
        "new apigw.LambdaIntegration(props.statusHandler)", "new apigw.LambdaIntegration(statusHandler)").replace(
        "    this.functions = new", "    const { statusHandler } = props;\n    this.functions = new")
    # A helper method's route is read at its call, with the caller's resource and function (cdk/routes.py).
    text = text.replace("  }\n}\n", "    this.addReadOnly(api.root.addResource('archive'), this.functions.listOrders);\n"
                                    "  }\n\n  private addReadOnly(resource: apigw.IResource, handler: cdk.aws_lambda.IFunction) {\n"
                                    "    resource.addMethod('GET', new apigw.LambdaIntegration(handler));\n  }\n}\n")
    api.write_text(text)
    linked = {name: {(path, line) for _, path, _, _, line in found} for (_, name, _), found in routes(root).items()}
    assert linked["Status"] == {("/status", line_of(api, "addResource('status')"))}
    assert linked["ListOrders"] == {("/orders", line_of(api, "orders.addMethod('GET'")),
                                    ("/archive", line_of(api, "resource.addMethod('GET'"))}


def test_python_parameter_of_a_helper_method_is_the_callers_argument(tmp_path):
    root = copy(tmp_path, PYTHON_APP)
    api = root / "stacks/api_stack.py"
    api.write_text(api.read_text() + (
        '        self._read_only(api.root.add_resource("archive"), self.functions.list_orders)\n\n'
        "    def _read_only(self, resource: apigw.IResource, status_handler: _lambda.IFunction) -> None:\n"
        '        resource.add_method("GET", apigw.LambdaIntegration(status_handler))\n'))
    linked = {name: {path for _, path, _, _, _ in found} for (_, name, _), found in routes(root).items()}
    # the helper's route is read at its call (cdk/routes_python.py): the caller's resource and function
    assert linked["ListOrders"] == {"/orders", "/archive"}
    assert linked["Status"] == set()        # `status_handler` is bound twice in the class: not this one
