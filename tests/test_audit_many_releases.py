"""A monorepo's dependency audit: several releases of one package, and more releases than one run asks.

pip-audit runs for real against the loopback OSV stand-in, which counts every query.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from reviewer import audit_worker
from reviewer.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "performance" / "sam-three-teams"


def scan(root: Path, osv_url: str) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--osv-url", osv_url, "--reference-date", "2026-01-01"],
         stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())["findings"]


def test_two_releases_of_one_package_in_different_functions_are_both_audited(tmp_path, osv):
    root = tmp_path / "shop"
    shutil.copytree(FIXTURE, root)
    # Orders still pins jinja2 2.10; billing has moved on to 3.1.4.
    (root / "src/billing/requirements.txt").write_text("pyyaml==5.3.1\njinja2==3.1.4\n")

    findings = scan(root, osv.query_url)

    assert not [f for f in findings if f["rule_id"] == "LR900"]
    vulnerable = {(f["path"], f["function"]) for f in findings if f["rule_id"] == "LR500"}
    assert vulnerable == {("src/orders/requirements.txt", "OrdersFunction"),
                          ("src/billing/requirements.txt", "BillingFunction")}
    assert osv.standin.query_counts[("jinja2", "2.10")] == 1
    assert osv.standin.query_counts[("jinja2", "3.1.4")] == 1


def test_a_long_list_of_releases_is_asked_about_once_each(tmp_path, osv):
    root = tmp_path / "shop"
    shutil.copytree(FIXTURE, root)
    many = [f"internal-lib-{index}==1.{index}.0" for index in range(3 * audit_worker.CONCURRENT_QUERIES)]
    (root / "src/reports/requirements.txt").write_text("\n".join(["requests==2.32.3", *many]) + "\n")

    findings = scan(root, osv.query_url)

    assert not [f for f in findings if f["rule_id"] in ("LR900", "LR501")]
    asked = osv.standin.query_counts
    assert all(count == 1 for count in asked.values())
    assert {(f"internal-lib-{index}", f"1.{index}.0") for index in range(len(many))} <= set(asked)
    # Several at once, each thread keeping its connection open: not one connection per release.
    assert 1 < osv.standin.connections <= audit_worker.CONCURRENT_QUERIES
