"""The layers a TypeScript, JavaScript, Java, Kotlin, C# or Go CDK file gives its functions
(`cdk/layers.py` says what a layer puts on the import path): the layer constructs it stores in a
variable or member, and the ones each function construct's `layers` list (or an `addLayers` call)
names, read from the file's one syntax tree (`cdk/file_calls.py`) through `ValueReader`.
"""

from __future__ import annotations

from typing import Collection

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, receiver_name
from reviewer.inventory.cdk.layers import ADD_LAYERS, BUNDLED_PYTHON, LAYER_CONSTRUCTS, PYTHON_LAYER, FileLayers, \
    LayerAsset
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, as_call, assigned_name, \
    chain_end
from reviewer.inventory.cdk.values import MAX_CHAIN, Env, Props, ValueReader

Node = tree_sitter.Node
MAX_LIST_NODES = 200   # nodes of one `layers` list looked at
_THIS = ("this", "self")


def source_layers(calls: FileCalls, lines: Collection[int]) -> FileLayers:
    """The layers of one file read with tree-sitter; `lines`: those of its function constructs,
    the only calls whose properties are read for a `layers` list."""
    reader = calls.reader
    assert reader is not None
    found = FileLayers({}, {})
    for call in calls.calls:
        layer = _layer_construct(reader, call)
        if layer is not None and (variable := assigned_name(call.node)) is not None:
            found.stored[variable] = layer if found.stored.get(variable, layer) == layer else None
    for call in calls.calls:
        if (call.method or "") in ADD_LAYERS and call.receiver is not None:
            line = calls.stored.get(receiver_name(call), AMBIGUOUS)
            for argument in call.args:
                _add(found, line, _listed(reader, found, argument, Env()))
            continue
        if st.line(call.node) not in lines:
            continue
        props = _construct_props(reader, call)
        entry = next((e for key, e in props.entries.items() if key[:1].lower() + key[1:] == "layers"), None)
        if entry is not None:
            _add(found, st.line(call.node), _listed(reader, found, entry.value, entry.env))
    return found


def _add(found: FileLayers, line: int, layers: list[LayerAsset]) -> None:
    if line == AMBIGUOUS or not layers:
        return
    kept = found.used.setdefault(line, [])
    kept.extend(layer for layer in layers if layer not in kept)


def _construct_props(reader: ValueReader, call: Call) -> Props:
    """The properties of a construct call (`new X(scope, id, props)`, `X.Builder.create(...)...build()`)."""
    if call.callee[-2:] == ["Builder", "create"]:
        top = chain_end(call.node, MAX_CHAIN)
        return reader.props(top, Env()) if top is not call.node else Props()
    if len(call.args) >= 3 and (call.is_new or (call.callee and call.callee[-1][:1].isupper())):
        return reader.props(call.args[2], Env())
    return Props()


def _construct_name(call: Call) -> str | None:
    """`LayerVersion`, `PythonLayerVersion` (Go: `NewLayerVersion`), however the module is imported."""
    callee = call.callee[:-2] if call.callee[-2:] == ["Builder", "create"] else call.callee
    name = callee[-1] if callee else ""
    name = name[3:] if name.startswith("New") and name[3:] in LAYER_CONSTRUCTS else name
    return name if name in LAYER_CONSTRUCTS else None


def _layer_construct(reader: ValueReader, call: Call) -> LayerAsset | None:
    """The folder a layer construct call builds from, when the file writes it."""
    construct = _construct_name(call)
    if construct is None:
        return None
    entries = {key[:1].lower() + key[1:]: entry for key, entry in _construct_props(reader, call).entries.items()}
    if construct == PYTHON_LAYER:
        entry = entries.get("entry")
        path = reader.path(entry.value, entry.env) if entry is not None else None
        if path is None:
            return None
        bundling = entries.get("bundling")
        suffix = _output_suffix(reader, bundling.value, bundling.env) if bundling is not None else None
        return LayerAsset(path[0], path[1], True, python=suffix is None or suffix.strip("/") == "python")
    code = entries.get("code")
    if code is None:
        return None
    node = st.unwrap(code.value)
    asset = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if asset is None or not asset.args or (asset.method or (asset.callee or [""])[-1]).split("_")[-1].lower() \
            not in ("fromasset", "assetcode", "newassetcode", "asset"):
        return None
    path = reader.path(asset.args[0], code.env)
    if path is None:
        return None
    bundled = len(asset.args) >= 2 and BUNDLED_PYTHON in st.text(asset.args[1])
    return LayerAsset(path[0], path[1], False, bundled_python=bundled)


def _output_suffix(reader: ValueReader, node: Node, env: Env) -> str | None:
    """A `PythonLayerVersion`'s `bundling.outputPathSuffix`, when written (default `python`)."""
    entry = next((e for key, e in reader.props(node, env).entries.items()
                  if key[:1].lower() + key[1:] == "outputPathSuffix"), None)
    return reader.string(entry.value, entry.env) if entry is not None else None


def _listed(reader: ValueReader, found: FileLayers, node: Node, env: Env) -> list[LayerAsset]:
    """The local layers a `layers` value names: the file's layer variables and members it holds,
    and layer constructs written in it, in order; a variable holding the list is followed."""
    unwrapped = st.unwrap(node)
    if unwrapped is not None and unwrapped.type in IDENTIFIER_TYPES and st.text(unwrapped) not in found.stored:
        bound = reader.follow_name(st.text(unwrapped), env, near=unwrapped)
        if bound is not None:
            unwrapped, env = st.unwrap(bound[0]), bound[1]
    if unwrapped is None:
        return []
    layers: list[LayerAsset] = []
    inside: list[Node] = []   # layer constructs written in the list: their own names are not entries
    for index, inner in enumerate(st.walk(unwrapped)):
        if index >= MAX_LIST_NODES:
            break
        if any(outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte for outer in inside):
            continue
        call = as_call(inner) if inner.type in CALL_TYPES else None
        written = _layer_construct(reader, call) if call is not None else None
        if written is not None:
            inside.append(inner)
            layers.append(written)
        elif (layer := _named_layer(found, inner)) is not None:
            layers.append(layer)
    return layers


def _named_layer(found: FileLayers, node: Node) -> LayerAsset | None:
    """The layer a name of the list holds: a variable of the file (`shared`), or a member of the
    construct (`this.shared`); a member of anything else (`props.shared`) is a caller's layer."""
    if node.type in IDENTIFIER_TYPES:
        parent = node.parent
        if parent is not None and parent.type in MEMBER_TYPES:
            return None   # a part of `this.shared` or `props.shared`: the member is judged whole
        return found.stored.get(st.text(node))
    if node.type in MEMBER_TYPES:
        parts = "".join(st.text(node).split()).split(".")
        return found.stored.get(parts[1]) if len(parts) == 2 and parts[0] in _THIS else None
    return None


__all__ = ["source_layers"]
