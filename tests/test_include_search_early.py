"""A pull request's search for requirements includes starts before its inventory (issue 23).

`_needed_directories` (reviewer.analyzers.dependencies) asks git which requirements files hold no
include option, after the inventory, and waited for the answer. The search now starts before the
first template is read, over every requirements file of the listing, and the question about the
code directories' files is answered from it: one search per revision, the same directories read.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit

from reviewer.analyzers import dependencies
from reviewer.analyzers.interface import ChangeFocus
from reviewer.code.dependency_files import INCLUDE_MARKERS
from reviewer.config import Settings
from reviewer.inventory.cloudformation.read import CloudFormationFormat
from reviewer.review import git as review_git
from reviewer.review.change import start_revision_scan

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: app.handler
      Runtime: python3.12
  PaymentsFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: payments/
      Handler: app.handler
      Runtime: python3.12
"""


def _repository(root: Path) -> str:
    for name, requirements in (("orders", "boto3==1.34.0\n"), ("payments", "-r ../shared/requirements.txt\n")):
        (root / name).mkdir(parents=True)
        (root / name / "app.py").write_text("def handler(event, context):\n    return event\n")
        (root / name / "requirements.txt").write_text(requirements)
    (root / "shared").mkdir()
    (root / "shared/requirements.txt").write_text("requests==2.19.0\n")
    (root / "docs").mkdir()
    (root / "docs/requirements-docs.txt").write_text("mkdocs==1.5.0\n")
    (root / "template.yaml").write_text(TEMPLATE)
    return first_commit(root, "two functions")


def _scan(root: Path, commit: str, monkeypatch, events: list[str]):
    original_search, original_scan = review_git.files_containing, CloudFormationFormat.scan
    original_needed = dependencies._needed_directories
    needed: list[set[str]] = []

    def search(where, rev, needles, pathspecs):
        events.append("include search" if needles == [marker.encode() for marker in INCLUDE_MARKERS]
                      else "other search")
        return original_search(where, rev, needles, pathspecs)

    def templates(self, workspace):
        events.append("templates")
        return original_scan(self, workspace)

    def needed_directories(*args):
        found = original_needed(*args)
        events.append("needed")
        needed.append(found)
        return found

    monkeypatch.setattr(review_git, "files_containing", search)
    monkeypatch.setattr(CloudFormationFormat, "scan", templates)
    monkeypatch.setattr(dependencies, "_needed_directories", needed_directories)
    settings = Settings(severity_overrides=(("LR500", "off"),))       # no vulnerability service asked
    focus = ChangeFocus(frozenset({"orders/app.py"}))
    result = start_revision_scan(root, commit, settings, focus=focus).finish()
    monkeypatch.undo()
    return result, needed


def test_the_include_search_starts_before_the_templates_and_answers_the_audit(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    commit = _repository(root)
    events: list[str] = []
    result, needed = _scan(root, commit, monkeypatch, events)
    assert events.index("include search") < events.index("templates") < events.index("needed")
    assert events.count("include search") == 1                  # the audit's question asked git nothing more
    assert needed == [{"orders", "payments"}]                   # touched, and one that includes a file
    assert {function.name for function in result.functions} == {"OrdersFunction", "PaymentsFunction"}


def test_without_the_early_search_the_same_directories_are_read(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    commit = _repository(root)
    events: list[str] = []
    early, needed_early = _scan(root, commit, monkeypatch, events)
    monkeypatch.setattr(dependencies, "start_include_search", lambda workspace: None)
    late_events: list[str] = []
    late, needed_late = _scan(root, commit, monkeypatch, late_events)
    assert late_events.index("templates") < late_events.index("include search")
    assert needed_early == needed_late
    assert [finding.fingerprint for finding in early.findings] == [finding.fingerprint for finding in late.findings]
