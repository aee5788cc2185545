"""What each inventory format answers so that no other room reads a format (issue 16, "one house").

Analyzers, `code/` and `review/` ask the inventory format-free questions: does this broken file
declare functions, what inline code does a function carry, which resource does a permission's
source name, what passes its events on to a queue or topic, how does a line spell a runtime,
is a file build output. Each answer is tested here at the format that gives it; a format added
to `FORMATS` without an answer fails the first test.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reviewer import markdown
from reviewer.inventory import FORMATS, build_inventory, declares_functions
from reviewer.inventory.build_output import is_build_output
from reviewer.inventory.spelling import runtime_replaced
from reviewer.inventory.targets import TemplateNames, deliveries
from reviewer.model import Function, Location, ResourceRef
from reviewer.workspace import Workspace

# One broken file per format, as a change that breaks it would leave it: it no longer parses,
# but its text still says it declares a function.
BROKEN = {
    "cloudformation": ("template.yaml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [\n"),
    "cdk": ("lib/stack.ts", "new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X,\n"),
    "container": ("Dockerfile", "FROM public.ecr.aws/lambda/python:3.13\nCMD [\"app.handler\"\n"),
    "serverless": ("serverless.yml", "service: orders\nfunctions:\n  create: {handler: app.create\n"),
    "terraform": ("main.tf", "resource \"aws_lambda_function\" \"fn\" {\n  runtime = \"python3.13\"\n"),
}
# A Dockerfile alone declares no function: the template, configuration or app that builds it does.
DECLARING_WHEN_BROKEN = {"cloudformation", "cdk", "serverless", "terraform"}


def test_every_format_answers_whether_a_broken_file_declares_functions() -> None:
    assert {fmt.name for fmt in FORMATS} == set(BROKEN), "a format in FORMATS has no broken-file example here"
    for fmt in FORMATS:
        rel, text = BROKEN[fmt.name]
        assert fmt.declares_functions(rel, text) is (fmt.name in DECLARING_WHEN_BROKEN), fmt.name
        # Each format answers for its own spelling only.
        for other, (other_rel, other_text) in BROKEN.items():
            if other != fmt.name and other in DECLARING_WHEN_BROKEN:
                assert not fmt.declares_functions(other_rel, other_text), (fmt.name, other)


def test_the_inventory_answers_for_all_formats_and_not_for_unrelated_files() -> None:
    for name, (rel, text) in BROKEN.items():
        assert declares_functions(rel, text) is (name in DECLARING_WHEN_BROKEN)
    assert not declares_functions("config/settings.yaml", "functions:\n  - {broken\n")   # not a serverless file
    assert declares_functions("serverless.ts", "functions: {create: {handler: 'app.create'")
    assert declares_functions("modules/api/main.tf", 'module "fn" { source = "terraform-aws-modules/lambda/aws"')
    assert declares_functions("stacks/app.py", "_lambda.Function(self, 'Fn', runtime=")


def _inventory(root: Path, files: dict[str, str]) -> dict[str, Function]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


INLINE_TEMPLATE = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Block:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: |
              def handler(event, context):
                  return event
      Joined:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: !Join
              - "\\n"
              - - "def handler(event, context):"
                - "    return None"
      Built:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: !Sub |
              TABLE = "${Table}"
      Sam:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: nodejs22.x
          Handler: index.handler
          InlineCode: "exports.handler = async () => 1;"
      Packaged:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          CodeUri: src/
    """


def test_templates_give_a_function_its_inline_code_resolved_at_its_own_lines(tmp_path: Path) -> None:
    functions = _inventory(tmp_path, {"template.yaml": INLINE_TEMPLATE})

    block = functions["Block"].inline_code
    assert block is not None and block.in_template
    assert block.text is not None and block.text.startswith("def handler(event, context):")
    assert block.location == Location("template.yaml", 11)      # the line after `ZipFile: |`
    joined = functions["Joined"].inline_code
    assert joined is not None and joined.text == "def handler(event, context):\n    return None"
    assert joined.location.line == 21                           # the first joined line
    built = functions["Built"].inline_code
    assert built is not None and built.text is None and built.built_by == "Fn::Sub"
    sam = functions["Sam"].inline_code
    assert sam is not None and sam.text == "exports.handler = async () => 1;" and sam.location.line == 36
    assert functions["Packaged"].inline_code is None


def test_cdk_apps_give_a_function_the_code_of_its_from_inline_call(tmp_path: Path) -> None:
    functions = _inventory(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "lib/poller.ts": """\
            import * as lambda from 'aws-cdk-lib/aws-lambda';
            export class Poller {
              constructor(scope: any) {
                new lambda.Function(scope, 'Poller', {
                  runtime: lambda.Runtime.NODEJS_22_X,
                  handler: 'index.handler',
                  code: lambda.Code.fromInline(`
            exports.handler = async () => 'polled';
            `),
                });
              }
            }
            """,
        "stacks/queue_stack.py": """\
            from aws_cdk import aws_lambda as _lambda

            CODE = "def handler(event, context):\\n    return 1\\n"

            class QueueStack:
                def __init__(self, scope):
                    _lambda.Function(scope, "Drainer", runtime=_lambda.Runtime.PYTHON_3_13,
                                     handler="index.handler", code=_lambda.Code.from_inline(CODE))
            """,
    })
    poller = next(fn for name, fn in functions.items() if name.endswith("Poller")).inline_code
    assert poller is not None and not poller.in_template
    assert poller.text == "exports.handler = async () => 'polled';\n" and poller.location == Location("lib/poller.ts", 8)
    drainer = next(fn for name, fn in functions.items() if name.endswith("Drainer")).inline_code
    assert drainer is not None and drainer.text == "def handler(event, context):\n    return 1\n"
    assert drainer.location == Location("stacks/queue_stack.py", 3)   # the module constant it names


PERMISSIONS_TEMPLATE = """\
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code: {S3Bucket: artifacts, S3Key: fn.zip}
      FromBucket:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
          SourceArn: !GetAtt Uploads.Arn
      FromTopic:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: sns.amazonaws.com
          SourceArn: arn:aws:sns:eu-west-1:123456789012:alerts
      FromElsewhere:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Fn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
          SourceArn: !GetAtt Missing.Arn
    """

TERRAFORM_PERMISSIONS = """\
    resource "aws_s3_bucket" "uploads" {
      bucket = "uploads"
    }

    resource "aws_lambda_function" "fn" {
      function_name = "fn"
      runtime       = "python3.13"
      handler       = "app.handler"
      filename      = "fn.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }

    resource "aws_lambda_permission" "from_bucket" {
      function_name = aws_lambda_function.fn.function_name
      action        = "lambda:InvokeFunction"
      principal     = "s3.amazonaws.com"
      source_arn    = aws_s3_bucket.uploads.arn
    }

    resource "aws_lambda_permission" "from_any" {
      function_name = aws_lambda_function.fn.function_name
      action        = "lambda:InvokeFunction"
      principal     = "s3.amazonaws.com"
      source_arn    = "arn:aws:s3:::*"
    }
    """


def test_templates_resolve_the_source_of_an_invoke_permission(tmp_path: Path) -> None:
    fn = _inventory(tmp_path, {"template.yaml": PERMISSIONS_TEMPLATE})["Fn"]
    assert [permission.source for permission in fn.permissions] == [
        ResourceRef("logical-id", "Uploads"), ResourceRef("arn", "arn:aws:sns:eu-west-1:123456789012:alerts"), None]


def test_terraform_resolves_the_source_of_an_invoke_permission(tmp_path: Path) -> None:
    fn = next(iter(_inventory(tmp_path, {"main.tf": TERRAFORM_PERMISSIONS}).values()))
    assert [permission.source for permission in fn.permissions] == [
        ResourceRef("terraform", "aws_s3_bucket.uploads"), None]   # a wildcard ARN names no one bucket


DELIVERIES_TEMPLATE = """\
    Resources:
      Jobs:
        Type: AWS::SQS::Queue
      Events:
        Type: AWS::SNS::Topic
        Properties:
          Subscription:
            - Protocol: sqs
              Endpoint: !GetAtt Jobs.Arn
            - Protocol: email
              Endpoint: ops@example.com
      Uploads:
        Type: AWS::S3::Bucket
        Properties:
          NotificationConfiguration:
            QueueConfigurations:
              - Event: s3:ObjectCreated:*
                Queue: !GetAtt Jobs.Arn
                Filter: {S3Key: {Rules: [{Name: prefix, Value: incoming/}]}}
            TopicConfigurations:
              - Event: s3:ObjectRemoved:*
                Topic: !Ref Events
    """


def test_templates_list_what_passes_its_events_on_to_a_queue_or_topic(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(textwrap.dedent(DELIVERIES_TEMPLATE))
    from reviewer.inventory.cloudformation.read import CloudFormationFormat

    documents = CloudFormationFormat().scan(Workspace(tmp_path)).documents
    found = deliveries(TemplateNames(documents), "template.yaml")

    assert [(d.kind, d.source.kind, d.source.value, d.via_kind, d.via.value, d.location.line, d.name)
            for d in found] == [
        ("sns", "logical-id", "Events", "sqs", "Jobs", 8, ""),
        ("s3", "logical-id", "Uploads", "sqs", "Jobs", 17, "QueueConfigurations of Uploads"),
        ("s3", "logical-id", "Uploads", "sns", "Events", 21, "TopicConfigurations of Uploads"),
    ]
    assert found[1].attributes["prefix"] == "incoming/" and found[2].attributes["events"] == ["s3:ObjectRemoved:*"]
    assert deliveries(TemplateNames(documents), "main.tf") == []


TERRAFORM_DELIVERIES = {
    "infra/main.tf": """\
        resource "aws_s3_bucket" "uploads" {
          bucket = "acme-uploads"
        }
        resource "aws_sqs_queue" "jobs" {}
        resource "aws_sns_topic" "events" { name = "acme-events" }
        resource "aws_lambda_function" "worker" {
          function_name = "worker"
          runtime       = "python3.13"
          handler       = "app.handler"
          filename      = "worker.zip"
          role          = "arn:aws:iam::123456789012:role/worker"
        }
        resource "aws_s3_bucket_notification" "uploads" {
          bucket = aws_s3_bucket.uploads.id
          queue {
            queue_arn     = aws_sqs_queue.jobs.arn
            events        = ["s3:ObjectCreated:*"]
            filter_prefix = "incoming/"
          }
          topic {
            topic_arn     = aws_sns_topic.events.arn
            events        = ["s3:ObjectRemoved:*"]
            filter_suffix = var.suffix
          }
        }
        resource "aws_sns_topic_subscription" "jobs" {
          topic_arn = aws_sns_topic.events.arn
          protocol  = "sqs"
          endpoint  = aws_sqs_queue.jobs.arn
        }
        resource "aws_sns_topic_subscription" "worker" {
          topic_arn = aws_sns_topic.events.arn
          protocol  = "lambda"
          endpoint  = aws_lambda_function.worker.arn
        }
        module "landing" {
          source    = "./modules/landing"
          bucket_id = "acme-landing"
          queue_arn = aws_sqs_queue.jobs.arn
        }
        module "notifications" {
          source = "git::https://github.com/terraform-aws-modules/terraform-aws-s3-bucket.git//modules/notification?ref=v4.1.0"
          bucket = aws_s3_bucket.uploads.id
          sns_notifications = {
            removed = {
              topic_arn = aws_sns_topic.events.arn
              events    = ["s3:ObjectRemoved:*"]
            }
          }
        }
        module "disabled" {
          source = "terraform-aws-modules/s3-bucket/aws//modules/notification"
          create = false
          bucket = aws_s3_bucket.uploads.id
          sqs_notifications = {
            jobs = { queue_arn = aws_sqs_queue.jobs.arn }
          }
        }
        variable "suffix" {}
        """,
    "infra/modules/landing/main.tf": """\
        variable "bucket_id" {}
        variable "queue_arn" {}
        resource "aws_s3_bucket_notification" "this" {
          bucket = var.bucket_id
          queue {
            queue_arn = var.queue_arn
            events    = ["s3:ObjectCreated:*"]
          }
        }
        """,
    "other/main.tf": """\
        resource "aws_sqs_queue" "jobs" {}
        resource "aws_s3_bucket_notification" "uploads" {
          bucket = "acme-other"
          queue {
            queue_arn = aws_sqs_queue.jobs.arn
          }
        }
        resource "aws_lambda_function" "other" {
          function_name = "other"
          runtime       = "python3.13"
          handler       = "app.handler"
          filename      = "other.zip"
          role          = "arn:aws:iam::123456789012:role/other"
        }
        """,
}


def test_terraform_lists_what_passes_its_events_on_per_root_module(tmp_path: Path) -> None:
    for rel, text in TERRAFORM_DELIVERIES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text))
    from reviewer.inventory.terraform.read import TerraformFormat

    listed = TerraformFormat().scan(Workspace(tmp_path)).deliveries

    assert set(listed) == {"infra", "other"}
    assert [(d.kind, d.source.kind, d.source.value, d.via_kind, d.via.value, d.location.path, d.location.line, d.name)
            for d in listed["infra"]] == [
        ("s3", "terraform", "aws_s3_bucket.uploads", "sqs", "aws_sqs_queue.jobs", "infra/main.tf", 15,
         "queue of aws_s3_bucket_notification.uploads"),
        ("s3", "terraform", "aws_s3_bucket.uploads", "sns", "aws_sns_topic.events", "infra/main.tf", 20,
         "topic of aws_s3_bucket_notification.uploads"),
        ("sns", "terraform", "aws_sns_topic.events", "sqs", "aws_sqs_queue.jobs", "infra/main.tf", 26,
         "aws_sns_topic_subscription.jobs"),
        ("s3", "terraform", "aws_s3_bucket.uploads", "sns", "aws_sns_topic.events", "infra/main.tf", 45,
         "sns_notifications.removed of module.notifications"),
        # the local module's notification names what its caller passes, in the caller's root
        ("s3", "name", "acme-landing", "sqs", "aws_sqs_queue.jobs", "infra/modules/landing/main.tf", 5,
         "queue of module.landing.aws_s3_bucket_notification.this"),
    ]   # the lambda subscription is a trigger, not a delivery; `create = false` creates nothing
    queue, topic = listed["infra"][0].attributes, listed["infra"][1].attributes
    assert (queue["events"], queue["prefix"], queue["suffix"], queue["filter_line"]) == \
        (["s3:ObjectCreated:*"], "incoming/", "", 18)
    assert queue["target_name"] == "acme-uploads"   # a handler writing to the literal name meets it too
    assert topic["suffix_unresolved"] is True and topic["filter_line"] == 23   # var.suffix has no value
    assert listed["infra"][2].attributes == {"target_name": "acme-events"}
    assert [(d.source.kind, d.source.value, d.via.value) for d in listed["other"]] == \
        [("name", "acme-other", "aws_sqs_queue.jobs")]   # same address, another root: listed there


@pytest.mark.parametrize("line, runtime, successor, expected", [
    ("      Runtime: python3.9", "python3.9", "python3.13", "      Runtime: python3.13"),
    ('  runtime = "nodejs18.x"', "nodejs18.x", "nodejs22.x", '  runtime = "nodejs22.x"'),
    ("    runtime: lambda.Runtime.PYTHON_3_9,", "python3.9", "python3.13", "    runtime: lambda.Runtime.PYTHON_3_13,"),
    ("\tRuntime: awslambda.Runtime_NODEJS_18_X(),", "nodejs18.x", "nodejs22.x",
     "\tRuntime: awslambda.Runtime_NODEJS_22_X(),"),
    ("    runtime: pick(python3.9, python3.9)", "python3.9", "python3.13", None),   # twice: not one token
])
def test_a_line_is_rewritten_in_the_spelling_it_uses_for_its_runtime(line: str, runtime: str, successor: str,
                                                                     expected: str | None) -> None:
    assert runtime_replaced(line, runtime, successor) == expected


def test_build_output_is_what_a_format_tool_generates() -> None:
    assert is_build_output("infra/cdk.out/App.template.json")
    assert not is_build_output("infra/cdk.out")               # the directory itself is not inside it
    assert not is_build_output("src/handler.py")


def test_quoted_keeps_our_own_words_as_prose_and_quotes_code_spans() -> None:
    assert markdown.quoted("the function's own name", prose=True) == "the function's own name"
    assert markdown.quoted("environment variable `OUT[0]`", prose=True) == "environment variable `OUT[0]`"
    assert markdown.quoted("a name (see [x](y))", prose=True) == "a name \\(see \\[x\\]\\(y\\)\\)"
    assert markdown.quoted("'thumbnails/' + key") == "`'thumbnails/' + key`"


def test_each_format_states_the_deployed_name_where_its_declaration_writes_one(tmp_path: Path) -> None:
    """`Function.physical_name` is what recursion, code location and the account tie-in read
    instead of `FunctionName`/`function_name`: filled where the declaration writes a name."""
    functions = _inventory(tmp_path, {
        "template.yaml": """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Named:
                Type: AWS::Serverless::Function
                Properties: {FunctionName: resize-images, Runtime: python3.13, Handler: app.handler}
              Substituted:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: !Sub "${AWS::StackName}-thumbs"
                  Runtime: python3.13
                  Handler: app.handler
                  Code: {S3Bucket: artifacts, S3Key: thumbs.zip}
              Unnamed:
                Type: AWS::Serverless::Function
                Properties: {Runtime: python3.13, Handler: app.handler}
            """,
        "infra/main.tf": """\
            variable "stage" { default = "prod" }
            variable "owner" {}
            resource "aws_lambda_function" "orders" {
              function_name = "orders-${var.stage}"
              runtime       = "python3.13"
              handler       = "app.handler"
              filename      = "orders.zip"
              role          = "arn:aws:iam::123456789012:role/orders"
            }
            resource "aws_lambda_function" "unknown" {
              function_name = var.owner
              runtime       = "python3.13"
              handler       = "app.handler"
              filename      = "unknown.zip"
              role          = "arn:aws:iam::123456789012:role/unknown"
            }
            """,
        "svc/serverless.yml": """\
            service: billing
            provider: {name: aws, runtime: python3.13}
            functions:
              invoice: {handler: app.invoice}
            """,
        "cdk/lib/stack.ts": """\
            import * as lambda from 'aws-cdk-lib/aws-lambda';
            new lambda.Function(this, 'Api', {
              functionName: 'api-handler', runtime: lambda.Runtime.NODEJS_22_X,
              handler: 'index.handler', code: lambda.Code.fromAsset('src'),
            });
            """,
    })
    named = functions["Named"]
    assert (named.physical_name, named.physical_name_evaluated) == ("resize-images", False)
    assert functions["Substituted"].physical_name is None   # computed at deploy time: not stated
    assert functions["Unnamed"].physical_name is None
    orders = functions["aws_lambda_function.orders"]
    assert (orders.physical_name, orders.physical_name_evaluated) == ("orders-prod", True)
    assert functions["aws_lambda_function.unknown"].physical_name is None
    # Serverless names a function `<service>-<stage>-<name>` when it deploys it, the stage `dev`
    # unless set: computed, as a Terraform default is. The CDK reader does not read
    # `functionName` yet: filling it would add detections (a later change, not this one).
    assert (functions["invoice"].physical_name, functions["invoice"].physical_name_evaluated) == \
        ("billing-dev-invoice", True)
    assert functions["Api"].physical_name is None
