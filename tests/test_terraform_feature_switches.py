"""A Terraform function behind a feature switch of its root (`count = var.enable_x ? 1 : 0`,
default false): not deployed with the defaults, so not reviewed, but said in an LR904 notice,
since an environment that sets the variable at plan time (`-var-file`, `TF_VAR_`) deploys it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.workspace import Workspace

_REPORTER_MODULE = """
    variable "name" {}

    resource "aws_lambda_function" "this" {
      function_name = var.name
      role          = "arn:aws:iam::123456789012:role/reporter"
      handler       = "report.handler"
      runtime       = "python3.12"
      filename      = "${path.module}/report.zip"
    }
    """

_ENVIRONMENT = """
    variable "enable_reporter" {
      type    = bool
      default = false
    }

    variable "enable_archiver" {
      type    = bool
      default = false
    }

    module "reporter" {
      count  = var.enable_reporter ? 1 : 0
      source = "../../modules/reporter"
      name   = "reporter"
    }

    resource "aws_lambda_function" "archiver" {
      count         = var.enable_archiver ? 1 : 0
      function_name = "archiver"
      role          = "arn:aws:iam::123456789012:role/archiver"
      handler       = "archive.handler"
      runtime       = "python3.12"
      filename      = "archive.zip"
    }

    resource "aws_lambda_function" "retired" {
      count         = 0
      function_name = "retired"
      role          = "arn:aws:iam::123456789012:role/retired"
      handler       = "retired.handler"
      runtime       = "python3.8"
      filename      = "retired.zip"
    }
    """


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _line(root: Path, rel: str, text: str) -> int:
    return (root / rel).read_text().splitlines().index(text) + 1


def test_a_function_switched_off_by_a_root_default_is_a_notice_and_switched_on_by_tfvars_is_read(tmp_path):
    _write(tmp_path, {
        "modules/reporter/main.tf": _REPORTER_MODULE,
        "envs/dev/main.tf": _ENVIRONMENT,
        "envs/prod/main.tf": _ENVIRONMENT,
        "envs/prod/terraform.tfvars": "enable_reporter = true\n",
    })
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert sorted(fn.name for fn in result.functions) == ["module.reporter.aws_lambda_function.this"]
    notices = sorted((n.path, n.line, n.evidence) for n in result.notices)
    dev, prod = "envs/dev/main.tf", "envs/prod/main.tf"
    # dev's `module.reporter` is no notice: prod's call reviews that module folder's function
    assert notices == sorted([
        (dev, _line(tmp_path, dev, 'resource "aws_lambda_function" "archiver" {'),
         "envs/dev:aws_lambda_function.archiver: count = var.enable_archiver ? 1 : 0"),
        (prod, _line(tmp_path, prod, 'resource "aws_lambda_function" "archiver" {'),
         "envs/prod:aws_lambda_function.archiver: count = var.enable_archiver ? 1 : 0"),
    ])
    assert all(n.rule_id == "LR904" for n in result.notices)
    assert "an environment that sets them at plan time deploys it" in result.notices[0].message


def test_a_module_every_root_switches_off_is_reviewed_as_its_folder_and_no_notice_says_left_out(tmp_path):
    """No root deploys the module with the defaults: its folder is then reviewed on its own (as a
    module nothing instantiates), so no notice may say its function is left out."""
    _write(tmp_path, {
        "modules/reporter/main.tf": _REPORTER_MODULE,
        "envs/dev/main.tf": _ENVIRONMENT,
        "envs/prod/main.tf": _ENVIRONMENT,
    })
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert [fn.location.path for fn in result.functions] == ["modules/reporter/main.tf"]
    assert not [n for n in result.notices if "module.reporter" in (n.evidence or "")]


def test_a_module_folder_nothing_calls_says_nothing_of_its_switches(tmp_path):
    """A switch inside a module folder the repository keeps for others (no caller, under
    `modules/`) is its callers' to set: no notice."""
    _write(tmp_path, {
        "modules/reporter/main.tf": _REPORTER_MODULE.replace(
            'resource "aws_lambda_function" "this" {',
            'variable "create" {\n  default = false\n}\n\nresource "aws_lambda_function" "this" {\n'
            '  count = var.create ? 1 : 0'),
        "modules/queue/main.tf": 'resource "aws_sqs_queue" "jobs" {}\n',
        "main.tf": 'module "queue" {\n  source = "./modules/queue"\n}\n',
    })
    result = TerraformFormat().scan(Workspace(tmp_path))
    assert result.functions == []
    assert result.notices == []


def test_a_count_of_one_or_none_by_workspace_is_one_function_with_nothing_to_say(tmp_path: Path) -> None:
    """`count = local.is_live ? 1 : 0` with `is_live` decided by `terraform.workspace`
    (LBHackney-IT/Data-Platform's 56 module calls, nationalarchives/dr2-terraform-environments'
    anonymiser): the environments that deploy it deploy one instance, which is what the review
    reads; no LR904 says "how many functions Terraform creates is not known"."""
    (tmp_path / "modules" / "reporter").mkdir(parents=True)
    (tmp_path / "modules" / "reporter" / "main.tf").write_text(textwrap.dedent(_REPORTER_MODULE))
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "main.tf").write_text(textwrap.dedent("""
        locals {
          is_live_environment = terraform.workspace == "default" ? true : false
          reporter_count      = local.is_live_environment ? 1 : 0
        }

        module "reporter" {
          count  = local.reporter_count
          source = "../modules/reporter"
          name   = "reporter"
        }

        resource "aws_lambda_function" "scaled" {
          count         = local.is_live_environment ? 2 : 0
          function_name = "scaled-${count.index}"
          role          = "arn:aws:iam::123456789012:role/reporter"
          handler       = "report.handler"
          runtime       = "python3.12"
          filename      = "report.zip"
        }
    """))
    result = TerraformFormat().scan(Workspace(tmp_path))
    functions = {fn.name: fn for fn in result.functions}
    assert "Count" not in functions["module.reporter.aws_lambda_function.this"].unresolved
    # a count of two or none is still not known: said once
    assert "Count" in functions["aws_lambda_function.scaled"].unresolved
    assert [notice.rule_id for notice in result.notices] == ["LR904"]
