"""LR305: HTTP routes that invoke a function with no authorizer, in every IaC format, run through `scan`;
LR307: authorised REST routes that take a body no request validator checks."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.findings import Finding, Severity
from reviewer.publish.sarif import to_sarif

FIXTURES = Path(__file__).parent / "fixtures" / "routes"
OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]


def scan(root: Path) -> list[dict]:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-01-01", *OFFLINE],
                stdout=out, stderr=io.StringIO())
    assert code in (0, 1)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in ("LR305", "LR307")]


def line_of(path: Path, text: str, after: int = 0) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1)
                if number > after and text in line)


def copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return root


def by_severity(findings: list[dict]) -> dict[str, set[tuple[str, int]]]:
    found: dict[str, set[tuple[str, int]]] = {"warning": set(), "notice": set()}
    for finding in findings:
        found[finding["severity"]].add((finding["path"], finding["line"]))
    return found


def test_sam_api_and_http_api_events_without_an_authorizer(tmp_path):
    root = copy(tmp_path, "sam")
    template = root / "template.yaml"
    found = by_severity(scan(root))
    assert found["warning"] == {("template.yaml", line_of(template, "ListBooks:")),
                                ("template.yaml", line_of(template, "SearchBooks:"))}
    # Declared public on one route while the API has a default authorizer; a PUT with no model.
    assert found["notice"] == {("template.yaml", line_of(template, "Health:")),
                               ("template.yaml", line_of(template, "UpdateOrder:"))}
    # Adding authorizers (a default for the implicit API, one on the HTTP API) silences the warnings.
    text = template.read_text().replace(
        "Globals:\n", "Globals:\n  Api:\n    Auth:\n      DefaultAuthorizer: AWS_IAM\n", 1).replace(
        "    Type: AWS::Serverless::HttpApi\n",
        "    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n        DefaultAuthorizer: Jwt\n")
    template.write_text(text)
    assert by_severity(scan(root))["warning"] == set()


def test_cloudformation_methods_and_http_api_routes(tmp_path):
    root = copy(tmp_path, "cloudformation")
    template = root / "template.yaml"
    findings = scan(root)
    found = by_severity(findings)
    assert found["warning"] == {("template.yaml", line_of(template, "ListItemsMethod:")),
                                ("template.yaml", line_of(template, "StockRoute:"))}
    assert found["notice"] == {("template.yaml", line_of(template, "AddItemMethod:"))}   # POST, no validator
    assert all(f["function"] == "InventoryFunction" for f in findings)
    text = template.read_text().replace("      HttpMethod: GET\n      AuthorizationType: NONE\n",
                                        "      HttpMethod: GET\n      AuthorizationType: AWS_IAM\n")
    text = text.replace("      RouteKey: GET /stock\n",
                        "      RouteKey: GET /stock\n      AuthorizationType: AWS_IAM\n")
    template.write_text(text)
    assert by_severity(scan(root))["warning"] == set()


def test_serverless_http_and_http_api_events(tmp_path):
    root = copy(tmp_path, "serverless")
    config = root / "serverless.yml"
    found = by_severity(scan(root))
    first_http = line_of(config, "- http:")
    assert found["warning"] == {("serverless.yml", first_http),
                                ("serverless.yml", line_of(config, "- httpApi: 'DELETE"))}
    # A POST with an authorizer but no request schema; a route marked public with a comment.
    assert found["notice"] == {("serverless.yml", line_of(config, "- http:", after=first_http)),
                               ("serverless.yml", line_of(config, "path: status") - 1)}
    text = config.read_text().replace("          method: get\n      - http:",
                                      "          method: get\n          authorizer: aws_iam\n      - http:", 1)
    text = text.replace("- httpApi: 'DELETE /reviews/{id}'",
                        "- httpApi:\n          path: /reviews/{id}\n          method: delete\n"
                        "          authorizer: {name: reviewsJwt}")
    config.write_text(text)
    assert by_severity(scan(root))["warning"] == set()


def test_terraform_methods_and_routes_with_authorization_none(tmp_path):
    root = copy(tmp_path, "terraform")
    main_tf = root / "main.tf"
    found = by_severity(scan(root))
    assert found["warning"] == {("main.tf", line_of(main_tf, 'resource "aws_api_gateway_method" "list_entries"')),
                                ("main.tf", line_of(main_tf, 'resource "aws_apigatewayv2_route" "balance"'))}
    text = main_tf.read_text().replace('authorization = "NONE"', 'authorization = "AWS_IAM"')
    text = text.replace('authorization_type = "NONE"', 'authorization_type = "AWS_IAM"')
    main_tf.write_text(text)
    assert by_severity(scan(root))["warning"] == set()


@pytest.mark.parametrize("rule_id, cwe", [("LR305", 306)])
def test_sarif_tags_lr305_with_cwe_306(rule_id, cwe):
    finding = Finding(rule_id=rule_id, severity=Severity.WARNING, title="t", message="m", path="t.yaml", line=3)
    [rule] = to_sarif([finding])["runs"][0]["tool"]["driver"]["rules"]
    assert f"external/cwe/cwe-{cwe}" in rule["properties"]["tags"]


def test_cdk_lambda_rest_api_and_lambda_integration_routes_in_typescript(tmp_path):
    root = copy(tmp_path, "cdk-ts")
    stack = root / "lib/shop-stack.ts"
    found = by_severity(scan(root))
    assert found["warning"] == {("lib/shop-stack.ts", line_of(stack, "new apigateway.LambdaRestApi")),
                                ("lib/shop-stack.ts", line_of(stack, "carts.addMethod('GET'"))}
    text = stack.read_text().replace(
        "{ handler: storefront }",
        "{ handler: storefront, defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM } }")
    text = text.replace("new apigateway.LambdaIntegration(checkout));",
                        "new apigateway.LambdaIntegration(checkout), { authorizer: cartsAuthorizer });")
    stack.write_text(text)
    assert by_severity(scan(root))["warning"] == set()


def test_cdk_lambda_rest_api_without_proxy_routes_methods_to_its_handler_in_python(tmp_path):
    root = copy(tmp_path, "cdk-py")
    stack = root / "stacks/orders_stack.py"
    assert by_severity(scan(root))["warning"] == {("stacks/orders_stack.py", line_of(stack, 'add_method("GET")'))}
    stack.write_text(stack.read_text().replace('add_method("GET")', 'add_method("GET", authorizer=self.authorizer)'))
    assert by_severity(scan(root))["warning"] == set()


def test_cdk_rest_api_routes_through_variables_chains_and_this_in_typescript(tmp_path):
    root = copy(tmp_path, "cdk-ts-restapi")
    stack = root / "lib/library-stack.ts"
    findings = scan(root)
    routes = sorted((f["line"], f["message"].split("`")[1]) for f in findings)
    assert routes == sorted([
        (line_of(stack, "api.root.addMethod('GET', catalogueIntegration)"), "GET /"),
        (line_of(stack, "books.addMethod('GET'"), "GET /books"),
        (line_of(stack, "book.addMethod('DELETE'"), "DELETE /books/{isbn}"),
        (line_of(stack, "addResource('loans')"), "GET /loans/{id}"),
        (line_of(stack, "events.addRoutes"), "GET /events"),
        (line_of(stack, "events.addRoutes"), "POST /events"),
    ])
    assert all(f["severity"] == "warning" and f["path"] == "lib/library-stack.ts" for f in findings)
    assert {f["function"] for f in findings} == {"Catalogue", "Loans"}
    text = stack.read_text().replace(
        "restApiName: 'Library',",
        "restApiName: 'Library',\n      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },")
    text = text.replace("new HttpApi(this, 'EventsApi')",
                        "new HttpApi(this, 'EventsApi', { defaultAuthorizer: eventsAuthorizer })")
    stack.write_text(text)
    assert scan(root) == []


def test_cdk_rest_api_routes_through_variables_chains_and_self_in_python(tmp_path):
    root = copy(tmp_path, "cdk-py-restapi")
    stack = root / "stacks/library_stack.py"
    findings = scan(root)
    routes = sorted((f["line"], f["message"].split("`")[1]) for f in findings)
    assert routes == sorted([
        (line_of(stack, 'api.root.add_method("GET", catalogue_integration)'), "GET /"),
        (line_of(stack, 'books.add_method("GET"'), "GET /books"),
        (line_of(stack, 'book.add_method("DELETE"'), "DELETE /books/{isbn}"),
        (line_of(stack, 'add_resource("loans")'), "GET /loans/{id}"),
        (line_of(stack, "try_get_context"), "GET /*"),             # a part known only at synth time
        (line_of(stack, "events.add_routes"), "GET /events"),
    ])
    assert {f["function"] for f in findings} == {"Catalogue", "Loans"}
    text = stack.read_text().replace(
        'rest_api_name="Library"',
        'rest_api_name="Library",\n            default_method_options=apigw.MethodOptions('
        'authorizer=self.authorizer)')
    text = text.replace('apigwv2.HttpApi(self, "EventsApi")',
                        'apigwv2.HttpApi(self, "EventsApi", default_authorizer=self.jwt)')
    stack.write_text(text)
    assert scan(root) == []


def test_a_route_that_only_requires_an_api_key_is_not_called_open_to_anyone(tmp_path):
    root = copy(tmp_path, "api-keys")
    findings = scan(root)
    found = {(f["path"], f["line"]) for f in findings}
    sam = root / "sam/template.yaml"
    assert found == {
        ("sam/template.yaml", line_of(sam, "ListFeed:")),          # the API's Auth.ApiKeyRequired
        ("sam/template.yaml", line_of(sam, "FeedItem:")),          # the event's own
        ("cloudformation/template.yaml", line_of(root / "cloudformation/template.yaml", "GetQuotesMethod:")),
        ("serverless/serverless.yml", line_of(root / "serverless/serverless.yml", "- http:")),
        ("terraform/main.tf", line_of(root / "terraform/main.tf", 'resource "aws_api_gateway_method"')),
    }
    for finding in findings:
        assert finding["severity"] == "warning"
        assert "anyone on the internet" not in finding["message"]
        assert "requires an API key but has no authorizer" in finding["message"]
        assert "it is not authorization" in finding["message"]
    sam.write_text(sam.read_text().replace("        ApiKeyRequired: true\n        UsagePlan:",
                                           "        ApiKeyRequired: true\n        DefaultAuthorizer: AWS_IAM\n"
                                           "        UsagePlan:").replace(
        "            Auth:\n              ApiKeyRequired: true",
        "            Auth:\n              ApiKeyRequired: true\n              Authorizer: AWS_IAM"))
    cloudformation = root / "cloudformation/template.yaml"
    cloudformation.write_text(cloudformation.read_text().replace("AuthorizationType: NONE", "AuthorizationType: AWS_IAM"))
    serverless = root / "serverless/serverless.yml"
    serverless.write_text(serverless.read_text().replace("private: true", "private: true\n          authorizer: aws_iam"))
    main_tf = root / "terraform/main.tf"
    main_tf.write_text(main_tf.read_text().replace('authorization    = "NONE"', 'authorization    = "AWS_IAM"'))
    assert scan(root) == []


def test_an_authorised_route_without_body_validation_is_its_own_rule(tmp_path):
    root = copy(tmp_path, "cloudformation")
    template = root / "template.yaml"
    [notice] = [f for f in scan(root) if f["severity"] == "notice"]
    assert (notice["rule_id"], notice["line"]) == ("LR307", line_of(template, "AddItemMethod:"))
    assert notice["title"] == "REST route accepts a body without request validation"
    assert "authoriz" not in notice["title"].lower()
    assert "no request validator or model checks" in notice["message"]
    assert "authorizer" not in notice["message"]
    # The unauthorised GET stays LR305, and an unauthorised POST says both things in one LR305 finding.
    text = template.read_text().replace("      HttpMethod: POST\n      AuthorizationType: COGNITO_USER_POOLS\n",
                                        "      HttpMethod: POST\n      AuthorizationType: NONE\n")
    template.write_text(text)
    findings = scan(root)
    assert {(f["rule_id"], f["severity"], f["line"]) for f in findings} == {
        ("LR305", "warning", line_of(template, "ListItemsMethod:")),
        ("LR305", "warning", line_of(template, "StockRoute:")),
        ("LR305", "warning", line_of(template, "AddItemMethod:")),
    }
    [post] = [f for f in findings if f["line"] == line_of(template, "AddItemMethod:")]
    assert "no request validator or model checks" in post["message"]


@pytest.mark.parametrize("rule_id, cwe", [("LR307", 20)])
def test_sarif_tags_lr307_with_cwe_20(rule_id, cwe):
    finding = Finding(rule_id=rule_id, severity=Severity.NOTICE, title="t", message="m", path="t.yaml", line=3)
    [rule] = to_sarif([finding])["runs"][0]["tool"]["driver"]["rules"]
    assert f"external/cwe/cwe-{cwe}" in rule["properties"]["tags"]


def test_terraform_integration_uri_written_as_arn_text_links_the_function(tmp_path):
    # `uri = "arn:aws:apigateway:${var.region}:lambda:path/2015-03-31/functions/${<function arn>}/invocations"`
    # names the function as `invoke_arn` does: by the function's ARN, an alias's ARN or a module output.
    root = copy(tmp_path, "terraform_uri_text")
    main_tf = root / "main.tf"
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-01-01", *OFFLINE],
         stdout=out, stderr=io.StringIO())
    findings = json.loads(out.getvalue())["findings"]
    routes = {(f["function"], f["path"], f["line"]) for f in findings
              if f["rule_id"] == "LR305" and f["severity"] == "warning"}
    assert routes == {
        ("aws_lambda_function.orders", "main.tf", line_of(main_tf, 'resource "aws_api_gateway_method" "list_orders"')),
        ("aws_lambda_function.keys", "main.tf", line_of(main_tf, 'resource "aws_api_gateway_method" "list_keys"')),
        ("module.report.aws_lambda_function.this", "main.tf",
         line_of(main_tf, 'resource "aws_apigatewayv2_route" "daily"')),
    }
    # The unpublished functions the APIs invoke are unqualified (`$LATEST`); `keys` publishes versions.
    assert {f["function"] for f in findings if f["rule_id"] == "LR401"} == {
        "aws_lambda_function.orders", "module.report.aws_lambda_function.this"}
    orders_route = next(f for f in findings if f["rule_id"] == "LR305" and f["function"].endswith("orders"))
    assert "requires an API key but has no authorizer" in orders_route["message"]
    main_tf.write_text(main_tf.read_text().replace('= "NONE"', '= "AWS_IAM"'))
    assert by_severity(scan(root))["warning"] == set()


def test_cdk_v1_http_api_lambda_proxy_integrations_are_routes(tmp_path):
    """CDK v1's HTTP API integration, `new LambdaProxyIntegration({handler: fn})` (Python
    `LambdaProxyIntegration(handler=fn)`), as an `addRoutes` integration or an API's default one."""
    (tmp_path / "ts" / "lib").mkdir(parents=True)
    stack = tmp_path / "ts" / "lib" / "shop-stack.ts"
    stack.write_text(
        "import * as cdk from '@aws-cdk/core';\n"
        "import * as lambda from '@aws-cdk/aws-lambda';\n"
        "import { HttpApi, HttpMethod } from '@aws-cdk/aws-apigatewayv2';\n"
        "import { LambdaProxyIntegration } from '@aws-cdk/aws-apigatewayv2-integrations';\n\n"
        "export class ShopStack extends cdk.Stack {\n"
        "  constructor(scope: cdk.Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    const cart = new lambda.Function(this, 'Cart', {\n"
        "      runtime: lambda.Runtime.NODEJS_14_X, handler: 'cart.handler', code: lambda.Code.fromAsset('fns'),\n"
        "    });\n"
        "    const api = new HttpApi(this, 'ShopApi');\n"
        "    api.addRoutes({\n"
        "      path: '/cart/{proxy+}',\n"
        "      methods: [HttpMethod.ANY],\n"
        "      integration: new LambdaProxyIntegration({ handler: cart }),\n"
        "    });\n  }\n}\n")
    (tmp_path / "py").mkdir()
    py_stack = tmp_path / "py" / "model_stack.py"
    py_stack.write_text(
        "from aws_cdk import core, aws_lambda as _lambda, aws_apigatewayv2 as api_gw\n"
        "from aws_cdk import aws_apigatewayv2_integrations as integrations\n\n"
        "class ModelStack(core.Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        predict = _lambda.Function(self, 'Predict', runtime=_lambda.Runtime.PYTHON_3_8,\n"
        "                                   handler='app.handler', code=_lambda.Code.from_asset('model'))\n"
        "        api_gw.HttpApi(self, 'PredictApi',\n"
        "                       default_integration=integrations.LambdaProxyIntegration(handler=predict))\n")
    found = sorted((f["path"], f["line"], f["function"], f["message"].split("`")[1]) for f in scan(tmp_path))
    assert found == [
        ("py/model_stack.py", 9, "Predict", "ANY $default"),
        ("ts/lib/shop-stack.ts", line_of(stack, "api.addRoutes"), "Cart", "ANY /cart/{proxy+}"),
    ]


def test_a_serverless_path_without_its_slash_is_shown_as_api_gateway_serves_it(tmp_path):
    # `path: status` is served at `/status`; the fingerprint keeps the path as written.
    (tmp_path / "serverless.yml").write_text(
        "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n"
        "  status:\n    handler: handler.status\n    events:\n      - http:\n"
        "          path: status\n          method: get\n")
    (tmp_path / "handler.py").write_text("def status(event, context):\n    return {}\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--fail-on", "never", "--reference-date", "2026-06-01",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out, stderr=io.StringIO())
    messages = [f["message"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR305"]
    assert len(messages) == 1 and messages[0].startswith("The route `GET /status` invokes")


def test_a_websocket_api_is_judged_on_its_connect_route_alone(tmp_path):
    """Only `$connect` takes an authorizer in a WebSocket API: its other routes (`sendmessage`,
    `$disconnect`, Terraform's `subscribe` and `$default`) are reached through the connection it
    accepted, so they are never reported, and `$connect` reads as a route key, not `VERB /path`."""
    root = copy(tmp_path, "websocket")
    template = root / "template.yaml"
    findings = scan(root)
    assert by_severity(findings) == {"warning": {("template.yaml", line_of(template, "ConnectRoute:"))},
                                     "notice": set()}
    [connect] = findings
    assert connect["function"] == "OnConnectFunction"
    assert connect["message"].startswith("The WebSocket route `$connect` invokes `OnConnectFunction` and has no "
                                         "authorizer: anyone on the internet who finds the API can open a connection")
    # The Terraform API's `$connect` route has IAM authorization; an HTTP API would have warned on
    # `subscribe` and `$default`.
    (root / "template.yaml").unlink()
    assert scan(root) == []
    main_tf = root / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"WEBSOCKET"', '"HTTP"'))
    assert {f["line"] for f in scan(root)} == {line_of(main_tf, '"subscribe"'),
                                               line_of(main_tf, '"fallback"')}


def test_a_cors_preflight_route_is_not_asked_for_an_authorizer(tmp_path):
    """Browsers send an `OPTIONS` preflight without credentials, so an authorizer would refuse every
    one: a function that answers preflights (Serverless `method: OPTIONS`, SAM `Method: options`)
    is not LR305's, while the service's other open routes still are."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "serverless.yml").write_text(
        "service: notes\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n"
        "  preflight:\n    handler: cors.handler\n    events:\n      - http:\n"
        "          path: /{proxy+}\n          method: OPTIONS\n"
        "  listNotes:\n    handler: notes.list\n    events:\n      - http:\n"
        "          path: /notes\n          method: get\n")
    (tmp_path / "sam").mkdir()
    (tmp_path / "sam" / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Preflight:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: app.handler\n      CodeUri: src/\n      Events:\n        Cors:\n          Type: Api\n"
        "          Properties: {Path: /items, Method: options}\n")
    found = scan(tmp_path)
    assert [(f["function"], f["path"]) for f in found] == [("listNotes", "api/serverless.yml")]


def test_the_way_to_declare_a_route_public_is_offered_in_the_route_s_own_format(tmp_path):
    """`Auth: {Authorizer: NONE}` is SAM's; a Serverless or CloudFormation route is told of the comment only."""
    messages = {f["path"]: f["message"] for f in scan(copy(tmp_path, "sam")) if f["severity"] == "warning"}
    assert all("`Auth: {Authorizer: NONE}` on its event" in m for m in messages.values())
    for name in ("serverless", "cloudformation"):
        warnings = [f["message"] for f in scan(copy(tmp_path, name)) if f["severity"] == "warning"]
        assert warnings and not any("Authorizer: NONE" in m or "SAM" in m for m in warnings), name
        assert all("`lambda-review: public` comment" in m for m in warnings)


def test_a_serverless_websocket_connect_event_is_judged_like_any_websocket_api(tmp_path):
    """A Serverless `websocket` event builds a WebSocket API: its `$connect` route (long or short
    form) without an `authorizer` lets anyone connect; its other routes are never reported."""
    config = tmp_path / "serverless.yml"
    config.write_text(
        "service: chat\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n"
        "  join:\n    handler: src/join.main\n    events:\n      - websocket:\n          route: $connect\n"
        "  leave:\n    handler: src/leave.main\n    events:\n      - websocket: $disconnect\n"
        "  post:\n    handler: src/post.main\n    events:\n      - websocket:\n          route: postMessage\n")
    [connect] = scan(tmp_path)
    assert (connect["function"], connect["line"]) == ("join", line_of(config, "- websocket:"))
    assert connect["message"].startswith("The WebSocket route `$connect` invokes `join` and has no authorizer")
    config.write_text(config.read_text().replace(
        "          route: $connect\n", "          route: $connect\n          authorizer:\n            name: gate\n"))
    assert scan(tmp_path) == []
    config.write_text(config.read_text().replace(
        "      - websocket:\n          route: $connect\n          authorizer:\n            name: gate\n",
        "      - websocket: $connect\n"))
    assert [f["function"] for f in scan(tmp_path)] == ["join"]


OPENAPI_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  ListItems:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: "def handler(e, c): return {}"}
  AddItem:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: "def handler(e, c): return {}"}
  Export:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: "def handler(e, c): return {}"}
  Shop:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListItems.Arn}/invocations
            post:
              security:
                - Users: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AddItem.Arn}/invocations
          /export:
            get:
              security:
                - Key: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Export.Arn}/invocations
        securityDefinitions:
          Users:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
          Key:
            type: apiKey
            name: x-api-key
            in: header
"""


def test_routes_of_an_inline_openapi_document_are_judged_by_their_security(tmp_path):
    """An API whose routes live in its OpenAPI `Body` says who may call each in the operation's
    `security`: an operation with none is open to anyone, one guarded by a plain `apiKey` scheme
    only asks for a key, and one naming an API Gateway authorizer is authorised."""
    template = tmp_path / "template.yaml"
    template.write_text(OPENAPI_TEMPLATE)
    findings = {f["function"]: f for f in scan(tmp_path)}
    assert set(findings) == {"ListItems", "Export"}
    assert findings["ListItems"]["line"] == line_of(template, "get:")
    assert findings["ListItems"]["message"].startswith("The route `GET /items` invokes `ListItems` and has no authorizer")
    assert "named in the operation's `security`" in findings["ListItems"]["message"]
    assert "Auth: {Authorizer: NONE}" not in findings["ListItems"]["message"]
    assert "requires an API key but has no authorizer" in findings["Export"]["message"]
    # SAM writes an API's default authorizer into every operation of its document, beside an API key.
    template.write_text(OPENAPI_TEMPLATE.replace("AWS::ApiGateway::RestApi", "AWS::Serverless::Api").replace(
        "      Body:\n", "      StageName: prod\n      Auth: {DefaultAuthorizer: Users}\n      DefinitionBody:\n"))
    assert scan(tmp_path) == []
    template.write_text(OPENAPI_TEMPLATE.replace("AWS::ApiGateway::RestApi", "AWS::Serverless::Api").replace(
        "      Body:\n", "      StageName: prod\n      DefinitionBody:\n").replace(
        "Resources:\n", "Globals:\n  Api:\n    Auth: {DefaultAuthorizer: AWS_IAM}\nResources:\n", 1))
    assert scan(tmp_path) == []


def test_a_handler_that_never_reads_the_body_is_not_told_to_reject_it(tmp_path):
    """LR307 and LR305's body note speak only where the handler may read the body: not to a handler
    that reads path and query parameters alone, in Python or JavaScript/TypeScript."""
    root = copy(tmp_path, "body-reads")
    template = root / "template.yaml"
    findings = scan(root)
    lr307 = {f["function"]: f["line"] for f in findings if f["rule_id"] == "LR307"}
    assert lr307 == {
        "UpdateFunction": line_of(template, "UpdateRecord:"),        # json.loads(event["body"])
        "AppFunction": line_of(template, "Everything:"),             # the event goes to Mangum whole
        "AuditFunction": line_of(template, "Touch:"),                # console.log(event) logs the body too
        "MissingFunction": line_of(template, "Restore:"),            # the code is not there to read
        # A mapping template builds the event, which may be the body itself: its keys prove nothing.
        "RenameFunction": line_of(template, "RenameMethod:"),
    }
    [open_route] = [f for f in findings if f["rule_id"] == "LR305"]
    assert open_route["function"] == "OpenTagFunction"
    assert "request body" not in open_route["message"]
    # The same handler reading the body is told again.
    tag = root / "ts/tag.ts"
    tag.write_text(tag.read_text().replace("async ({ pathParameters }", "async ({ pathParameters, body }"))
    findings = scan(root)
    assert {"TagFunction", "UpdateFunction"} <= {f["function"] for f in findings if f["rule_id"] == "LR307"}
    [open_route] = [f for f in findings if f["rule_id"] == "LR305"]
    assert "request body that no request validator or model checks" in open_route["message"]


def test_a_review_proves_the_body_unread_only_for_the_functions_it_reads(tmp_path):
    """A pull request review reads the code of the functions its change touches, on the head and
    the base alike: those get the proof; an untouched function keeps the sentence on both sides
    (reading every routed handler of the repository cost a fifth of a small review)."""
    from reviewer.analyzers.interface import ChangeFocus
    from reviewer.config import resolve_settings
    from reviewer.scan import scan_checkout

    root = copy(tmp_path, "body-reads")
    settings = resolve_settings(root, None, reference_date="2026-01-01")

    def lr307(changed: set[str] | None) -> set[str | None]:
        focus = ChangeFocus(frozenset(changed)) if changed is not None else None
        result = scan_checkout(root, settings, focus=focus)
        return {finding.function for finding in result.findings if finding.rule_id == "LR307"}

    everywhere = lr307(None)
    assert {"SwapFunction", "ArchiveFunction"}.isdisjoint(everywhere)
    touching_swap = lr307({"swap/swap.js"})
    assert touching_swap >= everywhere and "ArchiveFunction" in touching_swap and "SwapFunction" not in touching_swap
    assert {"SwapFunction", "ArchiveFunction"} <= lr307({"orders/update.py"})


@pytest.mark.parametrize(("settings", "proxy"), [
    ({"path": "items", "method": "post"}, True),                            # Serverless' default: lambda-proxy
    ({"path": "items", "method": "post", "integration": "lambda-proxy"}, True),
    ({"path": "items", "method": "post", "integration": "lambda"}, False),  # a mapping template builds the event
    ({"path": "items", "method": "post", "integration": "aws"}, False),
])
def test_a_serverless_route_says_whether_its_event_is_the_proxy_event(settings, proxy):
    from reviewer.inventory.serverless.routes import serverless_route
    from reviewer.model import Location

    route = serverless_route("http", settings, Location("serverless.yml", 3))
    assert route is not None and route.proxy_event is proxy


def test_cdk_method_options_named_through_a_variable_authorise_the_route(tmp_path):
    """`const authorized = { authorizationType: AuthorizationType.COGNITO, authorizer }` passed to
    every `addMethod` (a chat app's REST API), a spread of it with more options, and an HTTP API's
    `addRoutes(routeProps)` whose props a variable holds: the routes are authorised, not open."""
    (tmp_path / "lib").mkdir()
    stack = tmp_path / "lib" / "notes-api.ts"
    stack.write_text(
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { AuthorizationType, CognitoUserPoolsAuthorizer, LambdaIntegration, RestApi }\n"
        "  from 'aws-cdk-lib/aws-apigateway';\n"
        "import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';\n"
        "import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';\n\n"
        "export class NotesApi extends Construct {\n"
        "  constructor(scope: Construct, id: string, props: NotesApiProps) {\n"
        "    super(scope, id);\n"
        "    const listNotes = new NodejsFunction(this, 'ListNotes', { runtime: Runtime.NODEJS_22_X, entry: './lambda/listNotes.ts' });\n"
        "    const shareNote = new NodejsFunction(this, 'ShareNote', { runtime: Runtime.NODEJS_22_X, entry: './lambda/shareNote.ts' });\n"
        "    const sync = new NodejsFunction(this, 'Sync', { runtime: Runtime.NODEJS_22_X, entry: './lambda/sync.ts' });\n"
        "    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool] });\n"
        "    const signedIn = {\n"
        "      authorizationType: AuthorizationType.COGNITO,\n"
        "      authorizer,\n"
        "    };\n"
        "    const api = new RestApi(this, 'Api', { deployOptions: { stageName: 'api' } });\n"
        "    const notes = api.root.addResource('notes');\n"
        "    notes.addMethod('GET', new LambdaIntegration(listNotes), signedIn);\n"
        "    notes.addResource('share').addMethod('POST', new LambdaIntegration(shareNote), { ...signedIn, apiKeyRequired: true });\n"
        "    notes.addResource('public').addMethod('GET', new LambdaIntegration(listNotes), { apiKeyRequired: false });\n"
        "    const httpApi = new HttpApi(this, 'SyncApi');\n"
        "    const integration = new HttpLambdaIntegration('Integration', sync);\n"
        "    let routeProps: any = {\n"
        "      path: '/{proxy+}',\n"
        "      integration,\n"
        "      methods: [HttpMethod.GET, HttpMethod.POST],\n"
        "      authorizer: props.httpAuthorizer,\n"
        "    };\n"
        "    httpApi.addRoutes(routeProps);\n"
        "  }\n}\n")
    found = sorted((f["line"], f["function"], f["message"].split("`")[1]) for f in scan(tmp_path)
                   if f["rule_id"] == "LR305")
    assert found == [(line_of(stack, "addResource('public')"), "ListNotes", "GET /notes/public")]
    stack.write_text(stack.read_text().replace("      authorizer: props.httpAuthorizer,\n", ""))
    opened = sorted(f["message"].split("`")[1] for f in scan(tmp_path) if f["function"] == "Sync")
    assert opened == ["GET /{proxy+}", "POST /{proxy+}"]   # the HTTP API's routes were read


def test_a_route_whose_authorization_a_condition_chooses_is_judged_in_every_case(tmp_path):
    root = copy(tmp_path, "conditional")
    template = root / "template.yaml"
    findings = {(f["severity"], f["line"]): f["message"] for f in scan(root) if f["rule_id"] == "LR305"}
    # Cognito or IAM in both cases (one asks an API key too): authorised, as is an HTTP route given a JWT
    # authorizer; left without one when its issuer is not set, the route is open then, and says so.
    assert set(findings) == {("warning", line_of(template, "DocumentMethod:")),
                             ("warning", line_of(template, "VerifyRoute:")),
                             ("notice", line_of(template, "StubRoutes:"))}
    verify = findings[("warning", line_of(template, "VerifyRoute:"))]
    assert "has no authorizer when the condition `HasJwtIssuer` is false:" in verify
    # a nested choice: open only when IsProduction is false, whichever identity provider the other picks
    assert "when the condition `IsProduction` is false:" in findings[("warning", line_of(template, "DocumentMethod:"))]
    assert "is declared public when the condition `UseCognito` is false:" in findings[
        ("notice", line_of(template, "StubRoutes:"))]
    assert not any("Fn::If" in message for message in findings.values())


def test_cases_no_conjunction_says_name_only_their_conditions():
    from reviewer.inventory.cloudformation.route_conditions import UNDECIDED, Access, route_access

    def judge(chosen):
        return Access(None if chosen["Type"] == "NONE" else chosen["Type"])

    either = {"Type": {"Fn::If": ["A", "NONE", {"Fn::If": ["B", "NONE", "AWS_IAM"]}]}}
    access = route_access(either, judge)
    assert access.access.authorizer is None and access.open_when == () and access.open_by == ("A", "B")
    both = {"Type": {"Fn::If": ["A", {"Fn::If": ["B", "NONE", "AWS_IAM"]}, "AWS_IAM"]}}
    assert route_access(both, judge).open_when == (("A", True), ("B", True))
    # more conditions than are read, or a chain deeper than is followed: not known to be open
    many = {f"Type{n}": {"Fn::If": [f"C{n}", "NONE", "AWS_IAM"]} for n in range(4)}
    assert route_access(many, lambda chosen: judge({"Type": chosen["Type0"]})).access.authorizer == UNDECIDED
    deep: object = "NONE"
    for depth in range(6):
        deep = {"Fn::If": [f"C{depth % 2}", deep, deep]}
    assert route_access({"Type": deep}, judge).access.authorizer == UNDECIDED
