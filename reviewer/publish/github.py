"""Posting to a pull request through PyGithub: one review of inline comments, one summary comment.

Re-runs recognise our own comments by a hidden marker at the very start of the body and by
author, so a person's comment is never edited and content quoted from the diff cannot pose as
ours. Reads are retried by PyGithub; writes go through `WriteRetry`, which honours `Retry-After`
and the rate-limit reset and, after a 5xx on a create, first checks whether the write landed.
A 403 on a write means a read-only token (fork pull requests): the caller falls back to the job
summary and annotations, and the exit status still gates.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar, overload

from github import Auth, Github, GithubException, GithubRetry
from github.PullRequest import PullRequest, ReviewComment
from markupsafe import Markup

from reviewer import markdown
from reviewer.findings import Finding
from reviewer.publish.render import (INLINE_MARKER_PREFIX, SUMMARY_MARKER, render, render_bounded, render_text,
                                     safe_link)
from reviewer.publish.retry import WriteRetry, is_rate_limited
from reviewer.review.diff import DiffMap, file_diff_from_github_patch
from reviewer.review.plan import ReviewPlan

if TYPE_CHECKING:
    from reviewer.review.outcome import ReviewOutcome

log = logging.getLogger("lambda-review")

COMMENT_LIMIT = 65_536
_SAFE_BODY_LIMIT = 60_000
ACTIONS_BOT_LOGIN = "github-actions[bot]"
RESOLVED_MARKER_PREFIX = "<!-- lambda-review:resolved fp="
CHECK_RUN_NAME = "Lambda Review"
_ANNOTATION_BATCH = 50
_MAX_CHECK_ANNOTATIONS = 1000

T = TypeVar("T")


@dataclass
class PublishResult:
    """What posting a review did: comments posted, already there and resolved, the summary, the check run."""

    inline_posted: int = 0
    inline_already_present: int = 0
    resolved: int = 0
    summary: str = "none"          # "created" | "updated" | "unchanged" | "none"
    check_run: str = "none"
    read_only: bool = False
    errors: list[str] = field(default_factory=list)
    review_url: str = ""           # the review this run posted, if any
    summary_url: str = ""          # the summary comment, created, updated or unchanged


class ReadOnlyToken(Exception):
    """GitHub answered 403 to a write: the token may not comment on this pull request."""


def connect(api_url: str, token: str) -> Github:
    """A client for github.com or GitHub Enterprise Server; PyGithub retries reads only."""
    retry = GithubRetry(total=3, allowed_methods=frozenset({"GET", "HEAD"}))
    return Github(base_url=api_url.rstrip("/"), auth=Auth.Token(token), retry=retry, lazy=True, timeout=30)


class PullRequestPublisher:
    """The review of inline comments and the summary comment on one pull request (a `Publisher`).

    It also reads what the review needs from the pull request (its diff, its head commit).
    `commit` is the head commit the review was made on: the inline comments are placed on it.
    What it posted is in `result` once `publish` returns.
    """

    def __init__(self, client: Github, repository: str, number: int, commit: str = "",
                 retry: WriteRetry | None = None) -> None:
        self.client = client
        self.repo = client.get_repo(repository)
        self.pull: PullRequest = self.repo.get_pull(number)
        self.commit = commit
        self.retry = retry or WriteRetry()
        self._login: str | None = None
        self.result = PublishResult()

    # ------------------------------------------------------------------ reading

    def changed_files(self) -> DiffMap:
        """Commentable lines of every file of the pull request (all pages)."""
        diff = DiffMap()
        for changed in self.pull.get_files():
            if changed.status == "removed":
                diff.removed.add(changed.filename)
                continue
            if changed.status == "renamed" and changed.previous_filename:
                diff.removed.add(changed.previous_filename)
                diff.renamed[changed.previous_filename] = changed.filename
            diff.files[changed.filename] = file_diff_from_github_patch(changed.filename, changed.patch)
        return diff

    def head_sha(self) -> str:
        return str(self.pull.head.sha)

    def own_login(self) -> str:
        """Who we post as: the token's user, or GitHub Actions' bot for the workflow token.

        The workflow token may not read `/user`, so its 403 is the expected answer: PyGithub's
        retry logger is kept from reporting it as a failure in the log of every run.
        """
        if self._login is None:
            retry_log = logging.getLogger("github.GithubRetry")
            level = retry_log.level
            retry_log.setLevel(logging.WARNING)
            try:
                self._login = self.client.get_user().login
            except GithubException as exc:
                if exc.status not in (401, 403, 404):
                    raise
                self._login = ACTIONS_BOT_LOGIN
            finally:
                retry_log.setLevel(level)
        return self._login

    def _ours(self, body: str | None, author: Any, marker: str) -> bool:
        return bool(body) and str(body).startswith(marker) and getattr(author, "login", None) == self.own_login()

    def _our_inline_comments(self) -> dict[str, Any]:
        comments: dict[str, Any] = {}
        for comment in self.pull.get_review_comments():
            if self._ours(comment.body, comment.user, INLINE_MARKER_PREFIX):
                fingerprint = comment.body[len(INLINE_MARKER_PREFIX):].split(" ", 1)[0]
                comments.setdefault(fingerprint, comment)
        return comments

    def _our_summary(self) -> Any | None:
        return next((comment for comment in self.pull.get_issue_comments()
                     if self._ours(comment.body, comment.user, SUMMARY_MARKER)), None)

    # ------------------------------------------------------------------ publishing

    def publish(self, outcome: ReviewOutcome) -> None:
        """Post the planned inline comments once, resolve ours whose finding is gone, write the summary.

        What the previous run left (our summary comment, our inline comments) is read here and
        handed to review, which decides what to skip, what to resolve and what the summary says.
        """
        result = self.result = PublishResult()
        plan, facts = outcome.plan, outcome.facts
        try:
            summary = self._our_summary()
            inline = self._our_inline_comments()
            decided = outcome.since_previous(summary.body if summary is not None else None, set(inline))
            self._post_review(plan, outcome.diff or DiffMap(), decided.already_posted, result)
            if plan.inline:
                facts.inline_links = self._inline_links(plan, inline if not result.inline_posted else None)
            resolved = self._resolve_fixed(inline, decided.fixed, result)
            body = render_bounded("summary.md.j2", _SAFE_BODY_LIMIT, facts=facts,
                                  state=decided.state_after(plan.findings, resolved))
            self._upsert_summary(summary, body, result)
        except ReadOnlyToken as exc:
            result.read_only = True
            result.errors.append(str(exc))

    def _post_review(self, plan: ReviewPlan, diff: DiffMap, present: frozenset[str], result: PublishResult) -> None:
        comments: list[ReviewComment] = []
        for inline in plan.inline:
            if inline.finding.fingerprint in present:
                result.inline_already_present += 1
                continue
            file_diff = diff.get(inline.path)
            if file_diff is None or not file_diff.can_comment(inline.line, inline.start_line):
                continue  # the plan was made on this diff; this guards against a stale plan
            body = markdown.truncate(render("inline_comment.md.j2", finding=inline.finding), _SAFE_BODY_LIMIT,
                                     render("github_texts.md.j2", text="comment_cut").strip())
            comment: ReviewComment = {"path": inline.path, "line": inline.line, "side": "RIGHT", "body": body}
            if inline.start_line is not None:
                comment["start_line"] = inline.start_line
                comment["start_side"] = "RIGHT"
            comments.append(comment)
        if not comments:
            return
        body = render("review_body.md.j2", count=len(comments))
        posted = {c["body"][len(INLINE_MARKER_PREFIX):].split(" ", 1)[0] for c in comments}

        def landed() -> bool:
            return posted <= set(self._our_inline_comments())

        try:
            review = self._write(lambda: self.pull.create_review(commit=self.repo.get_commit(self.commit), body=body,
                                                                 event="COMMENT", comments=comments),
                                 landed=landed)
        except GithubException as exc:
            result.errors.append(f"GitHub rejected the review ({exc.status}): {_message(exc)}; "
                                 "its findings are listed in the summary instead")
            return
        result.inline_posted = len(comments)
        result.review_url = str(getattr(review, "html_url", "") or "")

    def _inline_links(self, plan: ReviewPlan, known: dict[str, Any] | None) -> dict[str, str]:
        """Fingerprint → web address of the inline comment showing it, for the summary's rows."""
        comments = known if known is not None else self._our_inline_comments()
        shown = plan.inline_fingerprints
        links = {}
        for fingerprint, comment in comments.items():
            url = safe_link(str(getattr(comment, "html_url", "") or ""))
            if fingerprint in shown and url:
                links[fingerprint] = url
        return links

    def _resolve_fixed(self, inline: dict[str, Any], fixed: frozenset[str], result: PublishResult) -> set[str]:
        """Minimize our comments whose finding is gone; where that is not allowed, reply once."""
        resolved = set()
        for fingerprint in sorted(fixed):
            comment = inline[fingerprint]
            try:
                self._write(functools.partial(
                    self.client.requester.graphql_named_mutation,
                    mutation_name="minimizeComment",
                    mutation_input={"subjectId": comment.node_id, "classifier": "OUTDATED"},
                    output_schema="minimizedComment { isMinimized }"))
            except GithubException:
                reply = render("github_texts.md.j2", text="resolved_reply",
                               marker=Markup(f"{RESOLVED_MARKER_PREFIX}{fingerprint} -->"),
                               commit=self.commit[:12]).strip()
                try:
                    self._write(functools.partial(
                        self.client.requester.requestJsonAndCheck,
                        "POST", f"{self.pull.url}/comments", input={"body": reply, "in_reply_to": comment.id}))
                except GithubException as exc:
                    result.errors.append(f"a fixed finding's comment could not be marked resolved ({exc.status})")
                    continue
            resolved.add(fingerprint)
        result.resolved = len(resolved)
        return resolved

    def _upsert_summary(self, existing: Any | None, body: str, result: PublishResult) -> None:
        try:
            if existing is None:
                existing = self._write(lambda: self.pull.create_issue_comment(body),
                                       landed=lambda: self._our_summary() is not None) or self._our_summary()
                result.summary = "created"
            elif existing.body != body:
                self._write(lambda: existing.edit(body))
                result.summary = "updated"
            else:
                result.summary = "unchanged"
            result.summary_url = str(getattr(existing, "html_url", "") or "")
        except GithubException as exc:
            result.errors.append(f"the summary comment could not be written ({exc.status}): {_message(exc)}")

    def create_check_run(self, outcome: ReviewOutcome, result: PublishResult) -> None:
        """A named check with the new findings as annotations (50 per request) and the outcome's conclusion."""
        plan, facts = outcome.plan, outcome.facts
        conclusion = outcome.conclusion
        annotations = [_annotation(finding) for finding in plan.new[:_MAX_CHECK_ANNOTATIONS]]
        summary = render_bounded("job_summary.md.j2", 65_000, facts=facts)
        title = render_text("check_run_title.txt.j2", new=len(plan.new), failing=len(plan.failing),
                            fail_on=facts.fail_on)
        batches = [annotations[i:i + _ANNOTATION_BATCH] for i in range(0, len(annotations), _ANNOTATION_BATCH)] or [[]]
        try:
            run = self._write(lambda: self.repo.create_check_run(
                name=CHECK_RUN_NAME, head_sha=self.commit, status="completed", conclusion=conclusion,
                output={"title": title, "summary": summary, "annotations": batches[0]}))
            for batch in batches[1:]:
                self._write(functools.partial(run.edit, output={"title": title, "summary": summary,
                                                                "annotations": batch}))
        except GithubException as exc:
            result.errors.append(f"the check run could not be written ({exc.status}): {_message(exc)}; "
                                 "give the job `permissions: checks: write`")
            return
        result.check_run = conclusion

    @overload
    def _write(self, action: Callable[[], T], landed: None = None) -> T: ...

    @overload
    def _write(self, action: Callable[[], T], landed: Callable[[], bool]) -> T | None: ...

    def _write(self, action: Callable[[], T], landed: Callable[[], bool] | None = None) -> T | None:
        try:
            return self.retry.run(action, landed)
        except GithubException as exc:
            if exc.status == 403 and not is_rate_limited(exc):
                raise ReadOnlyToken(
                    "the token may not write to this pull request (403: " + _message(exc) + "). Give the job "
                    "`permissions: pull-requests: write`; for pull requests from forks GitHub only grants a "
                    "read-only token: results are in the job summary and annotations, and docs/forks.md in "
                    "Lambda Review's repository shows the two-workflow pattern that posts them."
                ) from exc
            raise


class CheckRunPublisher:
    """A check run on the pull request's head commit (the `check-run` input), after its review.

    It posts with the pull request publisher's client and adds to its `result`; when that token
    turned out to be read-only, nothing more is tried.
    """

    def __init__(self, pull_request: PullRequestPublisher) -> None:
        self.pull_request = pull_request

    def publish(self, outcome: ReviewOutcome) -> None:
        result = self.pull_request.result
        if result.read_only:
            return
        try:
            self.pull_request.create_check_run(outcome, result)
        except ReadOnlyToken as exc:
            result.read_only = True
            result.errors.append(str(exc))


def _annotation(finding: Finding) -> dict[str, Any]:
    level = {"error": "failure", "warning": "warning", "notice": "notice"}[finding.severity.value]
    plain = markdown.plain(finding.message)
    return {"path": finding.path, "start_line": finding.line, "end_line": finding.last_line,
            "annotation_level": level, "title": f"{finding.rule_id} {finding.title}"[:255], "message": plain[:60_000]}


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    return str(data.get("message") or "no message")
