"""The `post` input chooses what a pull request run writes; outputs carry the conclusion and URLs."""

from __future__ import annotations

import pytest
from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, build_scenario, run_action, write_event

TOKEN = "ghs_postChoiceToken0123456789abcdef012345"


@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        yield standin


@pytest.fixture
def scenario(tmp_path, github):
    built = build_scenario(tmp_path)
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=built.head_sha, base_sha=built.base_sha, files=built.files)
    return built, write_event(tmp_path, built)


def _run(tmp_path, github, scenario, **inputs):
    built, event = scenario
    return run_action(tmp_path, built.workspace, event_name="pull_request", event_path=event,
                      api_url=github.api_url, token=TOKEN, inputs=inputs)


def test_summary_only_posts_the_summary_comment_with_every_finding_and_no_review(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario, POST="summary")

    assert run.exit_code == 1, run.stdout + run.stderr
    assert github.reviews(REPOSITORY, PR_NUMBER) == [] and github.review_comments(REPOSITORY, PR_NUMBER) == []
    [summary] = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert "template.yaml:25" in summary["body"]                   # the finding that would have been inline
    assert run.outputs["review-url"] == "" and run.outputs["summary-url"] == summary["html_url"]


def test_none_posts_nothing_but_still_gates_and_reports_in_the_job_summary_and_sarif(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario, POST="none")
    built, _ = scenario

    assert run.exit_code == 1 and run.outputs["conclusion"] == "failure"
    assert not [r for r in github.requests if r.method != "GET"]    # reads the pull request's files only
    assert github.issue_comments(REPOSITORY, PR_NUMBER) == []
    assert "LegacyExportFunction" in run.job_summary and (built.workspace / "lambda-review.sarif").is_file()
    assert run.outputs["review-url"] == run.outputs["summary-url"] == ""
    assert "::error file=template.yaml,line=25," in run.stdout


def test_new_findings_below_fail_on_conclude_neutral(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario, **{"FAIL-ON": "never", "POST": "none"})
    assert run.exit_code == 0 and run.outputs["conclusion"] == "neutral"


def test_an_unknown_choice_is_a_usage_error_before_anything_is_posted(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario, POST="inline")
    assert run.exit_code == 2 and "post: 'inline' is not one of inline-and-summary, summary, none" in run.stdout
    assert github.requests == []
