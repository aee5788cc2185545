"""How Terraform names a resource outside the reader: an address, possibly inside `${...}`.

The reader resolves references itself (`ResourceRef("terraform", address)`); these read the two
forms an analyzer meets afterwards: an attribute reference (`aws_s3_bucket.uploads.id`) and an
interpolation left as text in a value (`"${aws_sqs_queue.jobs.url}"`).
"""

from __future__ import annotations

import re

from reviewer.inventory.interface import literal_arn
from reviewer.model import ResourceRef

_INTERPOLATED_ADDRESS = re.compile(r"^\$\{\s*((?:module\.[A-Za-z0-9_-]+\.)*aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)"
                                   r"(?:\[[^\]]*\])?(?:\.[a-z_]+)*\s*\}$")


def interpolated_address(text: str) -> str | None:
    """`${aws_sqs_queue.jobs.url}` → `aws_sqs_queue.jobs`; None for any other text."""
    match = _INTERPOLATED_ADDRESS.match(text.strip())
    return match.group(1) if match else None


def resource_address(address: str) -> str:
    """`aws_s3_bucket.uploads.id` → `aws_s3_bucket.uploads` (module prefixes kept)."""
    parts = address.split(".")
    for index, part in enumerate(parts):
        if part.startswith("aws_") and index + 1 < len(parts):
            return ".".join(parts[: index + 2])
    return address


_SOURCE_ADDRESS = re.compile(r"^\$\{\s*((?:module\.[A-Za-z0-9_-]+\.)*aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)[^}]*\}$")


def permission_source(text: str | None) -> ResourceRef | None:
    """The resource a permission's `source_arn` names: `${aws_s3_bucket.uploads.arn}` (an
    address, module prefixes kept), or a literal ARN; None for anything else."""
    if not text:
        return None
    match = _SOURCE_ADDRESS.match(text.strip())
    if match:
        return ResourceRef("terraform", match.group(1))
    return literal_arn(text)
