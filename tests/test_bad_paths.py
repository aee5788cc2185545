"""Fail closed, never stumble: exit codes 0/1/2 on every bad path, no traceback, no network when told (issue 19)."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from github_standin import GitHubStandIn
from osv_standin import serve
from scenario import PR_NUMBER, REPOSITORY, build_scenario, git, run_action

from reviewer.cli import main

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
"""
BROKEN = TEMPLATE.replace("      Handler: app.handler\n", "      Handler: [app.handler\n")
TOKEN = "ghs_badPathsToken"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def _commit(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).write_text(text)
    git(root, "commit", "-q", "-am", "change")


# -- fail closed -------------------------------------------------------------------------------------

def test_a_template_the_change_breaks_is_an_error_that_fails_the_review(tmp_path):
    root = _repo(tmp_path, {"template.yaml": TEMPLATE, "src/app.py": "def handler(e, c):\n    return 1\n"})
    _commit(root, {"template.yaml": BROKEN})

    code, out, _ = _cli("review", str(root), "--base", "HEAD~1", "--format", "json", "--fail-on", "error",
                        "--reference-date", "2026-11-22", "--audit", "off")

    assert code == 1
    (lr901,) = [f for f in json.loads(out)["findings"] if f["rule_id"] == "LR901"]
    assert lr901["severity"] == "error" and lr901["path"] == "template.yaml"
    assert "`OrdersFunction`" in lr901["message"]


def test_a_broken_file_the_change_does_not_touch_stays_a_notice(tmp_path):
    root = _repo(tmp_path, {"template.yaml": BROKEN, "README.md": "orders\n"})
    _commit(root, {"README.md": "orders service\n"})

    code, out, _ = _cli("review", str(root), "--base", "HEAD~1", "--format", "json", "--fail-on", "error",
                        "--reference-date", "2026-11-22", "--audit", "off")

    assert code == 0
    assert [f["severity"] for f in json.loads(out)["findings"] if f["rule_id"] == "LR901"] == ["notice"]


# -- exit codes, one line, no traceback ------------------------------------------------------------

def test_output_into_a_missing_directory_is_a_usage_error_without_traceback(tmp_path):
    root = _repo(tmp_path, {"template.yaml": TEMPLATE})

    code, _, err = _cli("scan", str(root), "--output", str(tmp_path / "missing" / "out.txt"), "--audit", "off")

    assert code == 2
    assert "Traceback" not in err and err.count("\n") == 1 and "does not exist" in err


def test_an_unknown_base_revision_says_so(tmp_path):
    root = _repo(tmp_path, {"template.yaml": TEMPLATE})

    code, _, err = _cli("review", str(root), "--base", "nosuchrev")

    assert code == 2
    assert "--base 'nosuchrev' is not a commit" in err and "rev-parse" not in err


def test_ctrl_c_exits_2_with_one_line(tmp_path, monkeypatch):
    import reviewer.review.change

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(reviewer.review.change, "full_scan", interrupted)
    root = _repo(tmp_path, {"template.yaml": TEMPLATE})

    code, _, err = _cli("scan", str(root))

    assert (code, err) == (2, "lambda-review: interrupted\n")


def test_baseline_says_how_to_use_the_file_it_wrote(tmp_path):
    root = _repo(tmp_path, {"template.yaml": TEMPLATE.replace("python3.13", "python3.8")})

    code, out, _ = _cli("baseline", str(root), "--reference-date", "2026-11-22", "--audit", "off")

    assert code == 0 and (root / ".lambda-review-baseline.json").is_file()
    assert "baseline: .lambda-review-baseline.json" in out and "--baseline .lambda-review-baseline.json" in out


# -- audit off: no network at all ----------------------------------------------------------------

@pytest.fixture
def osv():
    yield from serve()


def test_audit_off_and_both_dependency_rules_off_ask_the_vulnerability_service_nothing(tmp_path, osv):
    from reviewer.analyzers import pip_audit_engine

    pip_audit_engine.forget_results()
    root = _repo(tmp_path, {"template.yaml": TEMPLATE, "src/requirements.txt": "jinja2==2.10\n"})

    _, off, _ = _cli("scan", str(root), "--format", "json", "--osv-url", osv.query_url, "--audit", "off")
    (root / ".lambda-review.yml").write_text("severity:\n  LR500: off\n  LR501: off\n")
    _, rules_off, _ = _cli("scan", str(root), "--format", "json", "--osv-url", osv.query_url)

    assert osv.standin.queries == []
    assert any("audit: off" in note for note in json.loads(off)["summary"]["notes"])
    for report in (off, rules_off):
        assert not [f for f in json.loads(report)["findings"] if f["rule_id"] in ("LR500", "LR900")]


# -- the action: first adopting pull request, SARIF on exit 2, quiet re-runs --------------------------

@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot")
        yield standin


def _pull_request(tmp_path: Path, github: GitHubStandIn, scenario) -> Path:
    files = []
    for row in git(scenario.workspace, "diff", "--name-status", scenario.base_sha, scenario.head_sha).splitlines():
        status, name = row.split("\t")
        full = git(scenario.workspace, "diff", scenario.base_sha, scenario.head_sha, "--", name)
        files.append({"filename": name, "status": "added" if status == "A" else "modified",
                      "patch": full[full.index("@@"):].rstrip("\n")})
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=scenario.head_sha, base_sha=scenario.base_sha,
                            files=files)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": PR_NUMBER, "head": {"sha": scenario.head_sha},
                                                  "base": {"sha": scenario.base_sha}},
                                 "repository": {"full_name": REPOSITORY}}))
    return event


def test_the_pull_request_that_adds_the_settings_file_is_reviewed_with_defaults(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    (scenario.workspace / "ci").mkdir()
    (scenario.workspace / "ci" / "lambda-review.yml").write_text("fail-on: never\n")
    git(scenario.workspace, "add", "-A")
    git(scenario.workspace, "commit", "-q", "-m", "adopt lambda review")
    scenario.head_sha = git(scenario.workspace, "rev-parse", "HEAD").strip()
    event = _pull_request(tmp_path, github, scenario)

    run = run_action(tmp_path, scenario.workspace, event_name="pull_request", event_path=event,
                     api_url=github.api_url, token=TOKEN, inputs={"CONFIG": "ci/lambda-review.yml", "AUDIT": "off"})

    assert run.exit_code == 1, run.stdout + run.stderr          # defaults: fail-on error, the new LR101 fails
    [summary] = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert "The base commit has no ci/lambda-review.yml yet, so this review ran with the default settings" in (
        summary["body"])


def test_exit_2_still_writes_a_sarif_file_that_says_why(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    event = _pull_request(tmp_path, github, scenario)

    run = run_action(tmp_path, scenario.workspace, event_name="pull_request", event_path=event,
                     api_url=github.api_url, token=TOKEN, inputs={"FAIL-ON": "sometimes"})

    assert run.exit_code == 2 and "Traceback" not in run.stderr
    sarif = json.loads((scenario.workspace / "lambda-review.sarif").read_text())
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False and sarif["runs"][0]["results"] == []
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and "sometimes" in notification["message"]["text"]
    assert run.outputs["sarif-file"] == "lambda-review.sarif"


def test_a_workflow_token_reading_who_it_is_logs_no_failure(github, caplog):
    from reviewer.publish.github import ACTIONS_BOT_LOGIN, PullRequestPublisher, connect

    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha="a" * 40, base_sha="b" * 40, files=[])
    publisher = PullRequestPublisher(connect(github.api_url, TOKEN), REPOSITORY, PR_NUMBER)

    with caplog.at_level(logging.INFO):
        assert publisher.own_login() == ACTIONS_BOT_LOGIN

    assert not [record for record in caplog.records if "/user" in record.getMessage()]
