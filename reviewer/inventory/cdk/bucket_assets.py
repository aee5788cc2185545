"""The folder of a Lambda function's code uploaded as an S3 asset: `Code.fromBucket(asset.bucket,
asset.s3ObjectKey)` where `asset` is `new s3_assets.Asset(this, id, { path: dir, ... })`.

Apps that bundle shared code with each handler build the asset themselves (with their own bundling
options) and hand its bucket and key to `Code.fromBucket`; what deploys is the asset's `path`, as
with `Code.fromAsset(dir)`. Only that exact shape counts: the bucket and the key of the same name,
`Code` of `aws-cdk-lib/aws-lambda`, and an `Asset` of `aws-cdk-lib/aws-s3-assets` constructed in a
variable (or returned by a helper or a method) the reader follows. Anything else is no answer.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, Call, as_call, parts_of
from reviewer.inventory.cdk.values import MAX_FOLLOW_DEPTH, Env, ValueReader

Node = tree_sitter.Node
_ASSET = ["aws_s3_assets", "Asset"]


def bucket_asset(reader: ValueReader, call: Call, env: Env) -> tuple[str, str] | None:
    """The path (and what it is relative to, as `ValueReader.path` says) of the S3 asset whose
    bucket and key `call`, a `Code.fromBucket(...)` read in `env`, is given; None for any other call."""
    if len(call.args) < 2 or _canonical(call.callee[:-1], reader, env) != ["aws_lambda", "Code"]:
        return None
    bucket, key = st.unwrap(call.args[0]), st.unwrap(call.args[1])
    held = parts_of(bucket)
    if len(held) != 2 or held[1] != "bucket" or parts_of(key) != [held[0], "s3ObjectKey"] or bucket is None:
        return None
    bound = reader.follow_name(held[0], env, near=bucket)
    for _ in range(MAX_FOLLOW_DEPTH):   # `const asset = this.bundle(dir)`, whose method returns the `new Asset`
        node = st.unwrap(bound[0]) if bound is not None else None
        if bound is None or node is None:
            return None
        made = as_call(node) if node.type in CALL_TYPES else None
        if made is not None and made.is_new:
            return _asset_path(reader, made, bound[1])
        bound = reader.helper_result(made, bound[1]) if made is not None else \
            reader.follow_name(st.text(node), bound[1], near=node) if node.type in IDENTIFIER_TYPES else None
    return None


def _asset_path(reader: ValueReader, made: Call, env: Env) -> tuple[str, str] | None:
    if _canonical(made.callee, reader, env) != _ASSET or len(made.args) < 3:
        return None
    entries = reader.props(made.args[2], env).entries
    path = entries.get("path")
    return reader.path(path.value, path.env) if path is not None else None


def _canonical(parts: list[str], reader: ValueReader, env: Env) -> list[str]:
    """`lambda.Code` → [aws_lambda, Code] through the imports of the module `env` reads in."""
    if not parts:
        return []
    symbols = cdk_modules.symbols_of("typescript", env.origin.module.root) if env.origin is not None \
        else reader.symbols
    base = symbols.get(parts[0])
    return [p for p in base.split(".") if p] + parts[1:] if base is not None else []


__all__ = ["bucket_asset"]
