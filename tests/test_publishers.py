"""Every output takes the same review outcome through one interface (reviewer/publish/interface.py).

The faces choose publishers and hand each the outcome; a new output is one more class with a
`publish(outcome)` method. This checks that every publisher in the house has that shape, and that
the file and stream publishers, given one outcome, all report the same findings.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
from pathlib import Path

import pytest

import reviewer.action
from reviewer.config import Settings
from reviewer.publish import actions, artifact, console, github, preview, sarif
from reviewer.publish.interface import Publisher, publish_all
from reviewer.review.change import full_scan

DAY = dt.date(2026, 11, 22)
MODULES = (actions, artifact, console, github, preview, sarif, reviewer.action)

PUBLISHERS = {
    "github.PullRequestPublisher", "github.CheckRunPublisher",
    "actions.JobSummary", "actions.Annotations", "actions.ActionOutputs",
    "sarif.SarifFile", "artifact.FindingsFile", "console.ScanReport", "preview.ReviewPreview",
    "action._PostedLines",
}

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.8
      Handler: index.handler
      InlineCode: "def handler(event, context): return None"
  ExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs14.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => null;"
"""


def _publisher_classes() -> dict[str, type]:
    found = {}
    for module in MODULES:
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__ and callable(getattr(value, "publish", None)):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    return found


def test_every_publisher_is_known_here():
    assert set(_publisher_classes()) == PUBLISHERS


@pytest.mark.parametrize("name", sorted(PUBLISHERS))
def test_every_publisher_takes_only_the_outcome(name):
    method = _publisher_classes()[name].publish
    signature = inspect.signature(method)
    assert list(signature.parameters) == ["self", "outcome"]
    assert signature.parameters["outcome"].annotation == "ReviewOutcome" and signature.return_annotation == "None"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    root = tmp_path_factory.mktemp("repository")
    (root / "template.yaml").write_text(TEMPLATE)
    return full_scan(root, Settings(reference_date=DAY, audit=False))


def test_the_file_and_stream_publishers_report_the_same_findings_of_one_outcome(tmp_path, outcome):
    stream, report, preview_text = io.StringIO(), [], []
    outputs, summary = tmp_path / "outputs", tmp_path / "summary.md"
    publishers = [
        sarif.SarifFile(tmp_path / "report.sarif", tmp_path),
        artifact.FindingsFile(tmp_path / "findings.json", tmp_path, "acme/orders", 7, "a" * 40, "b" * 40,
                              "error", DAY),
        actions.JobSummary(str(summary)),
        actions.Annotations(stream),
        actions.ActionOutputs(str(outputs), "report.sarif"),
        console.ScanReport("json", report.append),
        preview.ReviewPreview("json", preview_text.append),
    ]
    assert all(isinstance(publisher, Publisher) for publisher in publishers)

    publish_all(outcome, publishers)

    expected = sorted(finding.fingerprint for finding in outcome.plan.findings)
    assert len(expected) >= 2
    results = json.loads((tmp_path / "report.sarif").read_text())["runs"][0]["results"]
    assert sorted(r["partialFingerprints"]["lambdaReview/v1"] for r in results) == expected
    relayed = json.loads((tmp_path / "findings.json").read_text())
    assert sorted(f["fingerprint"] for f in relayed["findings"]) == expected
    assert sorted(f["fingerprint"] for f in json.loads(report[0])["findings"]) == expected
    assert sorted(f["fingerprint"] for f in json.loads(preview_text[0])["findings"]) == expected
    assert f"findings={len(expected)}" in outputs.read_text() and "conclusion=failure" in outputs.read_text()
    assert len(stream.getvalue().splitlines()) == len(outcome.plan.new) and "::error file=template.yaml" in stream.getvalue()
    assert "ExportFunction" in summary.read_text()
    assert outcome.exit_code == 1


def test_the_check_run_publisher_posts_nothing_after_a_read_only_token():
    class ReadOnly:
        result = github.PublishResult(read_only=True)

        def create_check_run(self, outcome, result):  # pragma: no cover - must not be called
            raise AssertionError("a check run was tried with a read-only token")

    check_run = github.CheckRunPublisher(ReadOnly())  # type: ignore[arg-type]
    assert isinstance(check_run, Publisher)
    check_run.publish(object())  # type: ignore[arg-type]


def test_the_faces_hand_the_outcome_to_publishers_not_to_output_functions():
    """cli.py and action.py go through publishers, never through the old one-by-one wiring."""
    for face in ("cli.py", "action.py"):
        source = (Path(reviewer.action.__file__).parent / face).read_text(encoding="utf-8")
        assert "publish_all(" in source
        for wiring in ("render_scan(", "render_review(", "write_annotations(", "write_job_summary(",
                       "to_sarif(outcome", "write_artifact("):
            assert wiring not in source, f"{face} wires {wiring} by hand"


def test_the_json_reports_reach_their_sinks_in_pieces_with_the_text_json_dumps_writes(outcome, monkeypatch):
    from reviewer.publish import json_text
    from reviewer.review.diff import DiffMap

    monkeypatch.setattr(json_text, "PIECES_PER_JOIN", 4)
    scan_pieces: list[str] = []
    preview_pieces: list[str] = []
    publish_all(outcome, [console.ScanReport("json", scan_pieces.append),
                          preview.ReviewPreview("json", preview_pieces.append)])

    assert len(scan_pieces) > 2 and len(preview_pieces) > 2
    assert "".join(scan_pieces) == json.dumps(console.findings_json(outcome.facts), indent=2) + "\n"
    preview_text = "".join(preview_pieces)
    assert preview_text == preview.render_review(outcome, DiffMap(), "json")
    assert preview_text == json.dumps(json.loads(preview_text), indent=2) + "\n"
    review_findings = json.loads(json.dumps(console.findings_json(outcome.facts, mark_new=True)))["findings"]
    assert json.loads(preview_text)["findings"] == review_findings
