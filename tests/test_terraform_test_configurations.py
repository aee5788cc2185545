"""Terraform written as test input is no deployment: a plan a workflow under `.github/` runs for
policy checks, or a test suite's fixtures. A module only such a plan calls is listed as its own
root, as any module nothing calls; an environment named `test` stays a root."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.workspace import Workspace

_MODULE = """
    variable "name" {
      type = string
    }

    resource "aws_lambda_function" "this" {
      function_name = var.name
      runtime       = "python3.13"
      handler       = "main.handler"
      filename      = "${path.module}/lambda.zip"
      role          = "arn:aws:iam::123456789012:role/worker"
    }
"""

_POLICY_TEST_PLAN = """
    provider "aws" {
      region = "ca-central-1"
    }

    module "worker" {
      source = "../../../worker"
      name   = "policy-check-worker"
    }

    module "worker_in_vpc" {
      source = "../../../worker"
      name   = "policy-check-worker-vpc"
    }
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _names(root: Path) -> set[str]:
    return {fn.name for fn in TerraformFormat().scan(Workspace(root)).functions}


def test_a_policy_check_plan_under_github_is_no_root(tmp_path):
    _write(tmp_path, {
        "worker/main.tf": _MODULE,
        ".github/workflows/conftest/test_plan.tf": _POLICY_TEST_PLAN,
        "notifier/main.tf": _MODULE.replace('var.name', '"notifier"'),
    })
    assert _names(tmp_path) == {"worker:aws_lambda_function.this", "notifier:aws_lambda_function.this"}


def test_a_test_suites_fixture_is_no_root_but_a_test_environment_is(tmp_path):
    _write(tmp_path, {
        "worker/main.tf": _MODULE,
        "tests/fixtures/two_workers/main.tf": _POLICY_TEST_PLAN,
        "environments/test/main.tf": """
            module "worker" {
              source = "../../worker"
              name   = "test-worker"
            }
        """,
    })
    assert _names(tmp_path) == {"module.worker.aws_lambda_function.this"}


def test_a_root_that_calls_a_module_kept_under_github_still_reads_it(tmp_path):
    _write(tmp_path, {
        ".github/terraform/worker/main.tf": _MODULE,
        "infra/main.tf": """
            module "worker" {
              source = "../.github/terraform/worker"
              name   = "worker"
            }
        """,
    })
    assert _names(tmp_path) == {"module.worker.aws_lambda_function.this"}
