"""SAM templates kept in fragments that `rain merge` assembles (`payments/parent.yaml` with the
transform, parameters and `Globals`; `payments/function/charge.yaml` with one function each): a
fragment's functions take the parent's `Globals` and parameters, at the parent's lines, instead of
an unresolved runtime and a code signing notice on each of them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from reviewer.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "merged_fragments"


def _scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out)
    return json.loads(out.getvalue())


def test_a_fragment_takes_the_globals_of_the_template_it_is_merged_into() -> None:
    report = _scan(FIXTURE)
    functions = {f["name"]: f for f in report["functions"]}
    assert set(functions) == {"ChargeFunction", "RefundFunction"}
    charge, refund = functions["ChargeFunction"], functions["RefundFunction"]
    assert charge["runtime"] == "java21"
    assert charge["declarations"]["Runtime"] == {"path": "payments/parent.yaml", "line": 23}
    assert charge["declarations"]["Environment.ENVIRONMENT"]["path"] == "payments/parent.yaml"
    assert charge["declarations"]["Environment.LEDGER_TABLE"]["path"] == "payments/function/charge.yaml"
    # its own runtime wins; a handler named by a parameter of the parent is its default
    assert refund["runtime"] == "java17"
    assert refund["declarations"]["Runtime"]["path"] == "payments/function/refund.yaml"
    assert refund["handler"] == "com.example.payments.RefundHandler::handleRequest"
    # Globals' CodeSigningConfigArn covers both: no LR400
    assert not [f for f in report["findings"] if f["rule_id"] == "LR400"]


def test_a_fragment_with_two_candidate_parents_is_read_alone(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "app")
    shutil.copy(tmp_path / "app/payments/parent.yaml", tmp_path / "app/payments/parent-copy.yaml")
    functions = {f["name"]: f for f in _scan(tmp_path)["functions"]}
    assert functions["ChargeFunction"]["runtime"] is None


def test_a_template_with_the_transform_is_no_fragment(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "app")
    charge = tmp_path / "app/payments/function/charge.yaml"
    charge.write_text(charge.read_text().replace(
        'AWSTemplateFormatVersion: "2010-09-09"\n',
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'))
    functions = {f["name"]: f for f in _scan(tmp_path)["functions"]}
    assert functions["ChargeFunction"]["runtime"] is None
