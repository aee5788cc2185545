"""A CDK function's environment written other than as one literal map: passed by a helper's
caller under the parameter's name (Kotlin `environment = mapOf(...)`, read through the helper's
`environment ?: emptyMap()`), keyed by an enum constant's name (`ENV.photo_bucket.name`), or made
empty and filled statement by statement (Java `new HashMap<>()` then `put`). Each variable is the
function's, so a secret in it is reported and the loop check knows the resources it names."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.model import ResourceRef
from reviewer.workspace import Workspace

KOTLIN_APP = Path(__file__).parent / "fixtures" / "cdk" / "kotlin-env-helper-app"
GALLERY_STACK = "src/main/kotlin/com/example/gallery/GalleryStack.kt"


def _scan(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return json.loads(out.getvalue())["findings"]


def test_a_kotlin_helper_callers_environment_keyed_by_enum_names_is_the_functions():
    (fn,) = build_inventory(Workspace(KOTLIN_APP)).functions
    assert fn.environment == {
        "photo_bucket": ResourceRef("cdk", f"{GALLERY_STACK}#photoBucket"),
        "thumbnail_queue": ResourceRef("cdk", f"{GALLERY_STACK}#thumbnailQueue"),
        "signing_secret": "sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf",
    }
    assert "Environment" not in fn.unresolved
    assert fn.locations["Environment.signing_secret"].line == 32


def test_a_secret_a_kotlin_helpers_caller_passes_is_reported_at_the_callers_line():
    secrets = [(f["path"], f["line"]) for f in _scan(KOTLIN_APP) if f["rule_id"] == "LR304"]
    assert secrets == [(GALLERY_STACK, 32)]


JAVA_STACK = """package com.example.orders;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

public class OrdersStack extends Stack {
    public OrdersStack(final Construct scope, final String id) {
        super(scope, id, null);
        createOrdersFunction();
        createRefundsFunction(new HashMap<>());
    }

    private Function createOrdersFunction() {
        Map<String, String> environment = new HashMap<>();
        environment.put("LOG_LEVEL", "INFO");
        environment.put("PAYMENT_API_KEY", "sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf");

        return Function.Builder.create(this, "OrdersFunction")
                .runtime(Runtime.JAVA_17)
                .code(Code.fromAsset("../orders/target/orders.jar"))
                .handler("com.example.orders.OrdersHandler")
                .environment(environment)
                .build();
    }

    private Function createRefundsFunction(Map<String, String> shared) {
        Map<String, String> environment = new HashMap<>();
        environment.put("LOG_LEVEL", "INFO");
        environment.putAll(shared);

        return Function.Builder.create(this, "RefundsFunction")
                .runtime(Runtime.JAVA_17)
                .code(Code.fromAsset("../refunds/target/refunds.jar"))
                .handler("com.example.orders.RefundsHandler")
                .environment(environment)
                .build();
    }
}
"""


def _java_app(tmp_path: Path) -> Path:
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    source = tmp_path / "src/main/java/com/example/orders"
    source.mkdir(parents=True)
    (source / "OrdersStack.java").write_text(JAVA_STACK)
    return tmp_path


def test_a_java_map_made_empty_and_filled_by_put_is_the_functions_environment(tmp_path):
    fns = {fn.name: fn for fn in build_inventory(Workspace(_java_app(tmp_path))).functions}
    orders = fns["OrdersFunction"]
    assert orders.environment == {"LOG_LEVEL": "INFO", "PAYMENT_API_KEY": "sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf"}
    assert orders.locations["Environment.PAYMENT_API_KEY"].line == 21
    secrets = [(f["function"], f["line"]) for f in _scan(tmp_path) if f["rule_id"] == "LR304"]
    assert secrets == [("OrdersFunction", 21)]


def test_a_java_map_filled_from_another_map_says_it_was_not_read_rather_than_nothing(tmp_path):
    refunds = {fn.name: fn for fn in build_inventory(Workspace(_java_app(tmp_path))).functions}["RefundsFunction"]
    assert refunds.unresolved["Environment"] == "filled by `environment.putAll(shared)`"


GO_APP = """package main

import (
\t"github.com/aws/aws-cdk-go/awscdk/v2"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
\t"github.com/aws/jsii-runtime-go"
)

func NewInventoryStack(scope awscdk.App, id string) awscdk.Stack {
\tstack := awscdk.NewStack(scope, &id, nil)
\ttable := awsdynamodb.NewTable(stack, jsii.String("Items"), &awsdynamodb.TableProps{
\t\tPartitionKey: &awsdynamodb.Attribute{Name: jsii.String("pk"), Type: awsdynamodb.AttributeType_STRING},
\t})
\tenvironment := map[string]*string{}
\tenvironment["TABLE_NAME"] = table.TableName()
\tenvironment["STAGE"] = jsii.String("prod")
\tawslambda.NewFunction(stack, jsii.String("Inventory"), &awslambda.FunctionProps{
\t\tRuntime:     awslambda.Runtime_PROVIDED_AL2023(),
\t\tHandler:     jsii.String("bootstrap"),
\t\tCode:        awslambda.Code_FromAsset(jsii.String("dist/inventory"), nil),
\t\tEnvironment: &environment,
\t})
\treturn stack
}
"""


def test_a_go_map_filled_by_index_assignments_is_the_functions_environment(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (tmp_path / "app.go").write_text(GO_APP)
    (fn,) = build_inventory(Workspace(tmp_path)).functions
    assert fn.environment == {"TABLE_NAME": ResourceRef("cdk", "app.go#table"), "STAGE": "prod"}
    assert "Environment" not in fn.unresolved


TS_HELPER = """import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ServiceFunctionProps {
  handler: string;
  environment?: { [key: string]: string };
}

export function serviceFunction(scope: Construct, id: string, props: ServiceFunctionProps): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_20_X,
    code: lambda.Code.fromAsset('services'),
    handler: props.handler,
    environment: props.environment,
  });
}
"""
TS_STACK = """import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { serviceFunction } from './service-function';

export class ReceiptsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const receipts = new s3.Bucket(this, 'Receipts');
    serviceFunction(this, 'Scanner', {
      handler: 'scanner.handler',
      environment: {
        RECEIPTS_BUCKET: receipts.bucketName,
        OCR_API_KEY: 'sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf',
      },
    });
  }
}
"""


def test_a_typescript_helpers_caller_in_another_module_gives_the_function_its_environment(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/receipts.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/service-function.ts").write_text(TS_HELPER)
    (tmp_path / "lib/receipts-stack.ts").write_text(TS_STACK)
    (fn,) = build_inventory(Workspace(tmp_path)).functions
    assert fn.environment == {"RECEIPTS_BUCKET": ResourceRef("cdk", "lib/receipts-stack.ts#receipts"),
                              "OCR_API_KEY": "sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf"}
    assert "Environment" not in fn.unresolved
    secrets = [(f["path"], f["line"]) for f in _scan(tmp_path) if f["rule_id"] == "LR304"]
    assert secrets == [("lib/receipts-stack.ts", 14)]
