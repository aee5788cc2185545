"""An asset path a TypeScript/JavaScript helper or construct class builds from what its callers
pass, filled in per call (`cdk/factories.py`).

Teams wrap `lambda.Function` in a construct class whose code folder is made from a property:

    this.fn = new lambda.Function(this, 'lambda-function', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'runtime', props.entry, 'dist')),
    });

and each stack passes its own `entry: 'push-sender'`. The class's file cannot read the path (the
property is its caller's), and the caller does not write it: the path is kept as pieces, the
literals as written and the caller's values by reference, and joined for each call that passes
them all as strings. `__dirname` is the folder of the file that writes the path, not the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.file_paths import FILE_DIRECTORY
from reviewer.inventory.cdk.syntax import CALL_TYPES, as_call

Node = tree_sitter.Node
MAX_PIECES = 32
# Node's `path.join` and `path.resolve`, read alike: an app's pieces are relative (`'..'`, `'lambda'`).
_JOINS = frozenset({"join", "resolve"})


@dataclass(frozen=True)
class PathTemplate:
    """The pieces of a path: (text, whether it is a reference to what the caller passes, as
    `class_factories.parameter_refs` spells it). `base` is what the path is relative to: "file"
    (the folder of `file`, the module writing it), "repo" (a path read through an imported
    module, already relative to the repository) or "app" (the CDK app's folder)."""

    role: str                           # "asset" (`Code.fromAsset`) or "entry" (`NodejsFunction`)
    base: str
    pieces: tuple[tuple[str, bool], ...]
    joined: bool                        # `path.join(...)`: the pieces are path segments

    def fill(self, value: Callable[[str], str | None]) -> str | None:
        """The path one call makes, `value(reference)` being the string it passes there; None when
        one is not a string of the call's, or the path leaves for the file system's root."""
        texts: list[str] = []
        for text, is_ref in self.pieces:
            piece = value(text) if is_ref else text
            if piece is None:
                return None
            texts.append(piece)
        if self.joined:
            path = "/".join(text.strip("/") for text in texts if text.strip("/"))
        else:
            path = "".join(texts)
            if self.base == "file":
                if not path.startswith("/"):   # `${__dirname}x`: no folder of the file's
                    return None
                path = path.lstrip("/")
        return path or "."

    def relative_to(self, file: str, path: str) -> tuple[str, str]:
        """(path, base) with a "file" base made relative to the repository: the folder of `file`."""
        if self.base != "file":
            return path, self.base
        return str(PurePosixPath(file).parent / path), "repo"


def path_template(node: Node | None, role: str, reference: Callable[[str], str | None],
                  string: Callable[[Node], str | None],
                  path: Callable[[Node], tuple[str, str] | None]) -> PathTemplate | None:
    """The template of `node` when some piece of it is a reference to what the caller passes
    (`reference(text)`, None for anything else) and every other piece a string the file gives
    (`string`; the first may be a path it holds, `path`: `path.join(RUNTIME_DIR, props.entry)`);
    None for a path that names nothing of the caller's, or any other expression."""
    node = st.unwrap(node)
    if node is None:
        return None
    call = as_call(node) if node.type in CALL_TYPES else None
    if call is not None and call.method in _JOINS and call.receiver is not None \
            and 0 < len(call.args) <= MAX_PIECES:
        return _template(role, list(call.args), True, reference, string, path)
    if node.type == "template_string" and len(node.named_children) <= MAX_PIECES:
        return _template(role, list(node.named_children), False, reference, string, path)
    if node.type == "binary_expression":
        parts = _added(node)
        return _template(role, parts, False, reference, string, path) if parts else None
    return None


def _template(role: str, parts: list[Node], joined: bool, reference: Callable[[str], str | None],
              string: Callable[[Node], str | None],
              path: Callable[[Node], tuple[str, str] | None]) -> PathTemplate | None:
    first = _substituted(parts[0])
    base = "app"
    pieces: list[tuple[str, bool]] = []
    if st.text(first) in FILE_DIRECTORY:
        base, parts = "file", parts[1:]
    elif reference(st.text(first)) is None and first.type != "string_fragment":
        held = path(first)   # `path.join(RUNTIME_DIR, props.entry)`: a folder the file names
        if held is not None:
            base = held[1]
            pieces.append((held[0], False))
            parts = parts[1:]
    for part in parts:
        if part.type == "string_fragment":
            pieces.append((st.text(part), False))
            continue
        inner = _substituted(part)
        ref = reference(st.text(inner))
        if ref is not None:
            pieces.append((ref, True))
            continue
        text = string(inner)
        if text is None:
            return None
        pieces.append((text, False))
    if not any(is_ref for _, is_ref in pieces):
        return None
    return PathTemplate(role, base, tuple(pieces), joined)


def _added(node: Node) -> list[Node]:
    """The operands of `a + b + c`, left to right; [] past MAX_PIECES or for another operator."""
    parts: list[Node] = []
    pending = [node]
    while pending:
        if len(parts) + len(pending) > MAX_PIECES:
            return []
        current = st.unwrap(pending.pop()) or node
        operator = current.child_by_field_name("operator") if current.type == "binary_expression" else None
        if operator is not None and st.text(operator) == "+":
            left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
            if left is None or right is None:
                return []
            pending.extend((right, left))
        elif current.type == "binary_expression":
            return []
        else:
            parts.append(current)
    return parts


def _substituted(node: Node) -> Node:
    """`${props.entry}` → `props.entry`; any other node → itself."""
    if node.type == "template_substitution" and len(node.named_children) == 1:
        return node.named_children[0]
    return node


__all__ = ["PathTemplate", "path_template"]
