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
