"""The real entrypoint.py, run as the container runs it, against the loopback GitHub stand-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, build_scenario, run_action, write_event

TOKEN = "ghs_e2eTokenThatMustNeverLeak0123456789"


@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        yield standin


@pytest.fixture
def scenario(tmp_path: Path, github: GitHubStandIn):
    built = build_scenario(tmp_path)
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=built.head_sha, base_sha=built.base_sha,
                            files=built.files)
    return built, write_event(tmp_path, built)


def _run(tmp_path, github, scenario_and_event, **inputs):
    built, event = scenario_and_event
    return run_action(tmp_path, built.workspace, event_name="pull_request", event_path=event,
                      api_url=github.api_url, token=TOKEN, inputs=inputs)


def test_review_lands_with_inline_comments_only_on_commentable_lines(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario)

    assert run.exit_code == 1, run.stdout + run.stderr
    reviews = github.reviews(REPOSITORY, PR_NUMBER)
    assert len(reviews) == 1 and reviews[0]["state"] == "COMMENTED"
    comments = github.review_comments(REPOSITORY, PR_NUMBER)
    # Only the new blocked runtime on an added line of template.yaml (which sits on the 2nd files page);
    # the pre-existing python3.9 and the finding in the patch-less big.yaml are not inline.
    assert [(c["path"], c["line"]) for c in comments] == [("template.yaml", 25)]
    assert "LR101" in comments[0]["body"] and "```suggestion\n      Runtime: nodejs24.x\n```" in comments[0]["body"]
    assert comments[0]["body"].startswith("<!-- lambda-review:inline fp=")

    summaries = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert len(summaries) == 1
    summary = summaries[0]["body"]
    assert summary.startswith("<!-- lambda-review:summary -->")
    assert "New errors and warnings (2)" in summary and "stacks/big.yaml:6" in summary
    assert "Pre-existing findings (1)" in summary and "template.yaml:15" in summary
    assert "| LegacyExportFunction | `template.yaml:22` | `nodejs14.x` | create blocked |" in summary


def test_outputs_job_summary_and_sarif_are_written(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario)
    built, _ = scenario

    assert run.outputs.pop("review-url") == github.reviews(REPOSITORY, PR_NUMBER)[0]["html_url"]
    assert run.outputs.pop("summary-url") == github.issue_comments(REPOSITORY, PR_NUMBER)[0]["html_url"]
    assert run.outputs == {"findings": "3", "new-findings": "2", "errors": "2",
                           "sarif-file": "lambda-review.sarif", "conclusion": "failure"}
    assert "## Lambda Review" in run.job_summary and "LegacyExportFunction" in run.job_summary
    sarif = json.loads((built.workspace / "lambda-review.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    assert {rule["id"] for rule in run_["tool"]["driver"]["rules"]} == {"LR100", "LR101"}
    fingerprints = [result["partialFingerprints"]["lambdaReview/v1"] for result in run_["results"]]
    assert len(set(fingerprints)) == 3
    assert "::error file=template.yaml,line=25," in run.stdout


def test_rerun_does_not_duplicate_inline_comments_and_edits_the_summary(tmp_path, github, scenario):
    first = _run(tmp_path, github, scenario)
    first_summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]
    # A later day changes the summary text (dates, counts), so the second run must edit in place.
    second = _run(tmp_path, github, scenario, **{"REFERENCE-DATE": "2027-02-15"})

    assert first.exit_code == second.exit_code == 1
    assert len(github.reviews(REPOSITORY, PR_NUMBER)) == 1
    assert len(github.review_comments(REPOSITORY, PR_NUMBER)) == 1
    summaries = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert len(summaries) == 1 and summaries[0]["id"] == first_summary["id"]
    assert summaries[0]["body"] != first_summary["body"] and "2027-02-15" in summaries[0]["body"]
    assert any(r.method == "PATCH" for r in github.requests)


def test_a_persons_comment_is_never_touched(tmp_path, github, scenario):
    human_body = "<!-- lambda-review:summary -->\nI copied the bot's marker into my own comment."
    github.add_issue_comment(REPOSITORY, PR_NUMBER, human_body, login="octocat", user_type="User")

    _run(tmp_path, github, scenario)

    comments = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert len(comments) == 2
    assert comments[0]["body"] == human_body and comments[0]["user"]["login"] == "octocat"
    assert comments[1]["user"]["login"] == "github-actions[bot]"
    assert not any(r.method in ("PATCH", "DELETE") for r in github.requests)


def test_read_only_token_still_gates_and_writes_the_job_summary(tmp_path, github, scenario):
    github.add_token("ghs_readonly", login="github-actions[bot]", can_write=False)
    built, event = scenario
    run = run_action(tmp_path, built.workspace, event_name="pull_request", event_path=event,
                     api_url=github.api_url, token="ghs_readonly")

    assert run.exit_code == 1
    assert github.reviews(REPOSITORY, PR_NUMBER) == [] and github.issue_comments(REPOSITORY, PR_NUMBER) == []
    assert "LegacyExportFunction" in run.job_summary
    assert "pull-requests: write" in run.stdout
    assert run.outputs["conclusion"] == "failure"


def test_only_new_findings_gate_the_merge(tmp_path, github, scenario):
    run = _run(tmp_path, github, scenario, **{"FAIL-ON": "warning"})
    # New findings are errors, so warning also fails; with `never` nothing fails.
    assert run.exit_code == 1
    never = _run(tmp_path, github, scenario, **{"FAIL-ON": "never"})
    # New findings below fail-on leave the check neutral, not failed and not clean.
    assert never.exit_code == 0 and never.outputs["conclusion"] == "neutral"


def test_push_event_scans_everything_and_posts_nothing(tmp_path, github, scenario):
    built, _ = scenario
    run = run_action(tmp_path, built.workspace, event_name="push", event_path=None,
                     api_url=github.api_url, token=TOKEN)

    assert run.exit_code == 1
    assert github.requests == []
    assert run.outputs["findings"] == run.outputs["new-findings"] == "3"
    assert (built.workspace / "lambda-review.sarif").is_file()


def test_the_token_never_appears_in_any_output(tmp_path, github, scenario):
    built, _ = scenario
    run = _run(tmp_path, github, scenario)

    visible_log = [line for line in run.stdout.splitlines() if not line.startswith("::add-mask::")]
    assert f"::add-mask::{TOKEN}" in run.stdout.splitlines()
    for text in [*visible_log, run.stderr, run.job_summary, json.dumps(run.outputs),
                 (built.workspace / "lambda-review.sarif").read_text(),
                 *(c["body"] for c in github.issue_comments(REPOSITORY, PR_NUMBER)),
                 *(c["body"] for c in github.review_comments(REPOSITORY, PR_NUMBER))]:
        assert TOKEN not in text


@pytest.mark.parametrize("inputs, message", [
    ({"FAIL-ON": "sometimes"}, "fail-on"),
    ({"REFERENCE-DATE": "22/11/2026"}, "reference-date"),
    ({"PATH": "../outside"}, "path"),
    ({"CONFIG": "missing.yml"}, "config"),
])
def test_bad_inputs_exit_2_with_one_clear_error(tmp_path, github, scenario, inputs, message):
    run = _run(tmp_path, github, scenario, **inputs)
    assert run.exit_code == 2
    assert "Traceback" not in run.stdout + run.stderr
    errors = [line for line in run.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and message in errors[0]
    assert github.reviews(REPOSITORY, PR_NUMBER) == []
