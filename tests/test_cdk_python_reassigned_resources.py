"""A Python CDK stack that keeps each REST resource in the same variable in turn (`res = api.root.
add_resource("list")`, its method, then `res = api.root.add_resource("edit")` and the next method):
each method is on the resource the variable holds where the method is added, not on the last one."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_STACK = """\
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as _lambda


class SiteStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        listing = _lambda.Function(self, "Listing", runtime=_lambda.Runtime.PYTHON_3_12,
                                   handler="index.handler", code=_lambda.Code.from_asset("fns/listing"))
        editing = _lambda.Function(self, "Editing", runtime=_lambda.Runtime.PYTHON_3_12,
                                   handler="index.handler", code=_lambda.Code.from_asset("fns/editing"))
        api = apigw.RestApi(self, "Site")
        page = api.root.add_resource("list")
        page.add_method("GET", apigw.LambdaIntegration(listing))
        page = api.root.add_resource("edit")
        target = apigw.LambdaIntegration(editing)
        page.add_method("POST", target)
        target = apigw.LambdaIntegration(listing)
        page.add_method("GET", target)
"""


def test_a_reassigned_resource_variable_places_each_method_where_it_was_added(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "app.py").write_text("import aws_cdk as cdk\napp = cdk.App()\napp.synth()\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "site_stack.py").write_text(_STACK)
    fns = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted((r.method, r.path) for r in fns["Listing"].routes) == [("GET", "/edit"), ("GET", "/list")]
    assert [(r.method, r.path) for r in fns["Editing"].routes] == [("POST", "/edit")]
