"""A document without an anchor is converted without remembering nodes, its string scalars inline
(reviewer.located): the result must be what the general conversion gives, line for line.

The general path converts each node through a memo (aliases share nodes); most templates have no
anchor, and the memo and three calls per scalar were a third of reading the bench's templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reviewer import located
from reviewer.located import LocatedList, LocatedMap, LocatedStr

FIXTURES = Path(__file__).parent / "fixtures"
TRICKY = [
    "a: 1\nb: true\nc: null\nd: 0o17\ne: 0x1F\nf: 1.5e3\ng: .inf\nh: ~\ni: yes\nj: '010'\n",
    "text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\nplain: multi\n  line\n  value\nend: x\n",
    "k: \"\\u00e9 \\U0001F600 escaped\"\nl: caf\u00e9 \U0001F600\n",
    "1: int key\n2.5: float key\ntrue: bool key\n? [a, b]\n: list key\n? {a: 1}\n: map key\n",
    "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: !GetAtt R.Arn\n"
    "      Env: !Sub '${A}-b'\n      L: !Join ['', [a, !Ref B]]\n      M: !If [C, {x: 1}, !Ref AWS::NoValue]\n",
    "x: !!str 12\ny: !!int '7'\nz: !!float '1'\nw: !custom {a: b}\n",
    "- a\n- - b\n  - c\n- {d: e}\n- ''\n- \"\"\n",
    "{\"json\": [1, 2, {\"k\": \"v\"}], \"n\": null}\n",
]


def documents() -> list[str]:
    texts = [path.read_text(encoding="utf-8", errors="replace")
             for path in sorted(FIXTURES.rglob("*.y*ml"))[:200]]
    return TRICKY + [text for text in texts if "&" not in text]


def described(value: Any) -> Any:
    """The value with every line it carries, so that two conversions compare in full."""
    if isinstance(value, LocatedMap):
        return ("map", value.line, [(described(key), value.key_lines.get(key), described(item))
                                    for key, item in value.items()])
    if isinstance(value, LocatedList):
        return ("list", value.line, value.item_lines, [described(item) for item in value])
    if isinstance(value, LocatedStr):
        return ("str", str(value), getattr(value, "line", None), getattr(value, "end_line", None))
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", documents())
def test_inline_conversion_gives_what_the_general_one_gives(text):
    try:
        root = located._compose(text)
    except Exception:
        pytest.skip("not a YAML document")          # fixtures that test unreadable templates
    if root is None:
        return
    general = located._Converter(shared=True)
    inline = located._Converter(shared=False)
    assert described(inline.convert(root, 0)) == described(general.convert(root, 0))
    assert not inline._done                     # nothing remembered by node


def test_a_document_with_an_anchor_keeps_shared_values_shared():
    document = located.load_yaml("base: &b {Runtime: python3.12}\none: *b\ntwo: *b\n")
    assert document["one"] is document["two"]


def test_plain_scalar_types_are_the_resolvers_own():
    """The resolver remembers a plain scalar's type by its text: the same types as without it."""
    from yaml.nodes import ScalarNode
    from yaml.resolver import BaseResolver

    resolver = located._Core12Resolver()
    for value in ["", "~", "null", "Null", "true", "FALSE", "yes", "0", "-12", "0o17", "0x1f", "1.5", ".inf",
                  ".NaN", "<<", "text", "1e3", "010", "+.5", "true"]:
        for implicit in [(True, False), (False, True), (False, False)]:
            assert resolver.resolve(ScalarNode, value, implicit) == BaseResolver.resolve(
                resolver, ScalarNode, value, implicit), (value, implicit)


def _python_calls(work: Any) -> dict[str, int]:
    """How many times each Python function (by name) was entered while `work()` ran."""
    import sys
    from collections import Counter

    calls: Counter[str] = Counter()

    def count(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls[frame.f_code.co_name] += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return dict(calls)


TEMPLATE = (
    "Resources:\n" + "".join(
        f"  F{n}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        f"      Layers: [a, b]\n      Policies:\n        - S3ReadPolicy: {{BucketName: b{n}}}\n"
        f"      Role: !GetAtt R{n}.Arn\n" for n in range(20))
)


def test_an_unshared_template_is_converted_without_the_general_dispatch():
    """Plain strings, mappings and sequences below the root go straight to their converter: the
    general `convert`/`_convert` pair runs for the root and the short-form tags only."""
    root = located._compose(TEMPLATE)
    assert root is not None
    calls = _python_calls(lambda: located._Converter(shared=False).convert(root, 0))
    assert calls.get("convert", 0) == 1
    assert calls.get("_convert", 0) == 1 + 20            # the root, and each `!GetAtt`
    assert calls.get("_intrinsic", 0) == 20


def test_composing_calls_no_python_path_resolver_hooks():
    """PyYAML's composer calls `descend_resolver`/`ascend_resolver` around every node; this
    resolver registers no path resolver, so C no-ops stand in for them, and a collection's tag
    is given without BaseResolver's call."""
    calls = _python_calls(lambda: located._compose(TEMPLATE))
    assert "descend_resolver" not in calls and "ascend_resolver" not in calls
    document = located.load_yaml(TEMPLATE)
    assert document["Resources"]["F3"]["Properties"]["Layers"] == ["a", "b"]
    assert document["Resources"].key_lines["F3"] == 1 + 3 * 8 + 1
