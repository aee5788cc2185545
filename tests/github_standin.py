"""Loopback stand-in for the parts of GitHub's REST API that Lambda Review uses.

Why this exists: unit tests with mocks only prove that the bot calls the
methods we *think* GitHub has.  This module is an HTTP server on 127.0.0.1 that
answers like GitHub does (status codes, error bodies, pagination ``Link``
headers, absolute URLs, rate-limit headers, all-or-nothing review validation),
so end-to-end tests can drive the real bot through real PyGithub pointed at
``GitHubStandIn.api_url`` and assert on what GitHub would have stored.

The facts it imitates are the sourced ones in
``/work/shared/reference/github-api.md``; where GitHub's exact wording is not
sourced the message is marked "unsourced" next to its constant.

Design choices, all deliberate:

* stdlib only (``http.server.ThreadingHTTPServer`` in a daemon thread), so the
  stand-in cannot share a bug with the libraries the bot uses;
* its own small hunk parser (no ``unidiff``), so it is an independent oracle
  for "which lines are commentable";
* one lock around all state, and every request handled under it, so
  concurrent clients see GitHub-like serialised writes;
* every URL it hands out is ``http://127.0.0.1:PORT/api/v3/...`` because
  PyGithub asserts that followed URLs stay on the configured host.
"""

from __future__ import annotations

import hashlib
import http
import http.server
import json
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

__all__ = [
    "DiffLine",
    "GitHubStandIn",
    "Hunk",
    "PatchIndex",
    "RecordedRequest",
    "parse_patch",
]

Json = dict[str, Any]

API_PREFIX = "/api/v3"
MAX_BODY_CHARS = 65536
MAX_PR_FILES = 3000
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

DOC_REST = "https://docs.github.com/rest"
DOC_GET_USER = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
DOC_CREATE_REVIEW = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
DOC_CREATE_REVIEW_COMMENT = (
    "https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request"
)
DOC_CREATE_ISSUE_COMMENT = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"
DOC_UPDATE_ISSUE_COMMENT = "https://docs.github.com/rest/issues/comments#update-an-issue-comment"
DOC_GET_COMMIT = "https://docs.github.com/rest/commits/commits#get-a-commit"
DOC_SECONDARY_RATE = (
    "https://docs.github.com/free-pro-team@latest/rest/overview/"
    "rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

# Sourced (reference §1): GitHub's answer to any review comment that cannot be
# anchored; it never says which entry was wrong.
MSG_THREAD_NOT_IN_DIFF = (
    "Pull request review thread line must be part of the diff, Pull request review thread "
    "start line must be part of the same hunk as the line., and Pull request review thread "
    "diff hunk can't be blank"
)
MSG_BODY_TOO_LONG = "Body is too long (maximum is 65536 characters)"  # sourced (§1)
MSG_ACTIONS_APPROVE = "GitHub Actions is not permitted to approve pull requests."  # sourced (§1)
MSG_ONE_PENDING = "User can only have one pending review per pull request"  # sourced (§1)
MSG_NOT_ACCESSIBLE = "Resource not accessible by integration"  # sourced (§4, §5)
MSG_SECONDARY_RATE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
MSG_OWN_APPROVE = "Can not approve your own pull request"  # 3rd-party reports (§1)
MSG_OWN_REQUEST_CHANGES = "Can not request changes on your own pull request"  # unsourced
MSG_REVIEW_BODY_BLANK = "Body can't be blank"  # unsourced wording; the 422 itself is documented
MSG_BAD_EVENT = "Unknown review event"  # unsourced wording
MSG_COMMIT_NOT_IN_PR = "Pull request review commit_id is not part of the pull request"  # unsourced

KNOWN_USER_IDS = {"github-actions[bot]": 41898282, "octocat": 583231}


# --------------------------------------------------------------------------
# Patch parsing: our own oracle for "which lines can carry a review comment".
# --------------------------------------------------------------------------

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$")


@dataclass(frozen=True)
class DiffLine:
    """One line of a per-file patch, numbered the way GitHub anchors comments.

    ``kind`` is "context", "added", "removed" or "marker" (the
    ``\\ No newline at end of file`` line, which has no file line number).
    ``position`` is GitHub's deprecated diff position: lines below the first
    ``@@`` of the file, counting later ``@@`` headers too.
    """

    kind: str
    text: str
    old_no: int | None
    new_no: int | None
    hunk: int
    position: int


@dataclass(frozen=True)
class Hunk:
    """A hunk with its header, kept so ``diff_hunk`` can be rebuilt like GitHub's."""

    index: int
    header: str
    position: int
    lines: tuple[DiffLine, ...]


@dataclass
class _HunkState:
    """Mutable counters while reading one hunk; the header's counts are checked."""

    index: int
    header: str
    position: int
    old_no: int
    new_no: int
    old_left: int
    new_left: int
    lines: list[DiffLine] = field(default_factory=list)

    def freeze(self) -> Hunk:
        """Refuse a hunk shorter than its header: unidiff (in the bot) refuses it too."""
        if self.old_left or self.new_left:
            raise ValueError(f"hunk {self.header!r} is shorter than its header says")
        return Hunk(self.index, self.header, self.position, tuple(self.lines))


def _start_hunk(match: re.Match[str], index: int, header: str, position: int) -> _HunkState:
    """Counts default to 1 when omitted, as in unified diff format."""
    old_start, old_count, new_start, new_count = match.group(1, 2, 3, 4)
    return _HunkState(
        index=index,
        header=header,
        position=position,
        old_no=int(old_start),
        new_no=int(new_start),
        old_left=1 if old_count is None else int(old_count),
        new_left=1 if new_count is None else int(new_count),
    )


def _read_hunk_line(state: _HunkState, raw: str, position: int) -> DiffLine:
    """Number one body line; a bare "" counts as context (whitespace-stripped patches)."""
    prefix = raw[:1]
    if prefix == "\\":
        return DiffLine("marker", raw, None, None, state.index, position)
    if prefix == "+" and state.new_left > 0:
        line = DiffLine("added", raw, None, state.new_no, state.index, position)
        state.new_no, state.new_left = state.new_no + 1, state.new_left - 1
        return line
    if prefix == "-" and state.old_left > 0:
        line = DiffLine("removed", raw, state.old_no, None, state.index, position)
        state.old_no, state.old_left = state.old_no + 1, state.old_left - 1
        return line
    if prefix in (" ", "") and state.old_left > 0 and state.new_left > 0:
        line = DiffLine("context", raw, state.old_no, state.new_no, state.index, position)
        state.old_no, state.new_no = state.old_no + 1, state.new_no + 1
        state.old_left, state.new_left = state.old_left - 1, state.new_left - 1
        return line
    raise ValueError(f"line {raw!r} does not fit hunk {state.header!r}")


def parse_patch(patch: str) -> list[Hunk]:
    """Parse GitHub's per-file ``patch`` (hunks only, no ``---``/``+++`` header).

    Raises ValueError on anything GitHub would never send, so a wrong test
    fixture fails loudly at ``add_pull_request`` instead of silently.
    """
    text = patch[:-1] if patch.endswith("\n") else patch
    hunks: list[Hunk] = []
    state: _HunkState | None = None
    for position, raw in enumerate(text.split("\n")):
        match = _HUNK_HEADER.match(raw)
        if match:
            if state is not None:
                hunks.append(state.freeze())
            state = _start_hunk(match, len(hunks), raw, position)
        elif state is None:
            raise ValueError(
                "a GitHub per-file patch starts with '@@' (no ---/+++ header); got " + repr(raw)
            )
        else:
            state.lines.append(_read_hunk_line(state, raw, position))
    if state is not None:
        hunks.append(state.freeze())
    return hunks


class PatchIndex:
    """Lookup tables over one file's hunks: by (side, line) and by position."""

    def __init__(self, patch: str) -> None:
        self.hunks = parse_patch(patch)
        self._right: dict[int, DiffLine] = {}
        self._left: dict[int, DiffLine] = {}
        self._by_position: dict[int, DiffLine] = {}
        for hunk in self.hunks:
            for line in hunk.lines:
                self._index(line)

    def _index(self, line: DiffLine) -> None:
        """RIGHT = added + context (new numbers); LEFT = removed + context (old numbers)."""
        if line.kind == "marker":
            return
        self._by_position[line.position] = line
        if line.new_no is not None:
            self._right[line.new_no] = line
        if line.old_no is not None:
            self._left[line.old_no] = line

    def line_at(self, side: str, line: int) -> DiffLine | None:
        """The diff line a (side, line) comment anchors to, or None if not commentable."""
        table = self._right if side == "RIGHT" else self._left if side == "LEFT" else {}
        return table.get(line)

    def at_position(self, position: int) -> DiffLine | None:
        """The diff line at a deprecated ``position``; hunk headers/markers are not lines."""
        return self._by_position.get(position)

    def commentable(self, side: str) -> set[int]:
        """All line numbers a comment on ``side`` may use (handy in test assertions)."""
        return set(self._right if side == "RIGHT" else self._left)

    def diff_hunk(self, line: DiffLine) -> str:
        """GitHub's ``diff_hunk``: the hunk header and its lines up to the commented one."""
        hunk = self.hunks[line.hunk]
        body = [item.text for item in hunk.lines if item.position <= line.position]
        return "\n".join([hunk.header, *body])

    def counts(self) -> tuple[int, int]:
        """(additions, deletions) as the files API reports them."""
        lines = [line for hunk in self.hunks for line in hunk.lines]
        return (
            sum(1 for line in lines if line.kind == "added"),
            sum(1 for line in lines if line.kind == "removed"),
        )


# --------------------------------------------------------------------------
# State records.  Stored "raw"; rendered to JSON on demand because the base
# URL is only known once the server has a port.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """What a client sent, for assertions (header names are lower-cased)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    token: str | None


@dataclass
class _Token:
    """A credential and what GitHub would let it do."""

    login: str
    user_type: str
    can_write: bool
    is_app: bool


@dataclass
class _PullRequest:
    """A PR and its files; patches are pre-parsed so bad fixtures fail early."""

    id: int
    repo: str
    number: int
    head_sha: str
    base_sha: str
    head_ref: str
    base_ref: str
    head_repo: str
    author: str
    title: str
    files: list[Json]
    patches: dict[str, PatchIndex | None]
    created_at: str


@dataclass
class _IssueComment:
    """A conversation comment on a PR (GitHub stores them on the issue)."""

    id: int
    repo: str
    number: int
    body: str
    login: str
    user_type: str
    created_at: str
    updated_at: str


@dataclass
class _Review:
    """A review; state is PENDING, COMMENTED, CHANGES_REQUESTED or APPROVED."""

    id: int
    repo: str
    number: int
    login: str
    user_type: str
    body: str
    state: str
    commit_id: str
    submitted_at: str | None


@dataclass
class _ReviewComment:
    """An inline comment; always belongs to a review, as on GitHub."""

    id: int
    review_id: int
    repo: str
    number: int
    path: str
    line: int | None
    side: str | None
    start_line: int | None
    start_side: str | None
    position: int | None
    diff_hunk: str
    body: str
    login: str
    user_type: str
    commit_id: str
    subject_type: str
    in_reply_to: int | None
    created_at: str
    updated_at: str


@dataclass
class _Failure:
    """A scripted answer from ``fail_next``."""

    method: str
    pattern: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: Json | None
    after_apply: bool
    times: int


@dataclass
class _Response:
    """Status, JSON body (None = empty) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    """Raised by handlers to short-circuit with a GitHub-shaped error."""

    def __init__(self, response: _Response) -> None:
        super().__init__(response.status)
        self.response = response


@dataclass
class _Call:
    """One routed request as the handlers see it."""

    method: str
    path: str
    full_path: str
    query: dict[str, str]
    body: Any
    token: _Token
    params: dict[str, str]


def _error(status: int, message: str, *, doc: str = DOC_REST, errors: Any = None) -> _ApiError:
    """GitHub's error shape: message, optional errors, documentation_url, status as string."""
    body: Json = {"message": message}
    if errors is not None:
        body["errors"] = errors
    body["documentation_url"] = doc
    body["status"] = str(status)
    return _ApiError(_Response(status, body))


def _not_found() -> _ApiError:
    return _error(404, "Not Found")


def _unprocessable(detail: str, doc: str = DOC_CREATE_REVIEW) -> _ApiError:
    """The review endpoints' 422 shape: a list of plain strings under ``errors``."""
    return _error(422, "Unprocessable Entity", doc=doc, errors=[detail])


def _body_too_long(resource: str, doc: str) -> _ApiError:
    """The issue-comment 422 shape (sourced: resource IssueComment, field data)."""
    error = {"resource": resource, "code": "custom", "field": "data", "message": MSG_BODY_TOO_LONG}
    return _error(422, "Validation Failed", doc=doc, errors=[error])


def _default_failure_body(status: int) -> Json:
    """What GitHub typically says for a scripted failure status."""
    if status in (403, 429):
        return {"message": MSG_SECONDARY_RATE, "documentation_url": DOC_SECONDARY_RATE}
    if status >= 500:
        return {"message": "Server Error"}
    try:
        return {"message": http.HTTPStatus(status).phrase}
    except ValueError:
        return {"message": "Error"}


def _is_int(value: Any) -> bool:
    """JSON ints only; bool is an int subclass in Python but not in GitHub's schema."""
    return isinstance(value, int) and not isinstance(value, bool)


def _repo_key(repo: str) -> str:
    """GitHub treats owner/name case-insensitively."""
    return repo.lower()


_REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_ROUTE_TABLE: list[tuple[str, str, str]] = [
    ("GET", r"/user", "_get_user"),
    ("GET", r"/rate_limit", "_get_rate_limit"),
    ("GET", _REPO, "_get_repo"),
    ("GET", _REPO + r"/commits/(?P<sha>[^/]+)", "_get_commit"),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)", "_get_pull"),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)/files", "_list_files"),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)/comments", "_list_review_comments"),
    ("POST", _REPO + r"/pulls/(?P<number>\d+)/comments", "_create_review_comment"),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)/reviews", "_list_reviews"),
    ("POST", _REPO + r"/pulls/(?P<number>\d+)/reviews", "_create_review"),
    ("GET", _REPO + r"/pulls/comments/(?P<id>\d+)", "_get_review_comment"),
    ("PATCH", _REPO + r"/pulls/comments/(?P<id>\d+)", "_edit_review_comment"),
    ("DELETE", _REPO + r"/pulls/comments/(?P<id>\d+)", "_delete_review_comment"),
    ("GET", _REPO + r"/issues/(?P<number>\d+)", "_get_issue"),
    ("GET", _REPO + r"/issues/(?P<number>\d+)/comments", "_list_issue_comments"),
    ("POST", _REPO + r"/issues/(?P<number>\d+)/comments", "_create_issue_comment"),
    ("GET", _REPO + r"/issues/comments/(?P<id>\d+)", "_get_issue_comment"),
    ("PATCH", _REPO + r"/issues/comments/(?P<id>\d+)", "_edit_issue_comment"),
    ("DELETE", _REPO + r"/issues/comments/(?P<id>\d+)", "_delete_issue_comment"),
    ("GET", _REPO + r"/issues", "_list_plain_issues"),
    ("POST", _REPO + r"/issues", "_create_plain_issue"),
    ("PATCH", _REPO + r"/issues/(?P<number>\d+)", "_edit_plain_issue"),
    ("POST", _REPO + r"/check-runs", "_create_check_run"),
    ("PATCH", _REPO + r"/check-runs/(?P<id>\d+)", "_update_check_run"),
]
_ROUTES = [(method, re.compile(f"^{rx}/?$"), name) for method, rx, name in _ROUTE_TABLE]


class _Server(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its stand-in (handlers reach it via self.server)."""

    daemon_threads = True
    request_queue_size = 128  # concurrent tests must not hit SYN-retry delays

    def __init__(self, standin: GitHubStandIn) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.standin = standin


class _Handler(http.server.BaseHTTPRequestHandler):
    """Thin HTTP adapter: read the request, ask the stand-in, write the answer."""

    protocol_version = "HTTP/1.1"  # keep-alive, as urllib3's pool expects
    server: _Server

    def setup(self) -> None:
        """Disable Nagle: headers and body are separate writes, and Nagle plus the
        client's delayed ACK would add ~40 ms to every response."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        response = self.server.standin.handle(self.command, self.path, headers, raw)
        self._write(response)

    def _write(self, response: _Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        if payload:
            self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Silence per-request logging; ``GitHubStandIn.requests`` is the log."""


# ---------------------------------------------------------------- GraphQL and check runs
# Only the mutation and endpoints the bot uses.

GRAPHQL_PATH = "/api/graphql"
CHECK_RUN_CONCLUSIONS = {"action_required", "cancelled", "timed_out", "failure", "neutral", "skipped", "success"}
ANNOTATION_LEVELS = {"notice", "warning", "failure"}
MAX_ANNOTATIONS_PER_REQUEST = 50


def _check_annotations(output: Any) -> None:
    annotations = (output or {}).get("annotations", []) if isinstance(output, dict) else []
    if len(annotations) > MAX_ANNOTATIONS_PER_REQUEST:
        raise _unprocessable("Only 50 annotations are allowed per request", DOC_REST)
    for annotation in annotations:
        if annotation.get("annotation_level") not in ANNOTATION_LEVELS or not annotation.get("path"):
            raise _unprocessable("Invalid annotation", DOC_REST)
    for key in ("summary", "text"):
        if len(str((output or {}).get(key) or "")) > 65535:
            raise _unprocessable(f"output.{key} is too long (maximum is 65535 characters)", DOC_REST)


class _GraphQLAndCheckRuns:
    """minimizeComment and check runs, for GitHubStandIn (which holds the state they use)."""

    def _graphql(self, body: Any, creds: Any) -> _Response:
        """minimizeComment only; GitHub answers GraphQL errors with HTTP 200 and an `errors` list."""
        query = (body or {}).get("query", "") if isinstance(body, dict) else ""
        variables = (body or {}).get("variables", {}) if isinstance(body, dict) else {}
        if "minimizeComment" not in query:
            return _Response(200, {"errors": [{"message": "Field is not supported by the stand-in"}]}, {})
        if not creds.can_write or not self.graphql_minimize_allowed:
            return _Response(200, {"data": {"minimizeComment": None}, "errors": [
                {"type": "FORBIDDEN", "path": ["minimizeComment"], "message": MSG_NOT_ACCESSIBLE}]}, {})
        data = variables.get("input", variables)
        subject, classifier = data.get("subjectId"), data.get("classifier")
        if classifier not in {"SPAM", "ABUSE", "OFF_TOPIC", "OUTDATED", "DUPLICATE", "RESOLVED"}:
            return _Response(200, {"errors": [{"message": f"Invalid classifier {classifier!r}"}]}, {})
        self.minimized[str(subject)] = str(classifier)
        return _Response(200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}, {})

    def _create_check_run(self, call: _Call) -> _Response:
        body = self._json_object(call)
        if not body.get("name") or not body.get("head_sha"):
            raise _unprocessable("name and head_sha are required", DOC_REST)
        if body.get("conclusion") is not None and body["conclusion"] not in CHECK_RUN_CONCLUSIONS:
            raise _unprocessable("Invalid conclusion", DOC_REST)
        _check_annotations(body.get("output"))
        run_id = self._new_id()
        output = dict(body.get("output") or {})
        record = {"id": run_id, "name": body["name"], "head_sha": body["head_sha"],
                  "status": "completed" if body.get("conclusion") else body.get("status", "queued"),
                  "conclusion": body.get("conclusion"), "output": output,
                  "annotations": list(output.pop("annotations", []))}
        self._check_runs.append(record)
        return _Response(201, self._check_run_json(call, record))

    def _update_check_run(self, call: _Call) -> _Response:
        body = self._json_object(call)
        record = next((r for r in self._check_runs if r["id"] == int(call.params["id"])), None)
        if record is None:
            raise _not_found()
        _check_annotations(body.get("output"))
        output = dict(body.get("output") or {})
        record["annotations"].extend(output.pop("annotations", []))
        record["output"].update(output)
        if body.get("conclusion") is not None:
            if body["conclusion"] not in CHECK_RUN_CONCLUSIONS:
                raise _unprocessable("Invalid conclusion", DOC_REST)
            record["conclusion"], record["status"] = body["conclusion"], "completed"
        return _Response(200, self._check_run_json(call, record))

    def _check_run_json(self, call: _Call, record: Json) -> Json:
        url = f"{self._base}{API_PREFIX}/repos/{call.params['owner']}/{call.params['name']}/check-runs/{record['id']}"
        return {"id": record["id"], "node_id": f"CR_kwDO{record['id']}", "name": record["name"],
                "head_sha": record["head_sha"], "status": record["status"], "conclusion": record["conclusion"],
                "url": url, "html_url": url.replace(API_PREFIX, ""), "details_url": None,
                "output": {**record["output"], "annotations_count": len(record["annotations"]),
                           "annotations_url": url + "/annotations"}}

    def check_runs(self) -> list[Json]:
        """Every check run created, with all annotations appended across requests."""
        with self._lock:
            return [dict(record) for record in self._check_runs]


class _PlainIssues:
    """Issues that are not pull requests (list, create, edit), for GitHubStandIn: the account
    review's tracking issue. Listing answers plain issues only, filtered by `state`."""

    _plain: dict[tuple[str, int], Json]

    def add_repository(self, repo: str) -> None:
        """A repository with no pull request (a scheduled run's)."""
        with self._lock:  # type: ignore[attr-defined]
            self._ensure_repo(repo)  # type: ignore[attr-defined]

    def plain_issues(self, repo: str) -> list[Json]:
        with self._lock:  # type: ignore[attr-defined]
            return [dict(issue) for (key, _), issue in sorted(self._plain_store().items()) if key == _repo_key(repo)]

    def _plain_store(self) -> dict[tuple[str, int], Json]:
        if not hasattr(self, "_plain"):
            self._plain = {}
        return self._plain

    def _list_plain_issues(self, call: _Call) -> _Response:
        repo = self._repo_of(call)  # type: ignore[attr-defined]
        state = call.query.get("state", "open")
        items = [issue for (key, _), issue in sorted(self._plain_store().items())
                 if key == _repo_key(repo) and state in ("all", issue["state"])]
        return self._paginate(call, items)  # type: ignore[attr-defined]

    def _create_plain_issue(self, call: _Call) -> _Response:
        repo = self._repo_of(call)  # type: ignore[attr-defined]
        body = self._json_object(call)  # type: ignore[attr-defined]
        if not isinstance(body.get("title"), str) or not body["title"].strip():
            raise _error(422, "Validation Failed", errors=[{"resource": "Issue", "code": "missing_field",
                                                             "field": "title"}])
        taken = [number for (key, number) in self._plain_store() if key == _repo_key(repo)]
        taken += [number for (key, number) in self._pulls if key == _repo_key(repo)]  # type: ignore[attr-defined]
        number = max(taken, default=0) + 1
        now = self._tick()  # type: ignore[attr-defined]
        api = f"{self._base}{API_PREFIX}/repos/{repo}"  # type: ignore[attr-defined]
        issue_id = self._new_id()  # type: ignore[attr-defined]
        issue: Json = {
            "id": issue_id, "node_id": f"I_kwDO{issue_id}", "number": number, "title": body["title"],
            "body": body.get("body") or "", "state": "open",
            "user": self._user_json(call.token.login, call.token.user_type),  # type: ignore[attr-defined]
            "labels": [{"name": str(name)} for name in body.get("labels") or []], "comments": 0,
            "url": f"{api}/issues/{number}", "html_url": f"{self._base}/{repo}/issues/{number}",  # type: ignore[attr-defined]
            "comments_url": f"{api}/issues/{number}/comments", "repository_url": api,
            "created_at": now, "updated_at": now,
        }
        self._plain_store()[(_repo_key(repo), number)] = issue
        return _Response(201, issue)

    def _edit_plain_issue(self, call: _Call) -> _Response:
        repo = self._repo_of(call)  # type: ignore[attr-defined]
        issue = self._plain_store().get((_repo_key(repo), int(call.params["number"])))
        if issue is None:
            raise _not_found()
        body = self._json_object(call)  # type: ignore[attr-defined]
        for name in ("title", "body", "state"):
            if isinstance(body.get(name), str):
                issue[name] = body[name]
        issue["updated_at"] = self._tick()  # type: ignore[attr-defined]
        return _Response(200, issue)


class GitHubStandIn(_GraphQLAndCheckRuns, _PlainIssues):
    """A GitHub REST API look-alike on 127.0.0.1 with inspectable state.

    Seed it with ``add_token``/``add_pull_request``/``add_*_comment``, point
    PyGithub at ``api_url``, then assert on ``reviews()``, ``review_comments()``,
    ``issue_comments()`` and ``requests``.  Use as a context manager.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._base = "http://127.0.0.1:0"
        self._tokens: dict[str, _Token] = {}
        self._user_ids: dict[str, int] = dict(KNOWN_USER_IDS)
        self._user_types: dict[str, str] = {"github-actions[bot]": "Bot"}
        self._repos: dict[str, tuple[int, str]] = {}
        self._pulls: dict[tuple[str, int], _PullRequest] = {}
        # GraphQL minimizeComment (node id -> classifier); switch off to model a token that may not minimize.
        self.minimized: dict[str, str] = {}
        self.graphql_minimize_allowed = True
        self._check_runs: list[Json] = []
        self._issue_comments: dict[int, _IssueComment] = {}
        self._reviews: dict[int, _Review] = {}
        self._review_comments: dict[int, _ReviewComment] = {}
        self._failures: list[_Failure] = []
        self._used: dict[str, int] = {}
        self._next_id = 1000
        self._last_ts = 0
        self._reset_at = int(time.time()) + 3600
        self.requests: list[RecordedRequest] = []

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> GitHubStandIn:
        """Bind an ephemeral loopback port and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("GitHubStandIn already started")
        self._server = _Server(self)
        self._base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown() waits up to one poll interval
            name="github-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut down and free the port; safe to call twice."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> GitHubStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """GHES-style base URL for ``Github(base_url=...)``; GraphQL would be /api/graphql."""
        if self._server is None:
            raise RuntimeError("call start() (or use `with GitHubStandIn()`) before api_url")
        return self._base + API_PREFIX

    # ---------------------------------------------------------------- seeding

    def add_token(
        self,
        token: str,
        *,
        login: str = "github-actions[bot]",
        user_type: str = "Bot",
        can_write: bool = True,
        is_app: bool = True,
    ) -> None:
        """Register a credential; defaults model the Actions GITHUB_TOKEN (an App token)."""
        with self._lock:
            self._tokens[token] = _Token(login, user_type, can_write, is_app)
            self._user_types[login] = user_type

    def add_pull_request(
        self,
        repo: str,
        number: int,
        *,
        head_sha: str,
        base_sha: str,
        files: list[dict[str, Any]],
        head_ref: str = "feature",
        base_ref: str = "main",
        author: str = "octocat",
        head_repo: str | None = None,
        title: str = "Stand-in pull request",
    ) -> None:
        """Create (or replace) an open PR; ``head_repo`` != ``repo`` models a fork PR."""
        owner, _, name = repo.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repo must be 'owner/name', got {repo!r}")
        checked = [self._check_file(entry) for entry in files]
        patches = {e["filename"]: self._parse_file_patch(e) for e in checked}
        with self._lock:
            self._ensure_repo(repo)
            self._ensure_repo(head_repo or repo)
            self._user_types.setdefault(author, "User")
            self._pulls[(_repo_key(repo), number)] = _PullRequest(
                id=self._new_id(), repo=repo, number=number, head_sha=head_sha,
                base_sha=base_sha, head_ref=head_ref, base_ref=base_ref,
                head_repo=head_repo or repo, author=author, title=title,
                files=checked, patches=patches, created_at=self._tick(),
            )

    def add_issue_comment(
        self, repo: str, number: int, body: str, *, login: str, user_type: str = "User"
    ) -> int:
        """Seed a conversation comment (e.g. a human's, or an old bot summary); returns id."""
        with self._lock:
            pull = self._require_seed_pull(repo, number)
            return self._store_issue_comment(pull, body, login, user_type).id

    def add_review_comment(
        self,
        repo: str,
        number: int,
        *,
        path: str,
        line: int,
        body: str,
        login: str,
        user_type: str = "User",
        side: str = "RIGHT",
    ) -> int:
        """Seed an inline comment (in its own COMMENTED review); the anchor must be valid."""
        with self._lock:
            pull = self._require_seed_pull(repo, number)
            spec = {"path": path, "line": line, "side": side, "body": body}
            anchor = self._resolve_comment(pull, spec, DOC_CREATE_REVIEW_COMMENT)
            review = self._store_review(pull, login, user_type, "", "COMMENTED", pull.head_sha)
            return self._store_review_comment(pull, review, anchor, body).id

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        after_apply: bool = False,
        times: int = 1,
    ) -> None:
        """Script the next ``times`` matching requests to fail.

        ``path_regex`` is ``re.search``-ed against the full request path
        without query (it includes the ``/api/v3`` prefix).  With
        ``after_apply`` the real handler runs first (the write lands) and its
        answer is replaced - GitHub's "502 although the review was posted".
        """
        with self._lock:
            self._failures.append(
                _Failure(
                    method=method.upper(), pattern=re.compile(path_regex), status=status,
                    headers={k.lower(): str(v) for k, v in (headers or {}).items()},
                    body=body, after_apply=after_apply, times=times,
                )
            )

    # ---------------------------------------------------------------- accessors

    def reviews(self, repo: str, number: int) -> list[Json]:
        """Every stored review of the PR (including PENDING ones), as the API renders them."""
        with self._lock:
            return [self._review_json(r) for r in self._reviews_of(repo, number)]

    def review_comments(self, repo: str, number: int) -> list[Json]:
        """Every stored inline comment of the PR, ascending id."""
        with self._lock:
            return [self._review_comment_json(c) for c in self._review_comments_of(repo, number)]

    def issue_comments(self, repo: str, number: int) -> list[Json]:
        """Every conversation comment of the PR, ascending id."""
        with self._lock:
            return [self._issue_comment_json(c) for c in self._issue_comments_of(repo, number)]

    # ---------------------------------------------------------------- request entry

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> _Response:
        """Answer one HTTP request (called by the handler thread; usable directly too)."""
        split = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        body, json_ok = self._decode_json(raw)
        token = self._extract_token(headers)
        with self._lock:
            self.requests.append(
                RecordedRequest(method, split.path, query, dict(headers), body, token)
            )
            failure = self._take_failure(method, split.path)
            if failure is not None and not failure.after_apply:
                return self._with_rate_headers(self._failure_response(failure), token)
            response = self._answer(method, split.path, query, body, json_ok, token)
            if failure is not None:
                response = self._failure_response(failure)
            return self._with_rate_headers(response, token)

    @staticmethod
    def _decode_json(raw: bytes) -> tuple[Any, bool]:
        """(parsed body or None, whether it parsed); empty bodies are fine."""
        if not raw:
            return None, True
        try:
            return json.loads(raw.decode("utf-8")), True
        except (UnicodeDecodeError, ValueError):
            return None, False

    @staticmethod
    def _extract_token(headers: dict[str, str]) -> str | None:
        """Accept ``token X`` (PyGithub) and ``Bearer X`` (Actions toolkit)."""
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return value.strip()
        return None

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        """Consume one use of the first scripted failure matching this request."""
        for failure in self._failures:
            if failure.method == method.upper() and failure.pattern.search(path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    @staticmethod
    def _failure_response(failure: _Failure) -> _Response:
        body = failure.body if failure.body is not None else _default_failure_body(failure.status)
        return _Response(failure.status, body, dict(failure.headers))

    def _with_rate_headers(self, response: _Response, token: str | None) -> _Response:
        """Every GitHub answer carries x-ratelimit-*; scripted headers win."""
        known = token is not None and token in self._tokens
        key = token if known and token is not None else "<anonymous>"
        used = self._used[key] = self._used.get(key, 0) + 1
        limit = (1000 if self._tokens[key].is_app else 5000) if known else 60
        headers = {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(limit - used, 0)),
            "x-ratelimit-reset": str(self._reset_at),
            "x-ratelimit-used": str(used),
            "x-ratelimit-resource": "core",
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-request-id": f"STANDIN:{len(self.requests):08X}",
        }
        headers.update(response.headers)
        return _Response(response.status, response.body, headers)

    def _answer(
        self,
        method: str,
        full_path: str,
        query: dict[str, str],
        body: Any,
        json_ok: bool,
        token: str | None,
    ) -> _Response:
        """Auth, then routing, then write permission, then the handler."""
        try:
            if token is None or token not in self._tokens:
                raise _error(401, "Bad credentials")
            if full_path == GRAPHQL_PATH and method.upper() == "POST":
                return self._graphql(body, self._tokens[token])
            handler, params = self._route(method, full_path)
            creds = self._tokens[token]
            if method.upper() in WRITE_METHODS and not creds.can_write:
                raise _error(403, MSG_NOT_ACCESSIBLE)
            if not json_ok:
                raise _error(400, "Problems parsing JSON")
            path = full_path[len(API_PREFIX):]
            return handler(_Call(method.upper(), path, full_path, query, body, creds, params))
        except _ApiError as error:
            return error.response

    def _route(self, method: str, full_path: str) -> tuple[Callable[[_Call], _Response], dict[str, str]]:
        """Find the handler; GitHub answers 404 for unknown paths and wrong methods alike."""
        if not full_path.startswith(API_PREFIX + "/"):
            raise _not_found()
        path = full_path[len(API_PREFIX):]
        for route_method, pattern, name in _ROUTES:
            match = pattern.match(path)
            if match and route_method == method.upper():
                return getattr(self, name), match.groupdict()
        raise _not_found()

    # ---------------------------------------------------------------- lookups

    def _new_id(self) -> int:
        """One counter for all objects: ascending id == creation order, as on GitHub."""
        self._next_id += 1
        return self._next_id

    def _tick(self) -> str:
        """A UTC timestamp that strictly increases, so edits always move updated_at."""
        self._last_ts = max(int(time.time()), self._last_ts + 1)
        return datetime.fromtimestamp(self._last_ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _ensure_repo(self, repo: str) -> None:
        if _repo_key(repo) not in self._repos:
            self._repos[_repo_key(repo)] = (self._new_id(), repo)

    def _user_id(self, login: str) -> int:
        if login not in self._user_ids:
            digest = hashlib.sha1(login.encode()).hexdigest()
            self._user_ids[login] = 10_000_000 + int(digest[:6], 16)
        return self._user_ids[login]

    def _repo_of(self, call: _Call) -> str:
        """Canonical 'owner/name' for the call's repo, or 404."""
        entry = self._repos.get(_repo_key(f"{call.params['owner']}/{call.params['name']}"))
        if entry is None:
            raise _not_found()
        return entry[1]

    def _pull_of(self, call: _Call) -> _PullRequest:
        pull = self._pulls.get((_repo_key(self._repo_of(call)), int(call.params["number"])))
        if pull is None:
            raise _not_found()
        return pull

    def _require_seed_pull(self, repo: str, number: int) -> _PullRequest:
        pull = self._pulls.get((_repo_key(repo), number))
        if pull is None:
            raise ValueError(f"add_pull_request({repo!r}, {number}) first")
        return pull

    def _reviews_of(self, repo: str, number: int) -> list[_Review]:
        key = _repo_key(repo)
        found = [r for r in self._reviews.values() if _repo_key(r.repo) == key and r.number == number]
        return sorted(found, key=lambda r: r.id)

    def _review_comments_of(self, repo: str, number: int) -> list[_ReviewComment]:
        key = _repo_key(repo)
        found = [
            c for c in self._review_comments.values()
            if _repo_key(c.repo) == key and c.number == number
        ]
        return sorted(found, key=lambda c: c.id)

    def _issue_comments_of(self, repo: str, number: int) -> list[_IssueComment]:
        key = _repo_key(repo)
        found = [
            c for c in self._issue_comments.values()
            if _repo_key(c.repo) == key and c.number == number
        ]
        return sorted(found, key=lambda c: c.id)

    def _visible(self, review_id: int, viewer: str) -> bool:
        """Pending reviews (and their comments) are only visible to their author."""
        review = self._reviews[review_id]
        return review.state != "PENDING" or review.login == viewer

    # ---------------------------------------------------------------- fixtures

    @staticmethod
    def _check_file(entry: dict[str, Any]) -> Json:
        """Validate a files[] fixture early; a typo should not become a silent 'not in diff'."""
        if not isinstance(entry.get("filename"), str):
            raise ValueError(f"file entry needs a 'filename': {entry!r}")
        if entry.get("status", "modified") not in (
            "added", "removed", "modified", "renamed", "copied", "changed", "unchanged"
        ):
            raise ValueError(f"unknown file status in {entry!r}")
        if entry.get("status") == "renamed" and not entry.get("previous_filename"):
            raise ValueError(f"a renamed file needs 'previous_filename': {entry!r}")
        return dict(entry)

    @staticmethod
    def _parse_file_patch(entry: Json) -> PatchIndex | None:
        patch = entry.get("patch")
        if patch is None:
            return None
        try:
            return PatchIndex(patch)
        except ValueError as error:
            raise ValueError(f"{entry['filename']}: {error}") from None

    # ---------------------------------------------------------------- rendering

    def _user_json(self, login: str, user_type: str | None = None) -> Json:
        kind = user_type or self._user_types.get(login, "User")
        prefix = "BOT_" if kind == "Bot" else "U_"
        return {
            "login": login,
            "id": self._user_id(login),
            "node_id": f"{prefix}kgDO{self._user_id(login)}",
            "avatar_url": f"{self._base}/avatars/{urllib.parse.quote(login)}",
            "gravatar_id": "",
            "url": f"{self._base}{API_PREFIX}/users/{urllib.parse.quote(login)}",
            "html_url": f"{self._base}/{urllib.parse.quote(login)}",
            "type": kind,
            "site_admin": False,
        }

    def _repo_json(self, repo: str) -> Json:
        repo_id, full_name = self._repos[_repo_key(repo)]
        owner, name = full_name.split("/")
        api = f"{self._base}{API_PREFIX}/repos/{full_name}"
        return {
            "id": repo_id,
            "node_id": f"R_kgDO{repo_id}",
            "name": name,
            "full_name": full_name,
            "owner": self._user_json(owner, "User"),
            "private": False,
            "fork": False,
            "html_url": f"{self._base}/{full_name}",
            "url": api,
            "pulls_url": api + "/pulls{/number}",
            "issues_url": api + "/issues{/number}",
            "commits_url": api + "/commits{/sha}",
            "issue_comment_url": api + "/issues/comments{/number}",
            "default_branch": "main",
            "visibility": "public",
        }

    def _branch_json(self, repo: str, ref: str, sha: str) -> Json:
        owner = repo.split("/")[0]
        return {
            "label": f"{owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self._user_json(owner, "User"),
            "repo": self._repo_json(repo),
        }

    def _pull_json(self, pull: _PullRequest) -> Json:
        api = f"{self._base}{API_PREFIX}/repos/{pull.repo}"
        html = f"{self._base}/{pull.repo}/pull/{pull.number}"
        url = f"{api}/pulls/{pull.number}"
        issue_url = f"{api}/issues/{pull.number}"
        additions, deletions = self._pull_counts(pull)
        return {
            "id": pull.id,
            "node_id": f"PR_kwDO{pull.id}",
            "number": pull.number,
            "state": "open",
            "locked": False,
            "draft": False,
            "merged": False,
            "mergeable": None,
            "title": pull.title,
            "body": None,
            "user": self._user_json(pull.author),
            "author_association": "CONTRIBUTOR",
            "labels": [],
            "requested_reviewers": [],
            "head": self._branch_json(pull.head_repo, pull.head_ref, pull.head_sha),
            "base": self._branch_json(pull.repo, pull.base_ref, pull.base_sha),
            "url": url,
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "issue_url": issue_url,
            "commits_url": url + "/commits",
            "review_comments_url": url + "/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": issue_url + "/comments",
            "statuses_url": f"{api}/statuses/{pull.head_sha}",
            "created_at": pull.created_at,
            "updated_at": pull.created_at,
            "comments": len(self._issue_comments_of(pull.repo, pull.number)),
            "review_comments": len(self._review_comments_of(pull.repo, pull.number)),
            "commits": 1,
            "additions": additions,
            "deletions": deletions,
            "changed_files": len(pull.files),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": issue_url},
                "comments": {"href": issue_url + "/comments"},
                "review_comments": {"href": url + "/comments"},
            },
        }

    def _pull_counts(self, pull: _PullRequest) -> tuple[int, int]:
        totals = [self._file_counts(pull, entry) for entry in pull.files]
        return sum(a for a, _ in totals), sum(d for _, d in totals)

    @staticmethod
    def _file_counts(pull: _PullRequest, entry: Json) -> tuple[int, int]:
        """Counts from the patch; fixtures may state them for patch-less (binary) files."""
        index = pull.patches.get(entry["filename"])
        if index is None:
            return int(entry.get("additions", 0)), int(entry.get("deletions", 0))
        return index.counts()

    def _file_json(self, pull: _PullRequest, entry: Json) -> Json:
        """One /files entry; the ``patch`` key is absent (not null) when there is no patch."""
        filename = entry["filename"]
        quoted = urllib.parse.quote(filename)
        additions, deletions = self._file_counts(pull, entry)
        blob = hashlib.sha1(f"{pull.head_sha}:{filename}".encode()).hexdigest()
        item: Json = {
            "sha": blob,
            "filename": filename,
            "status": entry.get("status", "modified"),
            "additions": additions,
            "deletions": deletions,
            "changes": additions + deletions,
            "blob_url": f"{self._base}/{pull.head_repo}/blob/{pull.head_sha}/{quoted}",
            "raw_url": f"{self._base}/{pull.head_repo}/raw/{pull.head_sha}/{quoted}",
            "contents_url": (
                f"{self._base}{API_PREFIX}/repos/{pull.head_repo}/contents/{quoted}"
                f"?ref={pull.head_sha}"
            ),
        }
        if entry.get("patch") is not None:
            item["patch"] = entry["patch"]
        if entry.get("previous_filename"):
            item["previous_filename"] = entry["previous_filename"]
        return item

    def _issue_json(self, pull: _PullRequest) -> Json:
        api = f"{self._base}{API_PREFIX}/repos/{pull.repo}"
        html = f"{self._base}/{pull.repo}/pull/{pull.number}"
        return {
            "id": pull.id + 1_000_000,
            "node_id": f"I_kwDO{pull.id}",
            "number": pull.number,
            "title": pull.title,
            "state": "open",
            "user": self._user_json(pull.author),
            "labels": [],
            "comments": len(self._issue_comments_of(pull.repo, pull.number)),
            "url": f"{api}/issues/{pull.number}",
            "html_url": html,
            "comments_url": f"{api}/issues/{pull.number}/comments",
            "repository_url": api,
            "created_at": pull.created_at,
            "updated_at": pull.created_at,
            "pull_request": {
                "url": f"{api}/pulls/{pull.number}",
                "html_url": html,
                "diff_url": html + ".diff",
                "patch_url": html + ".patch",
            },
        }

    def _issue_comment_json(self, comment: _IssueComment) -> Json:
        api = f"{self._base}{API_PREFIX}/repos/{comment.repo}"
        return {
            "id": comment.id,
            "node_id": f"IC_kwDO{comment.id}",
            "url": f"{api}/issues/comments/{comment.id}",
            "html_url": f"{self._base}/{comment.repo}/pull/{comment.number}#issuecomment-{comment.id}",
            "issue_url": f"{api}/issues/{comment.number}",
            "body": comment.body,
            "user": self._user_json(comment.login, comment.user_type),
            "author_association": "NONE",
            "performed_via_github_app": None,
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
        }

    def _review_json(self, review: _Review) -> Json:
        api = f"{self._base}{API_PREFIX}/repos/{review.repo}/pulls/{review.number}"
        html = f"{self._base}/{review.repo}/pull/{review.number}#pullrequestreview-{review.id}"
        item: Json = {
            "id": review.id,
            "node_id": f"PRR_kwDO{review.id}",
            "user": self._user_json(review.login, review.user_type),
            "body": review.body,
            "state": review.state,
            "html_url": html,
            "pull_request_url": api,
            "author_association": "NONE",
            "commit_id": review.commit_id,
            "_links": {"html": {"href": html}, "pull_request": {"href": api}},
        }
        if review.submitted_at is not None:
            item["submitted_at"] = review.submitted_at
        return item

    def _review_comment_json(self, comment: _ReviewComment) -> Json:
        api = f"{self._base}{API_PREFIX}/repos/{comment.repo}/pulls"
        url = f"{api}/comments/{comment.id}"
        html = f"{self._base}/{comment.repo}/pull/{comment.number}#discussion_r{comment.id}"
        item: Json = {
            "id": comment.id,
            "node_id": f"PRRC_kwDO{comment.id}",
            "url": url,
            "html_url": html,
            "pull_request_url": f"{api}/{comment.number}",
            "pull_request_review_id": comment.review_id,
            "diff_hunk": comment.diff_hunk,
            "path": comment.path,
            "position": comment.position,
            "original_position": comment.position,
            "commit_id": comment.commit_id,
            "original_commit_id": comment.commit_id,
            "user": self._user_json(comment.login, comment.user_type),
            "body": comment.body,
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
            "author_association": "NONE",
            "start_line": comment.start_line,
            "original_start_line": comment.start_line,
            "start_side": comment.start_side,
            "line": comment.line,
            "original_line": comment.line,
            "side": comment.side,
            "subject_type": comment.subject_type,
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "pull_request": {"href": f"{api}/{comment.number}"},
            },
        }
        if comment.in_reply_to is not None:
            item["in_reply_to_id"] = comment.in_reply_to
        return item

    # ---------------------------------------------------------------- pagination

    def _paginate(self, call: _Call, items: list[Json]) -> _Response:
        """Slice by page/per_page and add GitHub's Link header (prev, next, last, first)."""
        per_page = self._int_param(call.query.get("per_page"), DEFAULT_PER_PAGE)
        per_page = min(per_page, MAX_PER_PAGE) if per_page > 0 else DEFAULT_PER_PAGE
        page = max(self._int_param(call.query.get("page"), 1), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page: page * per_page]
        rels: list[tuple[str, int]] = []
        if page > 1:
            rels.append(("prev", min(page - 1, last)))
        if page < last:
            rels += [("next", page + 1), ("last", last)]
        if page > 1:
            rels.append(("first", 1))
        links = ", ".join(f'<{self._page_url(call, n)}>; rel="{rel}"' for rel, n in rels)
        return _Response(200, chunk, {"link": links} if links else {})

    @staticmethod
    def _int_param(value: str | None, default: int) -> int:
        """GitHub ignores unparsable paging parameters rather than failing."""
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default

    def _page_url(self, call: _Call, page: int) -> str:
        params = {k: v for k, v in call.query.items() if k != "page"}
        params["page"] = str(page)
        return f"{self._base}{call.full_path}?{urllib.parse.urlencode(params)}"

    # ---------------------------------------------------------------- handlers: read

    def _get_user(self, call: _Call) -> _Response:
        """App installation tokens (GITHUB_TOKEN) cannot read /user (sourced 403 body)."""
        if call.token.is_app:
            raise _error(403, MSG_NOT_ACCESSIBLE, doc=DOC_GET_USER)
        return _Response(200, self._user_json(call.token.login, call.token.user_type))

    def _get_rate_limit(self, call: _Call) -> _Response:
        limit = 1000 if call.token.is_app else 5000
        core = {"limit": limit, "remaining": limit, "reset": self._reset_at, "used": 0}
        return _Response(200, {"resources": {"core": core}, "rate": core})

    def _get_repo(self, call: _Call) -> _Response:
        return _Response(200, self._repo_json(self._repo_of(call)))

    def _get_commit(self, call: _Call) -> _Response:
        """Only the SHAs the stand-in knows (PR heads/bases); others get GitHub's 422."""
        repo = self._repo_of(call)
        sha = call.params["sha"]
        known = {
            s for p in self._pulls.values() if _repo_key(p.repo) == _repo_key(repo)
            for s in (p.head_sha, p.base_sha)
        }
        if sha not in known:
            raise _error(422, f"No commit found for SHA: {sha}", doc=DOC_GET_COMMIT)
        url = f"{self._base}{API_PREFIX}/repos/{repo}/commits/{sha}"
        return _Response(200, {
            "sha": sha,
            "node_id": f"C_kwDO{sha[:12]}",
            "url": url,
            "html_url": f"{self._base}/{repo}/commit/{sha}",
            "commit": {"message": "stand-in commit", "url": url},
            "parents": [],
        })

    def _get_pull(self, call: _Call) -> _Response:
        return _Response(200, self._pull_json(self._pull_of(call)))

    def _get_issue(self, call: _Call) -> _Response:
        plain = self._plain_store().get((_repo_key(self._repo_of(call)), int(call.params["number"])))
        if plain is not None:
            return _Response(200, plain)
        return _Response(200, self._issue_json(self._pull_of(call)))

    def _list_files(self, call: _Call) -> _Response:
        pull = self._pull_of(call)
        files = [self._file_json(pull, entry) for entry in pull.files[:MAX_PR_FILES]]
        return self._paginate(call, files)

    def _list_review_comments(self, call: _Call) -> _Response:
        pull = self._pull_of(call)
        items = [
            self._review_comment_json(c)
            for c in self._review_comments_of(pull.repo, pull.number)
            if self._visible(c.review_id, call.token.login)
        ]
        return self._paginate(call, items)

    def _list_reviews(self, call: _Call) -> _Response:
        pull = self._pull_of(call)
        items = [
            self._review_json(r)
            for r in self._reviews_of(pull.repo, pull.number)
            if self._visible(r.id, call.token.login)
        ]
        return self._paginate(call, items)

    def _list_issue_comments(self, call: _Call) -> _Response:
        pull = self._pull_of(call)
        items = [self._issue_comment_json(c) for c in self._issue_comments_of(pull.repo, pull.number)]
        return self._paginate(call, items)

    # ---------------------------------------------------------------- handlers: reviews

    def _create_review(self, call: _Call) -> _Response:
        """All-or-nothing: every check runs before anything is stored."""
        pull = self._pull_of(call)
        body = self._json_object(call)
        event = body.get("event")
        review_body = body.get("body") or ""
        self._check_review_event(call.token, pull, event, review_body)
        commit_id = self._check_commit(pull, body.get("commit_id"), DOC_CREATE_REVIEW)
        self._check_no_pending(pull, call.token.login, DOC_CREATE_REVIEW)
        specs = body.get("comments") or []
        if not isinstance(specs, list):
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF)
        anchors = [self._resolve_comment(pull, spec, DOC_CREATE_REVIEW) for spec in specs]
        state = {None: "PENDING", "COMMENT": "COMMENTED", "APPROVE": "APPROVED",
                 "REQUEST_CHANGES": "CHANGES_REQUESTED"}[event]
        review = self._store_review(
            pull, call.token.login, call.token.user_type, review_body, state, commit_id
        )
        for anchor, spec in zip(anchors, specs, strict=True):
            self._store_review_comment(pull, review, anchor, spec["body"])
        return _Response(200, self._review_json(review))

    @staticmethod
    def _json_object(call: _Call) -> Json:
        if call.body is None:
            return {}
        if not isinstance(call.body, dict):
            raise _error(400, "Problems parsing JSON")
        return call.body

    @staticmethod
    def _check_review_event(token: _Token, pull: _PullRequest, event: Any, body: Any) -> None:
        """Event rules from the create-review docs plus the Actions/own-PR refusals."""
        if event not in (None, "COMMENT", "APPROVE", "REQUEST_CHANGES"):
            raise _unprocessable(MSG_BAD_EVENT)
        if not isinstance(body, str):
            raise _error(400, "Problems parsing JSON")
        if len(body) > MAX_BODY_CHARS:
            raise _unprocessable(MSG_BODY_TOO_LONG)
        if event == "APPROVE" and token.is_app:
            raise _unprocessable(MSG_ACTIONS_APPROVE)
        if event == "APPROVE" and token.login == pull.author:
            raise _unprocessable(MSG_OWN_APPROVE)
        if event == "REQUEST_CHANGES" and token.login == pull.author:
            raise _unprocessable(MSG_OWN_REQUEST_CHANGES)
        if event in ("COMMENT", "REQUEST_CHANGES") and not body.strip():
            raise _unprocessable(MSG_REVIEW_BODY_BLANK)

    @staticmethod
    def _check_commit(pull: _PullRequest, commit_id: Any, doc: str) -> str:
        """Absent commit_id means the PR head; we model only the head as 'in the PR'."""
        if commit_id is None:
            return pull.head_sha
        if commit_id != pull.head_sha:
            raise _unprocessable(MSG_COMMIT_NOT_IN_PR, doc)
        return pull.head_sha

    def _check_no_pending(self, pull: _PullRequest, login: str, doc: str) -> None:
        """A user's unsubmitted review blocks every new review or standalone comment."""
        for review in self._reviews_of(pull.repo, pull.number):
            if review.state == "PENDING" and review.login == login:
                raise _unprocessable(MSG_ONE_PENDING, doc)

    def _resolve_comment(self, pull: _PullRequest, spec: Any, doc: str) -> dict[str, Any]:
        """Anchor one comments[] entry to the diff, or raise GitHub's one opaque 422."""
        if not isinstance(spec, dict):
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)
        body = spec.get("body")
        if isinstance(body, str) and len(body) > MAX_BODY_CHARS:
            raise _unprocessable(MSG_BODY_TOO_LONG, doc)
        path = spec.get("path")
        index = pull.patches.get(path) if isinstance(path, str) else None
        if not isinstance(body, str) or not body or index is None:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)
        if spec.get("line") is not None:
            return self._anchor_by_line(index, spec, doc)
        if spec.get("position") is not None:
            return self._anchor_by_position(index, spec, doc)
        raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)

    @staticmethod
    def _anchor_by_line(index: PatchIndex, spec: Json, doc: str) -> dict[str, Any]:
        """line/side (+ start_line/start_side): both ends in the diff, same hunk, start first."""
        side = spec.get("side") or "RIGHT"
        line = spec.get("line")
        end = index.line_at(side, line) if _is_int(line) else None
        if end is None:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)
        anchor: dict[str, Any] = {
            "path": spec["path"], "line": line, "side": side, "start_line": None,
            "start_side": None, "position": end.position, "diff_hunk": index.diff_hunk(end),
        }
        start_line = spec.get("start_line")
        if start_line is None:
            return anchor
        start_side = spec.get("start_side") or side
        start = index.line_at(start_side, start_line) if _is_int(start_line) else None
        if start is None or start.hunk != end.hunk or start.position >= end.position:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)
        anchor.update(start_line=start_line, start_side=start_side)
        return anchor

    @staticmethod
    def _anchor_by_position(index: PatchIndex, spec: Json, doc: str) -> dict[str, Any]:
        """Deprecated ``position``: a diff line below the first @@ (headers don't anchor)."""
        position = spec.get("position")
        target = index.at_position(position) if _is_int(position) else None
        if target is None:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, doc)
        side = "LEFT" if target.kind == "removed" else "RIGHT"
        return {
            "path": spec["path"],
            "line": target.old_no if side == "LEFT" else target.new_no,
            "side": side, "start_line": None, "start_side": None,
            "position": position, "diff_hunk": index.diff_hunk(target),
        }

    def _store_review(
        self, pull: _PullRequest, login: str, user_type: str, body: str, state: str, commit: str
    ) -> _Review:
        submitted = None if state == "PENDING" else self._tick()
        review = _Review(self._new_id(), pull.repo, pull.number, login, user_type, body, state,
                         commit, submitted)
        self._reviews[review.id] = review
        return review

    def _store_review_comment(
        self, pull: _PullRequest, review: _Review, anchor: dict[str, Any], body: str,
        in_reply_to: int | None = None,
    ) -> _ReviewComment:
        now = self._tick()
        comment = _ReviewComment(
            id=self._new_id(), review_id=review.id, repo=pull.repo, number=pull.number,
            path=anchor["path"], line=anchor["line"], side=anchor["side"],
            start_line=anchor["start_line"], start_side=anchor["start_side"],
            position=anchor["position"], diff_hunk=anchor["diff_hunk"], body=body,
            login=review.login, user_type=review.user_type, commit_id=review.commit_id,
            subject_type=anchor.get("subject_type", "line"), in_reply_to=in_reply_to,
            created_at=now, updated_at=now,
        )
        self._review_comments[comment.id] = comment
        return comment

    def _create_review_comment(self, call: _Call) -> _Response:
        """Standalone inline comment (or reply): GitHub wraps it in its own review."""
        pull = self._pull_of(call)
        body = self._json_object(call)
        self._check_no_pending(pull, call.token.login, DOC_CREATE_REVIEW_COMMENT)
        reply_to = body.get("in_reply_to")
        if reply_to is not None:
            anchor, text = self._reply_anchor(pull, body, reply_to)
        else:
            self._check_commit(pull, body.get("commit_id"), DOC_CREATE_REVIEW_COMMENT)
            anchor = self._standalone_anchor(pull, body)
            text = body["body"]
        review = self._store_review(
            pull, call.token.login, call.token.user_type, "", "COMMENTED", pull.head_sha
        )
        comment = self._store_review_comment(pull, review, anchor, text, reply_to)
        return _Response(201, self._review_comment_json(comment))

    def _standalone_anchor(self, pull: _PullRequest, body: Json) -> dict[str, Any]:
        """``subject_type: file`` needs only a path in the PR; otherwise same rules as reviews."""
        if body.get("subject_type") != "file":
            return self._resolve_comment(pull, body, DOC_CREATE_REVIEW_COMMENT)
        text, path = body.get("body"), body.get("path")
        if not isinstance(text, str) or not text or path not in pull.patches:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, DOC_CREATE_REVIEW_COMMENT)
        if len(text) > MAX_BODY_CHARS:
            raise _unprocessable(MSG_BODY_TOO_LONG, DOC_CREATE_REVIEW_COMMENT)
        return {"path": path, "line": None, "side": None, "start_line": None,
                "start_side": None, "position": None, "diff_hunk": "", "subject_type": "file"}

    def _reply_anchor(self, pull: _PullRequest, body: Json, reply_to: Any) -> tuple[dict[str, Any], str]:
        """A reply inherits the parent's anchor; a missing parent is a 404 as on GitHub."""
        parent = self._review_comments.get(reply_to) if _is_int(reply_to) else None
        if parent is None or parent.number != pull.number:
            raise _not_found()
        text = body.get("body")
        if not isinstance(text, str) or not text:
            raise _unprocessable(MSG_THREAD_NOT_IN_DIFF, DOC_CREATE_REVIEW_COMMENT)
        if len(text) > MAX_BODY_CHARS:
            raise _unprocessable(MSG_BODY_TOO_LONG, DOC_CREATE_REVIEW_COMMENT)
        anchor = {
            "path": parent.path, "line": parent.line, "side": parent.side,
            "start_line": parent.start_line, "start_side": parent.start_side,
            "position": parent.position, "diff_hunk": parent.diff_hunk,
            "subject_type": parent.subject_type,
        }
        return anchor, text

    def _review_comment_of(self, call: _Call) -> _ReviewComment:
        repo = self._repo_of(call)
        comment = self._review_comments.get(int(call.params["id"]))
        if comment is None or _repo_key(comment.repo) != _repo_key(repo):
            raise _not_found()
        if not self._visible(comment.review_id, call.token.login):
            raise _not_found()
        return comment

    def _get_review_comment(self, call: _Call) -> _Response:
        return _Response(200, self._review_comment_json(self._review_comment_of(call)))

    def _edit_review_comment(self, call: _Call) -> _Response:
        comment = self._review_comment_of(call)
        self._check_owner(call.token, comment.login)
        text = self._new_body(call, "PullRequestReviewComment", DOC_CREATE_REVIEW_COMMENT)
        comment.body, comment.updated_at = text, self._tick()
        return _Response(200, self._review_comment_json(comment))

    def _delete_review_comment(self, call: _Call) -> _Response:
        comment = self._review_comment_of(call)
        self._check_owner(call.token, comment.login)
        del self._review_comments[comment.id]
        return _Response(204)

    # ---------------------------------------------------------------- handlers: issue comments

    def _store_issue_comment(
        self, pull: _PullRequest, body: str, login: str, user_type: str
    ) -> _IssueComment:
        now = self._tick()
        comment = _IssueComment(self._new_id(), pull.repo, pull.number, body, login, user_type,
                                now, now)
        self._issue_comments[comment.id] = comment
        return comment

    @staticmethod
    def _new_body(call: _Call, resource: str, doc: str) -> str:
        """Validate a comment body: present, a string, within 65536 characters."""
        body = call.body.get("body") if isinstance(call.body, dict) else None
        if not isinstance(body, str):
            raise _error(422, 'Invalid request.\n\n"body" wasn\'t supplied.', doc=doc)
        if len(body) > MAX_BODY_CHARS:
            raise _body_too_long(resource, doc)
        return body

    def _create_issue_comment(self, call: _Call) -> _Response:
        pull = self._pull_of(call)
        body = self._new_body(call, "IssueComment", DOC_CREATE_ISSUE_COMMENT)
        comment = self._store_issue_comment(pull, body, call.token.login, call.token.user_type)
        return _Response(201, self._issue_comment_json(comment))

    def _issue_comment_of(self, call: _Call) -> _IssueComment:
        repo = self._repo_of(call)
        comment = self._issue_comments.get(int(call.params["id"]))
        if comment is None or _repo_key(comment.repo) != _repo_key(repo):
            raise _not_found()
        return comment

    @staticmethod
    def _check_owner(token: _Token, login: str) -> None:
        """Strict model: a token edits/deletes only its own comments.

        Real GitHub lets App tokens and maintainers edit others' comments; the
        strict rule makes a bot that touches a human's comment fail loudly.
        """
        if token.login != login:
            message = MSG_NOT_ACCESSIBLE if token.is_app else "Must have admin rights to Repository."
            raise _error(403, message)

    def _get_issue_comment(self, call: _Call) -> _Response:
        return _Response(200, self._issue_comment_json(self._issue_comment_of(call)))

    def _edit_issue_comment(self, call: _Call) -> _Response:
        comment = self._issue_comment_of(call)
        self._check_owner(call.token, comment.login)
        body = self._new_body(call, "IssueComment", DOC_UPDATE_ISSUE_COMMENT)
        comment.body, comment.updated_at = body, self._tick()
        return _Response(200, self._issue_comment_json(comment))

    def _delete_issue_comment(self, call: _Call) -> _Response:
        comment = self._issue_comment_of(call)
        self._check_owner(call.token, comment.login)
        del self._issue_comments[comment.id]
        return _Response(204)
