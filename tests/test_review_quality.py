"""Review quality on real pull requests: only what is new, once, where it belongs (issue 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from github_standin import GitHubStandIn
from scenario import HEAD_TEMPLATE, PR_NUMBER, REPOSITORY, build_scenario, git, run_action

TOKEN = "ghs_reviewQualityToken"


@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot")
        yield standin


def _register(github: GitHubStandIn, workspace: Path, base: str, head: str) -> None:
    files = []
    for row in git(workspace, "diff", "--name-status", base, head).splitlines():
        status, name = row.split("\t")
        full = git(workspace, "diff", base, head, "--", name)
        files.append({"filename": name, "status": "added" if status == "A" else "modified",
                      "patch": full[full.index("@@"):].rstrip("\n")})
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=head, base_sha=base, files=files)


def _push(workspace: Path, template: str) -> str:
    (workspace / "template.yaml").write_text(template)
    git(workspace, "commit", "-q", "-am", "push")
    return git(workspace, "rev-parse", "HEAD").strip()


def _run(tmp_path, github, workspace, head, base, env=None, **inputs):
    event = {"pull_request": {"number": PR_NUMBER, "head": {"sha": head}, "base": {"sha": base}},
             "repository": {"full_name": REPOSITORY}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return run_action(tmp_path, workspace, event_name="pull_request", event_path=path, api_url=github.api_url,
                      token=TOKEN, inputs=inputs, env=env)


@pytest.fixture
def pr(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    _register(github, scenario.workspace, scenario.base_sha, scenario.head_sha)
    return scenario


FIXED_AND_NEW = HEAD_TEMPLATE.replace("Runtime: nodejs14.x", "Runtime: nodejs24.x").replace(
    "      CodeUri: src/api\n", "      CodeUri: src/api\n      RuntimeManagementConfig:\n        UpdateRuntimeOn: Manual\n")


def test_second_push_resolves_the_fixed_finding_and_posts_only_the_new_one(tmp_path, github, pr):
    first = _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha)
    assert first.exit_code == 1
    first_comments = github.review_comments(REPOSITORY, PR_NUMBER)
    assert {c["path"] for c in first_comments} == {"template.yaml", "stacks/big.yaml"}
    fixed_comment = next(c for c in first_comments if c["path"] == "template.yaml")

    head2 = _push(pr.workspace, FIXED_AND_NEW)
    _register(github, pr.workspace, pr.base_sha, head2)
    second = _run(tmp_path, github, pr.workspace, head2, pr.base_sha, **{"FAIL-ON": "warning"})

    comments = github.review_comments(REPOSITORY, PR_NUMBER)
    new_comments = comments[len(first_comments):]
    assert [(c["path"], "LR105" in c["body"]) for c in new_comments] == [("template.yaml", True)]
    assert github.minimized == {fixed_comment["node_id"]: "OUTDATED"}
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)
    assert len(summary) == 1
    assert "Since the previous run: **1 fixed**, **1 new**" in summary[0]["body"]
    assert "fixed: `LR101 template.yaml:25`" in summary[0]["body"]
    assert second.exit_code == 1

    # A third run on the same commit changes nothing: no new comment, nothing resolved twice.
    _run(tmp_path, github, pr.workspace, head2, pr.base_sha)
    assert len(github.review_comments(REPOSITORY, PR_NUMBER)) == len(comments)
    assert len(github.minimized) == 1


def test_fixed_finding_gets_one_reply_when_minimizing_is_not_allowed(tmp_path, github, pr):
    github.graphql_minimize_allowed = False
    _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha)
    head2 = _push(pr.workspace, HEAD_TEMPLATE.replace("Runtime: nodejs14.x", "Runtime: nodejs24.x"))
    _register(github, pr.workspace, pr.base_sha, head2)
    _run(tmp_path, github, pr.workspace, head2, pr.base_sha)
    _run(tmp_path, github, pr.workspace, head2, pr.base_sha)

    replies = [c for c in github.review_comments(REPOSITORY, PR_NUMBER) if "Resolved in" in c["body"]]
    assert len(replies) == 1 and replies[0]["body"].endswith(f"Resolved in {head2[:12]}: this finding is no longer reported.")
    assert github.minimized == {}


def test_a_502_after_the_review_landed_does_not_duplicate_it(tmp_path, github, pr):
    github.fail_next("POST", r"/pulls/7/reviews$", 502, after_apply=True)
    run = _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert len(github.reviews(REPOSITORY, PR_NUMBER)) == 1
    assert len(github.review_comments(REPOSITORY, PR_NUMBER)) == 2


def test_a_502_before_the_review_landed_is_retried_once(tmp_path, github, pr):
    github.fail_next("POST", r"/pulls/7/reviews$", 502)
    _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha)
    assert len(github.reviews(REPOSITORY, PR_NUMBER)) == 1
    assert sum(1 for r in github.requests if r.method == "POST" and r.path.endswith("/reviews")) == 2


def test_a_secondary_rate_limit_on_the_summary_edit_is_waited_out(tmp_path, github, pr):
    _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha)
    github.fail_next("PATCH", r"/issues/comments/\d+$", 403, headers={"Retry-After": "1"},
                     body={"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})
    run = _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha, **{"REFERENCE-DATE": "2027-01-05"})
    patches = [r for r in github.requests if r.method == "PATCH"]
    assert len(patches) == 2
    assert "2027-01-05" in github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "could not post" not in run.stdout


def test_shallow_clone_fetches_the_missing_base_commit(tmp_path, github, pr):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{pr.workspace}", str(shallow))
    run = _run(tmp_path, github, shallow, pr.head_sha, pr.base_sha)

    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert run.exit_code == 1 and "could not be fetched" not in summary
    assert "Pre-existing findings (1)" in summary


def test_shallow_clone_without_reachable_base_falls_back_to_changed_lines(tmp_path, github, pr):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{pr.workspace}", str(shallow))
    git(shallow, "remote", "remove", "origin")
    run = _run(tmp_path, github, shallow, pr.head_sha, pr.base_sha)

    assert run.exit_code == 1, run.stdout + run.stderr
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "could not be fetched" in summary
    assert "lines this change adds count as new" in summary
    assert "Pre-existing findings (1)" in summary and "template.yaml:15" in summary
    assert len(github.review_comments(REPOSITORY, PR_NUMBER)) == 2


def test_fail_on_existing_gates_on_pre_existing_findings(tmp_path, github, pr):
    run = _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha, **{"FAIL-ON": "warning", "FAIL-ON-EXISTING": "true"})
    assert run.exit_code == 1
    fixed = _push(pr.workspace, HEAD_TEMPLATE.replace("Runtime: nodejs14.x", "Runtime: nodejs24.x"))
    (pr.workspace / "stacks" / "big.yaml").unlink()
    git(pr.workspace, "commit", "-q", "-am", "drop big")
    head = git(pr.workspace, "rev-parse", "HEAD").strip()
    _register(github, pr.workspace, pr.base_sha, head)
    only_new = _run(tmp_path, github, pr.workspace, head, pr.base_sha, **{"FAIL-ON": "warning"})
    with_existing = _run(tmp_path, github, pr.workspace, head, pr.base_sha,
                         **{"FAIL-ON": "warning", "FAIL-ON-EXISTING": "true"})
    assert (only_new.exit_code, with_existing.exit_code) == (0, 1)
    assert fixed


def test_inline_budget_keeps_the_most_severe_and_moves_the_rest_to_the_summary(tmp_path, github, pr):
    run = _run(tmp_path, github, pr.workspace, pr.head_sha, pr.base_sha, **{"MAX-INLINE-COMMENTS": "1"})
    comments = github.review_comments(REPOSITORY, PR_NUMBER)
    assert len(comments) == 1 and "LR101" in comments[0]["body"]
    assert "New errors and warnings (2)" in github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert run.exit_code == 1


def _pr_adding_legacy_functions(tmp_path, github, count: int):
    """A pull request that adds `count` functions on a blocked runtime, each a new LR101."""
    scenario = build_scenario(tmp_path, padding_files=0)
    many = "".join(f"  Legacy{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.6\n"
                   for i in range(count))
    (scenario.workspace / "many.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + many)
    git(scenario.workspace, "add", "-A")
    git(scenario.workspace, "commit", "-q", "-m", "many")
    head = git(scenario.workspace, "rev-parse", "HEAD").strip()
    _register(github, scenario.workspace, scenario.base_sha, head)
    return scenario, head


def test_oversize_summary_shortens_rows_then_says_how_many_it_left_out(tmp_path, github):
    scenario, head = _pr_adding_legacy_functions(tmp_path, github, 900)

    run = _run(tmp_path, github, scenario.workspace, head, scenario.base_sha)

    body = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert len(body) < 65_536
    shown = body.count("| 🔴 error | LR101 |")
    assert 600 < shown < 902 and body.count(" |  |\n") == shown      # every row kept, its text left out first
    assert (f"… and {902 - shown} more new errors and warnings are left out here to fit GitHub's size limit; "
            "the job summary and the SARIF report list every one.") in body
    assert body.count("```") % 2 == 0
    assert len(github.review_comments(REPOSITORY, PR_NUMBER)) == 25
    assert run.outputs["new-findings"] == "902"


def test_check_run_posts_annotations_in_batches_of_50(tmp_path, github):
    scenario, head = _pr_adding_legacy_functions(tmp_path, github, 120)

    _run(tmp_path, github, scenario.workspace, head, scenario.base_sha, **{"CHECK-RUN": "true"})

    runs = github.check_runs()
    assert len(runs) == 1 and runs[0]["name"] == "Lambda Review" and runs[0]["conclusion"] == "failure"
    assert len(runs[0]["annotations"]) == 122
    posts = [r for r in github.requests if "/check-runs" in r.path]
    assert [r.method for r in posts] == ["POST", "PATCH", "PATCH"]
    assert [len(r.json["output"]["annotations"]) for r in posts] == [50, 50, 22]


def test_baseline_findings_count_as_pre_existing(tmp_path):
    import io

    from reviewer.cli import main

    scenario = build_scenario(tmp_path, padding_files=0)
    out = io.StringIO()
    assert main(["baseline", str(scenario.workspace), "--reference-date", "2026-11-22"], stdout=out) == 0
    assert "3 findings written" in out.getvalue()
    code = main(["scan", str(scenario.workspace), "--reference-date", "2026-11-22",
                 "--baseline", ".lambda-review-baseline.json"], stdout=io.StringIO())
    assert code == 0
    assert main(["scan", str(scenario.workspace), "--reference-date", "2026-11-22"], stdout=io.StringIO()) == 1


def test_a_multi_line_finding_spans_start_line_to_line_inside_one_hunk_only():
    from reviewer.config import Settings
    from reviewer.findings import Finding, Severity
    from reviewer.review.diff import file_diff_from_github_patch, DiffMap
    from reviewer.review.plan import plan_review

    patch = "@@ -1,3 +1,5 @@\n a\n+b\n+c\n d\n e\n@@ -20,2 +22,3 @@\n x\n+y\n z"
    diff = DiffMap({"t.yaml": file_diff_from_github_patch("t.yaml", patch)})

    def finding(line: int, end: int, evidence: str) -> Finding:
        return Finding("LR101", Severity.ERROR, "t", "m", "t.yaml", line, end_line=end, evidence=evidence)

    inside, across = finding(2, 4, "inside"), finding(4, 23, "across")
    plan = plan_review([inside, across], Settings(), diff, base_fingerprints=set())
    placements = {c.finding.evidence: (c.start_line, c.line) for c in plan.inline}
    assert placements == {"inside": (2, 4), "across": (None, 4)}


def test_notices_stay_in_the_summary_unless_inline_severity_says_otherwise():
    from dataclasses import replace

    from reviewer.config import Settings
    from reviewer.findings import Finding, Severity
    from reviewer.review.diff import DiffMap, file_diff_from_github_patch
    from reviewer.review.plan import plan_review

    diff = DiffMap({"t.yaml": file_diff_from_github_patch("t.yaml", "@@ -1,1 +1,2 @@\n a\n+b")})
    notice = Finding("LR400", Severity.NOTICE, "t", "m", "t.yaml", 2, evidence="n")
    warning = Finding("LR100", Severity.WARNING, "t", "m", "t.yaml", 2, evidence="w")
    default = plan_review([notice, warning], Settings(), diff, base_fingerprints=set())
    chatty = plan_review([notice, warning], replace(Settings(), inline_severity="notice"), diff, base_fingerprints=set())
    assert [c.finding.rule_id for c in default.inline] == ["LR100"]
    assert [c.finding.rule_id for c in chatty.inline] == ["LR100", "LR400"]
    assert notice in default.not_inline


def test_without_the_head_commit_nothing_is_commented_inline(tmp_path, github, pr):
    # The clone holds only the base: the analysed lines are not the pull request's lines.
    base_only = tmp_path / "base-only"
    git(tmp_path, "clone", "-q", f"file://{pr.workspace}", str(base_only))
    git(base_only, "reset", "-q", "--hard", pr.base_sha)
    git(base_only, "reflog", "expire", "--expire=now", "--all")
    git(base_only, "remote", "remove", "origin")
    git(base_only, "gc", "-q", "--prune=now")
    run = _run(tmp_path, github, base_only, pr.head_sha, pr.base_sha)

    assert github.review_comments(REPOSITORY, PR_NUMBER) == []
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "nothing was commented inline" in summary
    assert run.exit_code in (0, 1)


def test_a_pull_request_cannot_relax_its_own_review_through_the_settings_file(tmp_path, github, pr):
    # The change switches the blocked-runtime rule off and accepts its own findings in a baseline.
    (pr.workspace / ".lambda-review.yml").write_text(
        "severity:\n  LR400: off\n  LR101: off\nbaseline: accepted.json\n")
    (pr.workspace / "accepted.json").write_text(json.dumps({"version": 1, "findings": []}))
    git(pr.workspace, "add", "-A")
    git(pr.workspace, "commit", "-q", "-m", "relax")
    head = git(pr.workspace, "rev-parse", "HEAD").strip()
    _register(github, pr.workspace, pr.base_sha, head)

    run = _run(tmp_path, github, pr.workspace, head, pr.base_sha)

    assert run.exit_code == 1, run.stdout + run.stderr
    assert any("LR101" in c["body"] for c in github.review_comments(REPOSITORY, PR_NUMBER))
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "changes .lambda\\-review.yml" in summary or "changes .lambda-review.yml" in summary
    assert "applies once merged" in summary


def test_the_base_commits_settings_apply_to_the_pull_request(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    (scenario.workspace / ".lambda-review.yml").write_text("severity:\n  LR400: off\n  LR101: warning\n")
    git(scenario.workspace, "commit", "-q", "-am", "settings on main")
    base = git(scenario.workspace, "rev-parse", "HEAD").strip()
    (scenario.workspace / "extra.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Old:\n    Type: AWS::Lambda::Function\n"
        "    Properties: {Runtime: python3.6}\n")
    git(scenario.workspace, "add", "-A")
    git(scenario.workspace, "commit", "-q", "-m", "add old function")
    head = git(scenario.workspace, "rev-parse", "HEAD").strip()
    _register(github, scenario.workspace, base, head)

    run = _run(tmp_path, github, scenario.workspace, head, base)

    # LR101 is a warning by the base's settings, so fail-on: error does not fail.
    assert run.exit_code == 0, run.stdout
    assert "changes .lambda" not in github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]


def test_the_copies_of_the_base_s_settings_are_removed_when_the_run_ends(tmp_path, github):
    scenario = build_scenario(tmp_path, padding_files=0)
    (scenario.workspace / ".lambda-review.yml").write_text("severity:\n  LR401: off\n")
    git(scenario.workspace, "add", "-A")
    git(scenario.workspace, "commit", "-q", "-m", "settings on main")
    base = git(scenario.workspace, "rev-parse", "HEAD").strip()
    (scenario.workspace / "extra.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  New:\n    Type: AWS::Lambda::Function\n"
        "    Properties: {Runtime: python3.12}\n")
    git(scenario.workspace, "add", "-A")
    git(scenario.workspace, "commit", "-q", "-m", "add a function")
    head = git(scenario.workspace, "rev-parse", "HEAD").strip()
    _register(github, scenario.workspace, base, head)
    temporary = tmp_path / "runner-tmp"
    temporary.mkdir()

    run = _run(tmp_path, github, scenario.workspace, head, base, env={"TMPDIR": str(temporary)})

    assert run.exit_code == 0, run.stdout + run.stderr
    # a self-hosted runner keeps its temporary folder between jobs
    assert not list(temporary.glob("lambda-review-settings-*"))


def test_a_pull_request_cannot_skip_bandit_tests_for_itself(tmp_path, github, pr):
    (pr.workspace / ".bandit").write_text("[bandit]\nskips: B602,B404,B603\n")
    (pr.workspace / "src" / "api" / "app.py").write_text(
        "import subprocess\n\n\ndef handler(event, context):\n"
        "    return subprocess.call(event['cmd'], shell=True)\n")
    git(pr.workspace, "add", "-A")
    git(pr.workspace, "commit", "-q", "-m", "skip bandit")
    head = git(pr.workspace, "rev-parse", "HEAD").strip()
    _register(github, pr.workspace, pr.base_sha, head)

    _run(tmp_path, github, pr.workspace, head, pr.base_sha)

    bodies = [c["body"] for c in github.review_comments(REPOSITORY, PR_NUMBER) if c["path"] == "src/api/app.py"]
    assert any("bandit/B602" in body for body in bodies), bodies
