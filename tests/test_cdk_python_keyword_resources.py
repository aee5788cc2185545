"""A Python CDK stack that names its REST resources by keyword (`auth.add_resource(path_part="logout",
default_cors_preflight_options=...)`, as data.all's deploy/stacks/lambda_api.py writes its cookie
routes): each method is on the path those keywords spell, not on `/*/*`."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_STACK = """\
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as _lambda


class PortalApiStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        session = _lambda.Function(self, "Session", runtime=_lambda.Runtime.PYTHON_3_12,
                                   handler="session.handler", code=_lambda.Code.from_asset("fns/session"))
        gateway = apigw.RestApi(self, "Portal")
        cookies = apigw.LambdaIntegration(session)
        auth = gateway.root.add_resource(path_part="auth")
        logout = auth.add_resource(
            path_part="logout",
            default_cors_preflight_options=apigw.CorsOptions(allow_methods=["POST", "OPTIONS"]),
        )
        logout.add_method("POST", cookies, authorization_type=apigw.AuthorizationType.NONE)
        auth.add_resource("whoami").add_method("GET", cookies)
"""


def test_a_resource_named_by_keyword_is_on_its_path(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "app.py").write_text("import aws_cdk as cdk\napp = cdk.App()\napp.synth()\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "portal_api.py").write_text(_STACK)
    fns = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted((r.method, r.path) for r in fns["Session"].routes) == [("GET", "/auth/whoami"),
                                                                         ("POST", "/auth/logout")]
