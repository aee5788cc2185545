"""LR305 for `LambdaRestApi` in Java, Kotlin, C# and Go CDK apps: every path proxied to the
handler (`ANY /{proxy+}`), authorised only when `defaultMethodOptions` says so."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

JAVA = """\
package com.example;
import software.amazon.awscdk.services.apigateway.*;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
public class ShopStack {
    public ShopStack(Object scope, String id) {
        Function open = Function.Builder.create(this, "Open")
            .runtime(Runtime.NODEJS_22_X).code(Code.fromAsset("lambda")).handler("open.handler").build();
        Function guarded = Function.Builder.create(this, "Guarded")
            .runtime(Runtime.NODEJS_22_X).code(Code.fromAsset("lambda")).handler("guarded.handler").build();
        Function routed = Function.Builder.create(this, "Routed")
            .runtime(Runtime.NODEJS_22_X).code(Code.fromAsset("lambda")).handler("routed.handler").build();
        LambdaRestApi.Builder.create(this, "OpenApi").handler(open).build();
        LambdaRestApi.Builder.create(this, "GuardedApi").handler(guarded)
            .defaultMethodOptions(MethodOptions.builder().authorizationType(AuthorizationType.IAM).build()).build();
        LambdaRestApi.Builder.create(this, "RoutedApi").handler(routed).proxy(false).build();
    }
}
"""

KOTLIN = """\
import software.amazon.awscdk.services.apigateway.LambdaRestApi
import software.amazon.awscdk.services.lambda.Function
import software.amazon.awscdk.services.lambda.Runtime
class ShopStack(scope: Any, id: String) {
    init {
        val open = Function.Builder.create(this, "Open").runtime(Runtime.NODEJS_22_X).handler("open.handler").build()
        LambdaRestApi.Builder.create(this, "OpenApi").handler(open).build()
    }
}
"""

CSHARP = """\
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.Lambda;
namespace Shop {
    public class ShopStack {
        public ShopStack(string id) {
            var open = new Function(this, "Open", new FunctionProps { Runtime = Runtime.NODEJS_22_X, Handler = "open.handler" });
            var guarded = new Function(this, "Guarded", new FunctionProps { Runtime = Runtime.NODEJS_22_X, Handler = "g.handler" });
            new LambdaRestApi(this, "OpenApi", new LambdaRestApiProps { Handler = open });
            new LambdaRestApi(this, "GuardedApi", new LambdaRestApiProps {
                Handler = guarded, DefaultMethodOptions = new MethodOptions { Authorizer = authorizer } });
        }
    }
}
"""

GO = """\
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

func NewShop(stack awscdk.Stack) {
	open := awslambda.NewFunction(stack, jsii.String("Open"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String("open.handler"),
	})
	guarded := awslambda.NewFunction(stack, jsii.String("Guarded"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String("g.handler"),
	})
	awsapigateway.NewLambdaRestApi(stack, jsii.String("OpenApi"), &awsapigateway.LambdaRestApiProps{Handler: open})
	awsapigateway.NewLambdaRestApi(stack, jsii.String("GuardedApi"), &awsapigateway.LambdaRestApiProps{
		Handler:              guarded,
		DefaultMethodOptions: &awsapigateway.MethodOptions{AuthorizationType: awsapigateway.AuthorizationType_IAM},
	})
}
"""


def routes(tmp_path: Path, rel: str, text: str) -> dict[str, list[tuple[str, str, str | None, int]]]:
    (tmp_path / "cdk.json").write_text("{}")
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text(text)
    return {fn.name: [(r.method, r.path, r.authorizer, r.location.line) for r in fn.routes]
            for fn in build_inventory(Workspace(tmp_path)).functions}


def test_java_lambda_rest_api_proxies_every_path_unless_authorised_or_not_a_proxy(tmp_path):
    assert routes(tmp_path, "src/main/java/com/example/ShopStack.java", JAVA) == {
        "Open": [("ANY", "/{proxy+}", None, 14)],
        "Guarded": [("ANY", "/{proxy+}", "IAM", 15)],
        "Routed": [],
    }


def test_kotlin_lambda_rest_api(tmp_path):
    assert routes(tmp_path, "infra/ShopStack.kt", KOTLIN) == {"Open": [("ANY", "/{proxy+}", None, 7)]}


def test_csharp_lambda_rest_api_with_default_method_options(tmp_path):
    assert routes(tmp_path, "src/Shop/ShopStack.cs", CSHARP) == {
        "Open": [("ANY", "/{proxy+}", None, 8)],
        "Guarded": [("ANY", "/{proxy+}", "authorizer", 9)],
    }


def test_go_lambda_rest_api_with_default_method_options(tmp_path):
    assert routes(tmp_path, "shop.go", GO) == {
        "Open": [("ANY", "/{proxy+}", None, 16)],
        "Guarded": [("ANY", "/{proxy+}", "IAM", 17)],
    }


HTTP_CSHARP = """\
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AwsApigatewayv2Integrations;
namespace Site {
    public class SiteStack {
        public SiteStack(string id) {
            var site = new Function(this, "Site", new FunctionProps { Runtime = Runtime.DOTNET_8, Handler = "Site::Site.Entry::Handle" });
            var admin = new Function(this, "Admin", new FunctionProps { Runtime = Runtime.DOTNET_8, Handler = "Admin::Admin.Entry::Handle" });
            var siteApi = new HttpApi(this, "SiteApi", new HttpApiProps
            {
                DefaultIntegration = new HttpLambdaIntegration("SiteIntegration", site, new HttpLambdaIntegrationProps
                {
                    PayloadFormatVersion = PayloadFormatVersion.VERSION_2_0
                })
            });
            new HttpApi(this, "AdminApi", new HttpApiProps {
                DefaultIntegration = new HttpLambdaIntegration("AdminIntegration", admin), DefaultAuthorizer = jwt });
        }
    }
}
"""

HTTP_GO = """\
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

func NewSite(stack awscdk.Stack) {
	site := awslambda.NewFunction(stack, jsii.String("Site"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String("bootstrap"),
	})
	awsapigatewayv2.NewHttpApi(stack, jsii.String("SiteApi"), &awsapigatewayv2.HttpApiProps{
		DefaultIntegration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("SiteIntegration"), site, nil),
	})
}
"""


def test_an_http_apis_default_lambda_integration_is_its_default_route(tmp_path):
    (tmp_path / "cs").mkdir()
    (tmp_path / "go").mkdir()
    assert routes(tmp_path / "cs", "src/Site/SiteStack.cs", HTTP_CSHARP) == {
        "Site": [("ANY", "$default", None, 9)],
        "Admin": [("ANY", "$default", "jwt", 16)],
    }
    assert routes(tmp_path / "go", "site.go", HTTP_GO) == {"Site": [("ANY", "$default", None, 14)]}
