"""Whether bandit and pip-audit ran is carried on the scan result, and the summary reads it there.

The LR900 of an engine that did not run stays among the findings (the fail-closed signal); the
summary's note and callout come from `ScanResult.engine_status`, not from looking for that notice.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

from test_dependency_audit import closed_port_url

from reviewer.analyzers import pip_audit_engine
from reviewer.analyzers.run import start_analyzers
from reviewer.analyzers.interface import AUDIT_ENGINE, BANDIT_ENGINE, AnalysisContext
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.publish.render import render
from reviewer.review.change import full_scan
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "engines" / "sam-monorepo"
SETTINGS = Settings(reference_date=dt.date(2026, 1, 1))


def _repo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "repo"))


def test_an_audit_that_cannot_reach_the_service_failed_and_the_summary_says_so(tmp_path):
    pip_audit_engine.forget_results()
    outcome = full_scan(_repo(tmp_path), replace(SETTINGS, osv_url=closed_port_url()))

    audit = outcome.head.engine_status[AUDIT_ENGINE]
    assert audit.state == "failed" and "could not be reached" in audit.reason
    assert audit.notice is not None and audit.notice in outcome.head.findings      # LR900 stays
    assert outcome.head.engine_status[BANDIT_ENGINE].state == "ran"
    assert outcome.facts.dependencies_not_audited == audit.notice.message
    assert not any("audit: off" in note for note in outcome.facts.notes)
    body = render("summary.md.j2", facts=outcome.facts)
    assert "**Dependencies were not audited.** Dependency audit did not run" in body


def test_an_audit_switched_off_by_the_settings_is_a_note_not_a_failure(tmp_path):
    outcome = full_scan(_repo(tmp_path), replace(SETTINGS, audit=False))

    audit = outcome.head.engine_status[AUDIT_ENGINE]
    assert audit.state == "skipped" and audit.setting == "audit" and audit.notice is None
    assert not [finding for finding in outcome.head.findings if finding.rule_id == "LR900"]
    assert outcome.facts.dependencies_not_audited is None
    [note] = [note for note in outcome.facts.notes if "audit: off" in note]
    assert note.startswith("The dependency audit is switched off")


def test_engines_with_nothing_to_analyse_were_skipped(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: nodejs22.x\n      Handler: index.handler\n      CodeUri: src/\n")
    result = full_scan(tmp_path, SETTINGS).head

    assert result.engine_status[BANDIT_ENGINE].state == "skipped"
    assert result.engine_status[AUDIT_ENGINE].state == "skipped"
    assert result.engine_status[AUDIT_ENGINE].setting is None


class _BrokenEngine:
    """An engine whose worker breaks: the boundary's LR900 is its status's notice."""

    name = "broken"
    engine = "broken-engine"

    def analyze(self, context: AnalysisContext) -> list:
        raise RuntimeError("the worker pool broke")


def test_an_engine_that_stops_on_an_exception_failed(tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    workspace = Workspace(tmp_path)
    context = AnalysisContext(workspace, build_inventory(workspace), SETTINGS)

    [notice] = start_analyzers(context, [_BrokenEngine()])()

    status = context.engine_status["broken-engine"]
    assert status.state == "failed" and status.notice == notice and notice.rule_id == "LR900"
    assert "the worker pool broke" in status.reason
