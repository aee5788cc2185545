"""Which files the Terraform reader reads, known without importing it (reviewer.inventory.deferred).

A repository without a `.tf` or `.tf.json` file has nothing the reader parses (variable files
are read only beside a configuration), so the reader and the HCL parser are not imported.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.inventory.build_output import is_test_resource
from reviewer.workspace import Workspace

CONFIGURATION_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
# Text that marks a configuration as declaring functions even when it does not parse.
UNPARSED_FUNCTION_MARKERS = ("aws_lambda_function", "terraform-aws-modules/lambda")
# The folder of a repository's GitHub settings and workflows: a configuration there is the input a
# workflow plans to test something (a policy check's `terraform plan` for conftest), not a root
# anyone applies.
_CI_SETTINGS_FOLDER = ".github"


def has_configurations(workspace: Workspace) -> bool:
    return next(workspace.iter_files(CONFIGURATION_SUFFIXES), None) is not None


def declares_functions(rel: str, text: str) -> bool:
    """Whether a configuration that does not parse still names a function resource or module."""
    return any(marker in text for marker in UNPARSED_FUNCTION_MARKERS)


def is_test_configuration(directory: str) -> bool:
    """Whether a folder's configurations are test input rather than a root anyone deploys: the
    plan a workflow under `.github/` runs for policy checks (`.github/workflows/conftest/`), or a
    test suite's data (`tests/fixtures/`, `test/testdata/`, as `is_test_resource` says for
    templates). A `test/` folder alone may be an environment (`terraform/test/`), so it is not."""
    parts = PurePosixPath(directory).parts
    return _CI_SETTINGS_FOLDER in parts or is_test_resource(f"{directory}/main.tf")
