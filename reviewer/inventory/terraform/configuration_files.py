"""Which files the Terraform reader reads, known without importing it (reviewer.inventory.deferred).

A repository without a `.tf` or `.tf.json` file has nothing the reader parses (variable files
are read only beside a configuration), so the reader and the HCL parser are not imported.
"""

from __future__ import annotations

from reviewer.workspace import Workspace

CONFIGURATION_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
# Text that marks a configuration as declaring functions even when it does not parse.
UNPARSED_FUNCTION_MARKERS = ("aws_lambda_function", "terraform-aws-modules/lambda")


def has_configurations(workspace: Workspace) -> bool:
    return next(workspace.iter_files(CONFIGURATION_SUFFIXES), None) is not None


def declares_functions(rel: str, text: str) -> bool:
    """Whether a configuration that does not parse still names a function resource or module."""
    return any(marker in text for marker in UNPARSED_FUNCTION_MARKERS)
