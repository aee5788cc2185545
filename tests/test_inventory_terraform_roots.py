"""Terraform monorepos: every directory of `.tf` files is a root module with its own addresses;
`count`, `for_each` and `create_*` flags decide which functions exist; conditions and simple
functions are evaluated over known values; `.tf.json` and `*.tfvars` are read."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from inventory_helpers import line_containing, scan_report

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function
from reviewer.workspace import Workspace

MONOREPO = Path(__file__).parent / "fixtures" / "terraform" / "service-monorepo"
DAY = "2026-11-22"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


def _line(rel: str, snippet: str, root: Path = MONOREPO) -> int:
    return line_containing(root, rel, snippet)


# -- one namespace per root module ------------------------------------------------------------------


def test_two_roots_declaring_the_same_module_name_are_two_functions_with_their_own_code():
    functions = _functions(MONOREPO)
    orders = functions["services/orders:module.lambda_function"]
    payments = functions["services/payments:module.lambda_function"]
    assert (orders.runtime, orders.handler, orders.code_path) == ("python3.9", "app.handler", "services/orders/src")
    assert (payments.runtime, payments.handler, payments.code_path) == (
        "nodejs16.x", "index.handler", "services/payments/src")
    assert orders.location.path == "services/orders/main.tf"
    assert payments.location.path == "services/payments/main.tf"


def test_iam_statements_stay_with_the_root_that_declares_them():
    functions = _functions(MONOREPO)
    orders = functions["services/orders:module.lambda_function"]
    payments = functions["services/payments:module.lambda_function"]
    assert [s.actions for s in orders.policy_statements] == [("dynamodb:PutItem",)]
    assert [s.actions for s in payments.policy_statements] == [("*",)]
    findings = scan_report(MONOREPO, DAY)["findings"]
    admin = [(f["path"], f["function"]) for f in findings if f["rule_id"] == "LR300"]
    assert admin == [("services/payments/main.tf", "services/payments:module.lambda_function")]


def test_a_module_called_by_each_environment_is_one_function_per_environment_not_a_root():
    functions = _functions(MONOREPO)
    dev = functions["envs/dev:module.worker.aws_lambda_function.this"]
    prod = functions["envs/prod:module.worker.aws_lambda_function.this"]
    assert dev.runtime == "python3.13" and dev.location.path == "envs/dev/main.tf"
    assert prod.runtime == "python3.9"  # terraform.tfvars of envs/prod overrides the default
    assert prod.locations["Runtime.Default"].path == "envs/prod/terraform.tfvars"
    assert prod.properties["function_name"] == "prod-worker"
    assert not [name for name in functions if name.startswith("modules/")]


def test_a_single_root_keeps_the_bare_terraform_address(tmp_path):
    _write(tmp_path, {"infra/main.tf": """
        resource "aws_lambda_function" "api" {
          function_name = "api"
          role          = "arn:aws:iam::123456789012:role/api"
          handler       = "app.handler"
          runtime       = "python3.9"
          filename      = "api.zip"
        }
        """})
    assert set(_functions(tmp_path)) == {"aws_lambda_function.api"}
    (finding,) = [f for f in scan_report(tmp_path, DAY)["findings"] if f["rule_id"] == "LR100"]
    assert finding["function"] == "aws_lambda_function.api"


# -- which functions exist ----------------------------------------------------------------------------


def test_functions_that_are_never_created_are_not_reported():
    functions = _functions(MONOREPO)
    assert not [fn.name for fn in functions.values() if fn.location.path.startswith("stacks/legacy")]
    assert not [fn.name for fn in functions.values() if fn.runtime in ("python2.7", "nodejs12.x")]
    findings = scan_report(MONOREPO, DAY)["findings"]
    assert not [f for f in findings if f["path"].startswith("stacks/legacy")]


def test_create_flags_and_conditions_over_defaults_resolve_the_runtime():
    reports = _functions(MONOREPO)["stacks/reports:aws_lambda_function.this"]
    assert reports.runtime == "python3.8" and reports.handler == "main.handler"
    assert reports.properties["function_name"] == "reports-prod"
    assert reports.code_path == "stacks/reports/src"
    assert reports.locations["Runtime.Default"].path == "stacks/reports/variables.tf"
    assert reports.locations["Runtime.Default"].line == _line("stacks/reports/variables.tf", '"python3.8"')


def test_the_lambda_module_with_for_each_gives_one_function_per_entry():
    functions = _functions(MONOREPO)
    nightly, hourly = functions['stacks/jobs:module.job["nightly"]'], functions['stacks/jobs:module.job["hourly"]']
    assert (nightly.runtime, nightly.handler) == ("python3.9", "nightly.handler")
    assert (hourly.runtime, hourly.handler) == ("python3.13", "hourly.handler")
    assert nightly.properties["function_name"] == "job-nightly"
    assert nightly.locations["Runtime.Default"].line == _line("stacks/jobs/main.tf", '"python3.9"')


def test_a_function_whose_count_is_unknown_is_reported_once_with_a_notice():
    result = TerraformFormat().scan(Workspace(MONOREPO))
    probes = [fn for fn in result.functions if "per_subnet" in fn.name]
    assert [fn.name for fn in probes] == ["stacks/jobs:aws_lambda_function.per_subnet"]
    assert "data.aws_subnets.private.ids" in probes[0].unresolved["Count"]
    (notice,) = [n for n in result.notices if n.rule_id == "LR904"]
    assert (notice.path, notice.line) == ("stacks/jobs/main.tf",
                                          _line("stacks/jobs/main.tf", 'resource "aws_lambda_function" "per_subnet"'))


def test_two_roots_calling_a_module_whose_count_is_unknown_get_a_notice_each_naming_its_root(tmp_path):
    """The shape of a module repository whose examples each call it: the same declaration line is
    instantiated by each root, and each notice says which root's instance it is."""
    module_call = """
        module "worker" {
          source = "../../modules/worker"
        }
    """
    root = _write(tmp_path, {
        "modules/worker/main.tf": """
            data "aws_subnets" "private" {}
            resource "aws_lambda_function" "retry" {
              count         = length(data.aws_subnets.private.ids)
              function_name = "retry"
              role          = "arn:aws:iam::123456789012:role/retry"
              handler       = "index.handler"
              runtime       = "nodejs22.x"
              filename      = "retry.zip"
            }
        """,
        "examples/default/main.tf": module_call,
        "examples/ephemeral/main.tf": module_call,
    })
    result = TerraformFormat().scan(Workspace(root))
    notices = [n for n in result.notices if n.rule_id == "LR904"]
    assert {(n.path, n.line) for n in notices} == {("modules/worker/main.tf", 3)}
    assert len({n.message for n in notices}) == len(notices) == 2
    assert any("examples/default:module.worker" in n.message for n in notices)
    assert any("examples/ephemeral:module.worker" in n.message for n in notices)


def test_count_and_for_each_over_known_values_name_each_instance(tmp_path):
    _write(tmp_path, {"main.tf": """
        variable "regions" {
          default = ["eu-west-1", "us-east-1"]
        }
        resource "aws_lambda_function" "edge" {
          count         = length(var.regions)
          function_name = "edge-${var.regions[count.index]}"
          role          = "arn:aws:iam::123456789012:role/edge"
          handler       = "edge.handler"
          runtime       = count.index == 0 ? "nodejs16.x" : "nodejs22.x"
          filename      = "edge.zip"
        }
        resource "aws_lambda_function" "tools" {
          for_each      = toset(["export", "import"])
          function_name = "tools-${each.key}"
          role          = "arn:aws:iam::123456789012:role/tools"
          handler       = "${each.value}.handler"
          runtime       = "python3.12"
          filename      = "tools.zip"
        }
        resource "aws_lambda_permission" "export" {
          function_name = aws_lambda_function.tools["export"].function_name
          principal     = "*"
          action        = "lambda:InvokeFunction"
        }
        """})
    functions = _functions(tmp_path)
    assert functions["aws_lambda_function.edge[0]"].runtime == "nodejs16.x"
    assert functions["aws_lambda_function.edge[1]"].runtime == "nodejs22.x"
    assert functions["aws_lambda_function.edge[1]"].properties["function_name"] == "edge-us-east-1"
    assert functions['aws_lambda_function.tools["import"]'].handler == "import.handler"
    assert [p.principal for p in functions['aws_lambda_function.tools["export"]'].permissions] == ["*"]
    assert functions['aws_lambda_function.tools["import"]'].permissions == []


# -- evaluation --------------------------------------------------------------------------------------


def test_simple_functions_and_operators_over_known_values(tmp_path):
    _write(tmp_path, {"main.tf": """
        variable "settings" {
          default = { stage = "Prod", family = "python" }
        }
        locals {
          names    = ["billing", "invoices"]
          versions = { python = "3.9", node = "20.x" }
          base     = merge({ memory = 128 }, { runtime = "python3.11" })
        }
        resource "aws_lambda_function" "a" {
          function_name = join("-", concat(local.names, [lower(var.settings.stage)]))
          role          = "arn:aws:iam::123456789012:role/a"
          handler       = replace("app/handler", "/", ".")
          runtime       = format("%s%s", var.settings.family, lookup(local.versions, var.settings.family, "3.13"))
          filename      = "a.zip"
        }
        resource "aws_lambda_function" "b" {
          function_name = coalesce("", null, "b-${upper("x")}")
          role          = "arn:aws:iam::123456789012:role/b"
          handler       = "app.handler"
          runtime       = try(var.settings.runtime, local.base.runtime)
          memory_size   = 64 * 2 + 1
          filename      = "b.zip"
        }
        """})
    functions = _functions(tmp_path)
    a, b = functions["aws_lambda_function.a"], functions["aws_lambda_function.b"]
    assert a.properties["function_name"] == "billing-invoices-prod"
    assert a.handler == "app.handler" and a.runtime == "python3.9"
    assert b.properties["function_name"] == "b-X" and b.runtime == "python3.11"


def test_auto_tfvars_override_terraform_tfvars_and_defaults(tmp_path):
    _write(tmp_path, {
        "main.tf": """
            variable "runtime" {
              default = "python3.13"
            }
            resource "aws_lambda_function" "fn" {
              function_name = "fn"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "app.handler"
              runtime       = var.runtime
              filename      = "fn.zip"
            }
            """,
        "terraform.tfvars": 'runtime = "python3.12"\n',
        "prod.auto.tfvars": 'runtime = "python3.8"\n',
    })
    function = _functions(tmp_path)["aws_lambda_function.fn"]
    assert function.runtime == "python3.8"
    assert function.locations["Runtime.Default"].path == "prod.auto.tfvars"


# -- other syntaxes and forms ------------------------------------------------------------------------


def test_terraform_json_files_are_read_with_their_lines(tmp_path):
    document = {
        "variable": {"runtime": {"default": "nodejs16.x"}, "stage": {"default": "prod"}},
        "resource": {"aws_lambda_function": {
            "api": {"function_name": "api-${var.stage}", "role": "arn:aws:iam::123456789012:role/api",
                    "handler": "index.handler", "runtime": "${var.runtime}", "filename": "api.zip",
                    "environment": {"variables": {"STAGE": "${upper(var.stage)}"}}},
            "off": {"count": "${var.stage == \"prod\" ? 0 : 1}", "function_name": "off", "role": "r",
                    "handler": "h.h", "runtime": "python2.7", "filename": "off.zip"},
        }},
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(document, indent=2))
    functions = _functions(tmp_path)
    assert set(functions) == {"aws_lambda_function.api"}
    api = functions["aws_lambda_function.api"]
    assert api.runtime == "nodejs16.x" and api.properties["function_name"] == "api-prod"
    assert api.environment["STAGE"] == "PROD"
    assert api.where("Runtime").line == _line("main.tf.json", '"runtime": "${var.runtime}"', tmp_path)
    assert api.locations["Runtime.Default"].line == _line("main.tf.json", '"default": "nodejs16.x"', tmp_path)
    findings = scan_report(tmp_path, DAY)["findings"]
    assert [(f["rule_id"], f["path"]) for f in findings if f["rule_id"].startswith("LR10")] == [
        ("LR100", "main.tf.json")]


def test_a_module_the_review_cannot_read_is_read_from_its_arguments():
    thumbnail = _functions(MONOREPO)["workers/thumbnail:module.thumbnail"]
    assert thumbnail.runtime == "nodejs14.x"
    findings = scan_report(MONOREPO, DAY)["findings"]
    (blocked,) = [f for f in findings if f["function"] == "workers/thumbnail:module.thumbnail"
                  and f["rule_id"].startswith("LR10")]
    assert (blocked["rule_id"], blocked["severity"]) == ("LR101", "error")
    assert (blocked["path"], blocked["line"]) == ("workers/thumbnail/main.tf",
                                                  _line("workers/thumbnail/main.tf", "runtime"))


def test_a_lambda_module_call_without_a_runtime_gives_a_notice_naming_the_form(tmp_path):
    _write(tmp_path, {"main.tf": """
        module "mailer" {
          source  = "git::https://example.com/acme/terraform-modules.git//lambda?ref=v3"
          handler = "mailer.handler"
        }
        """})
    result = TerraformFormat().scan(Workspace(tmp_path))
    (notice,) = result.notices
    assert notice.rule_id == "LR904" and (notice.path, notice.line) == ("main.tf", 2)
    assert "module \"mailer\"" in notice.evidence and "no runtime" in notice.evidence


def test_every_deprecated_runtime_of_the_monorepo_is_found_at_its_line():
    findings = scan_report(MONOREPO, DAY)["findings"]
    runtime = sorted((f["rule_id"], f["path"], f["line"]) for f in findings if f["rule_id"] in ("LR100", "LR101"))
    assert runtime == sorted([
        ("LR100", "envs/prod/terraform.tfvars", _line("envs/prod/terraform.tfvars", "worker_runtime")),
        ("LR100", "services/orders/main.tf", _line("services/orders/main.tf", "runtime")),
        ("LR100", "services/payments/main.tf", _line("services/payments/main.tf", "runtime")),
        ("LR100", "stacks/jobs/main.tf", _line("stacks/jobs/main.tf", '"python3.9"')),
        ("LR100", "stacks/jobs/main.tf", _line("stacks/jobs/main.tf", '"nodejs18.x"')),
        ("LR100", "stacks/reports/variables.tf", _line("stacks/reports/variables.tf", '"python3.8"')),
        ("LR101", "workers/thumbnail/main.tf", _line("workers/thumbnail/main.tf", "runtime")),
    ])


def test_blanks_after_a_heredoc_marker_do_not_hide_the_file(tmp_path):
    _write(tmp_path, {"main.tf": """
        resource "aws_sns_topic_policy" "default" {
          arn    = "arn:aws:sns:eu-west-1:123456789012:topic"
          policy = <<POLICY
        {"Version": "2012-10-17"}
        POLICY  
        }
        resource "aws_lambda_function" "subscriber" {
          function_name = "subscriber"
          role          = "arn:aws:iam::123456789012:role/subscriber"
          handler       = "app.handler"
          runtime       = "nodejs16.x"
          filename      = "app.zip"
        }
        """})
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert result.notices == []
    (function,) = result.functions
    assert function.where("Runtime").line == _line("main.tf", "nodejs16.x", tmp_path)


ROOT_WITH_BUCKETS = """
resource "aws_s3_bucket" "in" {{
  bucket = "{stage}-in"
}}
resource "aws_s3_bucket" "out" {{
  bucket = "{stage}-out"
}}
resource "aws_lambda_function" "this" {{
  function_name = "{stage}-copy"
  role          = "arn:aws:iam::123456789012:role/copy"
  handler       = "app.handler"
  runtime       = "python3.13"
  filename      = "${{path.module}}/src/app.py"
  environment {{
    variables = {{
      TARGET = aws_s3_bucket.{target}.id
    }}
  }}
}}
resource "aws_s3_bucket_notification" "source" {{
  bucket = aws_s3_bucket.{source}.id
  lambda_function {{
    lambda_function_arn = aws_lambda_function.this.arn
    events              = ["s3:ObjectCreated:*"]
  }}
}}
"""

COPY_HANDLER = """
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    s3.put_object(Bucket=os.environ["TARGET"], Key="copy", Body=b"")
"""


def test_recursion_follows_addresses_inside_their_own_root_only(tmp_path):
    # Each root copies from one of its buckets to the other; only across roots, where the same
    # addresses name other buckets, would the two functions form a loop.
    _write(tmp_path, {
        "stacks/a/main.tf": ROOT_WITH_BUCKETS.format(stage="a", source="in", target="out"),
        "stacks/a/src/app.py": COPY_HANDLER,
        "stacks/b/main.tf": ROOT_WITH_BUCKETS.format(stage="b", source="out", target="in"),
        "stacks/b/src/app.py": COPY_HANDLER,
    })
    assert set(_functions(tmp_path)) == {"stacks/a:aws_lambda_function.this", "stacks/b:aws_lambda_function.this"}
    findings = scan_report(tmp_path, DAY)["findings"]
    assert not [f for f in findings if f["rule_id"] in ("LR201", "LR205", "LR204")]


def test_module_calls_with_count_zero_or_an_unknown_for_each(tmp_path):
    _write(tmp_path, {
        "live/main.tf": """
            data "aws_ssm_parameter" "tenants" {
              name = "/app/tenants"
            }
            module "tenant" {
              source   = "../modules/fn"
              for_each = toset(split(",", data.aws_ssm_parameter.tenants.value))
              name     = each.key
            }
            module "retired" {
              source = "../modules/fn"
              count  = 0
              name   = "retired"
            }
            """,
        "modules/fn/main.tf": """
            variable "name" {
              type = string
            }
            resource "aws_lambda_function" "this" {
              function_name = var.name
              role          = "arn:aws:iam::123456789012:role/tenant"
              handler       = "app.handler"
              runtime       = "python3.12"
              filename      = "app.zip"
            }
            """,
    })
    result = TerraformFormat().scan(Workspace(tmp_path))
    (function,) = result.functions
    assert function.name == "module.tenant.aws_lambda_function.this"
    assert "for_each" in function.unresolved["Count"]
    (notice,) = result.notices
    assert (notice.rule_id, notice.path, notice.line) == ("LR904", "live/main.tf",
                                                         _line("live/main.tf", 'module "tenant"', tmp_path))
    # its runtime is read (python3.12): only how many instances exist is unknown, and said so
    assert "how many functions Terraform creates is not known" in notice.message
    assert "runtime" not in notice.message


def test_strings_built_by_a_hostile_chain_of_locals_stay_bounded(tmp_path):
    chain = "\n".join(f'  s{i} = replace(local.s{i - 1}, "a", local.s{i - 1})' for i in range(1, 8))
    _write(tmp_path, {"main.tf": f"""
locals {{
  s0 = "{'a' * 200}"
{chain}
}}
resource "aws_lambda_function" "fn" {{
  function_name = local.s7
  role          = "arn:aws:iam::123456789012:role/fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}}
"""})
    function = _functions(tmp_path)["aws_lambda_function.fn"]
    assert "function_name" not in function.properties
    assert "too long" in function.unresolved["FunctionName"]


def test_for_each_over_a_for_expression_gives_each_enabled_function_its_runtime(tmp_path):
    _write(tmp_path, {"main.tf": """
        locals {
          functions = [
            { name = "ingest", runtime = "python3.8", enabled = true },
            { name = "legacy", runtime = "nodejs12.x", enabled = false },
            { name = "report", runtime = "python3.13", enabled = true },
          ]
        }
        module "fn" {
          source        = "terraform-aws-modules/lambda/aws"
          for_each      = { for f in local.functions : f.name => f if f.enabled }
          function_name = "svc-${each.key}"
          handler       = "app.handler"
          runtime       = each.value.runtime
        }
        """})
    functions = _functions(tmp_path)
    assert set(functions) == {'module.fn["ingest"]', 'module.fn["report"]'}
    findings = scan_report(tmp_path, DAY)["findings"]
    (deprecated,) = [f for f in findings if f["rule_id"].startswith("LR10")]
    assert (deprecated["rule_id"], deprecated["line"]) == ("LR100", _line("main.tf", '"ingest"', tmp_path))
    assert deprecated["function"] == 'module.fn["ingest"]'


def test_functions_listed_in_a_yaml_or_json_file_of_the_repository(tmp_path):
    _write(tmp_path, {
        "infra/main.tf": """
            locals {
              functions = yamldecode(file("${path.module}/functions.yaml"))
              secrets   = jsondecode(file("../../outside.json"))
            }
            module "fn" {
              source        = "terraform-aws-modules/lambda/aws"
              for_each      = local.functions
              function_name = each.key
              handler       = each.value.handler
              runtime       = each.value.runtime
            }
            """,
        "infra/functions.yaml": """
            ingest:
              handler: ingest.handler
              runtime: python3.8
            report:
              handler: report.handler
              runtime: python3.13
            """,
    })
    functions = _functions(tmp_path)
    assert set(functions) == {'module.fn["ingest"]', 'module.fn["report"]'}
    findings = scan_report(tmp_path, DAY)["findings"]
    (deprecated,) = [f for f in findings if f["rule_id"].startswith("LR10")]
    assert (deprecated["path"], deprecated["line"]) == ("infra/functions.yaml",
                                                        _line("infra/functions.yaml", "python3.8", tmp_path))


def test_a_physical_name_two_roots_deploy_links_nothing_from_a_third_root(tmp_path):
    function = """
        resource "aws_lambda_function" "api" {
          function_name = "orders-api"
          role          = "arn:aws:iam::123456789012:role/api"
          handler       = "app.handler"
          runtime       = "python3.13"
          filename      = "api.zip"
        }
        """
    _write(tmp_path, {
        "envs/dev/main.tf": function,
        "envs/prod/main.tf": function,
        "shared/permissions.tf": """
            resource "aws_lambda_permission" "public" {
              function_name = "orders-api"
              principal     = "*"
              action        = "lambda:InvokeFunction"
            }
            resource "aws_lambda_permission" "own" {
              function_name = "reports"
              principal     = "events.amazonaws.com"
              action        = "lambda:InvokeFunction"
            }
            """,
        "reports/main.tf": function.replace('"orders-api"', '"reports"').replace('"api"', '"reports"'),
    })
    functions = _functions(tmp_path)
    assert functions["envs/dev:aws_lambda_function.api"].permissions == []
    assert functions["envs/prod:aws_lambda_function.api"].permissions == []
    (permission,) = functions["reports:aws_lambda_function.reports"].permissions
    assert permission.principal == "events.amazonaws.com"
