"""Bytes are bounded, not only steps: no evaluated value is built past its size cap.

A Terraform local doubled ten times, `str.format` chains in a handler, `${self:…}` fan-out in
serverless.yml and a large YAML scalar referenced by many aliases each once asked for gigabytes.
Past the cap a value is "unknown: too long" and is never built.
"""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.cli import main
from reviewer.code.reader import read_function_code
from reviewer.inventory.serverless.variables import VariableResolver
from reviewer.located import load_yaml
from reviewer.model import Function, Location
from reviewer.workspace import Workspace


def _scan(root: Path) -> tuple[dict, int]:
    stdout = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"],
         stdout=stdout, stderr=io.StringIO())
    return json.loads(stdout.getvalue()), len(stdout.getvalue())


def test_a_terraform_local_doubled_many_times_is_unknown_not_built(tmp_path):
    doubled = "\n".join(f'  name{n} = "${{local.name{n - 1}}}${{local.name{n - 1}}}"' for n in range(1, 9))
    (tmp_path / "main.tf").write_text(f"""\
locals {{
  name0 = "{'n' * 100_000}"
{doubled}
}}

resource "aws_lambda_function" "worker" {{
  function_name = local.name8
  runtime       = "python3.7"
  handler       = "app.handler"
  filename      = "worker.zip"
  role          = "arn:aws:iam::123456789012:role/worker"
}}
""")
    stdout = io.StringIO()
    main(["inventory", str(tmp_path), "--format", "json"], stdout=stdout)
    inventory = json.loads(stdout.getvalue())
    functions = inventory["functions"] if isinstance(inventory, dict) else inventory
    assert [function["runtime"] for function in functions] == ["python3.7"]
    assert "too long" in functions[0]["unresolved"]["FunctionName"]     # not a 25 MB name
    assert len(stdout.getvalue()) < 100_000


def test_serverless_fan_out_is_resolved_once_per_address_and_capped(tmp_path):
    levels = "\n".join(f"  l{n}: \"{''.join('${self:custom.l' + str(n - 1) + '}' for _ in range(10))}\""
                       for n in range(1, 7))
    document = load_yaml(f"""\
service: fan
custom:
  l0: "abcdefghij"
{levels}
functions:
  api:
    handler: handler.main
    description: ${{self:custom.l6}}
""")
    resolver = VariableResolver(document)
    result = resolver.resolve(document["functions"]["api"]["description"])
    assert resolver.steps < 1_000
    assert not result.resolved and "too long" in result.unresolved[0]


def test_format_chains_in_a_handler_are_unknown_not_built(tmp_path):
    chain = "\n".join(f'a{n} = "{{0}}{{0}}".format(a{n - 1})' for n in range(1, 23))
    source = textwrap.dedent("""\
        import boto3

        s3 = boto3.client("s3")
        a0 = "abcdefghij"
        """) + chain + textwrap.dedent("""

        def handler(event, context):
            s3.put_object(Bucket=a22, Key="k", Body=b"")
        """)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(source)
    function = Function(name="Fn", format="sam", location=Location("template.yaml", 1), runtime="python3.12",
                        handler="app.handler", code_path="src")
    reading = read_function_code(Workspace(tmp_path), function)
    targets = [write.target for write in reading.writes]
    assert targets and all(not target.is_literal and "too long" in target.describe() for target in targets)


def test_a_large_scalar_referenced_by_many_aliases_is_skipped_by_its_bytes(tmp_path):
    aliases = "\n".join("  - *big" for _ in range(30))
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "template.yaml").write_text(
        f"AWSTemplateFormatVersion: \"2010-09-09\"\nBig: &big \"{'b' * 200_000}\"\nCopies:\n{aliases}\n"
        "Resources: {}\n")
    report, size = _scan(tmp_path)
    skipped = [f for f in report["findings"] if f["rule_id"] == "LR902" and f["path"] == "stack/template.yaml"]
    assert skipped and "characters" in skipped[0]["message"]
    assert size < 1_000_000


def test_a_megabyte_function_name_is_shortened_in_every_report(tmp_path):
    name = "F" * 1_000_000
    (tmp_path / "template.yaml").write_text(
        f'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ? {name}\n  : Type: AWS::Serverless::Function\n'
        f"    Properties:\n      Runtime: python3.7\n      Handler: {'h' * 500_000}\n      CodeUri: src/\n")
    for fmt in ("json", "sarif", "markdown", "text"):
        stdout = io.StringIO()
        main(["scan", str(tmp_path), "--format", fmt, "--reference-date", "2026-11-22", "--fail-on", "never"],
             stdout=stdout, stderr=io.StringIO())
        assert "LR101" in stdout.getvalue() and len(stdout.getvalue()) < 100_000, fmt
