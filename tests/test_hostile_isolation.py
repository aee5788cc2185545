"""One bad file or one failing analyzer never stops the review; an overrun fails closed.

Each crash is a boundary's business (reviewer.isolation): a reader that raises on one file gives
an LR901 naming that file, an analyzer that raises gives an LR900, and the rest of the review is
reported. A run past its deadline stops at the next boundary with every finding so far kept and
one LR900 error. Real readers are made to fail here by replacing one of their methods: the
crash inputs found so far are fixed (tests/test_hostile_inputs.py), and the boundary must hold
for the next one nobody has found yet.
"""

from __future__ import annotations

import io
import json
import subprocess
import time
from pathlib import Path


from reviewer.cli import main

HONEST_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HonestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.7
      Handler: app.handler
      CodeUri: src/
"""
SERVERLESS = """\
service: orders
provider:
  name: aws
  runtime: python3.8
functions:
  api:
    handler: handler.main
"""


def _repository(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(HONEST_TEMPLATE)
    (root / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "services").mkdir()
    (root / "services" / "serverless.yml").write_text(SERVERLESS)
    return root


def _scan(root: Path, *extra: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", *extra],
                stdout=stdout, stderr=stderr)
    return code, json.loads(stdout.getvalue()), stderr.getvalue()


def _found(report: dict) -> dict[tuple[str, str], dict]:
    return {(finding["rule_id"], finding["path"]): finding for finding in report["findings"]}


def test_a_reader_that_raises_on_one_file_gives_an_lr901_naming_it(tmp_path, monkeypatch):
    from reviewer.inventory.serverless import read as serverless

    def broken(self):
        raise KeyError("a shape nobody expected")

    monkeypatch.setattr(serverless._ServiceReader, "read", broken)
    code, report, stderr = _scan(_repository(tmp_path), "--fail-on", "never")

    assert code == 0 and "Traceback" not in stderr
    found = _found(report)
    assert ("LR101", "template.yaml") in found
    crash = found[("LR901", "services/serverless.yml")]
    assert crash["severity"] == "notice" and "KeyError" in crash["message"]


def test_an_analyzer_that_raises_gives_an_lr900_and_the_others_report(tmp_path, monkeypatch):
    from reviewer.analyzers import runtimes

    def broken(self, context):
        context.workspace.read_text("template.yaml")
        raise ValueError("invalid literal for int() with base 10: '²'")

    monkeypatch.setattr(runtimes.RuntimeLifecycleAnalyzer, "analyze", broken)
    code, report, stderr = _scan(_repository(tmp_path), "--fail-on", "never")

    assert code == 0 and "Traceback" not in stderr
    found = _found(report)
    stopped = found[("LR900", "template.yaml")]
    assert "ValueError" in stopped["message"] and "runtime" in stopped["message"].lower()


def test_a_run_past_its_deadline_keeps_what_it_found_and_fails_closed(tmp_path, monkeypatch):
    from reviewer.inventory.serverless import read as serverless

    def endless(self, workspace, *listed):
        time.sleep(30)                              # interrupted at the deadline
        raise AssertionError("the deadline did not interrupt the reader")

    monkeypatch.setattr(serverless.ServerlessFormat, "scan", endless)
    monkeypatch.setenv("LAMBDA_REVIEW_TIME_LIMIT", "2")
    code, report, stderr = _scan(_repository(tmp_path), "--fail-on", "error")

    assert "Traceback" not in stderr
    found = _found(report)
    assert ("LR101", "template.yaml") in found              # found before the deadline: kept
    overrun = [finding for finding in report["findings"] if finding["rule_id"] == "LR900"
               and "time limit" in finding["message"]]
    assert overrun and overrun[0]["severity"] == "error" and code == 1
    assert "AssertionError" not in json.dumps(report)
    never_code, _, _ = _scan(tmp_path, "--fail-on", "never")
    assert never_code == 0


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout.strip()


def test_a_changed_template_that_no_longer_parses_fails_closed(tmp_path, monkeypatch):
    root = _repository(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    (root / "services" / "serverless.yml").write_text(SERVERLESS + "    runtime: python3.12\n")
    _git(root, "commit", "-qam", "head")

    from reviewer.inventory.serverless import read as serverless

    original = serverless._ServiceReader.read

    def broken_on_head(self):
        if "python3.12" in json.dumps(self.document, default=str):
            raise RecursionError("maximum recursion depth exceeded")
        return original(self)

    monkeypatch.setattr(serverless._ServiceReader, "read", broken_on_head)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["review", str(root), "--base", base, "--format", "json", "--reference-date", "2026-11-22"],
                stdout=stdout, stderr=stderr)

    assert "Traceback" not in stderr.getvalue()
    report = json.loads(stdout.getvalue())
    findings = report.get("findings") or [f for key in ("new", "pre_existing") for f in report.get(key, [])]
    crash = [f for f in findings if f["rule_id"] == "LR901" and f["path"] == "services/serverless.yml"]
    assert crash and crash[0]["severity"] == "error" and code == 1


def test_a_new_template_that_declares_a_function_and_does_not_parse_fails_closed(tmp_path):
    root = _repository(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    (root / "stacks").mkdir()
    (root / "stacks" / "template.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.7\n")
    (root / "notes.yaml").write_text("a: [1\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "head")

    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["review", str(root), "--base", base, "--format", "json", "--reference-date", "2026-11-22"],
                stdout=stdout, stderr=stderr)

    findings = json.loads(stdout.getvalue())["findings"]
    broken = {f["path"]: f["severity"] for f in findings if f["rule_id"] == "LR901"}
    assert broken.get("stacks/template.yaml") == "error" and code == 1


def test_running_out_of_memory_in_a_reader_keeps_the_rest_and_fails_closed(tmp_path, monkeypatch):
    from reviewer.inventory.serverless import read as serverless

    def exhausting(self):
        raise MemoryError()

    monkeypatch.setattr(serverless._ServiceReader, "read", exhausting)
    code, report, stderr = _scan(_repository(tmp_path), "--fail-on", "error")

    assert "Traceback" not in stderr
    found = _found(report)
    assert ("LR101", "template.yaml") in found
    ceiling = found[("LR900", "services/serverless.yml")]
    assert ceiling["severity"] == "error" and "memory" in ceiling["message"] and code == 1


def test_without_a_readable_base_a_broken_changed_template_still_gates(tmp_path):
    from reviewer.config import resolve_settings
    from reviewer.review import git
    from reviewer.review.change import review_change
    from reviewer.review.diff import diff_map_from_unified

    root = _repository(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    broken = HONEST_TEMPLATE.replace("      Handler: app.handler", "      Handler: [app.handler")
    (root / "template.yaml").write_text(broken)
    _git(root, "commit", "-qam", "head")
    diff = diff_map_from_unified(git.unified_diff(root, base, "HEAD"))
    settings = resolve_settings(root, reference_date="2026-11-22")

    outcome = review_change(root, settings, diff, base_rev=None)       # the base commit is not in the clone

    broken_findings = [f for f in outcome.plan.new if f.rule_id == "LR901" and f.path == "template.yaml"]
    assert broken_findings and broken_findings[0].severity.value == "error" and outcome.plan.failed
