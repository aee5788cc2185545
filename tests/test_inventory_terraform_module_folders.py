"""Terraform module folders no configuration calls: a leftover copy of a module under `modules/`
is a module, not a deployment, while a folder that is run as a root (a backend, a configured
provider, Terragrunt) and a repository that is itself a module keep their functions."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function
from reviewer.workspace import Workspace

# A module wrapping the registry Lambda module, its runtime an input with no default.
_WRAPPER = {
    "main.tf": """
        module "lambda_function" {
          source        = "terraform-aws-modules/lambda/aws"
          function_name = var.name
          handler       = "app.handler"
          runtime       = "python${var.python_version}"
          source_path   = var.source_path
        }
        """,
    "variables.tf": """
        variable "name" {}
        variable "python_version" {}
        variable "source_path" {}
        """,
}

_CALLER = """
    module "orders" {
      source         = "%s"
      name           = "orders"
      python_version = "3.12"
      source_path    = "${path.module}/../../src/orders"
    }
    """


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _module(folder: str, files: dict[str, str] = _WRAPPER) -> dict[str, str]:
    return {f"{folder}/{name}": text for name, text in files.items()}


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


def _declared(root: Path) -> list[tuple[str, str]]:
    """Each function's name and the file it is located at (a single root keeps bare names)."""
    return [(fn.name, fn.location.path) for fn in _functions(root).values()]


def test_an_uncalled_copy_of_a_module_is_not_a_deployed_function(tmp_path):
    _write(tmp_path, {
        **_module("infra/modules/worker/lambda"),
        **_module("infra/deploy/modules/worker/lambda"),  # the old copy, called by nothing
        "infra/deploy/main.tf": _CALLER % "../modules/worker/lambda",
    })
    functions = _functions(tmp_path)
    assert list(functions) == ["module.orders.module.lambda_function"]
    assert functions["module.orders.module.lambda_function"].runtime == "python3.12"


def test_a_module_folder_run_as_a_root_with_a_backend_keeps_its_function(tmp_path):
    _write(tmp_path, {
        **_module("modules/stacks/scheduler"),
        "modules/stacks/scheduler/versions.tf": """
            terraform {
              backend "s3" {}
            }
            """,
        **_module("modules/stacks/shared", {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'}),
        "modules/stacks/app/main.tf": 'module "shared" {\n  source = "../shared"\n}\n',
        "variables/scheduler.tfvars": 'python_version = "3.12"\n',
    })
    assert _declared(tmp_path) == [("module.lambda_function", "modules/stacks/scheduler/main.tf")]


def test_a_module_folder_with_a_configured_provider_keeps_its_function(tmp_path):
    _write(tmp_path, {
        **_module("modules/scheduler"),
        "modules/scheduler/providers.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
        "envs/dev/main.tf": 'module "queue" {\n  source = "../../modules/queue"\n}\n',
        "modules/queue/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
    })
    assert _declared(tmp_path) == [("module.lambda_function", "modules/scheduler/main.tf")]


def test_module_folders_of_a_terragrunt_repository_stay_roots(tmp_path):
    _write(tmp_path, {
        **_module("modules/lambda"),
        **_module("modules/worker/lambda"),
        "modules/worker/main.tf": _CALLER % "./lambda",
        "live/prod/lambda/terragrunt.hcl": 'terraform {\n  source = "../../../modules/lambda"\n}\n',
    })
    # run by the unit, the folder is a root in the unit's name (`test_terragrunt_units.py`)
    assert "live/prod/lambda:module.lambda_function" in _functions(tmp_path)


def test_an_uncalled_module_folder_whose_runtime_is_written_in_it_is_kept(tmp_path):
    _write(tmp_path, {
        **_module("infra/modules/api"),
        "infra/modules/legacy/main.tf": """
            resource "aws_lambda_function" "legacy" {
              function_name = var.name
              role          = var.role
              handler       = "index.handler"
              runtime       = "nodejs18.x"
              filename      = "legacy.zip"
            }
            """,
        "infra/main.tf": _CALLER % "./modules/api",
    })
    functions = _functions(tmp_path)
    assert set(functions) == {"infra:module.orders.module.lambda_function",
                              "infra/modules/legacy:aws_lambda_function.legacy"}


def test_an_uncalled_module_folder_whose_handler_is_an_input_is_not_listed(tmp_path):
    """A service's `modules/` holds a function module for callers (`handler = var.lambda_handler`,
    no default) beside the one its service calls: with its runtime written in it, it was listed as
    a function of its own with no handler; what it makes is reviewed through each call."""
    recipe = """
        module "aws_lambda_function" {
          source        = "DataDog/lambda-datadog/aws"
          version       = "2.0.0"
          filename      = var.zip_file
          function_name = "tf-python-${var.function_name}-${var.env}"
          handler       = var.lambda_handler
          runtime       = "python3.13"
        }
        """
    variables = """
        variable "zip_file" {}
        variable "function_name" {}
        variable "env" {}
        variable "lambda_handler" {}
        """
    _write(tmp_path, {
        "infra/modules/lambda-function/main.tf": recipe,
        "infra/modules/lambda-function/variables.tf": variables,
        "infra/modules/python-lambda-function/main.tf": recipe,
        "infra/modules/python-lambda-function/variables.tf": variables,
        "infra/services/activity/functions.tf": """
            module "get_activity_lambda" {
              source         = "../../modules/python-lambda-function"
              zip_file       = "../.build/activity.zip"
              function_name  = "GetActivity"
              env            = "dev"
              lambda_handler = "activity_service.handlers.get.lambda_handler"
            }
            """,
        "infra/main.tf": 'module "activity" {\n  source = "./services/activity"\n}\n',
    })
    functions = _functions(tmp_path)
    assert list(functions) == ["module.activity.module.get_activity_lambda.module.aws_lambda_function"]
    assert next(iter(functions.values())).handler == "activity_service.handlers.get.lambda_handler"


def test_a_repository_that_is_a_module_keeps_its_examples(tmp_path):
    _write(tmp_path, {
        **_module(".", _WRAPPER),
        "modules/alias/main.tf": 'resource "aws_lambda_alias" "this" {\n  name = var.name\n}\n',
        "examples/simple/main.tf": _CALLER % "../..",
        "examples/alias/main.tf": 'module "alias" {\n  source = "../../modules/alias"\n}\n',
    })
    assert _declared(tmp_path) == [("module.orders.module.lambda_function", "examples/simple/main.tf")]


def test_a_call_of_a_lambda_module_folder_the_repository_does_not_hold_is_a_notice(tmp_path):
    _write(tmp_path, {"local/main.tf": """
        module "table" {
          source   = "./modules/storage"
          hash_key = "pk"
        }

        module "layers" {
          for_each    = toset(var.layers)
          source      = "./modules/worker/layer"
          layer_name  = each.key
        }

        module "lambdas" {
          for_each    = toset(var.lambdas)
          source      = "./modules/worker/function"
          lambda_name = "api-${each.key}"
          source_path = "../src/${each.key}.zip"
        }
        """})
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert result.functions == []
    notices = [(n.rule_id, n.path, n.line) for n in result.notices]
    call_line = (tmp_path / "local/main.tf").read_text().splitlines().index('module "lambdas" {') + 1
    assert notices == [("LR904", "local/main.tf", call_line)]
    assert "./modules/worker/function, a local module that is not in the repository" in result.notices[0].message
    assert "The review reads only what the repository holds, so the functions it declares" in result.notices[0].message


# A root that calls its function folders under `lambdas/`, the call of one of them commented out.
_SWITCHED_OFF_ROOT = {
    "main.tf": """
        provider "aws" {
          region = "eu-central-1"
        }

        module "ingest" {
          source   = "./lambdas/ingest"
          role_arn = aws_iam_role.ingest.arn
        }

        # module "alerts" {
        #   source   = "./lambdas/alerts"
        #   role_arn = aws_iam_role.ingest.arn
        # }
        """,
}


def _function_folder(name: str, runtime: str = '"python3.9"') -> dict[str, str]:
    return {
        f"lambdas/{name}/function.tf": f"""
            resource "aws_lambda_function" "this" {{
              function_name = "{name}"
              role          = var.role_arn
              handler       = "main.handler"
              runtime       = {runtime}
              filename      = "{name}.zip"
            }}
            """,
        f"lambdas/{name}/variables.tf": 'variable "role_arn" {\n  type = string\n}\n',
    }


def test_a_module_folder_whose_only_call_is_commented_out_is_not_deployed(tmp_path):
    _write(tmp_path, {**_SWITCHED_OFF_ROOT, **_function_folder("ingest"), **_function_folder("alerts")})
    assert _declared(tmp_path) == [("module.ingest.aws_lambda_function.this", "main.tf")]


def test_a_folder_a_comment_names_but_configured_as_a_root_keeps_its_function(tmp_path):
    _write(tmp_path, {**_SWITCHED_OFF_ROOT, **_function_folder("ingest"), **_function_folder("alerts"),
                      "lambdas/alerts/backend.tf": 'terraform {\n  backend "s3" {}\n}\n'})
    assert set(_functions(tmp_path)) == {"module.ingest.aws_lambda_function.this",
                                         "lambdas/alerts:aws_lambda_function.this"}


def test_an_uncalled_folder_beside_called_modules_whose_runtime_is_an_input_is_not_listed(tmp_path):
    _write(tmp_path, {
        "main.tf": 'module "ingest" {\n  source   = "./lambdas/ingest"\n  role_arn = "arn"\n}\n',
        **_function_folder("ingest"),
        **_function_folder("resize", "var.runtime"),
        "lambdas/resize/runtime.tf": 'variable "runtime" {}\n',
    })
    assert _declared(tmp_path) == [("module.ingest.aws_lambda_function.this", "main.tf")]


def test_calls_of_missing_modules_of_other_services_named_after_a_function_are_no_notice(tmp_path):
    """A root whose shared modules are a git submodule the checkout leaves empty: only the call of
    the Lambda module is a function the review misses; the bucket, parameter and schedule modules
    named after the function they serve, or pointing at it, make none."""
    _write(tmp_path, {"main.tf": """
        module "export_lambda_bucket" {
          source      = "./shared-modules/s3"
          bucket_name = "exports"
        }

        module "export_lambda_ssm_parameters" {
          source     = "./shared-modules/ssm_parameter"
          parameters = []
        }

        module "nightly_export_schedule" {
          source                  = "./shared-modules/cloudwatch_events"
          schedule                = "cron(0 1 * * ? *)"
          lambda_event_target_arn = module.export_lambda.lambda_arn
        }

        module "export_lambda" {
          source      = "./shared-modules/lambda"
          lambda_name = "export"
        }
        """})
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert result.functions == []
    call_line = (tmp_path / "main.tf").read_text().splitlines().index('module "export_lambda" {') + 1
    assert [(n.rule_id, n.line) for n in result.notices] == [("LR904", call_line)]
    assert "./shared-modules/lambda, a local module" in result.notices[0].message


def test_the_folder_a_module_source_names():
    """A registry address names its module in the middle; a GitHub shorthand, a git URL and a
    subfolder name it last, without their `?ref=`."""
    from reviewer.inventory.terraform.templates import _source_folder

    assert _source_folder("terraform-aws-modules/lambda/aws") == "lambda"
    assert _source_folder("app.terraform.io/acme/lambda/aws") == "lambda"
    assert _source_folder("github.com/acme/terraform-aws-lambda.git?ref=v1.2.0") == "terraform-aws-lambda.git"
    assert _source_folder("github.com/acme/terraform-modules//lambda?ref=v10") == "lambda"
    assert _source_folder("git@github.com:acme/terraform-aws-lambda.git?ref=v1") == "terraform-aws-lambda.git"
    assert _source_folder("./shared-modules/ssm_parameter/") == "ssm_parameter"


def test_an_uncalled_module_folder_whose_code_is_a_path_from_its_callers_root_is_not_listed(tmp_path):
    """LBHackney-IT/Data-Platform's `terraform/modules/s3-bucket-notification-emails`: a module no
    root calls any more, whose code path (`"../../lambdas/x"`) is written for the caller's root
    module (`terraform/etl`) and leads, from the module folder, to no folder at all. It deploys
    nothing, and was listed with that missing folder; an image module whose `image_uri` is an input
    no default gives is a recipe for callers too."""
    _write(tmp_path, {
        **_module("terraform/modules/api"),
        "terraform/modules/bucket-emails/main.tf": """
            resource "aws_lambda_function" "notify" {
              function_name = var.name
              role          = "arn:aws:iam::123456789012:role/notify"
              handler       = "main.lambda_handler"
              runtime       = "python3.11"
              filename      = data.archive_file.notify.output_path
            }

            data "archive_file" "notify" {
              type        = "zip"
              source_dir  = "../../lambdas/publish_upload"
              output_path = "../../lambdas/publish_upload.zip"
            }
            """,
        "terraform/modules/bucket-emails/variables.tf": 'variable "name" {}\n',
        "terraform/modules/container-task/main.tf": """
            resource "aws_lambda_function" "task" {
              function_name = "task"
              role          = "arn:aws:iam::123456789012:role/task"
              package_type  = "Image"
              image_uri     = var.image_uri
            }
            """,
        "terraform/modules/container-task/variables.tf": 'variable "image_uri" {}\n',
        "terraform/etl/main.tf": _CALLER % "../modules/api",
        "lambdas/publish_upload/main.py": "def lambda_handler(event, context):\n    return 1\n",
    })
    assert list(_functions(tmp_path)) == ["module.orders.module.lambda_function"]


def test_a_module_folder_called_with_an_empty_for_each_is_not_reviewed_as_a_root_of_its_own(tmp_path):
    """NHSDigital/hometest-mgmt-terraform's `src/hometest-app` calls `../../modules/lambda` once per
    entry of `var.lambdas`, empty by default and filled by each environment's Terragrunt inputs.
    With the defaults the call makes no instance, and the called folder was then reviewed as a
    root of its own: a function with the module's default handler and no code, warned about a
    deprecated runtime that is only the module variable's default, which the call sets."""
    _write(tmp_path, {
        "infrastructure/modules/lambda/main.tf": """
            resource "aws_lambda_function" "this" {
              function_name = var.function_name
              role          = var.role_arn
              handler       = var.handler
              runtime       = var.runtime
              filename      = var.filename
            }
            """,
        "infrastructure/modules/lambda/variables.tf": """
            variable "function_name" {}
            variable "role_arn" {}
            variable "filename" {
              default = null
            }
            variable "handler" {
              default = "index.handler"
            }
            variable "runtime" {
              default = "nodejs18.x"
            }
            """,
        "infrastructure/src/app/lambda.tf": """
            module "lambdas" {
              source        = "../../modules/lambda"
              for_each      = var.lambdas
              function_name = each.key
              role_arn      = "arn:aws:iam::123456789012:role/app"
              handler       = each.value.handler
              runtime       = coalesce(each.value.runtime, var.lambda_runtime)
              filename      = "${var.lambdas_base_path}/${each.key}/${each.key}.zip"
            }
            """,
        "infrastructure/src/app/variables.tf": """
            variable "lambdas" {
              type = map(object({
                handler = optional(string, "index.handler")
                runtime = optional(string, null)
              }))
              default = {}
            }
            variable "lambda_runtime" {
              default = "nodejs24.x"
            }
            variable "lambdas_base_path" {
              default = "../../../examples/lambdas"
            }
            """,
    })
    assert _functions(tmp_path) == {}


def test_a_module_folder_called_with_an_empty_for_each_keeps_the_runtime_it_writes(tmp_path):
    """Worklytics/psoxy's `aws-webhook-collector`: the host module calls it once per configured
    collector, none by default, and the function's runtime is written in the module it wraps: its
    folder is still reviewed on its own, as every instance deploys that runtime."""
    _write(tmp_path, {
        "infra/modules/webhook-collector/main.tf": """
            resource "aws_lambda_function" "collector" {
              function_name = var.instance_id
              role          = "arn:aws:iam::123456789012:role/collector"
              handler       = var.handler_class
              runtime       = "java21"
              filename      = var.path_to_function_zip
            }
            variable "instance_id" {}
            variable "path_to_function_zip" {}
            variable "handler_class" {
              default = "co.example.CollectorHandler"
            }
            """,
        "infra/modules/host/main.tf": """
            module "webhook_collectors" {
              for_each             = var.webhook_collectors
              source               = "../webhook-collector"
              instance_id          = each.key
              path_to_function_zip = "build/collector.jar"
            }
            variable "webhook_collectors" {
              default = {}
            }
            """,
        "infra/examples/aws/main.tf": """
            module "host" {
              source = "../../modules/host"
            }
            """,
    })
    (function,) = _functions(tmp_path).values()
    assert (function.location.path, function.runtime) == ("infra/modules/webhook-collector/main.tf", "java21")
