"""A pull request that commits something at an output name cannot make the action write elsewhere.

The action runs as root with a write token; the SARIF report and the findings file are written
under the workspace, which holds the pull request's files. Whatever is committed at an output
name is removed before the review starts, never followed; a directory there is refused with a
clear error; every output is created with O_EXCL|O_NOFOLLOW (reviewer.output_files).
"""

from __future__ import annotations

import json

import os
from pathlib import Path

import pytest

from scenario import run_action

from reviewer.output_files import OutputFileError, write_output_file

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""
VICTIM_TEXT = "root-owned configuration that must survive\n"


def _workspace(tmp_path: Path) -> tuple[Path, Path]:
    workspace = tmp_path / "workspace"
    (workspace / "src").mkdir(parents=True)
    (workspace / "template.yaml").write_text(TEMPLATE)
    (workspace / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    victim = tmp_path / "outside" / "victim.conf"
    victim.parent.mkdir()
    victim.write_text(VICTIM_TEXT)
    return workspace, victim


def _push(tmp_path: Path, workspace: Path, **inputs: str):
    return run_action(tmp_path, workspace, event_name="push", event_path=None, api_url="http://127.0.0.1:9",
                      token="ghs_unused", inputs={"FAIL-ON": "never", **inputs})


def test_a_committed_link_at_the_sarif_name_is_unlinked_never_written_through(tmp_path):
    workspace, victim = _workspace(tmp_path)
    (workspace / "lambda-review.sarif").symlink_to(victim)

    run = _push(tmp_path, workspace)

    assert run.exit_code == 0, run.stdout + run.stderr
    assert victim.read_text() == VICTIM_TEXT
    sarif = workspace / "lambda-review.sarif"
    assert not sarif.is_symlink() and '"version": "2.1.0"' in sarif.read_text()


def test_a_link_on_the_directory_path_of_an_output_is_refused(tmp_path):
    workspace, victim = _workspace(tmp_path)
    (workspace / "reports").symlink_to(victim.parent, target_is_directory=True)

    run = _push(tmp_path, workspace, **{"SARIF-FILE": "reports/victim.conf"})

    assert run.exit_code == 2 and "Traceback" not in run.stderr
    assert "symbolic link" in run.stdout
    assert victim.read_text() == VICTIM_TEXT


def test_a_directory_at_the_sarif_name_is_refused_with_a_clear_error(tmp_path):
    workspace, _ = _workspace(tmp_path)
    (workspace / "lambda-review.sarif").mkdir()
    (workspace / "lambda-review.sarif" / "forged.json").write_text("{}")

    run = _push(tmp_path, workspace)

    assert run.exit_code == 2 and "Traceback" not in run.stderr
    assert "::error title=Lambda Review configuration::" in run.stdout and "is a directory" in run.stdout


def test_forged_results_committed_at_output_names_do_not_survive_a_failed_run(tmp_path):
    workspace, _ = _workspace(tmp_path)
    (workspace / "lambda-review.sarif").write_text('{"forged": "all clear"}')
    (workspace / "lambda-review-findings.json").write_text('{"forged": "all clear"}')

    # A pull request event whose payload is missing: the run stops with exit 2 before reviewing.
    run = run_action(tmp_path, workspace, event_name="pull_request", event_path=tmp_path / "missing.json",
                     api_url="http://127.0.0.1:9", token="ghs_unused",
                     inputs={"FINDINGS-FILE": "lambda-review-findings.json"})

    assert run.exit_code == 2
    # The forged report is gone; the SARIF there now is the stopped run's own (no results, the
    # error as a notification), written so the upload step does not fail a second time.
    sarif = json.loads((workspace / "lambda-review.sarif").read_text())
    assert "forged" not in sarif and sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert not (workspace / "lambda-review-findings.json").exists()


def test_the_writer_never_follows_a_link_at_the_name_or_above_it(tmp_path):
    workspace, victim = _workspace(tmp_path)
    (workspace / "out").symlink_to(victim.parent, target_is_directory=True)
    with pytest.raises(OutputFileError, match="symbolic link"):
        write_output_file(workspace / "out" / "victim.conf", "overwritten", workspace)
    (workspace / "report.json").symlink_to(victim)
    write_output_file(workspace / "report.json", "ours", workspace)
    assert victim.read_text() == VICTIM_TEXT and (workspace / "report.json").read_text() == "ours"
    assert not os.path.islink(workspace / "report.json")


def test_a_pull_request_review_never_writes_its_findings_file_through_a_committed_link(tmp_path):
    from github_standin import GitHubStandIn
    from scenario import PR_NUMBER, REPOSITORY, build_scenario, git, write_event

    token = "ghs_outputsTestToken0123456789abcdef"
    built = build_scenario(tmp_path)
    victim = tmp_path / "outside.conf"
    victim.write_text(VICTIM_TEXT)
    (built.workspace / "lambda-review-findings.json").symlink_to(victim)
    (built.workspace / "lambda-review.sarif").symlink_to(victim)
    git(built.workspace, "add", "-A")
    git(built.workspace, "commit", "-q", "-m", "plant links at the output names")
    with GitHubStandIn() as github:
        github.add_token(token, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=built.head_sha, base_sha=built.base_sha,
                                files=built.files)
        run = run_action(tmp_path, built.workspace, event_name="pull_request", event_path=write_event(tmp_path, built),
                         api_url=github.api_url, token=token,
                         inputs={"FAIL-ON": "never", "FINDINGS-FILE": "lambda-review-findings.json"})

    assert run.exit_code == 0, run.stdout + run.stderr
    assert victim.read_text() == VICTIM_TEXT
    findings = built.workspace / "lambda-review-findings.json"
    assert not findings.is_symlink() and '"findings"' in findings.read_text()
    assert not (built.workspace / "lambda-review.sarif").is_symlink()
