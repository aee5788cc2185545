"""The name of the package a template deploys from an object uploaded elsewhere.

A function whose code is an S3 object (`Code: {S3Bucket, S3Key}`, a SAM `CodeUri` of
`s3://bucket/key` or `{Bucket, Key}`) names no folder of the repository, but its key names the
package: `orders_show.zip`, or, when every package is a `lambda.zip`, the folder it is uploaded
to. An AWS Quick Start keeps `functions/source/CreateSSHKey/` and deploys
`!Sub '${QSS3KeyPrefix}functions/packages/CreateSSHKey/lambda.zip'`; its three handlers are all
`lambda_function.lambda_handler`, and only the package's name tells which source is whose
(`code/handler_search.py`, as it does for CDK's `Code.fromBucket`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.cloudformation.names import sub_template
from reviewer.located import LocatedMap

# Stems every package of a project may share: the folder above names the package then.
GENERIC_STEMS = frozenset({"lambda", "function", "package", "code", "deployment", "deploy", "bundle", "archive",
                           "artifact", "source", "src", "index", "handler", "app", "main", "build", "dist",
                           "lambdas", "functions", "packages", "artifacts", "assets"})
PACKAGE_SUFFIXES = (".zip", ".jar")
MAX_KEY_LENGTH = 1024
_UNKNOWN = "\0"   # stands for a `${...}` reference: text the deployment chooses


def uploaded_package_name(code: Any) -> str | None:
    """The package's name its object key spells (a `.zip` or `.jar`), None when the key is not
    written or its name is chosen at deployment (`${Name}.zip`)."""
    key = _key_text(code)
    if key is None or len(key) > MAX_KEY_LENGTH:
        return None
    parts = [part for part in key.split("/") if part]
    if not parts or not parts[-1].lower().endswith(PACKAGE_SUFFIXES):
        return None
    stem = PurePosixPath(parts[-1]).stem
    if stem.lower() in GENERIC_STEMS and len(parts) > 1:
        stem = parts[-2]
    return stem if stem and _UNKNOWN not in stem and stem.lower() not in GENERIC_STEMS else None


def _key_text(code: Any) -> str | None:
    """The object key as written, each reference it substitutes marked as unknown."""
    if isinstance(code, str):
        return code.partition("://")[2].partition("/")[2] if code.lower().startswith("s3://") else None
    if not isinstance(code, LocatedMap):
        return None
    value = code.get("S3Key", code.get("Key"))
    if isinstance(value, str):
        return value
    joined = _joined(value)
    if joined is not None:
        return joined
    template = sub_template(value)
    if template is None:
        return None
    text, _, rest = template.partition("${")
    while rest:   # `${Prefix}functions/packages/x/lambda.zip`: each reference an unknown character
        _, closed, rest = rest.partition("}")
        if not closed:
            return None
        literal, _, rest = rest.partition("${")
        text += _UNKNOWN + literal
    return text


def _joined(value: Any) -> str | None:
    """An `Fn::Join` of the key's parts (`[!Ref Prefix, 'functions/packages/x/lambda.zip']`), each
    part that is not text unknown."""
    if not isinstance(value, LocatedMap) or len(value) != 1 or "Fn::Join" not in value:
        return None
    arguments = value["Fn::Join"]
    if not isinstance(arguments, list) or len(arguments) != 2 or not isinstance(arguments[0], str) \
            or not isinstance(arguments[1], list):
        return None
    return arguments[0].join(part if isinstance(part, str) else _UNKNOWN for part in arguments[1][:32])


__all__ = ["uploaded_package_name"]
