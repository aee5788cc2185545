"""Handlers written in Python 3.12 grammar are read on an older interpreter too: their text is
rewritten line for line into 3.11 grammar (`reviewer.python_downgrade`), so the loop check and
bandit read them instead of leaving an LR903 notice."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.python_downgrade import downgrade, parse_python

REWRITTEN = {
    "pep701 nested quotes": ('key = f"{event["Records"][0]["s3"]["object"]["key"]}"\n',
                             "key = f\"{event['Records'][0]['s3']['object']['key']}\"\n"),
    "single-quoted outer": ("x = f'{event['key']}'\n", 'x = f\'{event["key"]}\'\n'),
    "conversion and nested spec": ('x = f"{d["c"]!r:>{width}}"\n', "x = f\"{d['c']!r:>{width}}\"\n"),
    "string in a format spec": ('x = f"{x:{"<"}10}"\n', "x = f\"{x:{'<'}10}\"\n"),
    "dict literal in a field": ('x = f"{ {"a": 1}["a"] }"\n', "x = f\"{ {'a': 1}['a'] }\"\n"),
    "raw f-string": ('x = rf"{path}\\d+{d["k"]}"\n', "x = rf\"{path}\\d+{d['k']}\"\n"),
    "type alias": ("type Key = str\ntype Pair[T] = tuple[T, T]\n", "Key = str\nPair = tuple[T, T]\n"),
    "generic function": ("def first[T](items: list[T]) -> T:\n    return items[0]\n",
                         "def first(items: list[T]) -> T:\n    return items[0]\n"),
    "generic class and async def": ("class Box[T](Base):\n    pass\nasync def go[T](x: T): pass\n",
                                    "class Box(Base):\n    pass\nasync def go(x: T): pass\n"),
}

UNCHANGED = [
    'x = f"""{d["k"]}"""\n',                                   # a triple-quoted f-string reads in 3.11
    "def f():\n    type = 3\n    type(x)\n    return type\n",  # `type` as a name
    's = "plain # not a comment"  # a comment holding f"{x["y"]}"\n',
    'x = f"{a:=5}"\n',                                         # a format spec, not a walrus
]

NOT_REWRITTEN = [
    'x = f"{d["it\'s"]}"\n',        # the nested string holds the other quote
    'x = f"{x # comment\n}"\n',     # a comment in a field
    'x = f"{x\n}"\n',               # a line break in a one-line f-string's field
    'x = f"{f"{y["z"]}"}"\n',        # three strings deep: no quote left
    "def f[\n    T,\n](x: T): pass\n",  # type parameters over several lines
    "x = f'unterminated\n",
]


@pytest.mark.parametrize("case", sorted(REWRITTEN))
def test_newer_grammar_is_rewritten_in_place(case: str) -> None:
    source, expected = REWRITTEN[case]
    older = downgrade(source)
    assert older == expected
    ast.parse(older)     # Python 3.11 grammar: parses on every supported interpreter


@pytest.mark.parametrize("source", UNCHANGED)
def test_what_3_11_already_reads_is_left_as_it_is(source: str) -> None:
    assert downgrade(source) == source


@pytest.mark.parametrize("source", NOT_REWRITTEN)
def test_what_cannot_be_rewritten_gives_none(source: str) -> None:
    assert downgrade(source) is None


def test_parse_python_raises_the_original_error_for_code_that_is_broken_either_way() -> None:
    with pytest.raises(SyntaxError):
        parse_python('x = f"{event["key"]}" +\n')


HANDLER = '''import subprocess

import boto3

type Key = str
s3 = boto3.client("s3")


def first[T](items: list[T]) -> T:
    return items[0]


def handler(event, context):
    record = first(event["Records"])
    print(f"{record["s3"]["object"]["key"]} arrived")
    subprocess.run(f"convert {record["s3"]["object"]["key"]}", shell=True)
    s3.put_object(Bucket=record["s3"]["bucket"]["name"], Key="out/" + record["s3"]["object"]["key"], Body=b"")
'''


def test_a_python_3_12_handler_is_read_by_the_loop_check_and_bandit(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Uploads:\n    Type: AWS::S3::Bucket\n"
        "  Convert:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        "      Events:\n        Up:\n          Type: S3\n"
        "          Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    found = {(f["rule_id"], f["line"]) for f in json.loads(out.getvalue())["findings"] if f["path"] == "src/app.py"}
    assert ("LR201", 17) in found
    assert ("LR306", 16) in found           # the event's key reaches a shell (bandit's B602 joins it)
    assert ("bandit/B404", 1) in found      # bandit read the file
    assert not {rule for rule, _ in found} & {"LR901", "LR903"}
