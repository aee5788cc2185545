"""Routes a Python CDK app adds in a helper, to a resource (and with a function) its caller passes.

Shaped on a Python construct whose `__init__` builds `/api/<resource>/{entity_id}` and calls
`self._add_get_activity_integration(entity_id_resource, ...)`, a method that makes the function in
a local `lambda_function` and calls `api_resource.add_method(http_method="GET",
integration=LambdaIntegration(handler=lambda_function))` on its parameter; the API comes from
`self.rest_api = self._build_api_gw()`. The route was not read (no LR305), and the local name, which
another method of the file reuses for another function, named the wrong one once it was.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.routes_python import python_reading
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "python-route-helpers"


def routes(root: Path) -> dict[str, list[tuple[str, str, int]]]:
    return {fn.name: [(route.method, route.path, route.location.line) for route in fn.routes]
            for fn in build_inventory(Workspace(root)).functions}


def test_a_route_added_to_a_parameter_is_the_callers_resource_and_its_own_function():
    found = routes(APP)
    assert found["GetEntry"] == [("GET", "/api/*/{entry_id}", 51)]
    assert found["Audit"] == []          # another method's `lambda_function`


def test_each_call_of_a_route_helper_is_one_route_with_what_it_passes():
    found = routes(APP)
    assert found["Totals"] == [("GET", "/api/totals", 12)]
    assert found["Purge"] == [("DELETE", "/api/totals", 12)]    # passed by keyword


def test_a_helper_called_from_itself_or_many_times_stays_bounded():
    calls = "\n".join(f"    add(api.root.add_resource('r{index}'), fn)" for index in range(40))
    text = ("from aws_cdk import aws_apigateway as apigw, aws_lambda as _lambda\n"
            "def add(resource, function):\n"
            "    resource.add_method('GET', apigw.LambdaIntegration(function))\n"
            "    add(resource, function)\n"
            "def build(scope):\n"
            "    api = apigw.RestApi(scope, 'Api')\n"
            "    fn = _lambda.Function(scope, 'Fn', runtime=_lambda.Runtime.PYTHON_3_13)\n"
            f"{calls}\n")
    reading = python_reading(text)
    assert 0 < len(reading.routes) <= 16
