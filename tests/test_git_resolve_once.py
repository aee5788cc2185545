"""A review asks for its two commits' ids a dozen times; each answer by id is asked of git once
(reviewer.review.git.resolve), a name (a branch, HEAD) every time, since it can move."""

from __future__ import annotations

import pytest
from scenario import first_commit, git_calls

from reviewer.review import git as review_git


def test_a_commit_id_is_asked_of_git_once(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.txt").write_text("a\n")
    first_commit(root, "one")
    asked = git_calls(monkeypatch)
    commit = review_git.resolve(root, "main")
    for _ in range(5):
        assert review_git.resolve(root, commit) == commit
    assert review_git.resolve(root, "main") == commit
    assert len([args for args in asked if args[0] == "rev-parse"]) == 2      # main twice, the id never again
    with pytest.raises(review_git.GitError):
        review_git.resolve(root, "0" * 40)
    with pytest.raises(review_git.GitError):
        review_git.resolve(root, "0" * 40)                                # a failure is not remembered
