"""What a construct call writes for each role a helper's parameters may fill (its id, runtime,
handler, entry, environment, index and asset folder): the nodes `cdk/factories.py` matches to
the parameters of the helper or construct class around the call (`cdk/class_factories.py`)."""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call
from reviewer.inventory.cdk.values import Props

Node = tree_sitter.Node

# `new AssetCode(dir)` too, and Go's constructor for it, `awslambda.NewAssetCode(dir, opts)`
ASSET_CALLS = frozenset({"fromasset", "fromimageasset", "asset", "assetcode", "newassetcode"})


def written_roles(call: Call, props: Props, id_position: int = 1) -> dict[str, Node | None]:
    """What a construct call writes for its id (its argument at `id_position`: the second, or the
    third of `buildLambdaFunction(scope, props, id)`), runtime, handler and asset folder."""
    entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
    id_node = call.args[id_position] if len(call.args) > id_position else None
    written: dict[str, Node | None] = {"id": st.unwrap(id_node) if id_node is not None else None}
    for role in ("runtime", "handler", "entry", "environment", "index"):
        written[role] = st.unwrap(entries[role].value) if role in entries else None
    code = st.unwrap(entries["code"].value) if "code" in entries else None
    asset = as_call(code) if code is not None and code.type in CALL_TYPES else None
    if asset is not None and call_name(asset).split("_")[-1].lower() in ASSET_CALLS and asset.args:
        written["asset"] = st.unwrap(asset.args[0]) or asset.args[0]
    return written


def call_name(call: Call) -> str:
    """The name a call is made by: the last part of its callee, or its method."""
    return (call.callee[-1] if call.callee else call.method) or ""
