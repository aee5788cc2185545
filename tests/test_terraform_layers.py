"""A Terraform function's imports are followed into the layers of its configuration zipped from a
repository folder (`layers = [aws_lambda_layer_version.shared.arn]`, the layer's `filename` an
`archive_file` of `layers/shared`), as Lambda imports them from /opt/python after its own code."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

# The shape of a configuration that zips each function's folder and a shared layer's with
# `archive_file`, and also attaches a public layer by its ARN.
MAIN_TF = """\
data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/../src/orders"
  output_path = "${path.module}/build/orders.zip"
}

data "archive_file" "shared" {
  type        = "zip"
  source_dir  = "${path.module}/../layers/shared"
  output_path = "${path.module}/build/shared.zip"
}

resource "aws_lambda_layer_version" "shared" {
  layer_name          = "shared"
  filename            = data.archive_file.shared.output_path
  compatible_runtimes = ["python3.12"]
}

resource "aws_lambda_layer_version" "node_tools" {
  layer_name = "node-tools"
  filename   = "${path.module}/../layers/node.zip"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.orders.output_path
  layers = [
    aws_lambda_layer_version.shared.arn,
    aws_lambda_layer_version.node_tools.arn,
    "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7",
  ]
}
"""


def _write(root: Path) -> None:
    for folder in ("infra", "src/orders", "layers/shared/python/shared", "layers/node/nodejs"):
        (root / folder).mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(MAIN_TF)
    (root / "src" / "orders" / "app.py").write_text(
        "from shared.ops import export\n\n\ndef handler(event, context):\n    return export('orders')\n")
    (root / "layers" / "shared" / "python" / "shared" / "__init__.py").write_text("")
    (root / "layers" / "shared" / "python" / "shared" / "ops.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")


def test_the_python_folder_of_each_layer_zipped_from_the_repository_is_on_the_import_path(tmp_path):
    _write(tmp_path)
    (function,) = build_inventory(Workspace(tmp_path)).functions
    # the Node.js layer's zip has no python/ folder in the repository; the ARN layer is not in it
    assert function.layer_paths == ("layers/shared/python",)


def test_bandit_reports_the_layer_module_the_handler_imports_as_the_function_s_code(tmp_path):
    _write(tmp_path)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    shell = [(f["rule_id"], f["path"], f["function"]) for f in findings if f["engine"] == "bandit"]
    assert ("bandit/B602", "layers/shared/python/shared/ops.py", "aws_lambda_function.orders") in shell
