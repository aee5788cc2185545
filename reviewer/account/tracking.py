"""The optional tracking issue: created once, then edited in place on every scheduled run.

It is found by the hidden marker its body starts with, as the pull request summary comment is,
so renaming it or adding labels does not make the next run open a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.account.report import TRACKING_MARKER

TITLE = "Lambda runtimes due for an upgrade"
# GitHub's issue body limit is 65,536 characters.
MAX_BODY = 65_000


@dataclass(frozen=True)
class TrackingResult:
    """The tracking issue of an account review and what was done to it."""

    number: int
    action: str          # "created" | "updated" | "unchanged"


def publish_tracking_issue(api_url: str, token: str, repository: str, body: str) -> TrackingResult:
    from reviewer import markdown
    from reviewer.publish.github import connect

    body = markdown.truncate(body, MAX_BODY, "_Cut to fit GitHub's size limit; the job summary lists everything._")
    repo = connect(api_url, token).get_repo(repository, lazy=True)
    for issue in repo.get_issues(state="open"):
        # html_url comes with the listing; `pull_request` is absent on plain issues and asking for it
        # would fetch each issue again.
        if "/pull/" not in (issue.html_url or "") and (issue.body or "").startswith(TRACKING_MARKER):
            if issue.body == body:
                return TrackingResult(issue.number, "unchanged")
            issue.edit(body=body)
            return TrackingResult(issue.number, "updated")
    created = repo.create_issue(title=TITLE, body=body)
    return TrackingResult(created.number, "created")
