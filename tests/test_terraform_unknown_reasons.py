"""Why a value static reading cannot know is said at its cause: a function this reading does not
evaluate (`setsubtract`) over a root variable without a default is unknown because of that
variable, as in NHSDigital/connecting-party-manager's `for_each = setsubtract(var.lambdas,
["authoriser"])`, whose notice said the set was "computed by setsubtract()"."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.workspace import Workspace

_ROOT = """
    variable "lambdas" {
      type = list(string)
    }

    module "workers" {
      for_each      = setsubtract(var.lambdas, ["authoriser"])
      source        = "terraform-aws-modules/lambda/aws"
      function_name = "api-${each.key}"
      handler       = "api.${each.key}.index.handler"
      runtime       = "python3.12"
      source_path   = "${path.module}/src/api/${each.key}"
    }

    module "reports" {
      for_each      = setsubtract(["daily", "weekly"], ["weekly"])
      source        = "terraform-aws-modules/lambda/aws"
      function_name = "report-${each.key}"
      handler       = "report.handler"
      runtime       = "python3.12"
      source_path   = "${path.module}/src/report"
    }
"""


def _count_reasons(root: Path) -> dict[str, str]:
    (root / "main.tf").write_text(textwrap.dedent(_ROOT))
    return {fn.name: fn.unresolved.get("Count", "") for fn in TerraformFormat().scan(Workspace(root)).functions}


def test_an_unknown_argument_of_a_function_not_evaluated_is_the_reason_said(tmp_path: Path):
    reasons = _count_reasons(tmp_path)
    assert "variable lambdas has no default value" in reasons["module.workers"]
    assert "setsubtract" not in reasons["module.workers"]


def test_a_function_over_known_arguments_is_still_named_as_the_reason(tmp_path: Path):
    assert "computed by setsubtract()" in _count_reasons(tmp_path)["module.reports"]
