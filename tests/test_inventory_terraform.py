"""Terraform configurations: every Lambda function, its runtime at the line that declares it, and
what the surrounding resources say about it (triggers, permissions, URL, IAM)."""

from __future__ import annotations

import io
import json
import textwrap
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from inventory_helpers import line_containing, scan_report

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.terraform.hcl import HclError, parse_hcl
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function, ResourceRef
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"
DAY = "2026-11-22"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _read(root: Path):
    return TerraformFormat().scan(Workspace(root))


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in _read(root).functions}


def _line(root: Path, rel: str, snippet: str) -> int:
    return line_containing(root, rel, snippet)


def _scan(root: Path) -> dict:
    return scan_report(root, DAY)


FUNCTION = """
resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  handler       = "app.handler"
  runtime       = {runtime}
  filename      = "build/orders.zip"
}}
"""


# -- runtime: where it is declared, and what is never guessed --------------------------------------


def test_literal_runtime_is_read_at_its_line(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"')})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.format == "terraform"
    assert function.runtime == "python3.12" and function.handler == "app.handler"
    assert function.where("Runtime").line == _line(tmp_path, "main.tf", "runtime")
    assert function.location.line == _line(tmp_path, "main.tf", 'resource "aws_lambda_function"')
    assert function.code_path == "build/orders.zip"


def test_runtime_from_a_variable_default_points_at_the_default(tmp_path):
    _write(tmp_path, {
        "main.tf": FUNCTION.format(runtime="var.lambda_runtime"),
        "variables.tf": 'variable "lambda_runtime" {\n  type    = string\n  default = "python3.9"\n}\n',
    })
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.runtime == "python3.9"
    assert function.where("Runtime").path == "main.tf"
    assert function.locations["Runtime.Default"].path == "variables.tf"
    assert function.locations["Runtime.Default"].line == _line(tmp_path, "variables.tf", "default")


def test_runtime_from_a_local_value_is_resolved(tmp_path):
    _write(tmp_path, {"main.tf": 'locals {\n  runtime = "nodejs18.x"\n}\n' + FUNCTION.format(runtime="local.runtime")})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.runtime == "nodejs18.x"
    assert function.locations["Runtime.Default"].line == _line(tmp_path, "main.tf", 'runtime = "nodejs18.x"')


def test_terraform_tfvars_overrides_the_variable_default(tmp_path):
    _write(tmp_path, {
        "main.tf": FUNCTION.format(runtime="var.lambda_runtime"),
        "variables.tf": 'variable "lambda_runtime" {\n  default = "python3.13"\n}\n',
        "terraform.tfvars": 'lambda_runtime = "python3.8"\n',
    })
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.runtime == "python3.8"
    assert function.locations["Runtime.Default"].path == "terraform.tfvars"


def test_a_variable_without_default_is_unresolved_and_not_guessed(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime="var.lambda_runtime"),
                      "variables.tf": 'variable "lambda_runtime" {\n  type = string\n}\n'})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.runtime is None
    assert "lambda_runtime has no default value" in function.unresolved["Runtime"]
    assert not [f for f in _scan(tmp_path)["findings"] if f["rule_id"].startswith("LR1")]


def test_a_runtime_chosen_by_an_unknown_condition_is_unresolved(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='var.legacy ? "python3.8" : "python3.12"'),
                      "variables.tf": 'variable "legacy" {\n  type = bool\n}\n'})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.runtime is None and "condition" in function.unresolved["Runtime"]
    assert "legacy has no default value" in function.unresolved["Runtime"]


def test_an_image_function_has_no_runtime_of_its_own(tmp_path):
    _write(tmp_path, {"main.tf": """
        resource "aws_lambda_function" "worker" {
          function_name = "worker"
          role          = "arn:aws:iam::123456789012:role/worker"
          package_type  = "Image"
          image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.4.0"
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.worker"]
    assert function.package_type == "Image" and function.runtime is None
    assert function.image_uri.endswith("worker:1.4.0")
    assert "base image" in function.unresolved["Runtime"]


def test_a_null_image_uri_declares_no_image(tmp_path):
    """A module's `image_uri = var.image_uri`, whose default is null for its .zip functions, is
    an argument left out: the inventory shows no image named "null"."""
    _write(tmp_path, {"main.tf": """
        variable "image_uri" {
          type    = string
          default = null
        }

        resource "aws_lambda_function" "zipped" {
          function_name = "zipped"
          role          = "arn:aws:iam::123456789012:role/zipped"
          runtime       = "python3.12"
          handler       = "app.handler"
          filename      = "zipped.zip"
          image_uri     = var.image_uri
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.zipped"]
    assert function.image_uri is None and "ImageUri" not in function.locations
    assert function.code_path == "zipped.zip"


def test_count_zero_means_no_function(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"').replace(
        'function_name = "orders"', 'count         = 0\n  function_name = "orders"')})
    assert _functions(tmp_path) == {}


# -- modules -------------------------------------------------------------------------------------


def test_local_module_instances_take_the_runtime_their_caller_passes(tmp_path):
    root = FIXTURES / "reports-platform"
    functions = _functions(root)
    builder = functions["module.report_builder.aws_lambda_function.this"]
    exporter = functions["module.exporter.aws_lambda_function.this"]
    assert builder.runtime == "nodejs16.x"
    assert builder.locations["Runtime.Default"].path == "environments/prod/main.tf"
    assert builder.locations["Runtime.Default"].line == _line(root, "environments/prod/main.tf", '"nodejs16.x"')
    assert exporter.runtime == "python3.12"  # the caller leaves the module's default
    assert exporter.locations["Runtime.Default"].path == "modules/report-fn/variables.tf"
    assert builder.code_path == "functions/report-builder" and exporter.code_path == "functions/exporter"
    (statement,) = exporter.policy_statements  # from a heredoc JSON policy inside the module
    assert statement.actions == ("s3:PutObject",) and statement.location.path == "modules/report-fn/main.tf"
    assert statement.location.line == _line(root, "modules/report-fn/main.tf", '"Effect": "Allow"') - 1
    assert "aws_lambda_function.this" not in functions  # the module is only deployed through its callers
    # Each instance is located at the module call that creates it; the resource is remembered.
    assert builder.location.line == _line(root, "environments/prod/main.tf", 'module "report_builder"')
    assert exporter.location.line == _line(root, "environments/prod/main.tf", 'module "exporter"')
    assert builder.properties["resource_location"].path == "modules/report-fn/main.tf"


def test_the_terraform_aws_modules_lambda_module_counts_as_a_function(tmp_path):
    root = FIXTURES / "reports-platform"
    api = _functions(root)["module.api"]
    path = "environments/prod/main.tf"
    assert api.format == "terraform" and api.location.line == _line(root, path, 'module "api"')
    assert api.runtime == "nodejs18.x" and api.handler == "index.handler"
    assert api.locations["Runtime.Default"].line == _line(root, path, 'node_runtime = "nodejs18.x"')
    assert api.code_path == "functions/api"
    assert api.published is True
    assert api.url is not None and api.url.auth_type == "NONE"  # the module's default authorization_type
    assert [(p.principal, p.source_arn) for p in api.permissions] == [
        ("apigateway.amazonaws.com", "arn:aws:execute-api:eu-west-1:123456789012:abcdef/*/*/*")]
    (trigger,) = api.triggers
    assert trigger.kind == "sqs" and trigger.target == ResourceRef("terraform", "aws_sqs_queue.jobs")
    assert trigger.attributes["target_name"] == "reports-jobs"
    (statement,) = api.policy_statements
    assert statement.actions == ("sqs:SendMessage",) and statement.resources == ("${aws_sqs_queue.jobs.arn}",)
    assert api.environment["JOBS_QUEUE_URL"] == ResourceRef("terraform", "aws_sqs_queue.jobs")


def test_module_sources_from_git_count_and_layers_or_disabled_calls_do_not(tmp_path):
    _write(tmp_path, {"main.tf": """
        module "from_git" {
          source  = "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.2.0"
          runtime = "ruby3.2"
          handler = "app.handler"
        }
        module "layer" {
          source       = "terraform-aws-modules/lambda/aws"
          create_layer = true
          layer_name   = "shared"
        }
        module "disabled" {
          source = "terraform-aws-modules/lambda/aws"
          create = false
        }
        module "alias" {
          source = "terraform-aws-modules/lambda/aws//modules/alias"
        }
        """})
    assert set(_functions(tmp_path)) == {"module.from_git"}


def test_a_module_that_calls_itself_is_read_once_without_looping(tmp_path):
    _write(tmp_path, {"fn/main.tf": 'module "again" {\n  source = "../fn"\n}\n' + FUNCTION.format(runtime='"python3.12"')})
    started = time.monotonic()
    functions = _functions(tmp_path)
    assert time.monotonic() - started < 10
    assert "aws_lambda_function.orders" in functions


# -- code and environment ----------------------------------------------------------------------------


def test_filename_from_archive_file_points_at_the_zipped_directory():
    function = _functions(FIXTURES / "image-pipeline")["aws_lambda_function.resize"]
    assert function.code_path == "src/resize"
    assert function.properties["archive"] == "data.archive_file.resize"


def test_environment_keeps_literals_references_and_deploy_time_defaults(tmp_path):
    _write(tmp_path, {"main.tf": """
        variable "stage" {
          default = "prod"
        }
        variable "api_token" {
          default   = "tok-123"
          sensitive = true
        }
        resource "aws_s3_bucket" "out" {
          bucket = "acme-out"
        }
        resource "aws_lambda_function" "fn" {
          function_name = "fn"
          role          = "arn:aws:iam::123456789012:role/fn"
          runtime       = "python3.13"
          handler       = "app.handler"
          filename      = "fn.zip"
          environment {
            variables = {
              LOG_LEVEL  = "INFO"
              BUCKET     = aws_s3_bucket.out.id
              STAGE      = var.stage
              API_TOKEN  = var.api_token
              TABLE_NAME = "orders-${var.stage}"
            }
          }
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.fn"]
    assert function.environment["LOG_LEVEL"] == "INFO"
    assert function.environment["BUCKET"] == ResourceRef("terraform", "aws_s3_bucket.out")
    assert function.environment["STAGE"] == ResourceRef("unresolved", "${var.stage}")
    assert function.environment["TABLE_NAME"] == "orders-prod"
    value, where = function.environment_defaults["STAGE"]
    assert value == "prod" and where.line == _line(tmp_path, "main.tf", 'default = "prod"')
    assert "API_TOKEN" not in function.environment_defaults  # sensitive inputs are not literals
    assert function.locations["Environment.BUCKET"].line == _line(tmp_path, "main.tf", "BUCKET     =")


# -- triggers --------------------------------------------------------------------------------------------


def test_s3_bucket_notification_becomes_an_s3_trigger_with_its_filters():
    root = FIXTURES / "image-pipeline"
    (trigger,) = _functions(root)["aws_lambda_function.resize"].triggers
    assert trigger.kind == "s3"
    assert trigger.target == ResourceRef("terraform", "aws_s3_bucket.uploads")
    assert trigger.attributes["target_name"] == "image-pipeline-uploads"
    assert trigger.attributes["events"] == ["s3:ObjectCreated:*"]
    assert (trigger.attributes["prefix"], trigger.attributes["suffix"]) == ("incoming/", ".jpg")
    assert trigger.location.line == _line(root, "infra/main.tf", "lambda_function {")


def test_event_source_mappings_know_queues_streams_and_literal_arns(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"') + """
        resource "aws_sqs_queue" "jobs" {
          name = "jobs"
        }
        resource "aws_dynamodb_table" "orders" {
          name             = "orders"
          stream_enabled   = true
          stream_view_type = "NEW_IMAGE"
        }
        resource "aws_lambda_event_source_mapping" "jobs" {
          event_source_arn = aws_sqs_queue.jobs.arn
          function_name    = aws_lambda_function.orders.arn
          batch_size       = 5
        }
        resource "aws_lambda_event_source_mapping" "orders" {
          event_source_arn  = aws_dynamodb_table.orders.stream_arn
          function_name     = aws_lambda_function.orders.function_name
          starting_position = "LATEST"
          filter_criteria {
            filter {
              pattern = jsonencode({ eventName = ["INSERT"] })
            }
          }
        }
        resource "aws_lambda_event_source_mapping" "clicks" {
          event_source_arn  = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"
          function_name     = "orders"
          starting_position = "TRIM_HORIZON"
        }
        resource "aws_lambda_event_source_mapping" "external" {
          event_source_arn = var.queue_arn
          function_name    = aws_lambda_function.orders.arn
        }
        """})
    triggers = {t.attributes["name"]: t for t in _functions(tmp_path)["aws_lambda_function.orders"].triggers}
    jobs = triggers["aws_lambda_event_source_mapping.jobs"]
    assert jobs.kind == "sqs" and jobs.target == ResourceRef("terraform", "aws_sqs_queue.jobs")
    assert jobs.attributes["batch_size"] == 5
    stream = triggers["aws_lambda_event_source_mapping.orders"]
    assert stream.kind == "dynamodb" and stream.attributes["filter_patterns"] == [{"eventName": ["INSERT"]}]
    clicks = triggers["aws_lambda_event_source_mapping.clicks"]
    assert clicks.kind == "kinesis" and clicks.target.kind == "arn"
    external = triggers["aws_lambda_event_source_mapping.external"]
    assert external.kind == "sqs" and external.target == ResourceRef("unresolved", "${var.queue_arn}")


def test_sns_subscription_with_the_lambda_protocol_is_an_sns_trigger(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"') + """
        resource "aws_sns_topic" "events" {
          name = "order-events"
        }
        resource "aws_sns_topic_subscription" "orders" {
          topic_arn     = aws_sns_topic.events.arn
          protocol      = "lambda"
          endpoint      = aws_lambda_function.orders.arn
          filter_policy = jsonencode({ type = ["created"] })
        }
        resource "aws_sns_topic_subscription" "mail" {
          topic_arn = aws_sns_topic.events.arn
          protocol  = "email"
          endpoint  = "ops@example.com"
        }
        """})
    (trigger,) = _functions(tmp_path)["aws_lambda_function.orders"].triggers
    assert trigger.kind == "sns" and trigger.target == ResourceRef("terraform", "aws_sns_topic.events")
    assert trigger.attributes["target_name"] == "order-events"
    assert trigger.attributes["filter_policy"] == {"type": ["created"]}


def test_eventbridge_rules_give_pattern_bus_and_schedules(tmp_path):
    root = FIXTURES / "reports-platform"
    functions = _functions(root)
    (exports,) = functions["module.exporter.aws_lambda_function.this"].triggers
    assert exports.kind == "eventbridge"
    assert exports.attributes["pattern"] == {"source": ["reports.exporter"], "detail-type": ["ExportRequested"]}
    assert exports.attributes["bus"] == "reports" and exports.target == ResourceRef("name", "reports")
    (nightly,) = functions["module.report_builder.aws_lambda_function.this"].triggers
    assert nightly.kind == "schedule" and nightly.attributes["schedule"] == "cron(0 2 * * ? *)"
    assert nightly.target == ResourceRef("name", "default")


def test_an_event_pattern_in_a_heredoc_is_parsed(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"') + """
        resource "aws_cloudwatch_event_rule" "uploads" {
          event_pattern = <<EOF
        {
          "source": ["aws.s3"],
          "detail-type": ["Object Created"]
        }
        EOF
        }
        resource "aws_cloudwatch_event_target" "uploads" {
          rule = aws_cloudwatch_event_rule.uploads.name
          arn  = aws_lambda_function.orders.arn
        }
        """})
    (trigger,) = _functions(tmp_path)["aws_lambda_function.orders"].triggers
    assert trigger.attributes["pattern"] == {"source": ["aws.s3"], "detail-type": ["Object Created"]}


# -- guardrail facts ----------------------------------------------------------------------------------------


def test_permission_url_recursion_and_runtime_management_attach_to_their_function(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"') + """
        resource "aws_lambda_permission" "public" {
          statement_id  = "AllowAll"
          action        = "lambda:InvokeFunction"
          function_name = aws_lambda_function.orders.function_name
          principal     = "*"
        }
        resource "aws_lambda_function_url" "orders" {
          function_name      = aws_lambda_function.orders.function_name
          authorization_type = "AWS_IAM"
        }
        resource "aws_lambda_function_recursion_config" "orders" {
          function_name  = aws_lambda_function.orders.function_name
          recursive_loop = "Allow"
        }
        resource "aws_lambda_runtime_management_config" "orders" {
          function_name     = aws_lambda_function.orders.function_name
          update_runtime_on = "Manual"
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    (permission,) = function.permissions
    assert permission.principal == "*" and permission.action == "lambda:InvokeFunction"
    assert permission.location.line == _line(tmp_path, "main.tf", 'principal     = "*"')
    assert function.url.auth_type == "AWS_IAM"
    assert function.url.location.line == _line(tmp_path, "main.tf", "authorization_type")
    assert function.recursive_loop == "Allow"
    assert function.update_runtime_on == "Manual"
    manual = [f for f in _scan(tmp_path)["findings"] if f["rule_id"] == "LR105"]
    assert [(f["path"], f["line"]) for f in manual] == [("main.tf", _line(tmp_path, "main.tf", "update_runtime_on"))]


def test_code_signing_and_publish_are_read(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"').replace(
        'filename      = "build/orders.zip"',
        'filename      = "build/orders.zip"\n  publish       = true\n'
        '  code_signing_config_arn = aws_lambda_code_signing_config.this.arn')})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    assert function.published is True
    assert function.code_signing.line == _line(tmp_path, "main.tf", "code_signing_config_arn")


def test_role_policies_in_every_written_form_reach_the_function(tmp_path):
    _write(tmp_path, {"main.tf": FUNCTION.format(runtime='"python3.12"') + """
        resource "aws_iam_role" "orders" {
          name = "orders"
          assume_role_policy  = "{}"
          managed_policy_arns = ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
          inline_policy {
            name   = "logs"
            policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })
          }
        }
        data "aws_iam_policy_document" "tables" {
          statement {
            actions   = ["dynamodb:PutItem"]
            resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
          }
          statement {
            effect      = "Deny"
            not_actions = ["s3:GetObject"]
            resources   = ["*"]
          }
        }
        resource "aws_iam_role_policy" "tables" {
          role   = aws_iam_role.orders.id
          policy = data.aws_iam_policy_document.tables.json
        }
        resource "aws_iam_policy" "admin" {
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = { Effect = "Allow", Action = "*", Resource = "*" }
          })
        }
        resource "aws_iam_role_policy_attachment" "admin" {
          role       = aws_iam_role.orders.name
          policy_arn = aws_iam_policy.admin.arn
        }
        resource "aws_iam_role_policy_attachment" "power" {
          role       = "orders"
          policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.orders"]
    statements = {(s.source, s.effect, s.actions, s.not_actions, s.resources) for s in function.policy_statements}
    assert statements == {
        ("aws_iam_role.orders inline_policy", "Allow", ("logs:*",), (), ("*",)),
        ("data.aws_iam_policy_document.tables", "Allow", ("dynamodb:PutItem",), (),
         ("arn:aws:dynamodb:eu-west-1:123456789012:table/orders",)),
        ("data.aws_iam_policy_document.tables", "Deny", (), ("s3:GetObject",), ("*",)),
        ("aws_iam_policy.admin", "Allow", ("*",), (), ("*",)),
    }
    deny = next(s for s in function.policy_statements if s.effect == "Deny")
    assert deny.location.line == _line(tmp_path, "main.tf", 'effect      = "Deny"') - 1
    assert {p.name for p in function.managed_policies} == {
        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", "arn:aws:iam::aws:policy/PowerUserAccess"}


# -- bad input ---------------------------------------------------------------------------------------------


def test_a_malformed_file_gives_a_notice_naming_it_and_the_scan_goes_on(tmp_path):
    _write(tmp_path, {
        "broken/main.tf": 'resource "aws_lambda_function" "half" {\n  runtime = "python3.8"\n  handler = \n}\n',
        "good/main.tf": FUNCTION.format(runtime='"python3.8"'),
    })
    result = _read(tmp_path)
    (notice,) = result.notices
    assert notice.rule_id == "LR901" and notice.path == "broken/main.tf" and "`broken/main.tf`" in notice.message
    assert notice.line == 3
    assert [fn.name for fn in result.functions] == ["aws_lambda_function.orders"]
    assert {f["rule_id"] for f in _scan(tmp_path)["findings"]} >= {"LR901", "LR100"}


def test_hostile_nesting_is_refused_quickly_with_a_notice(tmp_path):
    _write(tmp_path, {"main.tf": "resource \"aws_lambda_function\" \"x\" {\n  runtime = " + "[" * 3000 + "]" * 3000
                      + "\n}\n"})
    started = time.monotonic()
    result = _read(tmp_path)
    assert time.monotonic() - started < 10
    assert [n.rule_id for n in result.notices] == ["LR901"] and result.functions == []


HCL_PIECES = st.sampled_from(['resource "aws_lambda_function" "x" {', "}", "{", "[", "]", "(", ")", '"', "${",
                               "<<EOF\n", "EOF\n", "runtime = ", "var.x", "local.y", "jsonencode(", ",", "\n",
                               "= ", "python3.9", "#", "/*", "*/", "? ", ": ", "\\", "%{", "for x in y :", "..."])


@settings(max_examples=200, deadline=None)
@given(st.lists(HCL_PIECES, max_size=40).map("".join))
def test_any_text_either_parses_or_gives_an_hcl_error(text):
    try:
        parse_hcl(text, "main.tf")
    except HclError as exc:
        assert exc.line >= 1


def test_directories_without_lambda_are_not_parsed(tmp_path):
    _write(tmp_path, {"network/main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = \n}\n'})
    assert _read(tmp_path).notices == []


# -- end to end ------------------------------------------------------------------------------------------------


def test_scan_reports_runtime_findings_at_the_declaring_lines():
    root = FIXTURES / "reports-platform"
    findings = [f for f in _scan(root)["findings"] if f["rule_id"] in ("LR100", "LR101", "LR102", "LR103")]
    by_function = {f["function"]: f for f in findings}
    builder = by_function["module.report_builder.aws_lambda_function.this"]
    assert builder["rule_id"] == "LR100"
    assert (builder["path"], builder["line"]) == ("environments/prod/main.tf",
                                                  _line(root, "environments/prod/main.tf", '"nodejs16.x"'))
    assert builder["suggestion"] == '  runtime    = "nodejs24.x"'
    api = by_function["module.api"]
    assert (api["path"], api["line"]) == ("environments/prod/main.tf",
                                          _line(root, "environments/prod/main.tf", 'node_runtime = "nodejs18.x"'))
    assert "module.exporter.aws_lambda_function.this" not in by_function  # python3.12 is supported


def test_scan_of_a_variable_default_suggests_the_successor_on_that_line():
    root = FIXTURES / "image-pipeline"
    (finding,) = [f for f in _scan(root)["findings"] if f["rule_id"] == "LR100"]
    assert (finding["path"], finding["line"]) == ("infra/variables.tf", _line(root, "infra/variables.tf", '"python3.9"'))
    assert finding["suggestion"] == '  default     = "python3.14"'


def test_inventory_json_lists_terraform_functions_with_their_format():
    out = io.StringIO()
    assert main(["inventory", str(FIXTURES / "reports-platform"), "--format", "json"], stdout=out) == 0
    listed = {fn["name"]: fn for fn in json.loads(out.getvalue())["functions"]}
    assert set(listed) == {"module.api", "module.report_builder.aws_lambda_function.this",
                           "module.exporter.aws_lambda_function.this"}
    assert {fn["format"] for fn in listed.values()} == {"terraform"}
    assert listed["module.api"]["runtime"] == "nodejs18.x"
    assert listed["module.api"]["declarations"]["Runtime"]["path"] == "environments/prod/main.tf"


def test_terraform_functions_sit_beside_other_formats_in_one_inventory(tmp_path):
    _write(tmp_path, {"infra/main.tf": FUNCTION.format(runtime='"python3.12"'),
                      "template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
                                       "    Type: AWS::Serverless::Function\n    Properties:\n"
                                       "      Runtime: python3.12\n      Handler: a.h\n"})
    formats = {fn.format for fn in build_inventory(Workspace(tmp_path)).functions}
    assert formats == {"terraform", "sam"}


def test_optional_attribute_defaults_of_a_variable_s_type_apply(tmp_path):
    """`optional(T, default)` in a module variable's type: an attribute left out, or set to null,
    takes its default (also inside a nested object and in each element of a map of objects), so
    `count = var.cfg.enable ? 0 : 1` creates nothing and the runtime is the default, reported
    where the `optional(...)` gives it."""
    _write(tmp_path, {
        "main.tf": """
            module "fn" {
              source = "./mod"
              cfg    = { runtime = null }
              extras = { reports = {} }
            }
            """,
        "mod/main.tf": """
            variable "cfg" {
              type = object({
                enable  = optional(bool, true)
                runtime = optional(string, "python3.8")
                limits  = optional(object({ memory = optional(number, 128) }), {})
              })
              default = {}
            }

            variable "extras" {
              type = map(object({
                runtime = optional(string, "nodejs16.x")
              }))
            }

            resource "aws_lambda_function" "on" {
              count         = var.cfg.enable && var.cfg.limits.memory == 128 ? 1 : 0
              function_name = "on"
              role          = "arn:aws:iam::123456789012:role/on"
              runtime       = var.cfg.runtime
              handler       = "app.handler"
              filename      = "on.zip"
            }

            resource "aws_lambda_function" "off" {
              count         = var.cfg.enable ? 0 : 1
              function_name = "off"
              role          = "arn:aws:iam::123456789012:role/off"
              runtime       = "python3.12"
              handler       = "app.handler"
              filename      = "off.zip"
            }

            resource "aws_lambda_function" "extra" {
              for_each      = var.extras
              function_name = each.key
              role          = "arn:aws:iam::123456789012:role/extra"
              runtime       = each.value.runtime
              handler       = "app.handler"
              filename      = "extra.zip"
            }
            """,
    })
    functions = _functions(tmp_path)
    assert {name: fn.runtime for name, fn in functions.items()} == {
        "module.fn.aws_lambda_function.on": "python3.8",
        'module.fn.aws_lambda_function.extra["reports"]': "nodejs16.x"}
    report = _scan(tmp_path)
    deprecated = {(f["path"], f["line"]) for f in report["findings"] if f["rule_id"] in ("LR100", "LR101")}
    assert deprecated == {("mod/main.tf", _line(tmp_path, "mod/main.tf", 'optional(string, "python3.8")')),
                          ("mod/main.tf", _line(tmp_path, "mod/main.tf", 'optional(string, "nodejs16.x")'))}
    assert not [f for f in report["findings"] if f["rule_id"] == "LR904"]


def test_a_condition_whose_branches_are_both_empty_creates_nothing_whatever_it_is(tmp_path):
    """`for_each = var.enabled ? {for i, p in var.perms : i => p} : {}` with `perms` empty: no
    permission exists whether or not `enabled` is known, so none invokes the function (no LR401)."""
    _write(tmp_path, {
        "main.tf": """
            variable "enabled" {
              type = bool
            }

            variable "perms" {
              type    = list(object({ principal = string, source_arn = string }))
              default = []
            }

            resource "aws_lambda_function" "this" {
              function_name = "demo"
              role          = "arn:aws:iam::123456789012:role/demo"
              handler       = "index.handler"
              runtime       = "nodejs22.x"
              filename      = "demo.zip"
            }

            resource "aws_lambda_permission" "invoke" {
              for_each      = var.enabled ? { for i, p in var.perms : i => p } : {}
              action        = "lambda:InvokeFunction"
              function_name = aws_lambda_function.this.function_name
              principal     = each.value.principal
              source_arn    = each.value.source_arn
            }
            """,
    })
    assert _functions(tmp_path)["aws_lambda_function.this"].permissions == []
    assert not [f for f in _scan(tmp_path)["findings"] if f["rule_id"] in ("LR401", "LR303")]


def test_an_empty_string_runtime_says_where_the_value_must_come_from(tmp_path):
    _write(tmp_path, {"main.tf": """
        variable "runtime" {
          type    = string
          default = ""
        }

        resource "aws_lambda_function" "this" {
          function_name = "demo"
          role          = "arn:aws:iam::123456789012:role/demo"
          handler       = "index.handler"
          runtime       = var.runtime
          filename      = "demo.zip"
        }
        """})
    function = _functions(tmp_path)["aws_lambda_function.this"]
    assert function.runtime is None
    assert function.unresolved["Runtime"].startswith("runtime is an empty string, so the deployed value comes from")


def test_an_image_built_by_the_docker_build_module_is_the_function_s_own(tmp_path):
    """`image_uri = module.docker_image.image_uri` with terraform-aws-modules' docker-build module
    building `context/`: one function, with the Dockerfile's base-image runtime; the Dockerfile is
    not listed again as a function of its own."""
    _write(tmp_path, {
        "main.tf": """
            module "docker_image" {
              source      = "terraform-aws-modules/lambda/aws//modules/docker-build"
              ecr_repo    = "demo"
              source_path = "${path.module}/context"
            }

            module "lambda" {
              source         = "terraform-aws-modules/lambda/aws"
              function_name  = "demo"
              package_type   = "Image"
              create_package = false
              image_uri      = module.docker_image.image_uri
            }
            """,
        "context/Dockerfile": "FROM public.ecr.aws/lambda/nodejs:14\nCOPY handler.js ./\nCMD [\"handler.main\"]\n",
    })
    report = _scan(tmp_path)
    assert [(f["name"], f["runtime"]) for f in report["functions"]] == [("module.lambda", "nodejs14.x")]
    [image] = [f for f in report["findings"] if f["rule_id"] == "LR106"]
    assert (image["path"], image["line"], image["function"]) == ("context/Dockerfile", 1, "module.lambda")
