"""Terraform: where a function's code comes from when another module holds it: a local module
that zips the code without naming Lambda, and the archive provider's managed `archive_file`."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


WORKER = """
variable "bundle_path" {}
variable "python" {
  default = "python3.12"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "jobs.handler"
  runtime       = var.python
  filename      = var.bundle_path
}
"""


def test_code_zipped_by_a_called_module_that_never_names_lambda(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            module "bundles" {
              source = "./modules/bundles"
            }

            module "worker" {
              source      = "./modules/worker"
              bundle_path = module.bundles.jobs_path
            }
        """,
        "modules/bundles/main.tf": """
            data "archive_file" "jobs" {
              type        = "zip"
              source_dir  = "${path.module}/../../src/jobs"
              output_path = "${path.module}/jobs.zip"
            }

            output "jobs_path" {
              value = data.archive_file.jobs.output_path
            }
        """,
        "modules/worker/main.tf": WORKER,
        "src/jobs/jobs.py": "def handler(event, context):\n    return event\n",
    })
    function = _functions(root)["module.worker.aws_lambda_function.worker"]
    assert function.code_path == "src/jobs"
    assert "Code" not in function.unresolved


def test_code_zipped_by_a_managed_archive_file_resource(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            resource "archive_file" "jobs" {
              type        = "zip"
              source_dir  = "${path.module}/src/jobs"
              output_path = "${path.module}/build/jobs.zip"
            }

            resource "aws_lambda_function" "worker" {
              function_name = "worker"
              role          = "arn:aws:iam::123456789012:role/worker"
              handler       = "jobs.handler"
              runtime       = "python3.12"
              filename      = archive_file.jobs.output_path
            }
        """,
        "src/jobs/jobs.py": "def handler(event, context):\n    return event\n",
    })
    function = _functions(root)["aws_lambda_function.worker"]
    assert function.code_path == "src/jobs"
    assert function.properties["archive"] == "archive_file.jobs"
