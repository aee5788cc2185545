"""The `policy_statements` of terraform-aws-modules/lambda, read from the module call: a `condition`
on a resource tag narrows `resources = ["*"]` as it does in a policy document, a transport
condition does not, and the finding spans the statement's entry."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

ROOT = Path(__file__).parent / "fixtures" / "guardrails" / "terraform-module-conditions"


def test_module_policy_statement_with_a_resource_tag_condition_is_not_reported():
    out = io.StringIO()
    main(["scan", str(ROOT), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out)
    findings = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in ("LR300", "LR301")]
    lines = (ROOT / "main.tf").read_text().splitlines()
    report = next(number for number, text in enumerate(lines, 1) if "report = {" in text)
    values = next(number for number, text in enumerate(lines, 1) if 'values   = ["true"]' in text)
    assert [(f["rule_id"], f["line"], f["end_line"]) for f in findings] == [("LR301", report, values)]
    assert "`s3:PutObject` on every resource" in findings[0]["message"]
