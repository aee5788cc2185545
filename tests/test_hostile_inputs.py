"""Small hostile inputs that once stopped the whole review: each is now read, or reported alone.

Each case is a small repository scanned whole: one hostile file that declares a function on a
deprecated runtime, and an honest function beside it. The scan must finish without a traceback,
exit 0 under `fail-on: never`, keep the honest function's finding, and report the hostile file
in a finding about that file (its function's LR101 when the file is simply read, LR901 or LR902
when it cannot be).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Callable

import pytest

from reviewer.cli import main

REFERENCE_DATE = "2026-11-22"
HONEST_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HonestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.7
      Handler: app.handler
      CodeUri: honest/
"""


def _sam(timeout: str, runtime: str = "python3.7", code_uri: str = "src/") -> str:
    return f"""\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HostileFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: {runtime}
      Handler: app.handler
      CodeUri: {code_uri}
      Timeout: {timeout}
"""


def _serverless(timeout: str, custom: str = "") -> str:
    return f"""\
service: hostile
custom:
  list: [a, b]
{custom}
provider:
  name: aws
  runtime: python3.7
functions:
  api:
    handler: handler.main
  other:
    handler: handler.other
    runtime: {timeout}
"""


def _write(root: Path, rel: str | bytes, text: str) -> None:
    path = Path(os.fsdecode(os.path.join(os.fsencode(root), os.fsencode(rel))))
    directory = root
    for part in path.relative_to(root).parts[:-1]:      # one level at a time: mkdir(parents) recurses
        directory = directory / part
        directory.mkdir(exist_ok=True)
    path.write_text(text)


DEEP = "/".join(["d"] * 1200)
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "yaml tag !!int on a word": (lambda root: _write(root, "hostile/template.yaml", _sam("!!int x")),
                                 "hostile/template.yaml"),
    "5,000-digit integer in YAML": (lambda root: _write(root, "hostile/template.yaml", _sam("9" * 5000)),
                                    "hostile/template.yaml"),
    "5,000-digit integer in JSON": (lambda root: _write(root, "hostile/template.json", json.dumps({
        "Resources": {"HostileFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.7", "Handler": "app.handler", "Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::1:role/r",
            "Timeout": 0}}}}).replace('"Timeout": 0', '"Timeout": ' + "7" * 5000)), "hostile/template.json"),
    "marker nested 1,000 parentheses": (lambda root: (
        _write(root, "hostile/template.yaml", _sam("30")),
        _write(root, "hostile/src/app.py", "def handler(event, context):\n    return {}\n"),
        _write(root, "hostile/src/requirements.txt",
               "requests==2.31.0; " + "(" * 1000 + 'python_version > "3"' + ")" * 1000 + "\n")),
        "hostile/template.yaml"),
    "serverless default 1e5": (lambda root: _write(root, "hostile/serverless.yml", _serverless("${opt:rt, 1e5}")),
                               "hostile/serverless.yml"),
    "serverless superscript index": (lambda root: _write(root, "hostile/serverless.yml",
                                                         _serverless("${self:custom.list.²}")),
                                     "hostile/serverless.yml"),
    "format field with a superscript": (lambda root: (
        _write(root, "hostile/template.yaml", _sam("30")),
        _write(root, "hostile/src/app.py",
               "import boto3\ns3 = boto3.client('s3')\n\ndef handler(event, context):\n"
               "    s3.put_object(Bucket='b-{²}'.format('x', 'y'), Key='k', Body=b'')\n")),
        "hostile/template.yaml"),
    "template under 1,200 directories": (lambda root: _write(root, f"{DEEP}/template.yaml", _sam("30")),
                                         f"{DEEP}/template.yaml"),
}


def _remove_deep_tree(root: Path) -> None:
    """pytest's own clean-up (shutil.rmtree) recurses per level: remove the deep chain bottom-up."""
    top = root / "d"
    if not top.is_dir():
        return
    chain = [top]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for directory in reversed(chain):
        for entry in directory.iterdir():
            if not entry.is_dir():
                entry.unlink()
        directory.rmdir()


def _scan(root: Path) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--fail-on", "never", "--reference-date", REFERENCE_DATE,
                 "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=stdout, stderr=stderr)
    return code, json.loads(stdout.getvalue()), stderr.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_read_or_reported_and_the_honest_function_keeps_its_finding(tmp_path, case, request):
    build, hostile_path = CASES[case]
    request.addfinalizer(lambda: _remove_deep_tree(tmp_path))
    _write(tmp_path, "honest/template.yaml", HONEST_TEMPLATE)
    _write(tmp_path, "honest/honest/app.py", "def handler(event, context):\n    return {}\n")
    build(tmp_path)

    code, report, stderr = _scan(tmp_path)

    assert code == 0 and "Traceback" not in stderr, stderr
    found = {(finding["rule_id"], finding["path"]) for finding in report["findings"]}
    assert ("LR101", "honest/template.yaml") in found
    assert any(path == hostile_path and rule in ("LR101", "LR901", "LR902") for rule, path in found), found


def test_a_file_name_that_is_not_utf8_is_reported_and_the_review_goes_on(tmp_path):
    _write(tmp_path, "honest/template.yaml", HONEST_TEMPLATE)
    _write(tmp_path, b"hostile/template-\xff.yaml", _sam("30"))

    code, report, stderr = _scan(tmp_path)

    assert code == 0 and "Traceback" not in stderr, stderr
    assert ("LR101", "honest/template.yaml") in {(f["rule_id"], f["path"]) for f in report["findings"]}
    assert any(f["path"].startswith("hostile/template-") for f in report["findings"])
