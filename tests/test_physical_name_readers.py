"""The readers of a function's deployed name (`Function.physical_name`, issue 16): recursion's
self-invocation, the search for a built function's source, and the account tie-in each read it as
they read `FunctionName`/`function_name` before the inventory stated it format-free."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.account.listing import DeployedFunction
from reviewer.account.tie_in import older_deployments
from reviewer.cli import main
from reviewer.code.code_location import beside_declaration
from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

TEMPLATE = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      ResizeFn:
        Type: AWS::Lambda::Function
        Properties:
          FunctionName: ImageResizer
          Runtime: python3.12
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/resizer
          Code: {S3Bucket: artifacts, S3Key: resizer.zip}
    """
TERRAFORM = """\
    variable "stage" { default = "prod" }
    resource "aws_lambda_function" "orders" {
      function_name = "orders-${var.stage}"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "orders.zip"
      role          = "arn:aws:iam::123456789012:role/orders"
    }
    """
# Invokes the function by the name its declaration gives it, with no bound on the depth.
SELF_INVOKING = """\
    import boto3

    lambda_client = boto3.client("lambda")


    def handler(event, context):
        lambda_client.invoke(FunctionName="{name}", InvocationType="Event", Payload=b"{{}}")
    """


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_a_function_invoking_its_own_declared_name_is_a_self_invocation(tmp_path: Path) -> None:
    _write(tmp_path, {
        "sam/template.yaml": TEMPLATE,
        "sam/src/image_resizer/app.py": SELF_INVOKING.format(name="ImageResizer"),
        "tf/main.tf": TERRAFORM,
        "tf/app.py": SELF_INVOKING.format(name="arn:aws:lambda:us-east-1:123456789012:function:orders-prod"),
    })
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    found = {(f["rule_id"], f["function"]) for f in json.loads(out.getvalue())["findings"]
             if f["rule_id"].startswith("LR20")}
    assert found == {("LR200", "ResizeFn"), ("LR200", "aws_lambda_function.orders")}


def test_a_built_function_s_source_is_looked_for_under_its_declared_name(tmp_path: Path) -> None:
    _write(tmp_path, {"template.yaml": TEMPLATE, "src/image_resizer/app.py": "def handler(event, context): ...\n"})
    function = _functions(tmp_path)["ResizeFn"]
    assert beside_declaration(Workspace(tmp_path), function, ["app.py"]) == "src/image_resizer"


def _deployed(name: str, runtime: str) -> DeployedFunction:
    return DeployedFunction(name=name, arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
                            region="us-east-1", account="123456789012", runtime=runtime, package_type="Zip",
                            environment={}, layers=(), signed=False)


def test_the_account_tie_in_matches_a_deployed_function_by_the_name_the_declaration_writes(tmp_path: Path) -> None:
    _write(tmp_path, {"template.yaml": TEMPLATE, "main.tf": TERRAFORM})
    functions = _functions(tmp_path)
    deployed = [_deployed("ImageResizer", "python3.9"), _deployed("ResizeFn", "python3.8"),
                _deployed("orders-prod", "python3.9")]
    older = older_deployments(list(functions.values()), deployed)
    # The written name decides alone: `ResizeFn` (its logical id) is another function. A name
    # Terraform's reader worked out from a variable's default ties as the one exact candidate,
    # and says so.
    assert sorted((o.declared, o.deployed, o.deployed_runtime, o.basis) for o in older) == [
        ("ResizeFn", "ImageResizer", "python3.9", ""),
        ("aws_lambda_function.orders", "orders-prod", "python3.9",
         "its name worked out from the Terraform variables as the repository sets them")]


SERVICE = """\
    service: ingest
    provider:
      name: aws
      runtime: python3.12
      {stage}
    functions:
      poller:
        handler: poller/app.handler
      named:
        handler: poller/app.handler
        name: ingest-named-fn
    """


def test_a_serverless_function_s_deployed_name_is_the_framework_s_service_stage_key(tmp_path: Path) -> None:
    """Serverless deploys `poller` as `<service>-<stage>-poller`, the stage `dev` unless the
    service (or `--stage`) says otherwise: a computed name, as a Terraform default's is."""
    for stage, expected in (("", "ingest-dev-poller"), ("stage: ${opt:stage, 'prod'}", "ingest-prod-poller"),
                            ("stage: ${opt:stage}", None)):
        _write(tmp_path, {"serverless.yml": SERVICE.format(stage=stage)})
        functions = _functions(tmp_path)
        poller, named = functions["poller"], functions["named"]
        assert (poller.physical_name, poller.physical_name_evaluated) == (expected, expected is not None)
        assert (named.physical_name, named.physical_name_evaluated) == ("ingest-named-fn", False)


def test_a_serverless_function_invoking_its_deployed_name_is_a_self_invocation(tmp_path: Path) -> None:
    _write(tmp_path, {
        "serverless.yml": SERVICE.format(stage=""),
        "poller/app.py": SELF_INVOKING.format(name="ingest-dev-poller"),
    })
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    found = {(f["rule_id"], f["function"]) for f in json.loads(out.getvalue())["findings"]
             if f["rule_id"].startswith("LR20")}
    assert found == {("LR200", "poller")}


TERRAFORM_NAMES = """\
    variable "stage" { default = "prod" }
    locals { prefix = "billing" }
    resource "aws_lambda_function" "quoted" {
      function_name = "tf-ruby"
      runtime       = "ruby3.3"
      handler       = "app.handler"
      filename      = "quoted.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }
    resource "aws_lambda_function" "from_local" {
      function_name = "${local.prefix}-invoice"
      runtime       = "ruby3.3"
      handler       = "app.handler"
      filename      = "local.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }
    resource "aws_lambda_function" "from_variable" {
      function_name = "orders-${var.stage}"
      runtime       = "ruby3.3"
      handler       = "app.handler"
      filename      = "var.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }
    module "worker" {
      source = "./modules/fn"
      name   = "billing-worker"
    }
    """
TERRAFORM_MODULE = """\
    variable "name" {}
    resource "aws_lambda_function" "this" {
      function_name = var.name
      runtime       = "ruby3.3"
      handler       = "app.handler"
      filename      = "fn.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }
    """


def test_a_terraform_name_the_repository_writes_is_not_a_computed_one(tmp_path: Path) -> None:
    """A quoted `function_name`, a local of quoted text and a local module's quoted argument deploy
    under that name everywhere; only a root variable's default may change per deployment."""
    _write(tmp_path, {"main.tf": TERRAFORM_NAMES, "modules/fn/main.tf": TERRAFORM_MODULE})
    functions = _functions(tmp_path)
    assert {name: (fn.physical_name, fn.physical_name_evaluated) for name, fn in functions.items()} == {
        "aws_lambda_function.quoted": ("tf-ruby", False),
        "aws_lambda_function.from_local": ("billing-invoice", False),
        "aws_lambda_function.from_variable": ("orders-prod", True),
        "module.worker.aws_lambda_function.this": ("billing-worker", False),
    }
    older = older_deployments(list(functions.values()), [_deployed("tf-ruby", "ruby2.7")])
    assert [(o.declared, o.declared_runtime, o.deployed, o.deployed_runtime) for o in older] == [
        ("aws_lambda_function.quoted", "ruby3.3", "tf-ruby", "ruby2.7")]
