"""Loops in CDK apps written in Java, Kotlin, C# and Go: their event sources (`addEventSource` with
a builder, `AddEventSource`, `NewS3EventSource`), bucket notifications and the constructs their
environment names (`getBucketName()`, `BucketName`, `mapOf("K" to ...)`, a C# dictionary), read like
TypeScript's and judged by the same loop check."""

from __future__ import annotations

from reviewer.model import ResourceRef
from tests.test_inventory_cdk_languages import inventory
from tests.test_recursion_cdk import HANDLER, _write, verdicts

JAVA = """import software.amazon.awscdk.services.lambda.*;
import software.amazon.awscdk.services.lambda.eventsources.S3EventSource;
import software.amazon.awscdk.services.s3.*;
import java.util.List;
import java.util.Map;

public class Media extends Stack {
    public Media(Construct scope, String id) {
        super(scope, id);
        Bucket images = Bucket.Builder.create(this, "Images").build();
        Function resize = Function.Builder.create(this, "JavaResize")
                .runtime(Runtime.PYTHON_3_13)
                .handler("app.handler")
                .code(Code.fromAsset("resize"))
                .build();
        resize.addEnvironment("BUCKET", images.getBucketName());
        resize.addEventSource(S3EventSource.Builder.create(images)
                .events(List.of(EventType.OBJECT_CREATED))
                .filters(List.of(NotificationKeyFilter.builder().prefix("incoming/").build()))
                .build());
    }
}
"""

KOTLIN = """import software.amazon.awscdk.services.lambda.Function
import software.amazon.awscdk.services.lambda.Runtime
import software.amazon.awscdk.services.lambda.Code
import software.amazon.awscdk.services.s3.Bucket
import software.amazon.awscdk.services.s3.EventType
import software.amazon.awscdk.services.s3.notifications.LambdaDestination

class Media(scope: Construct, id: String) : Stack(scope, id) {
    init {
        val images = Bucket.Builder.create(this, "Images").build()
        val resize = Function.Builder.create(this, "KotlinResize")
            .runtime(Runtime.PYTHON_3_13)
            .handler("app.handler")
            .code(Code.fromAsset("resize"))
            .environment(mapOf("BUCKET" to images.bucketName))
            .build()
        images.addEventNotification(EventType.OBJECT_CREATED, LambdaDestination(resize))
    }
}
"""

CSHARP = """using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.S3;
using System.Collections.Generic;

public class Media : Stack
{
    internal Media(Construct scope, string id) : base(scope, id)
    {
        var images = new Bucket(this, "Images");
        var resize = new Function(this, "CsResize", new FunctionProps
        {
            Runtime = Runtime.PYTHON_3_13,
            Handler = "app.handler",
            Code = Code.FromAsset("resize"),
            Environment = new Dictionary<string, string> { { "BUCKET", images.BucketName } }
        });
        resize.AddEventSource(new S3EventSource(images, new S3EventSourceProps
        {
            Events = new[] { EventType.OBJECT_CREATED }
        }));
    }
}
"""

GO = """package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

func NewMedia(stack awscdk.Stack) {
	images := awss3.NewBucket(stack, jsii.String("Images"), nil)
	resize := awslambda.NewFunction(stack, jsii.String("GoResize"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_PYTHON_3_13(),
		Handler: jsii.String("app.handler"),
		Code:    awslambda.Code_FromAsset(jsii.String("resize"), nil),
	})
	resize.AddEnvironment(jsii.String("BUCKET"), images.BucketName(), nil)
	resize.AddEventSource(awslambdaeventsources.NewS3EventSource(images, &awslambdaeventsources.S3EventSourceProps{
		Events:  &[]awss3.EventType{awss3.EventType_OBJECT_CREATED},
		Filters: &[]*awss3.NotificationKeyFilter{{Prefix: jsii.String("incoming/")}},
	}))
}
"""

def test_event_sources_and_environments_of_jvm_dotnet_and_go_stacks_are_read(tmp_path):
    root = _write(tmp_path, {"cdk.json": '{"app": "x"}', "resize/app.py": HANDLER, "java/Media.java": JAVA,
                             "kotlin/Media.kt": KOTLIN, "csharp/Media.cs": CSHARP, "go/media.go": GO})
    assert verdicts(root) == {
        ("LR203", "notice", "JavaResize", "resize/app.py:9"),   # thumbs/... is outside the incoming/ filter
        ("LR201", "error", "KotlinResize", "resize/app.py:9"),  # a bucket notification, mapOf environment
        ("LR201", "error", "CsResize", "resize/app.py:9"),      # a dictionary environment
        ("LR203", "notice", "GoResize", "resize/app.py:9"),     # a Go struct filter
    }


def test_environment_maps_of_each_language_are_read_entry_by_entry(tmp_path):
    """Java's `Map.of` and `Collections.singletonMap`, Kotlin's `mapOf(... to ...)`, a C# dictionary initializer and a Go map literal:
    literal values are the function's environment (so a live key is LR304), construct attributes
    are references; before, none of them was read."""
    _write(tmp_path, {
        "cdk.json": '{"app": "x"}',
        "src/app.py": "def handler(event, context):\n    return None\n",
        "Pay.java": (
            "import software.amazon.awscdk.services.lambda.*;\n"
            "Function.Builder.create(this, \"JavaPay\").runtime(Runtime.PYTHON_3_13).handler(\"app.handler\")\n"
            "    .code(Code.fromAsset(\"src\"))\n"
            "    .environment(Map.of(\"STAGE\", \"prod\", \"TABLE\", table.getTableName())).build();\n"
            "Function.Builder.create(this, \"JavaTune\").runtime(Runtime.PYTHON_3_13).handler(\"app.handler\")\n"
            "    .code(Code.fromAsset(\"src\"))\n"
            "    .environment(Collections\n        .singletonMap(\"JAVA_TOOL_OPTIONS\", \"-Xshare:auto\")).build();\n"),
        "Pay.kt": (
            "import software.amazon.awscdk.services.lambda.Function\n"
            "val pay = Function.Builder.create(this, \"KotlinPay\").runtime(Runtime.PYTHON_3_13)\n"
            "    .handler(\"app.handler\").code(Code.fromAsset(\"src\"))\n"
            "    .environment(mapOf(\"STAGE\" to \"prod\", \"TABLE\" to table.tableName)).build()\n"),
        "Pay.cs": (
            "using Amazon.CDK.AWS.Lambda;\n"
            "class Pay { void F() { new Function(this, \"CsPay\", new FunctionProps {\n"
            "    Runtime = Runtime.PYTHON_3_13, Handler = \"app.handler\", Code = Code.FromAsset(\"src\"),\n"
            "    Environment = new Dictionary<string, string> { { \"STAGE\", \"prod\" }, [\"TABLE\"] = Table.TableName }\n"
            "}); } }\n"),
    })
    fns = inventory(tmp_path)
    assert {name: fn.environment for name, fn in fns.items()} == {
        "JavaPay": {"STAGE": "prod", "TABLE": ResourceRef("cdk", "Pay.java#table")},
        "JavaTune": {"JAVA_TOOL_OPTIONS": "-Xshare:auto"},
        "KotlinPay": {"STAGE": "prod", "TABLE": ResourceRef("cdk", "Pay.kt#table")},
        "CsPay": {"STAGE": "prod", "TABLE": ResourceRef("cdk", "Pay.cs#Table")},
    }


EVENTS_HANDLER = """import boto3
events = boto3.client("events")


def handler(event, context):
    events.put_events(Entries=[{"Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": "{}"}])
"""


def test_eventbridge_rules_pointed_at_functions_are_triggers(tmp_path):
    """`new events.Rule(..., {targets: [new LambdaFunction(fn)]})`, `rule.addTarget(...)` (a variable
    given one rule, then another, targets the second) and Python's `rule.add_target(...)`: a
    handler that puts the event its rule's pattern accepts is a loop; a pattern it does not match,
    or a schedule, is none."""
    root = _write(tmp_path, {
        "cdk.json": '{"app": "x"}',
        "emit/app.py": EVENTS_HANDLER,
        "lib/stack.ts": (
            "import * as events from 'aws-cdk-lib/aws-events';\n"
            "import * as targets from 'aws-cdk-lib/aws-events-targets';\n"
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "const props = { runtime: lambda.Runtime.PYTHON_3_13, handler: 'app.handler',\n"
            "  code: lambda.Code.fromAsset('emit') };\n"
            "const echo = new lambda.Function(this, 'Echo', props);\n"
            "new events.Rule(this, 'Placed', {\n"
            "  eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced'] },\n"
            "  targets: [new targets.LambdaFunction(echo)],\n"
            "});\n"
            "const audit = new lambda.Function(this, 'Audit', props);\n"
            "let rule = new events.Rule(this, 'Shipped', { eventPattern: { source: ['shop.orders'] } });\n"
            "rule = new events.Rule(this, 'Refunds', { eventPattern: { source: ['shop.refunds'] } });\n"
            "rule.addTarget(new targets.LambdaFunction(audit));\n"
            "const nightly = new lambda.Function(this, 'Nightly', props);\n"
            "new events.Rule(this, 'Night', { schedule: events.Schedule.cron({ hour: '2' }),\n"
            "  targets: [new targets.LambdaFunction(nightly)] });\n"),
        "stack.py": (
            "from aws_cdk import aws_events as events, aws_events_targets as targets, aws_lambda as lambda_\n"
            "relay = lambda_.Function(self, 'Relay', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
            "                         code=lambda_.Code.from_asset('emit'))\n"
            "rule = events.Rule(self, 'Orders', event_pattern=events.EventPattern(source=['shop.orders']))\n"
            "rule.add_target(targets.LambdaFunction(relay))\n"),
    })
    assert verdicts(root) == {
        ("LR201", "error", "Echo", "emit/app.py:6"),
        ("LR201", "error", "Relay", "emit/app.py:6"),
    }
    fns = inventory(root)
    assert [(t.kind, t.attributes["name"]) for t in fns["Audit"].triggers] == [("eventbridge", "Rule Refunds")]
    assert [t.kind for t in fns["Nightly"].triggers] == ["schedule"]
