"""Terragrunt units that run a module folder of the repository (`terraform.terragrunt`): the
module runs in a copy holding the unit's own files, so its relative paths name the unit's code
(else the module folder's), its variables take the unit's `inputs`, and each unit is one
deployment of the module's functions, none of them read a second time as the folder's own."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from reviewer.config import Settings
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function, Location, ResourceRef
from reviewer.scan import scan_checkout
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "terraform" / "terragrunt-units"
STAGING = "live/staging/ingest_lambda:aws_lambda_function.ingest"
PRODUCTION = "live/production/ingest_lambda:aws_lambda_function.ingest"
RETRY = "live/staging/retry_lambda:aws_lambda_function.retry"


def _functions(root: Path = FIXTURE) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


def test_each_unit_is_one_deployment_named_by_it_and_the_folder_is_not_one_more():
    functions = _functions()
    assert sorted(functions) == [PRODUCTION, STAGING, RETRY]
    # where the module declares it: a unit's one `source` line would stand for all its functions
    assert functions[STAGING].location == Location("aws/ingest_lambda/ingest.tf", 7)
    assert functions[PRODUCTION].location == Location("aws/ingest_lambda/ingest.tf", 7)
    assert functions[RETRY].location == Location("aws/retry_lambda/retry.tf", 7)
    assert functions[STAGING].locations["Runtime"] == Location("aws/ingest_lambda/ingest.tf", 12)


def test_a_relative_path_of_the_module_names_the_units_own_code():
    functions = _functions()
    assert functions[STAGING].code_path == "live/staging/ingest_lambda/lambda/ingest.js"
    assert functions[PRODUCTION].code_path == "live/production/ingest_lambda/lambda/ingest.js"


def test_a_path_the_unit_does_not_hold_is_the_module_folders():
    assert _functions()[RETRY].code_path == "aws/retry_lambda/lambda"


def test_inputs_set_the_modules_variables_where_they_are_written():
    functions = _functions()
    retry = functions[RETRY]
    assert (retry.runtime, retry.handler, retry.physical_name) == ("nodejs18.x", "retry.handler", "retry-staging")
    assert retry.locations["Runtime.Default"] == Location("live/staging/retry_lambda/terragrunt.hcl", 16)
    assert functions[PRODUCTION].physical_name == "ingest-production"
    # an input of the included root file, which no unit overrides
    assert functions[STAGING].environment_defaults["TABLE_NAME"] == ("metrics", Location("live/terragrunt.hcl", 7))
    assert functions[STAGING].environment["TABLE_NAME"] == ResourceRef("unresolved", "${var.table_name}")


def test_an_input_terragrunt_computes_stays_unknown(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    unit = root / "live" / "staging" / "retry_lambda" / "terragrunt.hcl"
    unit.write_text(unit.read_text().replace('"nodejs18.x"', "dependency.queue.outputs.runtime"))
    retry = _functions(root)[RETRY]
    assert retry.runtime is None
    assert "dependency.queue.outputs.runtime" in retry.unresolved["Runtime"]


def test_a_units_tfvars_file_of_the_module_wins_over_its_inputs(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / "aws" / "retry_lambda" / "terraform.tfvars").write_text('node_runtime = "nodejs22.x"\n')
    assert _functions(root)[RETRY].runtime == "nodejs22.x"


def test_a_remote_source_or_no_unit_leaves_the_folder_a_root_of_its_own(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    shutil.rmtree(root / "live" / "staging" / "retry_lambda")
    functions = _functions(root)
    assert "aws/retry_lambda:aws_lambda_function.retry" in functions
    assert functions["aws/retry_lambda:aws_lambda_function.retry"].code_path == "aws/retry_lambda/lambda"


def test_units_sharing_the_module_share_one_finding_of_its_runtime(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    findings = scan_checkout(root, Settings(audit=False)).findings
    blocked = [finding for finding in findings if finding.rule_id == "LR101"]
    assert [(finding.path, finding.line, finding.functions) for finding in blocked] == [
        ("aws/ingest_lambda/ingest.tf", 12, (PRODUCTION, STAGING))]
    # the units' code is read: no notice that a triggered function's code is missing
    assert not [finding for finding in findings if finding.rule_id == "LR206"]


def test_a_unit_without_a_source_gives_its_inputs_to_the_files_of_its_own_folder(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    worker = root / "live" / "staging" / "worker"
    worker.mkdir()
    (worker / "main.tf").write_text(
        'variable "python_version" {\n  type = string\n}\n\n'
        'resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n  role = "arn:aws:iam::1:role/w"\n'
        '  handler = "app.handler"\n  runtime = "python${var.python_version}"\n  filename = "worker.zip"\n}\n')
    (worker / "terragrunt.hcl").write_text(
        'include "root" {\n  path = find_in_parent_folders()\n}\n\ninputs = {\n  python_version = "3.9"\n}\n')
    worker_function = _functions(root)["live/staging/worker:aws_lambda_function.worker"]
    assert worker_function.runtime == "python3.9"
    assert worker_function.location == Location("live/staging/worker/main.tf", 5)
    assert set(worker_function.declaration_inputs) == {"live/staging/worker/terragrunt.hcl", "live/terragrunt.hcl"}


def test_the_modules_files_and_those_writing_the_inputs_make_a_units_function():
    staging = _functions()[STAGING]
    assert set(staging.declaration_inputs) == {
        "aws/ingest_lambda/variables.tf", "live/staging/ingest_lambda/terragrunt.hcl", "live/terragrunt.hcl"}


def test_units_that_deploy_the_module_alike_are_one_function_of_the_folder(tmp_path):
    """Units that pass only inputs the function does not use (notification-terraform's shape):
    one function of the module folder, as without Terragrunt, with the units among its files;
    units whose inputs set its runtime each keep theirs (the runtime is written at each unit)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / "aws" / "alarm_lambda").mkdir()
    (root / "aws" / "alarm_lambda" / "main.tf").write_text(
        'variable "billing_tag" {\n  type = string\n}\n\n'
        'resource "aws_lambda_function" "alarm" {\n  function_name = "alarm"\n  role = "arn:aws:iam::1:role/a"\n'
        '  handler = "app.handler"\n  runtime = "python3.12"\n  filename = "alarm.zip"\n'
        '  tags = { billing = var.billing_tag }\n}\n')
    for environment in ("staging", "production"):
        unit = root / "live" / environment / "alarm_lambda"
        unit.mkdir()
        (unit / "terragrunt.hcl").write_text(
            'terraform {\n  source = "../../../aws//alarm_lambda"\n}\n\n'
            f'inputs = {{\n  billing_tag = "{environment}"\n}}\n')
    shutil.copytree(root / "live" / "staging" / "retry_lambda", root / "live" / "production" / "retry_lambda")
    functions = _functions(root)
    assert "aws/alarm_lambda:aws_lambda_function.alarm" in functions
    assert not [name for name in functions if name.endswith("alarm_lambda:aws_lambda_function.alarm")
                and name.startswith("live/")]
    alarm = functions["aws/alarm_lambda:aws_lambda_function.alarm"]
    assert alarm.location == Location("aws/alarm_lambda/main.tf", 5)
    assert alarm.properties["terragrunt_units"] == ["live/production/alarm_lambda", "live/staging/alarm_lambda"]
    assert set(alarm.declaration_inputs) == {
        "live/production/alarm_lambda/terragrunt.hcl", "live/staging/alarm_lambda/terragrunt.hcl"}
    assert {RETRY, "live/production/retry_lambda:aws_lambda_function.retry"} <= set(functions)


def test_a_conditional_source_runs_its_local_branch(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    unit = root / "live" / "production" / "ingest_lambda" / "terragrunt.hcl"
    unit.write_text(unit.read_text().replace(
        'source = "../../../aws//ingest_lambda"',
        'source = "${get_env("ENVIRONMENT") == "production" ? '
        '"git::https://github.com/example-org/metrics//aws/ingest_lambda?ref=v${get_env("VERSION")}" : '
        '"../../../aws//ingest_lambda"}"'))
    assert _functions(root)[PRODUCTION].code_path == "live/production/ingest_lambda/lambda/ingest.js"


def test_units_of_other_folders_are_not_parsed_and_leave_terraform_files_read(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    padding = "".join(f'  setting_{index} = "{"x" * 40}"\n' for index in range(600))
    for index in range(40):
        unit = root / "live" / "staging" / f"service_{index}"
        unit.mkdir()
        (unit / "terragrunt.hcl").write_text(
            f'terraform {{\n  source = "../../../aws//service_{index}"\n}}\n\ninputs = {{\n{padding}}}\n')
    result = TerraformFormat().scan(Workspace(root))
    assert not [notice for notice in result.notices if notice.rule_id == "LR902"]
    assert {fn.name for fn in result.functions} == {PRODUCTION, STAGING, RETRY}


def test_a_unit_runs_the_module_folder_an_example_root_of_the_repository_also_calls(tmp_path):
    """A catalog repository (Gruntwork's shape): `examples/retry` calls the module folder with
    plain Terraform while a unit runs it with Terragrunt; the unit's deployment is one more of its
    own, not dropped because the folder is also a called module."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    example = root / "examples" / "retry"
    example.mkdir(parents=True)
    (example / "main.tf").write_text(
        'module "retry" {\n  source = "../../aws/retry_lambda"\n\n  function_name = "retry-example"\n'
        '  node_runtime = "nodejs20.x"\n  role_arn = "arn:aws:iam::1:role/r"\n  dead_letter_queue_arn = "arn:q"\n}\n')
    functions = _functions(root)
    assert functions[RETRY].runtime == "nodejs18.x"
    assert functions[RETRY].code_path == "aws/retry_lambda/lambda"
    example_function = functions["examples/retry:module.retry.aws_lambda_function.retry"]
    assert example_function.runtime == "nodejs20.x"
    assert "aws/retry_lambda:aws_lambda_function.retry" not in functions


def test_a_source_from_the_repository_root_written_in_an_included_file_is_each_units_module(tmp_path):
    """NHSDigital/hometest-mgmt-terraform's shape: each environment's unit only includes
    `_envcommon/<app>.hcl`, whose `terraform { source = "${get_repo_root()}/infrastructure//src/<app>" }`
    and inputs it shares. The units were never read (their own text names no folder), and the
    module folder was reviewed alone, its runtime an input no one set."""
    files = {
        "infrastructure/src/reminders/main.tf": """
            resource "aws_lambda_function" "this" {
              function_name = var.function_name
              role          = "arn:aws:iam::123456789012:role/reminders"
              handler       = "index.handler"
              runtime       = var.lambda_runtime
              filename      = "${path.module}/reminders.zip"
            }
            variable "function_name" {}
            variable "lambda_runtime" {}
            """,
        "infrastructure/environments/root.hcl": 'remote_state {\n  backend = "s3"\n}\n',
        "infrastructure/environments/_envcommon/reminders.hcl": """
            terraform {
              source = "${get_repo_root()}/infrastructure//src/reminders"
            }
            inputs = {
              lambda_runtime = "nodejs22.x"
            }
            """,
    }
    for environment in ("dev", "prod"):
        files[f"infrastructure/environments/{environment}/reminders/terragrunt.hcl"] = f"""
            include "root" {{
              path = find_in_parent_folders("root.hcl")
            }}
            include "reminders" {{
              path   = find_in_parent_folders("_envcommon/reminders.hcl")
              expose = true
            }}
            inputs = {{
              function_name = "reminders-{environment}"
            }}
            """
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    functions = _functions(tmp_path)
    dev = "infrastructure/environments/dev/reminders:aws_lambda_function.this"
    prod = "infrastructure/environments/prod/reminders:aws_lambda_function.this"
    assert sorted(functions) == [dev, prod]
    assert (functions[dev].runtime, functions[dev].physical_name) == ("nodejs22.x", "reminders-dev")
    assert functions[prod].physical_name == "reminders-prod"
    assert functions[dev].locations["Runtime.Default"].path == "infrastructure/environments/_envcommon/reminders.hcl"
