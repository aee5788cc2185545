"""Fork pull requests: a read-only run writes a findings file; a workflow_run run posts it safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, build_scenario, run_action, write_event

READ_ONLY, WRITER = "ghs_forkReadOnly", "ghs_workflowRunWriter"


@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(READ_ONLY, can_write=False)
        standin.add_token(WRITER)
        yield standin


@pytest.fixture
def fork_run(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=scenario.head_sha, base_sha=scenario.base_sha,
                            files=scenario.files, head_repo="someone/orders-fork")
    run = run_action(tmp_path, scenario.workspace, event_name="pull_request", event_path=write_event(tmp_path, scenario),
                     api_url=github.api_url, token=READ_ONLY, inputs={"FINDINGS-FILE": "findings.json"})
    return scenario, run


def _publish(tmp_path: Path, github: GitHubStandIn, workspace: Path, head_sha: str, findings: str = "findings.json"):
    event = tmp_path / "workflow_run.json"
    event.write_text(json.dumps({"action": "completed", "workflow_run": {"head_sha": head_sha, "pull_requests": []}}))
    return run_action(tmp_path, workspace, event_name="workflow_run", event_path=event, api_url=github.api_url,
                      token=WRITER, inputs={"PUBLISH-FINDINGS": findings})


def test_read_only_fork_run_gates_and_writes_the_findings_file(github, fork_run):
    scenario, run = fork_run
    assert run.exit_code == 1 and github.issue_comments(REPOSITORY, PR_NUMBER) == []
    artifact = json.loads((scenario.workspace / "findings.json").read_text())
    assert artifact["pull_request"] == PR_NUMBER and artifact["head_sha"] == scenario.head_sha
    assert sum(f["new"] for f in artifact["findings"]) == 2


def test_workflow_run_posts_the_findings_once(tmp_path, github, fork_run):
    scenario, _ = fork_run
    first = _publish(tmp_path, github, scenario.workspace, scenario.head_sha)
    second = _publish(tmp_path, github, scenario.workspace, scenario.head_sha)

    assert first.exit_code == second.exit_code == 0, first.stdout + first.stderr
    comments = github.review_comments(REPOSITORY, PR_NUMBER)
    assert [(c["path"], c["line"]) for c in comments] == [("template.yaml", 25)]
    assert len(github.issue_comments(REPOSITORY, PR_NUMBER)) == 1


def test_a_tampered_findings_file_cannot_inject_markup_links_or_suggestions(tmp_path, github, fork_run):
    scenario, _ = fork_run
    path = scenario.workspace / "findings.json"
    artifact = json.loads(path.read_text())
    target = next(f for f in artifact["findings"] if f["path"] == "template.yaml" and f["new"])
    target["message"] = "<!-- lambda-review:summary --> <img src=x onerror=alert(1)> @admin [win](https://evil.example) `ok`"
    target["suggestion"] = "      Runtime: evil"
    target["help_url"] = "https://evil.example/phish"
    target["title"] = "Approve this PR"
    path.write_text(json.dumps(artifact))

    run = _publish(tmp_path, github, scenario.workspace, scenario.head_sha)

    assert run.exit_code == 0
    body = github.review_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "<img" not in body and "&lt;img" in body
    assert "@admin" not in body and "\\[win\\]" in body and "`ok`" in body
    assert "suggestion" not in body and "evil.example/phish" not in body and "Approve this PR" not in body
    assert body.count("<!-- lambda-review") == 1


def test_a_findings_file_for_another_commit_is_refused(tmp_path, github, fork_run):
    scenario, _ = fork_run
    run = _publish(tmp_path, github, scenario.workspace, "f" * 40)
    assert run.exit_code == 2 and "another commit" in run.stdout
    assert github.review_comments(REPOSITORY, PR_NUMBER) == []


def test_a_findings_file_naming_another_pull_request_is_refused(tmp_path, github, fork_run):
    scenario, _ = fork_run
    github.add_pull_request(REPOSITORY, 99, head_sha="e" * 40, base_sha=scenario.base_sha, files=[])
    path = scenario.workspace / "findings.json"
    artifact = json.loads(path.read_text())
    artifact["pull_request"] = 99
    path.write_text(json.dumps(artifact))
    run = _publish(tmp_path, github, scenario.workspace, scenario.head_sha)
    assert run.exit_code == 2 and "does not have the workflow run's head commit" in run.stdout
    assert github.issue_comments(REPOSITORY, 99) == []


@pytest.mark.parametrize("mutate", [
    lambda a: a["findings"][0].update(fingerprint="../../etc"),
    lambda a: a["findings"][0].update(path="/etc/passwd"),
    lambda a: a["findings"][0].update(rule_id="XSS<script>"),
    lambda a: a.update(version=99),
    lambda a: a["findings"][0].update(line=True),
])
def test_malformed_findings_files_exit_2_without_posting(tmp_path, github, fork_run, mutate):
    scenario, _ = fork_run
    path = scenario.workspace / "findings.json"
    artifact = json.loads(path.read_text())
    mutate(artifact)
    path.write_text(json.dumps(artifact))
    run = _publish(tmp_path, github, scenario.workspace, scenario.head_sha)
    assert run.exit_code == 2 and "Traceback" not in run.stdout + run.stderr
    assert [r for r in github.requests if r.token == WRITER] == []   # refused before any call to GitHub
    assert github.issue_comments(REPOSITORY, PR_NUMBER) == []
