"""The mixed-format example monorepo: every format reader finds its functions, and each format's
runtime problem is reported once, at the line that declares it."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

MONOREPO = Path(__file__).resolve().parents[1] / "examples" / "monorepo"


def test_every_format_of_the_monorepo_is_in_the_inventory():
    out = io.StringIO()
    main(["inventory", str(MONOREPO), "--format", "json"], stdout=out)
    formats = {}
    for function in json.loads(out.getvalue())["functions"]:
        formats.setdefault(function["format"], set()).add(function["name"])
    assert formats == {
        "sam": {"CreateOrderFunction", "HealthFunction"},
        "serverless": {"send", "digest"},
        "terraform": {"aws_lambda_function.thumbnailer", "aws_lambda_function.api"},
        "cdk": {"InvoiceRenderer", "PaymentWebhook"},
        "container": {"images/pdf-export/Dockerfile"},
    }


def test_each_format_reports_its_runtime_problem_at_the_declaring_line():
    out = io.StringIO()
    main(["scan", str(MONOREPO), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"],
         stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    runtime = sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in findings
                     if f["rule_id"].startswith("LR1"))
    assert runtime == [
        ("LR100", "billing-cdk/lib/billing-stack.ts", 13, "InvoiceRenderer"),
        ("LR100", "infra/media/variables.tf", 4, "aws_lambda_function.thumbnailer"),
        ("LR100", "services/notifications/serverless.yml", 7, "send"),
        ("LR100", "services/orders/template.yaml", 15, "CreateOrderFunction"),
        ("LR106", "images/pdf-export/Dockerfile", 2, "images/pdf-export/Dockerfile"),
    ]
    assert not any(f["rule_id"] == "LR901" for f in findings)
