"""The reports' indented JSON is written by `reviewer.publish.json_text`, which must say exactly
what `json.dumps(document, indent=2)` says (the standard library's indented path is pure Python
and took half a second on a 1,200-function review)."""

from __future__ import annotations

import json
import math

import pytest

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
