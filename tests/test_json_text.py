"""The reports' indented JSON is written by `reviewer.publish.json_text`, which must say exactly
what `json.dumps(document, indent=2)` says (the standard library's indented path is pure Python
and took half a second on a 1,200-function review), handed to its sink in pieces (a
3,000-function scan's report held whole was the scan's last peak of memory)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.publish import json_text
from reviewer.publish.json_text import dumps_indented

HOSTILE = ["", "plain", "quote \" back\\slash", "\n\r\t\b\f\x00\x1f\x7f", "caf\u00e9 \u2028 \U0001f600",
           "\ud800 lone surrogate", "</script><!--", "a" * 5000]
DOCUMENTS = [
    None, True, False, 0, -1, 2**80, 1.5, -0.0, 1e100, 1e-7, math.pi, float("nan"), float("inf"), -float("inf"),
    *HOSTILE, [], {}, [[]], [{}], {"a": {}}, {"a": []}, (1, 2, (3,)),
    {"findings": [{"rule_id": "LR101", "line": 3, "related": [{"path": s, "line": 1} for s in HOSTILE],
                   "loop": None, "score": 0.5, "tags": ("x", "y"), "empty": {}, "flags": [True, False, None]}]},
    {2: "int key", 2.5: "float key", True: "bool key", False: "false key", None: "none key", "s": "str key"},
    {"nested": [[[[{"deep": [1, [2, [3, {}]]]}]]]]},
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=range(len(DOCUMENTS)))
def test_the_same_text_as_the_standard_library(document):
    assert dumps_indented(document) == json.dumps(document, indent=2)


def test_a_value_json_cannot_encode_fails_as_it_did():
    for document in ({"a": {1, 2}}, [object()], {("tuple", "key"): 1}):
        with pytest.raises(TypeError):
            json.dumps(document, indent=2)
        with pytest.raises(TypeError):
            dumps_indented(document)


def test_nesting_past_the_limit_is_handed_to_the_standard_library(monkeypatch):
    monkeypatch.setattr(json_text, "MAX_DEPTH", 3)
    document = {"a": [{"b": [1, {"c": [2]}]}]}
    assert dumps_indented(document) == json.dumps(document, indent=2)


# --- written in pieces, leaf containers by the C encoder (a 3,000-function scan's report) -------

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text())
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (st.lists(inner, max_size=5) | st.lists(inner, max_size=4).map(tuple)
                   | st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_any_document_reads_as_json_dumps_does(document):
    pieces: list[str] = []
    json_text.write_indented(document, pieces.append)
    assert "".join(pieces) == dumps_indented(document) == json.dumps(document, indent=2)
    assert all(pieces)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, SCALARS | st.just([]) | st.just({}), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=6))
def test_a_leaf_container_by_the_c_encoder_reads_as_json_dumps_does_at_any_depth(leaf, depth):
    document: object = leaf
    for _ in range(depth):
        document = [document]
    assert json_text._leaf(leaf, depth) == json.dumps(leaf, indent=2).replace("\n", "\n" + "  " * depth)
    assert dumps_indented(document) == json.dumps(document, indent=2)


def test_findings_are_encoded_whole_by_the_c_encoder(monkeypatch):
    leaves: list[object] = []
    encode = json_text._leaf
    monkeypatch.setattr(json_text, "_leaf", lambda value, depth: leaves.append(value) or encode(value, depth))
    findings = [{"rule_id": "LR101", "line": n, "message": "caf\u00e9", "related": [], "end_line": None}
                for n in range(5)]
    document = {"findings": findings, "summary": {"counts": {"error": 1}}}

    assert dumps_indented(document) == json.dumps(document, indent=2)
    assert leaves == [*findings, {"error": 1}]


def test_without_the_c_encoder_the_text_is_the_same(monkeypatch):
    monkeypatch.setattr(json_text, "c_make_encoder", None)
    document = {"findings": [{"rule_id": "LR101", "line": 1, "related": []}], "empty": {}}
    assert dumps_indented(document) == json.dumps(document, indent=2)


def test_a_large_document_reaches_the_sink_in_pieces_that_join_to_json_dumps(monkeypatch):
    monkeypatch.setattr(json_text, "PIECES_PER_JOIN", 8)
    document = {"findings": [{"rule_id": f"LR{n}", "related": [{"path": "a", "line": n}]} for n in range(50)]}
    pieces: list[str] = []
    json_text.write_indented(document, pieces.append)
    assert len(pieces) > 10
    assert "".join(pieces) == json.dumps(document, indent=2)


def test_items_are_made_while_they_are_written(monkeypatch):
    """A streamed array's items are made one at a time: the sink has written the first ones before
    the last is made, so the whole list of finding dicts never exists at once."""
    monkeypatch.setattr(json_text, "PIECES_PER_JOIN", 8)
    made: list[int] = []
    written_when: list[int] = []

    def findings():
        for number in range(100):
            made.append(number)
            yield {"rule_id": f"LR{number}", "line": number}

    document = {"findings": json_text.Items(findings()), "none": json_text.Items(iter(())), "after": [1, 2]}
    pieces: list[str] = []

    def sink(piece: str) -> None:
        written_when.append(len(made))
        pieces.append(piece)

    json_text.write_indented(document, sink)
    expected = {"findings": [{"rule_id": f"LR{n}", "line": n} for n in range(100)], "none": [], "after": [1, 2]}
    assert "".join(pieces) == json.dumps(expected, indent=2)
    assert written_when[0] < 20 and len(made) == 100
