"""LR300 and LR301 leave alone an action whose service prefix IAM does not know: a VPC endpoint's
name written as one (`ecr.dkr:*`, `ecr.api:*`, IAM's prefix being `ecr`) grants nothing, so it is
neither a whole service nor a write on every resource. In the shape of a Serverless service whose
worker pulls a task image through the ECR endpoints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cfnlint

from reviewer.analyzers.iam import iam_services, names_iam_service
from reviewer.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "serverless" / "endpoint_prefixes"
POLICIES = json.loads((Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "Policies.json").read_text())


def _iam_findings() -> list[dict[str, object]]:
    out = io.StringIO()
    main(["scan", str(FIXTURE), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in ("LR300", "LR301")]


def test_endpoint_names_written_as_prefixes_are_no_writes_on_every_resource():
    findings = _iam_findings()
    assert [(f["rule_id"], f["line"]) for f in findings] == [("LR301", 10)]
    message = str(findings[0]["message"])
    assert "allows `s3:PutObject` on every resource" in message
    assert "ecr.dkr" not in message and "ecr.api" not in message


def test_only_prefixes_iam_knows_name_a_service():
    assert all(names_iam_service(a) for a in ("ecr:*", "S3:PutObject", "*", "*:*", "s3*:Get*", "execute-api:Invoke",
                                              "rds-data:ExecuteStatement", "ecr-public:*"))
    assert not any(names_iam_service(a) for a in ("ecr.dkr:*", "ecr.api:*", "s3.amazonaws.com:GetObject", "lamda:*"))


def test_the_service_list_is_iam_s_as_cfn_lint_ships_it():
    """reviewer/data/iam_services.json; after a cfn-lint upgrade rewrite it from the same table
    (reviewer/data/README.md)."""
    assert iam_services() == {service.lower() for service in POLICIES}
