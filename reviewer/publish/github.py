"""Posting to a pull request through PyGithub: one review of inline comments, one summary comment.

Re-runs recognise our own comments by a hidden marker at the very start of the body and by
author, so a person's comment is never edited and content quoted from the diff cannot pose as
ours. Reads are retried by PyGithub; writes go through `WriteRetry`, which honours `Retry-After`
and the rate-limit reset and, after a 5xx on a create, first checks whether the write landed.
A 403 on a write means a read-only token (fork pull requests): the caller falls back to the job
summary and annotations, and the exit status still gates.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TypeVar, overload

from github import Auth, Github, GithubException, GithubRetry
from github.PullRequest import PullRequest, ReviewComment

from reviewer import markdown
from reviewer.model import Finding
from reviewer.publish.render import INLINE_MARKER_PREFIX, SUMMARY_MARKER, render, render_bounded, safe_link
from reviewer.publish.retry import WriteRetry, is_rate_limited
from reviewer.review.diff import DiffMap, file_diff_from_github_patch
from reviewer.review.plan import ReviewPlan
from reviewer.review.summary import RunChanges, SummaryFacts

log = logging.getLogger("lambda-review")

COMMENT_LIMIT = 65_536
_SAFE_BODY_LIMIT = 60_000
ACTIONS_BOT_LOGIN = "github-actions[bot]"
STATE_MARKER_PREFIX = "<!-- lambda-review:state "
RESOLVED_MARKER_PREFIX = "<!-- lambda-review:resolved fp="
_FINGERPRINT = re.compile(r"^[0-9a-f]{20}$")
# The state rides inside the summary comment (65,536 characters in all): the most severe
# findings are tracked for "fixed since the previous run"; beyond that only counts are exact.
_MAX_STATE_ENTRIES = 300
CHECK_RUN_NAME = "Lambda Review"
_ANNOTATION_BATCH = 50
_MAX_CHECK_ANNOTATIONS = 1000

T = TypeVar("T")


@dataclass
class PublishResult:
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


@dataclass
class PreviousRun:
    """What our last summary comment recorded: findings by fingerprint, comments already resolved."""

    findings: dict[str, str] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)


def connect(api_url: str, token: str) -> Github:
    """A client for github.com or GitHub Enterprise Server; PyGithub retries reads only."""
    retry = GithubRetry(total=3, allowed_methods=frozenset({"GET", "HEAD"}))
    return Github(base_url=api_url.rstrip("/"), auth=Auth.Token(token), retry=retry, lazy=True, timeout=30)


def encode_state(findings: Iterable[Finding], resolved: set[str]) -> str:
    """Hidden run state for the next run; base64 so no repository text can close the comment."""
    labels = {f.fingerprint: f"{f.rule_id} {f.path}:{f.line}" for f in list(findings)[:_MAX_STATE_ENTRIES]}
    payload = json.dumps({"v": 1, "findings": labels, "resolved": sorted(resolved)[:_MAX_STATE_ENTRIES]},
                         separators=(",", ":"))
    return f"{STATE_MARKER_PREFIX}{base64.b64encode(payload.encode()).decode()} -->"


def decode_state(body: str) -> PreviousRun | None:
    """The state line of one of our summaries; anything malformed counts as no state."""
    match = re.search(re.escape(STATE_MARKER_PREFIX) + r"([A-Za-z0-9+/=]{1,2000000}) -->", body)
    if match is None:
        return None
    try:
        data = json.loads(base64.b64decode(match.group(1), validate=True))
        findings = {str(k): str(v)[:300] for k, v in dict(data.get("findings", {})).items() if _FINGERPRINT.match(str(k))}
        resolved = {str(fp) for fp in data.get("resolved", []) if _FINGERPRINT.match(str(fp))}
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return None
    return PreviousRun(findings, resolved)


class PullRequestPublisher:
    def __init__(self, client: Github, repository: str, number: int, retry: WriteRetry | None = None) -> None:
        self.client = client
        self.repo = client.get_repo(repository)
        self.pull: PullRequest = self.repo.get_pull(number)
        self.retry = retry or WriteRetry()
        self._login: str | None = None

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

    def publish(self, plan: ReviewPlan, facts: SummaryFacts, head_sha: str, diff: DiffMap,
                check_run: bool = False) -> PublishResult:
        result = PublishResult()
        try:
            summary = self._our_summary()
            previous = decode_state(summary.body) if summary is not None else None
            previous = previous or PreviousRun()
            inline = self._our_inline_comments()
            current = {finding.fingerprint for finding in plan.findings}
            live = {fp for fp in inline if fp not in previous.resolved}
            self._post_review(plan, head_sha, diff, live, result)
            if plan.inline:
                facts.inline_links = self._inline_links(plan, inline if not result.inline_posted else None)
            resolved = self._resolve_fixed(inline, live - current, head_sha, result)
            still_resolved = (previous.resolved | resolved) - current
            if summary is not None and previous.findings:
                facts.since_previous = RunChanges(
                    fixed=sorted(label for fp, label in previous.findings.items() if fp not in current),
                    new=sorted(f"{f.rule_id} {f.path}:{f.line}" for f in plan.findings
                               if f.fingerprint not in previous.findings),
                )
            body = render_bounded("summary.md.j2", _SAFE_BODY_LIMIT, facts=facts,
                                  state=encode_state(plan.findings, still_resolved))
            self._upsert_summary(summary, body, result)
            if check_run:
                self._create_check_run(plan, facts, head_sha, result)
        except ReadOnlyToken as exc:
            result.read_only = True
            result.errors.append(str(exc))
        return result

    def _post_review(self, plan: ReviewPlan, head_sha: str, diff: DiffMap, present: set[str],
                     result: PublishResult) -> None:
        comments: list[ReviewComment] = []
        for inline in plan.inline:
            if inline.finding.fingerprint in present:
                result.inline_already_present += 1
                continue
            file_diff = diff.get(inline.path)
            if file_diff is None or not file_diff.can_comment(inline.line, inline.start_line):
                continue  # the plan was made on this diff; this guards against a stale plan
            body = markdown.truncate(render("inline_comment.md.j2", finding=inline.finding), _SAFE_BODY_LIMIT,
                                     "_This comment was cut to fit GitHub's limit; the summary has the rest._")
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
            review = self._write(lambda: self.pull.create_review(commit=self.repo.get_commit(head_sha), body=body,
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

    def _resolve_fixed(self, inline: dict[str, Any], fixed: set[str], head_sha: str, result: PublishResult) -> set[str]:
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
                reply = (f"{RESOLVED_MARKER_PREFIX}{fingerprint} -->\n"
                         f"Resolved in {head_sha[:12]}: this finding is no longer reported.")
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

    def _create_check_run(self, plan: ReviewPlan, facts: SummaryFacts, head_sha: str, result: PublishResult) -> None:
        """A named check with the new findings as annotations (50 per request) and a conclusion."""
        conclusion = "failure" if plan.failed else ("neutral" if plan.new else "success")
        annotations = [_annotation(finding) for finding in plan.new[:_MAX_CHECK_ANNOTATIONS]]
        summary = render_bounded("job_summary.md.j2", 65_000, facts=facts)
        title = f"{len(plan.new)} new finding(s), {len(plan.failing)} at or above {facts.fail_on}"
        batches = [annotations[i:i + _ANNOTATION_BATCH] for i in range(0, len(annotations), _ANNOTATION_BATCH)] or [[]]
        try:
            run = self._write(lambda: self.repo.create_check_run(
                name=CHECK_RUN_NAME, head_sha=head_sha, status="completed", conclusion=conclusion,
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


def _annotation(finding: Finding) -> dict[str, Any]:
    level = {"error": "failure", "warning": "warning", "notice": "notice"}[finding.severity.value]
    plain = markdown.plain(finding.message)
    return {"path": finding.path, "start_line": finding.line, "end_line": finding.last_line,
            "annotation_level": level, "title": f"{finding.rule_id} {finding.title}"[:255], "message": plain[:60_000]}


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    return str(data.get("message") or "no message")
