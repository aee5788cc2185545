"""A pull request that closes a loop by changing one template line: the action comments on that
line (the loop's primary location is the write in handler code, which the change did not touch),
and the summary draws the loop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, Scenario, git, run_action, write_event

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "recursion" / "sam-s3-loops"
TOKEN = "ghs_recursionTokenNeverPrinted0123456789"
SAFE = "          OUTPUT_BUCKET: !Ref ArchiveBucket"
LOOP = "          OUTPUT_BUCKET: !Ref PhotosBucket"


@pytest.fixture
def github():
    with GitHubStandIn() as standin:
        standin.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        yield standin


def _loop_introduced(root: Path) -> Scenario:
    workspace = root / "workspace"
    shutil.copytree(FIXTURE, workspace)
    template = workspace / "template.yaml"
    template.write_text(template.read_text().replace(LOOP, SAFE))
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base_sha = git(workspace, "rev-parse", "HEAD").strip()
    template.write_text(template.read_text().replace(SAFE, LOOP))
    git(workspace, "commit", "-q", "-am", "keep thumbnails next to the photos")
    head_sha = git(workspace, "rev-parse", "HEAD").strip()
    full = git(workspace, "diff", base_sha, head_sha, "--", "template.yaml")
    files = [{"filename": "template.yaml", "status": "modified", "patch": full[full.index("@@"):].rstrip("\n")}]
    return Scenario(workspace, base_sha, head_sha, files)


def test_a_loop_introduced_in_the_template_is_commented_on_the_changed_template_line(tmp_path, github):
    scenario = _loop_introduced(tmp_path)
    github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=scenario.head_sha, base_sha=scenario.base_sha,
                            files=scenario.files)
    run = run_action(tmp_path, scenario.workspace, event_name="pull_request",
                     event_path=write_event(tmp_path, scenario), api_url=github.api_url, token=TOKEN)

    assert run.exit_code == 1, run.stdout + run.stderr
    comments = github.review_comments(REPOSITORY, PR_NUMBER)
    loop_comments = [c for c in comments if "LR201" in c["body"]]
    assert [(c["path"], c["line"]) for c in loop_comments] == [("template.yaml", 27)]
    assert "ThumbnailFunction" in loop_comments[0]["body"]
    summary = github.issue_comments(REPOSITORY, PR_NUMBER)[0]["body"]
    assert "### Recursion loops" in summary and "```mermaid" in summary
    assert 'n0[("S3 bucket PhotosBucket")]' in summary
    assert "```mermaid" in run.job_summary
