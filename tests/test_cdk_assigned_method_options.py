"""A TypeScript CDK construct that writes its method options as an object, then sets the
authorizer on it in a statement of its own when it is given one (`authorizationOptions.authorizer
= props.authorizer`), and adds its one proxy method with those options: the route is the
authorizer's, not one with no authorizer (LR305)."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

API_CONSTRUCT = """\
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ConsoleApiProps {
  authorizer?: apigateway.IAuthorizer;
}

export class ConsoleApi extends Construct {
  constructor(scope: Construct, id: string, props: ConsoleApiProps) {
    super(scope, id);
    const handler = new lambda.Function(this, 'ConsoleHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'api.handler',
      code: lambda.Code.fromAsset('../api'),
    });
    const api = new apigateway.RestApi(this, 'ConsoleRestApi', {});

    const methodOptions: any = {
      apiKeyRequired: false,
    };
    if (props.authorizer) {
      methodOptions.authorizationType = apigateway.AuthorizationType.COGNITO;
      methodOptions.authorizer = props.authorizer;
    }

    const proxy = api.root.addResource('{proxy+}');
    proxy.addMethod('ANY', new apigateway.LambdaIntegration(handler), methodOptions);
  }
}
"""


def test_an_authorizer_set_on_the_method_options_after_they_are_written_is_the_route_s(tmp_path):
    (tmp_path / "infra" / "lib").mkdir(parents=True)
    (tmp_path / "infra" / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "infra" / "lib" / "console-api.ts").write_text(API_CONSTRUCT)
    (function,) = build_inventory(Workspace(tmp_path)).functions
    (route,) = function.routes
    assert (route.method, route.path, route.authorizer, route.location.line) == ("ANY", "/{proxy+}", "COGNITO", 28)
