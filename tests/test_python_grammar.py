"""Newer Python syntax is named as such (LR903), never "not valid Python" (LR901).

The review runs on the interpreter it is installed in; the action's image carries the newest
Python these machines test, but the CLI may run on 3.11. A handler of a `python3.14` function that
uses 3.12+ syntax must not be called broken.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.code.python_grammar import needed_version

OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]

NEWER = {
    "pep701_fstring": ('name = f"{event["name"]}"\n', (3, 12)),
    "type_alias": ("type Point = tuple[int, int]\n", (3, 12)),
    "generic_function": ("def first[T](items: list[T]) -> T:\n    return items[0]\n", (3, 12)),
    "generic_class": ("class Box[T]:\n    pass\n", (3, 12)),
    "template_string": ('who = "x"\ngreeting = t"hello {who}"\n', (3, 14)),
    "except_without_parentheses": ("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", (3, 14)),
}


@pytest.mark.parametrize("case", sorted(NEWER))
def test_newer_constructs_name_the_version_they_need(case: str) -> None:
    source, version = NEWER[case]
    expected = version if version > sys.version_info[:2] else None
    assert needed_version(source) == expected


@pytest.mark.parametrize("source", [
    "x = 1\n",
    "def f(:\n",                      # a real syntax error stays one
    "type = 3\nprint(type)\n",        # `type` as a plain name
    'x = f"{a}{{b}}"\n',              # doubled braces are not nesting
    "print(t, 'x')\n",                # a name `t` beside a string is not a template string
])
def test_ordinary_and_broken_code_needs_nothing_newer(source: str) -> None:
    assert needed_version(source) is None


def _scan(root: Path) -> dict:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", *OFFLINE],
                stdout=out, stderr=io.StringIO())
    assert code in (0, 1)
    return json.loads(out.getvalue())


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this interpreter reads every construct used here")
def test_a_handler_with_newer_syntax_is_a_grammar_notice_not_a_parse_error(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Greeter:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.14, Handler: app.handler, CodeUri: src}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "import subprocess\n\n"
        "def handler(event, context):\n"
        "    greeting = t\"hello {event['name']}\"\n"
        "    subprocess.run('ls', shell=True)\n"
        "    return greeting\n")
    report = _scan(tmp_path)
    rules = [(f["rule_id"], f["path"]) for f in report["findings"]]
    assert ("LR901", "src/app.py") not in rules
    grammar = [f for f in report["findings"] if f["rule_id"] == "LR903"]
    assert grammar and all(f["path"] == "src/app.py" and f["severity"] == "notice" for f in grammar)
    assert "3.14" in grammar[0]["message"]


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this interpreter reads every construct used here")
def test_a_handler_that_did_not_parse_is_listed_as_not_read(tmp_path: Path) -> None:
    """The summary's list of whose code the loop check read said "read (Python, the handler)"."""
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Greeter:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.14, Handler: app.handler, CodeUri: src}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return t\"hi {event}\"\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "markdown", "--audit", "off", "--fail-on", "never"], stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith("- **Greeter**"))
    assert "**not read**, its handler module \\(src/app.py, line 2\\) uses syntax of a newer Python" in line, line
    assert "the handler" not in line
