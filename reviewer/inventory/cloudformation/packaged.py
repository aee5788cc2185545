"""Templates that `sam package` or `aws cloudformation package` wrote from another template.

`sam package --output-template-file packaged.yaml` copies `template.yaml` with every local code
location replaced by the S3 object it uploaded (`CodeUri: s3://bucket/4f1d...`). Teams commit the
copy beside the source (`packaged.yaml`, `output.yaml`): read as a template of its own, it lists
every function twice, the copy without code to read. A template whose every function's code is an
uploaded object, beside a template of the same folder declaring the same functions with local
code, is that copy and is left out with everything it declares.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from reviewer.model import Function

_TEMPLATE_FORMATS = ("sam", "cloudformation")


def packaged_copies(functions: list[Function]) -> set[str]:
    """The templates among `functions`' declaring files that are packaged copies of a neighbour."""
    by_template: dict[str, list[Function]] = defaultdict(list)
    for function in functions:
        if function.format in _TEMPLATE_FORMATS:
            by_template[function.location.path].append(function)
    copies: set[str] = set()
    for path, declared in by_template.items():
        if not all(_uploaded(function) for function in declared):
            continue
        names = {function.name for function in declared}
        folder = PurePosixPath(path).parent
        for other, others in by_template.items():
            if other == path or PurePosixPath(other).parent != folder:
                continue
            if names <= {function.name for function in others} and not all(_uploaded(o) for o in others):
                copies.add(path)
                break
    return copies


def _uploaded(function: Function) -> bool:
    """Whether the function's code is an object a packaging step uploaded: `CodeUri: s3://...`,
    `CodeUri: {Bucket, Key}`, `Code: {S3Bucket, S3Key}`, or an ECR image URI."""
    for key in ("CodeUri", "Code"):
        value = function.properties.get(key)
        if isinstance(value, str) and value.startswith("s3://"):
            return True
        if isinstance(value, dict) and ({"Bucket", "Key"} <= set(value) or "S3Bucket" in value):
            return True
    image = function.properties.get("ImageUri")
    return isinstance(image, str) and ".dkr.ecr." in image


__all__ = ["packaged_copies"]
