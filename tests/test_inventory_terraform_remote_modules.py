"""Terraform calls of a Lambda module the repository does not hold (a git or registry source).

The layout of an infrastructure repository whose functions are images built elsewhere: each
component folder calls a shared Lambda module from another repository by git URL and passes the
pushed image's URI, with no `runtime` (the image has one). Such a call is a deployed function;
what the module does inside (code signing, published versions) is not written here.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from inventory_helpers import scan_report

from reviewer.code.reader import read_function_code
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function
from reviewer.workspace import Workspace

DAY = "2026-11-22"
SHARED_MODULE = "github.com/acme/platform-modules//lambda?ref=0123456789abcdef0123456789abcdef01234567"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _layout(root: Path) -> Path:
    return _write(root, {
        "infra/bounce_relay/functions.tf": f"""
            module "bounce_relay" {{
              source            = "{SHARED_MODULE}"
              name              = "bounce_relay"
              image_uri         = "${{var.bounce_relay_repository_url}}:${{var.bounce_relay_tag}}"
              timeout           = 60
              alias_name        = "current"

              environment_variables = {{
                TARGET_QUEUE = var.delivery_queue_url
              }}
            }}

            resource "aws_lambda_event_source_mapping" "bounces" {{
              event_source_arn = var.bounce_buffer_arn
              function_name    = module.bounce_relay.function_name
              batch_size       = 10
            }}
            """,
        "infra/bounce_relay/variables.tf": """
            variable "bounce_relay_repository_url" { type = string }
            variable "bounce_relay_tag" { type = string }
            variable "delivery_queue_url" { type = string }
            variable "bounce_buffer_arn" { type = string }
            """,
        "infra/status_page/functions.tf": f"""
            module "status_page" {{
              source                 = "{SHARED_MODULE}"
              name                   = "status_page"
              image_uri              = "${{var.status_page_repository_url}}:latest"
              enable_lambda_insights = true
            }}

            module "web" {{
              source    = "github.com/acme/platform-modules//ecs_service?ref=v4"
              image_uri = "${{var.web_repository_url}}:latest"
            }}
            """,
    })


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


def test_an_image_passed_to_a_remote_lambda_module_is_a_function(tmp_path):
    found = _functions(_layout(tmp_path))
    assert sorted(found) == ["infra/bounce_relay:module.bounce_relay", "infra/status_page:module.status_page"]
    relay = found["infra/bounce_relay:module.bounce_relay"]
    assert relay.package_type == "Image" and relay.runtime is None
    assert relay.location.path == "infra/bounce_relay/functions.tf" and relay.location.line == 2
    assert "base image" in relay.unresolved["Runtime"]
    assert "TARGET_QUEUE" in relay.environment


def test_what_the_remote_module_decides_gives_no_notice(tmp_path):
    found = _functions(_layout(tmp_path))
    relay = found["infra/bounce_relay:module.bounce_relay"]
    assert SHARED_MODULE in relay.unresolved[PUBLISHED_VERSIONS_KEY]
    assert "CodeSigningConfigArn" in relay.unresolved
    rules = {finding["rule_id"] for finding in scan_report(tmp_path, DAY)["findings"]}
    assert not rules & {"LR400", "LR401"}


def test_a_runtime_passed_to_a_remote_module_leaves_its_settings_to_the_module(tmp_path):
    _write(tmp_path, {"main.tf": f"""
        module "mailer" {{
          source   = "{SHARED_MODULE}"
          handler  = "mailer.handler"
          runtime  = "python3.12"
          publish  = true
        }}
        """})
    (mailer,) = _functions(tmp_path).values()
    assert mailer.runtime == "python3.12" and mailer.package_type == "Zip"
    assert mailer.published and PUBLISHED_VERSIONS_KEY not in mailer.unresolved
    assert "CodeSigningConfigArn" in mailer.unresolved


def test_a_handler_the_remote_module_builds_from_its_own_arguments_is_left_to_it(tmp_path):
    _write(tmp_path, {"main.tf": f"""
        module "get_report" {{
          source                = "{SHARED_MODULE}"
          function_name         = "get-report"
          function_module_name  = "get"
          handler_function_name = "handler"
          runtime               = "nodejs22.x"
        }}
        """})
    (report,) = _functions(tmp_path).values()
    assert report.handler is None and SHARED_MODULE in report.unresolved["Handler"]
    reading = read_function_code(Workspace(tmp_path), report)
    assert reading.skipped is not None and SHARED_MODULE in reading.skipped
    assert "declares no handler" not in reading.skipped
