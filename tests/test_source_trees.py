"""The tree-sitter layer every non-Python reader shares: languages, literals, names, bounded walks."""

from __future__ import annotations

import pytest

from reviewer import source_trees as st


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        ("javascript", "const a = 'x\\ny'; const b = `t${c}`;", ["x\ny"]),
        ("typescript", 'const r: string = "nodejs14.x";', ["nodejs14.x"]),
        ("java", 'class A { String r = "java8"; }', ["java8"]),
        ("csharp", 'class A { string r = @"dotnet6"; }', ["dotnet6"]),
        ("go", 'package m\nvar r = `go1.x`', ["go1.x"]),
        ("kotlin", 'val r = "java11"\nval s = "a${b}"', ["java11"]),
    ],
)
def test_string_literals_without_interpolation_have_values(language: str, source: str, expected: list[str]) -> None:
    tree = st.parse(language, source)
    values = [st.string_value(n) for n in st.walk(tree.root_node)]
    assert [v for v in values if v is not None] == expected


def test_dotted_call_names_in_each_language() -> None:
    tree = st.parse("go", "package m\nfunc f() { awslambda.NewFunction(s, nil, nil) }")
    calls = [st.call_name(n) for n in st.walk(tree.root_node) if n.type == "call_expression"]
    assert calls == ["awslambda.NewFunction"]
    tree = st.parse("typescript", "new lambda.Function(this, 'F', {})")
    assert [st.call_name(n) for n in st.walk(tree.root_node) if n.type == "new_expression"] == ["lambda.Function"]


def test_suffixes_choose_languages() -> None:
    assert st.language_for("infra/app.ts") == "typescript"
    assert st.language_for("src/Stack.CS") == "csharp"
    assert st.language_for("handler.py") is None
    assert st.language_for("dir.ts/file") is None


def test_hostile_nesting_neither_recurses_nor_raises() -> None:
    source = "x = " + "[" * 5000 + "]" * 5000 + ";"
    tree = st.parse("javascript", source)
    visited = sum(1 for _ in st.walk(tree.root_node))
    assert 0 < visited <= st.MAX_DEPTH + 10


def test_undecodable_bytes_never_raise() -> None:
    tree = st.parse("javascript", b"const a = '\xff\xfe';")
    assert "\ufffd" in (st.string_value(next(n for n in st.walk(tree.root_node) if n.type == "string")) or "")
