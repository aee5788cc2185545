"""`json.dumps(document, indent=2)`, byte for byte, without the standard library's slow path,
written to its destination a batch at a time.

The standard library encodes with its C accelerator only when no indentation is asked for; the
reports are indented, and its pure-Python generators took half a second of CPU for the 2,900
findings of a 1,200-function review. This encoder writes the same text (same separators, key
order, escapes, number spellings) with one plain recursion over the document; a container whose
values hold no non-empty container (a finding's locations, a function's settings) is encoded by
the C encoder with the indentation spelled into its separators (`_leaf`).

The text goes to `write` a batch of pieces at a time (`PIECES_PER_JOIN`) and the findings of a
report can be given as `Items` (made one at a time while they are written): the 30,000 findings of
a 3,000-function scan as one list of dicts, then one 60 MB string, were the scan's last peak of
memory. `dumps_indented` is the same writing into one string.

What this encoder does not take (a set, an object, a key json refuses, nesting past `MAX_DEPTH`)
is handed to `json.dumps` on its own, indented as deep as it sits: it writes that value's text or
raises as it always did.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, Callable, Iterable, Iterator

INDENT = "  "
# Pieces joined into one string and handed to `write` at a time (see the module's docstring): a
# finding is about two pieces (its separator and its text), so a batch holds about 1,000 findings.
PIECES_PER_JOIN = 2_048
# The nesting past which a value is handed to `json.dumps` (which raises RecursionError on what it
# cannot nest): this encoder never recurses deeper than the standard one.
MAX_DEPTH = 200


class Items:
    """A JSON array whose items are made while it is written (`json.dumps` does not take it: only
    `write_indented` and `dumps_indented` do), so the whole list never exists at once."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class _Unsupported(Exception):
    """A value only `json.dumps` can answer for (with its own text or its own error)."""


def dumps_indented(document: Any) -> str:
    """The text of `json.dumps(document, indent=2)`."""
    batches: list[str] = []
    write_indented(document, batches.append)
    return "".join(batches)


def write_indented(document: Any, write: Callable[[str], None]) -> None:
    """Hand the text of `json.dumps(document, indent=2)` to `write`, in order, a batch of pieces at a
    time (several calls for a large document, none of them empty)."""
    pieces = _Pieces(write)
    _encode(document, 0, pieces)
    pieces.flush()


class _Pieces(list[str]):
    """The pieces not yet written; `settle` hands them to `write`, joined, once there are many."""

    def __init__(self, write: Callable[[str], None]) -> None:
        super().__init__()
        self.write = write

    def settle(self) -> None:
        if len(self) >= PIECES_PER_JOIN:
            self.flush()

    def flush(self) -> None:
        text = "".join(self)
        self.clear()
        if text:
            self.write(text)


_LEAF_ENCODERS: dict[int, Callable[[Any, int], list[str]]] = {}


def _leaf(value: Any, depth: int) -> str:
    """A container whose values hold no non-empty container, by the C encoder: its separators say
    the indentation (`",\\n" + indent`), so only the first and last bracket need their line breaks.
    A JSON text has no raw line break of its own (escaped in strings), so the ones it has are these."""
    encode = _LEAF_ENCODERS.get(depth)
    if encode is None:
        encode = _LEAF_ENCODERS[depth] = c_make_encoder(
            None, _refuse, encode_basestring_ascii, None, ": ", ",\n" + INDENT * (depth + 1), False, False, True)
    text = "".join(encode(value, 0))
    return text[0] + "\n" + INDENT * (depth + 1) + text[1:-1] + "\n" + INDENT * depth + text[-1]


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _as_json_dumps(value: Any, depth: int) -> str:
    """`json.dumps(value, indent=2)` as it reads `depth` levels deep (or its error)."""
    return json.dumps(value, indent=2).replace("\n", "\n" + INDENT * depth)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring_ascii(key)
    if isinstance(key, float):
        return encode_basestring_ascii(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring_ascii(int.__repr__(key))
    raise _Unsupported


_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})


def _is_leaf(values: Iterable[Any]) -> bool:
    """Whether the C encoder can write these values as they are (`_leaf`): scalars of the exact
    JSON types and empty containers."""
    if c_make_encoder is None:
        return False
    for item in values:
        kind = type(item)
        if kind not in _SCALARS and (kind not in _CONTAINERS or item):
            return False
    return True


def _encode(value: Any, depth: int, chunks: _Pieces) -> None:
    if isinstance(value, str):
        chunks.append(encode_basestring_ascii(value))
    elif value is None:
        chunks.append("null")
    elif value is True:
        chunks.append("true")
    elif value is False:
        chunks.append("false")
    elif isinstance(value, int):
        chunks.append(int.__repr__(value))
    elif isinstance(value, float):
        chunks.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            chunks.append("{}")
        elif depth >= MAX_DEPTH:
            chunks.append(_as_json_dumps(value, depth))
        elif type(value) is dict and _is_leaf(value.values()):
            chunks.append(_leaf(value, depth))
        else:
            try:
                keys = [_key(key) for key in value]
            except _Unsupported:
                chunks.append(_as_json_dumps(value, depth))     # raises json's TypeError
                return
            inner = "\n" + INDENT * (depth + 1)
            separator = "{" + inner
            for key, item in zip(keys, value.values(), strict=True):
                chunks.append(separator)
                chunks.append(key)
                chunks.append(": ")
                _encode(item, depth + 1, chunks)
                separator = "," + inner
                chunks.settle()
            chunks.append("\n" + INDENT * depth + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            chunks.append("[]")
        elif depth >= MAX_DEPTH:
            chunks.append(_as_json_dumps(value, depth))
        elif type(value) in (list, tuple) and _is_leaf(value):
            chunks.append(_leaf(value, depth))
        else:
            _encode_items(iter(value), depth, chunks)
    elif isinstance(value, Items):
        items = iter(value.items)
        for first in items:
            _encode_items(_chain(first, items), depth, chunks)
            break
        else:
            chunks.append("[]")
    else:
        chunks.append(_as_json_dumps(value, depth))             # raises json's TypeError


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _encode_items(items: Iterator[Any], depth: int, chunks: _Pieces) -> None:
    """A non-empty array, item by item."""
    inner = "\n" + INDENT * (depth + 1)
    separator = "[" + inner
    for item in items:
        chunks.append(separator)
        _encode(item, depth + 1, chunks)
        separator = "," + inner
        chunks.settle()
    chunks.append("\n" + INDENT * depth + "]")
