"""In a merge queue (`merge_group`), the check gates on what the queued change adds, posting nothing."""

from __future__ import annotations

import json

from github_standin import GitHubStandIn
from scenario import build_scenario, git, run_action

TOKEN = "ghs_mergeQueueToken0123456789abcdef01234"


def _event(tmp_path, base_sha: str, head_sha: str):
    path = tmp_path / "merge_group.json"
    path.write_text(json.dumps({"action": "checks_requested", "merge_group": {
        "head_sha": head_sha, "head_ref": "refs/heads/gh-readonly-queue/main/pr-7-" + base_sha,
        "base_sha": base_sha, "base_ref": "refs/heads/main"}}))
    return path


def test_the_queued_commit_is_judged_against_the_queue_base_and_nothing_is_posted(tmp_path):
    built = build_scenario(tmp_path)
    with GitHubStandIn() as github:
        run = run_action(tmp_path, built.workspace, event_name="merge_group",
                         event_path=_event(tmp_path, built.base_sha, built.head_sha),
                         api_url=github.api_url, token=TOKEN)
        assert github.requests == []

    # The two findings the change adds are new and fail; the base's deprecated runtime does not.
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.outputs["findings"] == "3" and run.outputs["new-findings"] == "2"
    assert run.outputs["conclusion"] == "failure"


def test_findings_already_on_the_base_branch_do_not_block_the_queue(tmp_path):
    built = build_scenario(tmp_path)
    (built.workspace / "README.md").write_text("docs only\n")
    git(built.workspace, "add", "-A")
    git(built.workspace, "commit", "-q", "-m", "docs")
    queued = git(built.workspace, "rev-parse", "HEAD").strip()
    with GitHubStandIn() as github:
        run = run_action(tmp_path, built.workspace, event_name="merge_group",
                         event_path=_event(tmp_path, built.head_sha, queued), api_url=github.api_url, token=TOKEN)

    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.outputs["findings"] == "3" and run.outputs["new-findings"] == "0"
    assert run.outputs["conclusion"] == "success"


def test_without_a_readable_base_the_queue_gets_a_full_scan(tmp_path):
    built = build_scenario(tmp_path)
    with GitHubStandIn() as github:
        run = run_action(tmp_path, built.workspace, event_name="merge_group",
                         event_path=_event(tmp_path, "f" * 40, built.head_sha), api_url=github.api_url, token=TOKEN)
    assert run.exit_code == 1 and run.outputs["new-findings"] == "3"
