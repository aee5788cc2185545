"""Posting to a pull request through PyGithub: one review of inline comments, one summary comment.

Writes are never retried blindly (a retried POST after a 5xx can duplicate a review), reads
are. Re-runs recognise our own comments by a hidden marker at the very start of the body and by
author, so a person's comment is never edited and content quoted from the diff cannot pose as
ours. A 403 on a write means a read-only token (fork pull requests): the caller falls back to
the job summary and annotations, and the exit status still gates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from github import Auth, Github, GithubException, GithubRetry
from github.PullRequest import PullRequest

from reviewer import markdown
from reviewer.publish.render import INLINE_MARKER_PREFIX, SUMMARY_MARKER, render
from reviewer.review.diff import DiffMap, file_diff_from_github_patch
from reviewer.review.plan import ReviewPlan
from reviewer.review.summary import SummaryFacts

log = logging.getLogger("lambda-review")

COMMENT_LIMIT = 65_536
_SAFE_BODY_LIMIT = 60_000
ACTIONS_BOT_LOGIN = "github-actions[bot]"


@dataclass
class PublishResult:
    inline_posted: int = 0
    inline_already_present: int = 0
    summary: str = "none"          # "created" | "updated" | "none"
    read_only: bool = False
    errors: list[str] = field(default_factory=list)


class ReadOnlyToken(Exception):
    """GitHub answered 403 to a write: the token may not comment on this pull request."""


def connect(api_url: str, token: str) -> Github:
    """A client for github.com or GitHub Enterprise Server; only reads are retried."""
    retry = GithubRetry(total=3, allowed_methods=frozenset({"GET", "HEAD"}))
    return Github(base_url=api_url.rstrip("/"), auth=Auth.Token(token), retry=retry, lazy=True, timeout=30)


class PullRequestPublisher:
    def __init__(self, client: Github, repository: str, number: int) -> None:
        self.client = client
        self.repo = client.get_repo(repository)
        self.pull: PullRequest = self.repo.get_pull(number)
        self._login: str | None = None

    def changed_files(self) -> DiffMap:
        """Commentable lines of every file of the pull request (all pages)."""
        diff = DiffMap()
        for changed in self.pull.get_files():
            if changed.status == "removed":
                continue
            diff.files[changed.filename] = file_diff_from_github_patch(changed.filename, changed.patch)
        return diff

    def own_login(self) -> str:
        """Who we post as: the token's user, or GitHub Actions' bot for the workflow token."""
        if self._login is None:
            try:
                self._login = self.client.get_user().login
            except GithubException as exc:
                if exc.status not in (401, 403, 404):
                    raise
                self._login = ACTIONS_BOT_LOGIN
        return self._login

    def _ours(self, body: str | None, author: Any, marker: str) -> bool:
        return bool(body) and body.startswith(marker) and getattr(author, "login", None) == self.own_login()

    def existing_inline_fingerprints(self) -> set[str]:
        fingerprints = set()
        for comment in self.pull.get_review_comments():
            if self._ours(comment.body, comment.user, INLINE_MARKER_PREFIX):
                fingerprints.add(comment.body[len(INLINE_MARKER_PREFIX):].split(" ", 1)[0])
        return fingerprints

    def publish(self, plan: ReviewPlan, facts: SummaryFacts, head_sha: str, diff: DiffMap) -> PublishResult:
        result = PublishResult()
        try:
            self._post_review(plan, head_sha, diff, result)
            self._upsert_summary(render("summary.md.j2", facts=facts), result)
        except ReadOnlyToken as exc:
            result.read_only = True
            result.errors.append(str(exc))
        return result

    def _post_review(self, plan: ReviewPlan, head_sha: str, diff: DiffMap, result: PublishResult) -> None:
        present = self.existing_inline_fingerprints() if plan.inline else set()
        comments = []
        for inline in plan.inline:
            if inline.finding.fingerprint in present:
                result.inline_already_present += 1
                continue
            file_diff = diff.get(inline.finding.path)
            if file_diff is None or not file_diff.can_comment(inline.line, inline.start_line):
                continue  # the plan was made on this diff; this guards against a stale plan
            body = markdown.truncate(render("inline_comment.md.j2", finding=inline.finding), _SAFE_BODY_LIMIT,
                                     "_This comment was cut to fit GitHub's limit; the summary has the rest._")
            comment: dict[str, Any] = {"path": inline.finding.path, "line": inline.line, "side": "RIGHT", "body": body}
            if inline.start_line is not None:
                comment.update(start_line=inline.start_line, start_side="RIGHT")
            comments.append(comment)
        if not comments:
            return
        body = (f"Lambda Review has {len(comments)} new finding(s) on lines this pull request changes. "
                "The summary comment lists every finding.")
        try:
            self.pull.create_review(commit=self.repo.get_commit(head_sha), body=body, event="COMMENT",
                                    comments=comments)  # type: ignore[arg-type]
        except GithubException as exc:
            self._raise_if_read_only(exc)
            result.errors.append(f"GitHub rejected the review ({exc.status}): {_message(exc)}; "
                                 "its findings are listed in the summary instead")
            return
        result.inline_posted = len(comments)

    def _upsert_summary(self, body: str, result: PublishResult) -> None:
        body = markdown.truncate(body, _SAFE_BODY_LIMIT,
                                 "_The summary was cut to fit GitHub's 65,536-character limit; the job summary "
                                 "and the SARIF file list every finding._")
        existing = next((comment for comment in self.pull.get_issue_comments()
                         if self._ours(comment.body, comment.user, SUMMARY_MARKER)), None)
        try:
            if existing is None:
                self.pull.create_issue_comment(body)
                result.summary = "created"
            elif existing.body != body:
                existing.edit(body)
                result.summary = "updated"
            else:
                result.summary = "unchanged"
        except GithubException as exc:
            self._raise_if_read_only(exc)
            result.errors.append(f"the summary comment could not be written ({exc.status}): {_message(exc)}")

    @staticmethod
    def _raise_if_read_only(exc: GithubException) -> None:
        if exc.status == 403 and "rate limit" not in _message(exc).lower():
            raise ReadOnlyToken(
                "the token may not write to this pull request (403: " + _message(exc) + "). Give the job "
                "`permissions: pull-requests: write`; for pull requests from forks, GitHub only grants a "
                "read-only token, so results are in the job summary and annotations (see the README's "
                "fork section)."
            ) from exc


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    return str(data.get("message") or "no message")
