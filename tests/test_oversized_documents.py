"""A `.json` or `.yaml` file above max-file-size is reported only when it could be a template.

The CloudFormation reader looks at every `.json`, `.yaml` and `.template` file for templates, so
every such file too large to read used to leave an LR902 notice. A repository that publishes a
CycloneDX bill of materials under `docs/` (Worklytics/psoxy's `docs/aws/sbom.json`, 2 MB) got one
per file, though no such file declares a function. The start of the file now says: a template, a
synthesized one or a Serverless service under any name is still reported.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

LIMIT = 4096
TEMPLATE = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Ingest:\n    Type: AWS::Lambda::Function\n"
            "    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Code: src\n")


def _bill_of_materials(components: int) -> str:
    """A CycloneDX document as a build plugin writes it: metadata, then one entry per library."""
    return json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"timestamp": "2026-07-31T15:47:12Z", "lifecycles": [{"phase": "build"}],
                     "component": {"type": "application", "name": "gateway-core", "version": "0.5.1"}},
        "components": [{"type": "library", "bom-ref": f"pkg:maven/org.example/lib{n}@1.{n}.0",
                        "group": "org.example", "name": f"lib{n}", "version": f"1.{n}.0",
                        "licenses": [{"license": {"id": "Apache-2.0"}}],
                        "externalReferences": [{"type": "website", "url": f"https://example.org/lib{n}"}]}
                       for n in range(components)],
    }, indent=2)


def _scan(root: Path) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--audit", "off",
          "--fail-on", "never", "--max-file-size", str(LIMIT)], stdout=out, stderr=err)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR902"]


def test_a_bill_of_materials_too_large_to_read_leaves_no_notice(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    for cloud in ("aws", "gcp"):
        (tmp_path / "docs" / cloud).mkdir(parents=True)
        (tmp_path / "docs" / cloud / "sbom.json").write_text(_bill_of_materials(60))
    assert (tmp_path / "docs/aws/sbom.json").stat().st_size > LIMIT

    assert _scan(tmp_path) == []


def test_a_template_too_large_to_read_is_still_reported_under_any_name(tmp_path):
    padding = "".join(f"  Queue{n}:\n    Type: AWS::SQS::Queue\n" for n in range(300))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/example.yaml").write_text(TEMPLATE + padding)
    synthesized = {"Resources": {f"Queue{n}": {"Type": "AWS::SQS::Queue"} for n in range(300)}}
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra/orders.json").write_text(json.dumps(synthesized))
    (tmp_path / "infra/jobs.yml").write_text("service: jobs\nprovider:\n  name: aws\n" + "# padding\n" * 600)

    reported = {f["path"]: f["message"] for f in _scan(tmp_path)}

    assert set(reported) == {"docs/example.yaml", "infra/orders.json", "infra/jobs.yml"}
    assert "larger than max-file-size (4,096 bytes)" in reported["infra/orders.json"]
