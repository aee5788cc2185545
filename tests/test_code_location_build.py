"""A Terraform module that zips one bundled file (`dist/handlers/x.js`, built by esbuild and not
committed) is read from the source it is bundled from (`src/handlers/x.ts`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def test_a_bundled_handler_is_read_from_the_source_folder_its_build_folder_mirrors(tmp_path: Path) -> None:
    _write(tmp_path, "infra/modules/api/create.tf", """\
        resource "aws_lambda_function" "create" {
          function_name    = "create-item"
          runtime          = "nodejs20.x"
          handler          = "create-item.handler"
          role             = "arn:aws:iam::123456789012:role/r"
          filename         = data.archive_file.create.output_path
          source_code_hash = data.archive_file.create.output_base64sha256
        }

        data "archive_file" "create" {
          type        = "zip"
          source_file = "${path.module}/../../../api/dist/handlers/create-item.js"
          output_path = "${path.module}/../../../api/dist/create.zip"
        }
        """)
    _write(tmp_path, "infra/main.tf", 'module "api" {\n  source = "./modules/api"\n}\n')
    _write(tmp_path, "api/src/handlers/create-item.ts", """\
        export const handler = async (event: { body: string }) => {
          return { statusCode: 201, body: event.body };
        };
        """)
    workspace = Workspace(tmp_path)
    (function,) = build_inventory(workspace).functions
    reading = read_function_code(workspace, function)
    assert reading.skipped is None
    assert reading.handler_path == "api/src/handlers/create-item.ts"


def test_a_package_path_handler_is_read_from_a_folder_above_its_built_package(tmp_path: Path) -> None:
    """`local_existing_package = src/alerts/dist/alerts.zip` with handler `alerts.app.handler`:
    the build zips `src/` from its top, so the handler's module is `src/alerts/app.py`, two
    folders above the package and far from the infrastructure folder that declares it."""
    _write(tmp_path, "infra/accounts/dev/main.tf", """\
        module "alerts" {
          source         = "../../modules/alerts"
          python_version = "python3.12"
        }
        """)
    _write(tmp_path, "infra/modules/alerts/main.tf", """\
        variable "python_version" {
          type = string
        }

        module "lambda_function" {
          source  = "terraform-aws-modules/lambda/aws"
          version = "6.0.0"

          function_name          = "alerts"
          handler                = "alerts.app.handler"
          runtime                = var.python_version
          create_package         = false
          local_existing_package = "${path.root}/../../../src/alerts/dist/alerts.zip"
        }
        """)
    _write(tmp_path, "src/alerts/app.py", "def handler(event, context):\n    return event\n")
    workspace = Workspace(tmp_path)
    (function,) = build_inventory(workspace).functions
    assert function.code_path == "src/alerts/dist/alerts.zip"
    reading = read_function_code(workspace, function)
    assert reading.skipped is None
    assert reading.handler_path == "src/alerts/app.py"
