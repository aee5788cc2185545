"""Tests of the GitHub stand-in itself, driven through real PyGithub.

Why: end-to-end tests of the bot are only as good as the stand-in's imitation
of GitHub.  These tests pin the behaviours the bot depends on (pagination,
all-or-nothing review validation, permissions, scripted failures) and check
that PyGithub 2.x accepts every answer (absolute URLs on the same host, Link
headers, error shapes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)

from github_standin import MSG_THREAD_NOT_IN_DIFF, GitHubStandIn, PatchIndex, _ApiError, parse_patch

REPO = "acme/widgets"
HEAD = "a" * 40
BASE = "b" * 40
TOKEN = "ghs_actions"
READ_ONLY = "ghs_fork"
USER_TOKEN = "ghp_human"

# Two hunks.  RIGHT commentable: 1-5 and 21-24; LEFT commentable: 1-4 and 20-22.
APP_PATCH = (
    "@@ -1,4 +1,5 @@\n"
    " import os\n"
    "-import sys\n"
    "+import sys, json\n"
    "+import re\n"
    " \n"
    " def main():\n"
    "@@ -20,3 +21,4 @@ def main():\n"
    "     x = 1\n"
    "+    y = 2\n"
    "     return x\n"
    " "
)

# Both sides lack a trailing newline; the markers must not shift numbering.
NO_NEWLINE_PATCH = (
    "@@ -1,2 +1,3 @@\n"
    " a\n"
    "-b\n"
    "\\ No newline at end of file\n"
    "+b\n"
    "+c\n"
    "\\ No newline at end of file"
)

CANONICAL_422 = {
    "message": "Unprocessable Entity",
    "errors": [MSG_THREAD_NOT_IN_DIFF],
    "documentation_url": "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
    "status": "422",
}


def _files() -> list[dict[str, Any]]:
    return [
        {"filename": "src/app.py", "status": "modified", "patch": APP_PATCH},
        {"filename": "data.txt", "status": "modified", "patch": NO_NEWLINE_PATCH},
        {"filename": "logo.png", "status": "added", "patch": None},
    ]


@pytest.fixture()
def standin() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as server:
        server.add_token(TOKEN)
        server.add_token(READ_ONLY, can_write=False)
        server.add_token(USER_TOKEN, login="alice", user_type="User", is_app=False)
        server.add_pull_request(REPO, 7, head_sha=HEAD, base_sha=BASE, files=_files())
        yield server


def client(standin: GitHubStandIn, token: str = TOKEN, **kwargs: Any) -> Github:
    """PyGithub exactly as the e2e tests will configure it (no retries, no throttling)."""
    kwargs.setdefault("retry", None)
    return Github(
        base_url=standin.api_url,
        auth=Auth.Token(token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        **kwargs,
    )


def comment(line: int, side: str = "RIGHT", path: str = "src/app.py", **extra: Any) -> dict[str, Any]:
    return {"path": path, "line": line, "side": side, "body": f"note on {line}", **extra}


def post_review(standin: GitHubStandIn, comments: list[dict[str, Any]], token: str = TOKEN) -> Any:
    gh = client(standin, token)
    repo = gh.get_repo(REPO)
    pr = repo.get_pull(7)
    return pr.create_review(
        commit=repo.get_commit(HEAD), body="Lambda Review", event="COMMENT", comments=comments
    )


def raw(standin: GitHubStandIn, method: str, path: str, token: str | None = TOKEN, **kw: Any) -> requests.Response:
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.request(method, standin.api_url + path, headers=headers, timeout=5, **kw)


# ------------------------------------------------------------------ patch parser


def test_parser_numbers_lines_like_unidiff_reference_example() -> None:
    """The reference's LOCAL unidiff check: RIGHT {1..5, 11..13}, LEFT removed {2}."""
    patch = "@@ -1,4 +1,5 @@\n a\n-b\n+B\n+C\n c\n d\n@@ -10,2 +11,3 @@\n x\n+y\n z"
    index = PatchIndex(patch)
    assert index.commentable("RIGHT") == {1, 2, 3, 4, 5, 11, 12, 13}
    removed = {ln.old_no for h in index.hunks for ln in h.lines if ln.kind == "removed"}
    added = {ln.new_no for h in index.hunks for ln in h.lines if ln.kind == "added"}
    assert removed == {2} and added == {2, 3, 12}
    assert index.commentable("LEFT") == {1, 2, 3, 4, 10, 11}


def test_parser_skips_no_newline_markers_and_counts_positions() -> None:
    index = PatchIndex(NO_NEWLINE_PATCH)
    assert index.commentable("RIGHT") == {1, 2, 3}
    assert index.commentable("LEFT") == {1, 2}
    assert index.at_position(3) is None  # the marker line
    fifth = index.at_position(5)
    assert fifth is not None and (fifth.kind, fifth.new_no) == ("added", 3)


def test_parser_counts_later_hunk_headers_as_positions() -> None:
    index = PatchIndex(APP_PATCH)
    assert index.at_position(7) is None  # second "@@" header
    eighth = index.at_position(8)
    assert eighth is not None and (eighth.old_no, eighth.new_no) == (20, 21)


@pytest.mark.parametrize(
    "bad",
    [
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b",  # full diff header: GitHub never sends it
        "@@ -1,2 +1,2 @@\n a\n-b",  # hunk shorter than its header
        "@@ -1 +1 @@\n-a\n+b\n+c",  # hunk longer than its header
    ],
)
def test_parser_rejects_what_github_never_sends(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_patch(bad)


def test_add_pull_request_rejects_bad_fixture_patch() -> None:
    server = GitHubStandIn()
    with pytest.raises(ValueError, match="x.py"):
        server.add_pull_request(
            REPO, 1, head_sha=HEAD, base_sha=BASE,
            files=[{"filename": "x.py", "status": "modified", "patch": "+just a line"}],
        )


# ------------------------------------------------------------------ auth, headers, routes


def test_unknown_token_is_401_bad_credentials(standin: GitHubStandIn) -> None:
    with pytest.raises(BadCredentialsException) as caught:
        client(standin, "nope").get_repo(REPO)
    assert caught.value.status == 401
    assert raw(standin, "GET", f"/repos/{REPO}", token=None).status_code == 401


def test_every_response_carries_rate_limit_headers(standin: GitHubStandIn) -> None:
    ok = raw(standin, "GET", f"/repos/{REPO}")
    missing = raw(standin, "GET", "/no/such/route")
    for response in (ok, missing):
        for name in ("limit", "remaining", "reset", "used", "resource"):
            assert f"x-ratelimit-{name}" in response.headers
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"
    assert int(missing.headers["x-ratelimit-used"]) == 2
    assert int(ok.headers["x-ratelimit-limit"]) == 1000  # GITHUB_TOKEN: 1,000/h per repo


def test_user_endpoint_forbidden_for_app_token(standin: GitHubStandIn) -> None:
    with pytest.raises(GithubException) as caught:
        _ = client(standin).get_user().login     # reading the attribute makes the request
    assert caught.value.status == 403
    assert caught.value.data == {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        "status": "403",
    }
    assert client(standin, USER_TOKEN).get_user().login == "alice"


def test_unknown_pull_request_is_404(standin: GitHubStandIn) -> None:
    with pytest.raises(UnknownObjectException):
        client(standin).get_repo(REPO).get_pull(999)


def test_pull_request_json_satisfies_pygithub(standin: GitHubStandIn) -> None:
    pr = client(standin).get_repo(REPO).get_pull(7)
    assert pr.head.sha == HEAD and pr.base.sha == BASE
    assert pr.head.repo.full_name == REPO
    assert pr.user.login == "octocat"
    assert pr.issue_url.startswith(standin.api_url)


def test_fork_pull_request_reports_head_repo() -> None:
    with GitHubStandIn() as server:
        server.add_token(TOKEN, can_write=False)
        server.add_pull_request(
            REPO, 3, head_sha=HEAD, base_sha=BASE, files=_files(), head_repo="mallory/widgets"
        )
        pr = client(server).get_repo(REPO).get_pull(3)
        assert pr.head.repo.full_name == "mallory/widgets"
        assert pr.base.repo.full_name == REPO


def _urls(value: Any) -> Iterator[str]:
    """Every string under a key that names a URL, recursively."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key.endswith("url") or key == "href"):
                yield item
            else:
                yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)


def test_every_url_points_back_at_the_standin(standin: GitHubStandIn) -> None:
    post_review(standin, [comment(3)])
    client(standin).get_repo(REPO).get_pull(7).create_issue_comment("hi")
    base = standin.api_url.removesuffix("/api/v3")
    paths = [f"/repos/{REPO}", f"/repos/{REPO}/pulls/7", f"/repos/{REPO}/pulls/7/files",
             f"/repos/{REPO}/pulls/7/comments", f"/repos/{REPO}/pulls/7/reviews",
             f"/repos/{REPO}/issues/7/comments", f"/repos/{REPO}/commits/{HEAD}"]
    urls = [url for path in paths for url in _urls(raw(standin, "GET", path).json())]
    assert len(urls) > 30
    assert all(url.startswith(base + "/") for url in urls), [u for u in urls if not u.startswith(base)]


# ------------------------------------------------------------------ files & pagination


def _many_files(count: int) -> list[dict[str, Any]]:
    return [{"filename": f"f{i:03}.py", "status": "added", "patch": "@@ -0,0 +1 @@\n+x"}
            for i in range(count)]


def test_files_paginate_in_pages_of_30_via_pygithub() -> None:
    with GitHubStandIn() as server:
        server.add_token(TOKEN)
        server.add_pull_request(REPO, 1, head_sha=HEAD, base_sha=BASE, files=_many_files(75))
        files = list(client(server).get_repo(REPO).get_pull(1).get_files())
        assert [f.filename for f in files] == [f"f{i:03}.py" for i in range(75)]
        pages = [r.query.get("page") for r in server.requests if r.path.endswith("/files")]
        assert pages == [None, "2", "3"]


def test_files_per_page_and_link_header() -> None:
    with GitHubStandIn() as server:
        server.add_token(TOKEN)
        server.add_pull_request(REPO, 1, head_sha=HEAD, base_sha=BASE, files=_many_files(75))
        files = list(client(server, per_page=50).get_repo(REPO).get_pull(1).get_files())
        assert len(files) == 75
        assert [r.query.get("per_page") for r in server.requests if r.path.endswith("/files")] == ["50", "50"]
        first = raw(server, "GET", f"/repos/{REPO}/pulls/1/files?per_page=10")
        url = f"{server.api_url}/repos/{REPO}/pulls/1/files"
        assert first.headers["link"] == (
            f'<{url}?per_page=10&page=2>; rel="next", <{url}?per_page=10&page=8>; rel="last"'
        )
        middle = raw(server, "GET", f"/repos/{REPO}/pulls/1/files?per_page=10&page=8")
        assert len(middle.json()) == 5
        assert middle.headers["link"] == (
            f'<{url}?per_page=10&page=7>; rel="prev", <{url}?per_page=10&page=1>; rel="first"'
        )
        capped = raw(server, "GET", f"/repos/{REPO}/pulls/1/files?per_page=500")
        assert len(capped.json()) == 75  # capped at 100, so one page, no Link
        assert "link" not in capped.headers


def test_patch_none_omits_the_key(standin: GitHubStandIn) -> None:
    entries = {e["filename"]: e for e in raw(standin, "GET", f"/repos/{REPO}/pulls/7/files").json()}
    assert "patch" not in entries["logo.png"]
    assert entries["src/app.py"]["patch"] == APP_PATCH
    assert (entries["src/app.py"]["additions"], entries["src/app.py"]["deletions"]) == (3, 1)
    files = {f.filename: f for f in client(standin).get_repo(REPO).get_pull(7).get_files()}
    assert files["logo.png"].patch is None


def test_renamed_file_reports_previous_filename() -> None:
    with GitHubStandIn() as server:
        server.add_token(TOKEN)
        renamed = {"filename": "new.py", "status": "renamed", "previous_filename": "old.py",
                   "patch": "@@ -1 +1 @@\n-a\n+b"}
        server.add_pull_request(REPO, 1, head_sha=HEAD, base_sha=BASE, files=[renamed])
        (only,) = client(server).get_repo(REPO).get_pull(1).get_files()
        assert (only.status, only.previous_filename) == ("renamed", "old.py")


# ------------------------------------------------------------------ reviews


def test_valid_multi_comment_review_lands(standin: GitHubStandIn) -> None:
    review = post_review(standin, [
        comment(3),                           # added line
        comment(23),                          # context line in hunk 2
        comment(2, side="LEFT"),              # removed line
        comment(5, start_line=2),             # multi-line range inside hunk 1
        {"path": "data.txt", "position": 5, "body": "by position"},
    ])
    assert review.state == "COMMENTED"
    assert review.commit_id == HEAD
    assert review.user.login == "github-actions[bot]"
    stored = standin.review_comments(REPO, 7)
    assert [(c["path"], c["line"], c["side"], c["start_line"]) for c in stored] == [
        ("src/app.py", 3, "RIGHT", None),
        ("src/app.py", 23, "RIGHT", None),
        ("src/app.py", 2, "LEFT", None),
        ("src/app.py", 5, "RIGHT", 2),
        ("data.txt", 3, "RIGHT", None),
    ]
    assert {c["pull_request_review_id"] for c in stored} == {review.id}
    assert stored[0]["diff_hunk"].splitlines()[-1] == "+import re"
    pr = client(standin).get_repo(REPO).get_pull(7)
    assert [c.line for c in pr.get_review_comments()] == [3, 23, 2, 5, 3]
    assert [r.state for r in pr.get_reviews()] == ["COMMENTED"]


@pytest.mark.parametrize(
    "bad",
    [
        comment(10),                               # between the hunks
        comment(6),                                # just past hunk 1
        comment(5, side="LEFT"),                   # old file has only 1-4 in hunk 1
        comment(23, side="LEFT"),                  # old numbers stop at 22 in hunk 2
        comment(22, start_line=3),                 # start_line in the other hunk
        comment(3, start_line=3),                  # start_line must precede line
        comment(3, path="nope.py"),                # not a PR file
        comment(1, path="logo.png"),               # no patch => not commentable
        {"path": "src/app.py", "body": "no line"},  # neither line nor position
        {"path": "src/app.py", "line": 3},         # no body
        {"path": "data.txt", "position": 3, "body": "marker"},  # position of "\ No newline"
        comment(3, side="MIDDLE"),
    ],
)
def test_one_bad_comment_rejects_the_whole_review(standin: GitHubStandIn, bad: dict[str, Any]) -> None:
    with pytest.raises(GithubException) as caught:
        post_review(standin, [comment(3), bad])
    assert caught.value.status == 422
    assert caught.value.data == CANONICAL_422
    assert standin.reviews(REPO, 7) == []
    assert standin.review_comments(REPO, 7) == []


def test_review_comment_body_over_limit_rejected(standin: GitHubStandIn) -> None:
    with pytest.raises(GithubException) as caught:
        post_review(standin, [{**comment(3), "body": "x" * 65537}])
    assert caught.value.status == 422
    assert "Body is too long (maximum is 65536 characters)" in caught.value.data["errors"]
    assert standin.reviews(REPO, 7) == []


def test_review_event_rules(standin: GitHubStandIn) -> None:
    gh = client(standin)
    repo = gh.get_repo(REPO)
    pr = repo.get_pull(7)
    with pytest.raises(GithubException) as blank:
        pr.create_review(commit=repo.get_commit(HEAD), body="", event="COMMENT")
    assert blank.value.status == 422
    with pytest.raises(GithubException) as approve:
        pr.create_review(commit=repo.get_commit(HEAD), body="ok", event="APPROVE")
    assert approve.value.status == 422
    assert approve.value.data["errors"] == ["GitHub Actions is not permitted to approve pull requests."]
    assert standin.reviews(REPO, 7) == []
    pending = pr.create_review(commit=repo.get_commit(HEAD), body="draft")
    assert pending.state == "PENDING"
    with pytest.raises(GithubException) as second:
        pr.create_review(commit=repo.get_commit(HEAD), body="again", event="COMMENT")
    assert second.value.data["errors"] == ["User can only have one pending review per pull request"]
    assert [r["state"] for r in standin.reviews(REPO, 7)] == ["PENDING"]
    # pending reviews are visible only to their author
    assert client(standin, USER_TOKEN).get_repo(REPO).get_pull(7).get_reviews().totalCount == 0


def test_review_with_non_head_commit_rejected(standin: GitHubStandIn) -> None:
    response = raw(standin, "POST", f"/repos/{REPO}/pulls/7/reviews",
                   json={"commit_id": "c" * 40, "body": "x", "event": "COMMENT"})
    assert response.status_code == 422
    assert standin.reviews(REPO, 7) == []


def test_seeded_review_comment_is_listed_and_validated(standin: GitHubStandIn) -> None:
    seeded = standin.add_review_comment(REPO, 7, path="src/app.py", line=22, body="human", login="alice")
    (listed,) = client(standin).get_repo(REPO).get_pull(7).get_review_comments()
    assert (listed.id, listed.user.login, listed.line) == (seeded, "alice", 22)
    with pytest.raises(_ApiError) as refused:      # line 10 is outside the diff: GitHub's 422
        standin.add_review_comment(REPO, 7, path="src/app.py", line=10, body="x", login="alice")
    assert refused.value.response.status == 422


# ------------------------------------------------------------------ issue comments & permissions


def test_read_only_token_cannot_comment(standin: GitHubStandIn) -> None:
    pr = client(standin, READ_ONLY).get_repo(REPO).get_pull(7)
    assert pr.get_files().totalCount == 3  # reads still work
    with pytest.raises(GithubException) as caught:
        pr.create_issue_comment("hello from a fork")
    assert caught.value.status == 403
    assert caught.value.data == {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest",
        "status": "403",
    }
    assert standin.issue_comments(REPO, 7) == []


def test_issue_comment_create_edit_round_trip(standin: GitHubStandIn) -> None:
    human = standin.add_issue_comment(REPO, 7, "LGTM?", login="alice")
    pr = client(standin).get_repo(REPO).get_pull(7)
    created = pr.create_issue_comment("summary v1")
    assert created.user.login == "github-actions[bot]" and created.user.type == "Bot"
    edited_at_before = created.updated_at
    created.edit("summary v2")
    assert created.body == "summary v2"
    assert created.updated_at > edited_at_before
    listed = list(pr.get_issue_comments())
    assert [(c.id, c.body) for c in listed] == [(human, "LGTM?"), (created.id, "summary v2")]
    assert standin.issue_comments(REPO, 7)[1]["body"] == "summary v2"
    edits = [r for r in standin.requests if r.method == "PATCH"]
    assert edits[0].json == {"body": "summary v2"} and edits[0].token == TOKEN


def test_cannot_edit_or_delete_someone_elses_comment(standin: GitHubStandIn) -> None:
    human = standin.add_issue_comment(REPO, 7, "mine", login="alice")
    comment_obj = client(standin).get_repo(REPO).get_pull(7).get_issue_comment(human)
    with pytest.raises(GithubException) as caught:
        comment_obj.edit("hijacked")
    assert caught.value.status == 403
    with pytest.raises(GithubException):
        comment_obj.delete()
    assert [c["body"] for c in standin.issue_comments(REPO, 7)] == ["mine"]


def test_delete_own_comment(standin: GitHubStandIn) -> None:
    created = client(standin).get_repo(REPO).get_pull(7).create_issue_comment("temp")
    created.delete()
    assert standin.issue_comments(REPO, 7) == []


def test_issue_comment_body_limit(standin: GitHubStandIn) -> None:
    pr = client(standin).get_repo(REPO).get_pull(7)
    pr.create_issue_comment("x" * 65536)
    with pytest.raises(GithubException) as caught:
        pr.create_issue_comment("x" * 65537)
    assert caught.value.status == 422
    assert caught.value.data["message"] == "Validation Failed"
    assert caught.value.data["errors"] == [{
        "resource": "IssueComment", "code": "custom", "field": "data",
        "message": "Body is too long (maximum is 65536 characters)",
    }]
    assert len(standin.issue_comments(REPO, 7)) == 1


def test_issue_comments_paginate_ascending(standin: GitHubStandIn) -> None:
    ids = [standin.add_issue_comment(REPO, 7, f"c{i}", login="alice") for i in range(35)]
    listed = list(client(standin).get_repo(REPO).get_pull(7).get_issue_comments())
    assert [c.id for c in listed] == sorted(ids)
    assert len([r for r in standin.requests if r.path.endswith("/issues/7/comments")]) == 2


def test_concurrent_writes_get_distinct_ids(standin: GitHubStandIn) -> None:
    def post(i: int) -> None:
        raw(standin, "POST", f"/repos/{REPO}/issues/7/comments", json={"body": f"n{i}"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = standin.issue_comments(REPO, 7)
    assert len({c["id"] for c in stored}) == 12


# ------------------------------------------------------------------ scripted failures


def test_fail_next_secondary_rate_limit_with_retry_after(standin: GitHubStandIn) -> None:
    standin.fail_next("POST", r"/issues/7/comments$", 403, headers={"Retry-After": "1"})
    pr = client(standin).get_repo(REPO).get_pull(7)
    with pytest.raises(RateLimitExceededException) as caught:
        pr.create_issue_comment("first try")
    assert caught.value.status == 403
    assert caught.value.headers["retry-after"] == "1"
    assert standin.issue_comments(REPO, 7) == []
    pr.create_issue_comment("second try")  # the failure was used up
    assert [c["body"] for c in standin.issue_comments(REPO, 7)] == ["second try"]


def test_pygithub_retry_honours_retry_after(standin: GitHubStandIn) -> None:
    standin.fail_next("POST", r"/issues/7/comments$", 403, headers={"Retry-After": "1"})
    pr = client(standin, retry=GithubRetry(total=3)).get_repo(REPO).get_pull(7)
    pr.create_issue_comment("eventually")
    posts = [r for r in standin.requests if r.method == "POST"]
    assert len(posts) == 2
    assert [c["body"] for c in standin.issue_comments(REPO, 7)] == ["eventually"]


def test_fail_next_after_apply_502_still_changes_state(standin: GitHubStandIn) -> None:
    standin.fail_next("POST", r"/pulls/7/reviews$", 502, after_apply=True)
    with pytest.raises(GithubException) as caught:
        post_review(standin, [comment(3)])
    assert caught.value.status == 502
    assert caught.value.data == {"message": "Server Error"}
    assert [r["state"] for r in standin.reviews(REPO, 7)] == ["COMMENTED"]
    assert len(standin.review_comments(REPO, 7)) == 1


def test_retried_502_after_apply_duplicates_the_post(standin: GitHubStandIn) -> None:
    """Why the bot must not rely on PyGithub's retry for POSTs: it double-posts."""
    standin.fail_next("POST", r"/issues/7/comments$", 502, after_apply=True)
    pr = client(standin, retry=GithubRetry(total=3)).get_repo(REPO).get_pull(7)
    pr.create_issue_comment("once?")
    assert [c["body"] for c in standin.issue_comments(REPO, 7)] == ["once?", "once?"]


def test_fail_next_matches_method_and_counts_times(standin: GitHubStandIn) -> None:
    standin.fail_next("GET", r"/pulls/7$", 429, times=2, body={"message": "slow down"})
    assert raw(standin, "GET", f"/repos/{REPO}/pulls/7/files").status_code == 200  # no match
    first = raw(standin, "GET", f"/repos/{REPO}/pulls/7")
    second = raw(standin, "GET", f"/repos/{REPO}/pulls/7")
    third = raw(standin, "GET", f"/repos/{REPO}/pulls/7")
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.json() == {"message": "slow down"}
    assert "x-ratelimit-remaining" in first.headers


def test_requests_are_recorded(standin: GitHubStandIn) -> None:
    raw(standin, "GET", f"/repos/{REPO}/pulls/7/files?per_page=5", token=USER_TOKEN)
    last = standin.requests[-1]
    assert (last.method, last.path, last.query) == ("GET", f"/api/v3/repos/{REPO}/pulls/7/files", {"per_page": "5"})
    assert last.token == USER_TOKEN
    assert last.headers["authorization"] == f"token {USER_TOKEN}"
    assert last.json is None
