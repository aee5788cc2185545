"""Routes a TypeScript CDK app adds in a helper, to a resource (and with a function) its caller passes.

Shaped like the Python case (tests/test_cdk_python_route_helpers.py) in TypeScript: a stack's
`private addReadRoute(resource, fn)` method and a module-level `addPublicRoute(resource, verb,
handler)` call `resource.addMethod(...)` on their parameter; none of the three routes was read.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "ts-route-helpers"


def test_each_call_of_a_route_helper_is_one_route_with_what_it_passes():
    found = {fn.name: [(route.method, route.path, route.authorizer, route.location.line) for route in fn.routes]
             for fn in build_inventory(Workspace(APP)).functions}
    assert found["GetProduct"] == [("GET", "/products/{productId}", "IAM", 37)]   # a method of the stack
    assert found["ListProducts"] == [("GET", "/products", None, 7)]                # a function of the module
    assert found["PurgeProducts"] == [("DELETE", "/products", None, 7)]
