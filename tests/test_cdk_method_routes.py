"""REST API methods of Java, Kotlin, C# and Go CDK apps (`resource.addMethod(...)`) are routes LR305 judges."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def routes(root: Path) -> list[tuple[str, str, int, str]]:
    out = root / "report.json"
    main(["scan", str(root), "--format", "json", "--output", str(out), "--fail-on", "never", "--audit", "off",
          "--reference-date", "2026-12-07"], stdout=io.StringIO())
    report = json.loads(out.read_text())
    return sorted((f["function"], f["path"], f["line"], f["message"].split("`")[1]
                   + (" (API key)" if "requires an API key" in f["message"] else ""))
                  for f in report["findings"] if f["rule_id"] == "LR305")


def test_csharp_resources_of_the_root_and_an_integration_in_a_variable(tmp_path):
    """`api.Root.AddResource("teams")` kept in a variable, `AddMethod("ANY", integration, options)`:
    one route; a mock integration, an `OPTIONS` preflight and an authorised method are not LR305;
    the methods of a proxying `LambdaRestApi` are no routes (CDK refuses them)."""
    (tmp_path / "cdk.json").write_text('{"app": "dotnet run --project src/App/App.csproj"}')
    (tmp_path / "Stack.cs").write_text(
        "using Amazon.CDK;\n"
        "using Amazon.CDK.AWS.APIGateway;\n"
        "using Amazon.CDK.AWS.Lambda;\n"
        "public class AppStack : Stack {\n"
        "  internal AppStack(Construct scope, string id) : base(scope, id) {\n"
        "    var teams = new Function(this, \"Teams\", new FunctionProps { Runtime = Runtime.DOTNET_8,\n"
        "      Handler = \"Teams::Teams.Function::Handler\", Code = Code.FromAsset(\"teams\") });\n"
        "    var api = new RestApi(this, \"TeamsApi\", new RestApiProps { RestApiName = \"teams\" });\n"
        "    var teamsResource = api.Root.AddResource(\"teams\");\n"
        "    var integration = new LambdaIntegration(teams, new LambdaIntegrationOptions { Proxy = true });\n"
        "    teamsResource.AddMethod(\"ANY\", integration, new MethodOptions { });\n"
        "    teamsResource.AddMethod(\"OPTIONS\", new MockIntegration(new IntegrationOptions { }));\n"
        "    teamsResource.AddResource(\"{id}\").AddMethod(\"GET\", integration, new MethodOptions {\n"
        "      AuthorizationType = AuthorizationType.IAM });\n"
        "    var other = new Function(this, \"Other\", new FunctionProps { Runtime = Runtime.DOTNET_8,\n"
        "      Handler = \"Other::Other.Function::Handler\", Code = Code.FromAsset(\"other\") });\n"
        "    var proxied = new LambdaRestApi(this, \"Proxied\", new LambdaRestApiProps { Handler = other });\n"
        "    proxied.Root.AddResource(\"items\").AddMethod(\"GET\");\n"
        "  }\n"
        "}\n")
    assert routes(tmp_path) == [("Other", "Stack.cs", 17, "ANY /{proxy+}"), ("Teams", "Stack.cs", 11, "ANY /teams")]


def test_java_builders_and_go_struct_options(tmp_path):
    """Java `RestApi.Builder.create(...)`, `api.getRoot().addResource(...)`, an integration built
    inline; Go `restApi.Root().AddResource(jsii.String("x"), nil)` with `ApiKeyRequired` options."""
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    (tmp_path / "Stack.java").write_text(
        "import software.amazon.awscdk.services.apigateway.*;\n"
        "import software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "public class Stack {\n"
        "  public Stack() {\n"
        "    Function quotes = Function.Builder.create(this, \"Quotes\").runtime(Runtime.JAVA_21)\n"
        "        .handler(\"app.Quotes::handleRequest\").code(Code.fromAsset(\"app\")).build();\n"
        "    RestApi api = RestApi.Builder.create(this, \"Api\").restApiName(\"quotes\").build();\n"
        "    Resource quote = api.getRoot().addResource(\"quotes\").addResource(\"{id}\");\n"
        "    quote.addMethod(\"GET\", LambdaIntegration.Builder.create(quotes).proxy(true).build());\n"
        "  }\n"
        "}\n")
    (tmp_path / "app.go").write_text(
        "package main\n"
        "import (\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway\"\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "  \"github.com/aws/jsii-runtime-go\"\n"
        ")\n"
        "func NewChatStack(stack awscdk.Stack) {\n"
        "  putFunction := awslambda.NewFunction(stack, jsii.String(\"Put\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"put\"), nil),\n"
        "  })\n"
        "  restApi := awsapigateway.NewRestApi(stack, jsii.String(\"Chat\"), &awsapigateway.RestApiProps{})\n"
        "  records := restApi.Root().AddResource(jsii.String(\"records\"), nil)\n"
        "  records.AddMethod(jsii.String(\"POST\"), awsapigateway.NewLambdaIntegration(putFunction, nil),\n"
        "    &awsapigateway.MethodOptions{ApiKeyRequired: jsii.Bool(true)})\n"
        "}\n")
    assert routes(tmp_path) == [("Put", "app.go", 14, "POST /records (API key)"), ("Quotes", "Stack.java", 11, "GET /quotes/{id}")]


def test_http_api_routes_of_go_java_and_csharp(tmp_path):
    """An HTTP API's `AddRoutes` (in the shape of AWS-GO-CDK-EVENTDRIVEN's Go stack): one route per
    method written, `ANY` when none is; a route authorised by itself or by the API's
    `defaultAuthorizer` is not LR305, and one whose path or methods are computed is left out."""
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (tmp_path / "app.go").write_text(
        "package main\n"
        "import (\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2\"\n"
        "  integ \"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations\"\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "  \"github.com/aws/jsii-runtime-go\"\n"
        ")\n"
        "func NewEventsStack(stack awscdk.Stack) {\n"
        "  lister := awslambda.NewFunction(stack, jsii.String(\"Lister\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"lister\"), nil),\n"
        "  })\n"
        "  events := awsapigatewayv2.NewHttpApi(stack, jsii.String(\"Events\"), &awsapigatewayv2.HttpApiProps{})\n"
        "  events.AddRoutes(&awsapigatewayv2.AddRoutesOptions{\n"
        "    Path: jsii.String(\"/events\"),\n"
        "    Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_DELETE},\n"
        "    Integration: integ.NewHttpLambdaIntegration(jsii.String(\"List\"), lister, nil),\n"
        "  })\n"
        "  events.AddRoutes(&awsapigatewayv2.AddRoutesOptions{\n"
        "    Path: jsii.String(\"/admin\"),\n"
        "    Integration: integ.NewHttpLambdaIntegration(jsii.String(\"Admin\"), lister, nil),\n"
        "    Authorizer: adminAuthorizer,\n"
        "  })\n"
        "}\n")
    (tmp_path / "Stack.java").write_text(
        "import java.util.List;\n"
        "import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;\n"
        "import software.amazon.awscdk.services.apigatewayv2.*;\n"
        "import software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "public class Stack {\n"
        "  public Stack() {\n"
        "    Function quotes = Function.Builder.create(this, \"Quotes\").runtime(Runtime.JAVA_21)\n"
        "        .handler(\"app.Quotes::handleRequest\").code(Code.fromAsset(\"app\")).build();\n"
        "    HttpApi api = HttpApi.Builder.create(this, \"Api\").build();\n"
        "    api.addRoutes(AddRoutesOptions.builder().path(\"/quotes\")\n"
        "        .integration(new HttpLambdaIntegration(\"Quotes\", quotes)).build());\n"
        "  }\n"
        "}\n")
    (tmp_path / "Stack.cs").write_text(
        "using Amazon.CDK;\n"
        "using Amazon.CDK.AWS.Apigatewayv2;\n"
        "using Amazon.CDK.AwsApigatewayv2Integrations;\n"
        "using Amazon.CDK.AWS.Lambda;\n"
        "public class AccountStack : Stack {\n"
        "  public AccountStack(Construct scope, string id) : base(scope, id) {\n"
        "    var login = new Function(this, \"Login\", new FunctionProps { Runtime = Runtime.DOTNET_8,\n"
        "        Handler = \"Account::Account.Functions::Login\", Code = Code.FromAsset(\"account\") });\n"
        "    var api = new HttpApi(this, \"AccountApi\", new HttpApiProps { DefaultAuthorizer = jwtAuthorizer });\n"
        "    api.AddRoutes(new AddRoutesOptions { Path = \"/account/login\", Methods = new[] { HttpMethod.POST },\n"
        "        Integration = new HttpLambdaIntegration(\"LoginIntegration\", login) });\n"
        "    foreach (var route in routes) {\n"
        "      api.AddRoutes(new AddRoutesOptions { Path = route.Path, Methods = new[] { route.Method },\n"
        "          Integration = new HttpLambdaIntegration(\"Each\", login) });\n"
        "    }\n"
        "  }\n"
        "}\n")
    assert routes(tmp_path) == [("Lister", "app.go", 14, "DELETE /events"), ("Lister", "app.go", 14, "GET /events"),
                                ("Quotes", "Stack.java", 12, "ANY /quotes")]


def test_a_cdk_v1_http_integration_names_its_handler(tmp_path):
    """CDK v1's `LambdaProxyIntegration.Builder.create().handler(fn).build()` kept in a variable (the
    shape of superluminar-io's cdk-java-workshop): the route invokes that handler."""
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    (tmp_path / "Stack.java").write_text(
        "import software.amazon.awscdk.services.apigatewayv2.*;\n"
        "import software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "public class Stack {\n"
        "  public Stack() {\n"
        "    Function shorten = Function.Builder.create(this, \"Shorten\").runtime(Runtime.JAVA_21)\n"
        "        .handler(\"app.Shorten::handleRequest\").code(Code.fromAsset(\"app\")).build();\n"
        "    LambdaProxyIntegration shortening = LambdaProxyIntegration.Builder.create().handler(shorten).build();\n"
        "    HttpApi api = HttpApi.Builder.create(this, \"Links\").build();\n"
        "    api.addRoutes(AddRoutesOptions.builder().path(\"/links\")\n"
        "        .methods(Arrays.asList(HttpMethod.POST)).integration(shortening).build());\n"
        "  }\n"
        "}\n")
    assert routes(tmp_path) == [("Shorten", "Stack.java", 11, "POST /links")]
