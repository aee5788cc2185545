"""Build output that belongs to exactly one format reader.

`cdk synth` writes `cdk.out/`: synthesized CloudFormation templates (which the CDK reader maps back
to the constructs that declared them) and `asset.*` copies of the source (Dockerfiles, handler
code). Read by every reader, the same function would be reported two or three times, so only the
CDK reader looks inside.
"""

from __future__ import annotations

from pathlib import PurePosixPath

CDK_OUTPUT_DIRECTORY = "cdk.out"


def in_cdk_output(rel: str) -> bool:
    """Whether a repo-relative path lies inside a `cdk.out/` directory (at any depth)."""
    return CDK_OUTPUT_DIRECTORY in PurePosixPath(rel).parts[:-1]


def is_build_output(rel: str) -> bool:
    """Whether a file is generated from other source by a format's tool (today: `cdk synth`), so
    a fix belongs in that source and a suggestion to edit the file in place would be lost."""
    return in_cdk_output(rel)
