"""The action with `source: account`: review what is deployed, for `schedule` and `workflow_dispatch`.

Results go to the job summary (runtimes by family and region, then the findings), the SARIF
file (logical locations: a deployed function has no file, so no annotations are written), the
step outputs and, with `tracking-issue: true`, one issue edited in place on every run. The
workspace, when it declares functions, adds the comparison of declared and deployed runtimes.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from reviewer.account.command import AccountRequest
from reviewer.config import Settings

if TYPE_CHECKING:
    from reviewer.account.command import AccountRun


def words(value: str) -> list[str]:
    """Regions or role ARNs as an input gives them: separated by spaces, commas or new lines."""
    return [word for word in re.split(r"[\s,]+", value) if word]


@dataclass
class AccountActionResult:
    """What an account review run by the action hands back: its exit code, its outputs, the API calls it
    made and its tracking issue."""

    exit_code: int
    outputs: dict[str, str]
    api_calls: str
    tracking_issue: str


def run_account_source(workspace: Path, token: str, settings: Settings, request: AccountRequest, tracking: bool,
                       stdout: TextIO, stderr: TextIO) -> AccountActionResult:
    from reviewer.account.command import declared_and_older, review_account
    from reviewer.account.report import (
        render_account,
        summary_markdown,
        tracking_issue_body,
    )
    from reviewer.publish import actions

    if not request.regions:
        request.regions = words(os.environ.get("AWS_REGION", ""))
    run = review_account(request, settings, stderr)
    tie_in = declared_and_older(workspace, run, settings) if any(workspace.iterdir()) else []
    summary = summary_markdown(run.review, run.facts, settings, tie_in=tie_in)
    limit = actions.JOB_SUMMARY_LIMIT // 4
    if len(summary) > limit:
        low, high = 0, len(run.facts.plan.findings)
        while low < high:
            middle = (low + high + 1) // 2
            if len(summary_markdown(run.review, run.facts, settings, middle, tie_in)) <= limit:
                low = middle
            else:
                high = middle - 1
        summary = summary_markdown(run.review, run.facts, settings, low, tie_in)
    actions.write_job_summary(summary, actions.step_summary_path())
    sarif_input = os.environ.get("INPUT_SARIF-FILE", "").strip() or "lambda-review.sarif"
    sarif_path = Path(sarif_input) if Path(sarif_input).is_absolute() else workspace / sarif_input
    actions.write_file(sarif_path, render_account(run.review, run.facts, settings, "sarif"))
    # No annotations: a deployed function has no file and line to attach them to.
    actions.write_untrusted(render_account(run.review, run.facts, settings, "text"), stdout)
    outputs = {
        "findings": str(len(run.facts.plan.findings)), "new-findings": str(len(run.facts.plan.new)),
        "errors": str(run.facts.counts.get("error", 0)), "sarif-file": sarif_input,
        "conclusion": run.facts.plan.conclusion,
    }
    issue = _tracking(run, settings, token, stdout, tracking_issue_body) if tracking else ""
    return AccountActionResult(1 if run.facts.plan.failed else 0, outputs,
                               json.dumps(run.review.calls.to_json(len(run.review.functions))), issue)


def _tracking(run: AccountRun, settings: Settings, token: str, stdout: TextIO,
              body_of: Callable[..., str]) -> str:
    from github import GithubException

    from reviewer.account.tracking import publish_tracking_issue
    from reviewer.publish import actions

    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if not token or not repository:
        stdout.write("::warning title=Lambda Review tracking issue::no github-token or GITHUB_REPOSITORY\n")
        return ""
    try:
        result = publish_tracking_issue(os.environ.get("GITHUB_API_URL") or "https://api.github.com", token,
                                        repository, body_of(run.review, run.facts, settings))
    except GithubException as exc:
        stdout.write("::warning title=Lambda Review tracking issue::"
                     f"{actions._escape_data(f'the issue could not be written ({exc.status}); it needs issues: write')}\n")
        return ""
    stdout.write(f"Tracking issue #{result.number} {result.action}.\n")
    return str(result.number)
