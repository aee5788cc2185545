"""The real entrypoint on a pull request that adds plain secrets: nothing it sends or writes repeats them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, Scenario, git, run_action, write_event
from test_guardrails import FIXTURES, SECRET_VALUES

TOKEN = "ghs_guardrailsTokenThatMustNeverLeak01234"


def _pull_request_adding(fixture: str, root: Path) -> Scenario:
    workspace = root / "workspace"
    workspace.mkdir()
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.md").write_text("orders back office\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    shutil.copytree(FIXTURES / fixture, workspace, dirs_exist_ok=True)
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "head")
    head = git(workspace, "rev-parse", "HEAD").strip()
    files = []
    for row in git(workspace, "diff", "--name-status", base, head).splitlines():
        status, name = row.split("\t")
        full = git(workspace, "diff", base, head, "--", name)
        files.append({"filename": name, "status": "added" if status == "A" else "modified",
                      "patch": full[full.index("@@"):].rstrip("\n")})
    return Scenario(workspace, base, head, files)


def test_action_review_of_plain_secrets_never_repeats_them(tmp_path):
    built = _pull_request_adding("sam-app", tmp_path)
    with GitHubStandIn() as github:
        github.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=built.head_sha, base_sha=built.base_sha,
                                files=built.files)
        run = run_action(tmp_path, built.workspace, event_name="pull_request",
                         event_path=write_event(tmp_path, built), api_url=github.api_url, token=TOKEN)
        sent = json.dumps([request.json for request in github.requests])
        # Comment bodies only: GitHub itself adds the `diff_hunk` of the line a comment is on.
        posted = json.dumps([comment["body"] for comment in [*github.review_comments(REPOSITORY, PR_NUMBER),
                                                             *github.issue_comments(REPOSITORY, PR_NUMBER)]])

    assert run.exit_code == 1, run.stdout + run.stderr
    assert "LR304" in posted  # the secrets were reported...
    sarif = (built.workspace / "lambda-review.sarif").read_text()
    for secret in SECRET_VALUES[:4]:  # ...but none of the values reached GitHub, the logs or the files
        for where, text in (("requests", sent), ("comments", posted), ("sarif", sarif),
                            ("job summary", run.job_summary), ("outputs", json.dumps(run.outputs)),
                            ("stdout", run.stdout), ("stderr", run.stderr)):
            assert secret not in text, (secret, where)
