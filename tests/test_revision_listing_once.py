"""A review lists each commit's tree once (reviewer.review.git.list_revision).

The early start of the dependency audit looks for dependency files in the head's listing, and the
head's RevisionTree is built from the same listing: one `git ls-tree` for the head, however many
times the run asks for it. Tree paths are checked for what a checkout could not hold; the quick
acceptance of ordinary paths must refuse exactly what the full check refuses.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st
from scenario import first_commit, git, git_calls

from reviewer.review import git as review_git
from reviewer.review.early_engines import warm_up_audit
from reviewer.review.revision_tree import RevisionTree


def _repository(root: Path) -> str:
    (root / "svc/orders").mkdir(parents=True)
    (root / "svc/orders/app.py").write_text("def handler(event, context):\n    return 1\n")
    (root / "svc/orders/requirements.txt").write_text("requests==2.31.0\n")
    (root / ".github").mkdir()
    (root / ".github/ci.yml").write_text("on: push\n")
    return first_commit(root, "one")


def test_the_head_is_listed_by_git_once(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    head = _repository(root)
    asked = git_calls(monkeypatch)
    monkeypatch.setattr("reviewer.analyzers.pip_audit_engine.warm_up", lambda: None)
    warm_up_audit(root, head)
    with RevisionTree(root, head) as tree:
        assert tree.entries("svc/orders") == {"app.py": "file", "requirements.txt": "file"}
        assert tree.entries(".github") == {"ci.yml": "file"}
    with RevisionTree(root, head) as again:
        assert set(again.blobs()) == {"svc/orders/app.py", "svc/orders/requirements.txt", ".github/ci.yml"}
    assert [args[0] for args in asked].count("ls-tree") == 1


def test_the_early_audit_starts_from_the_listing(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    head = _repository(root)
    started: list[bool] = []
    monkeypatch.setattr("reviewer.analyzers.pip_audit_engine.warm_up", lambda: started.append(True))
    warm_up_audit(root, head)
    assert started == [True]


def _full_check(path: bytes) -> bool:
    parts = path.split(b"/")
    return bool(path) and not path.startswith(b"/") and all(
        part not in (b"", b".", b"..") and part.lower() != b".git" for part in parts)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b.py", b".", b"..", b".git", b".GiT", b".github", b"", b"x.", b"/"]),
                max_size=5).map(lambda parts: b"/".join(parts)))
def test_a_tree_path_is_refused_exactly_when_the_full_check_refuses_it(path):
    assert review_git._safe_tree_path(path) == _full_check(path)


def test_sizes_git_gave_for_one_revision_serve_the_other(tmp_path, monkeypatch):
    """Blob sizes are kept by object id: the base's total of template bytes asks git nothing about
    the blobs the head already asked about, only about those that differ."""
    root = tmp_path / "repo"
    root.mkdir()
    base = _repository(root)
    (root / "svc/orders/app.py").write_text("def handler(event, context):\n    return 2\n")
    git(root, "commit", "-q", "-am", "two")
    head = git(root, "rev-parse", "HEAD").strip()
    asked: list[int] = []
    original = review_git.start_blob_sizes
    monkeypatch.setattr(review_git, "start_blob_sizes", lambda where, ids: asked.append(len(ids)) or original(where, ids))
    with RevisionTree(root, head) as head_tree:
        head_total = head_tree.total_size((".py", ".txt", ".yml"))
    assert asked == [3]
    with RevisionTree(root, base) as base_tree:
        base_total = base_tree.total_size((".py", ".txt", ".yml"))
        assert asked == [3, 1]                                   # only the app.py that differs
        assert base_tree._blobs["svc/orders/requirements.txt"][2] == len("requests==2.31.0\n")
    assert head_total == base_total


def test_changed_paths_are_those_whose_object_or_mode_differ(tmp_path):
    """`changed_since` compares the two listings as sets: the paths are those a comparison of
    each path's (object id, mode) finds, for edits, a mode change, a deletion, an addition, a file
    turned into a folder and a link."""
    import os

    root = tmp_path / "repo"
    root.mkdir()
    base = _repository(root)
    (root / "svc/orders/app.py").write_text("def handler(event, context):\n    return 2\n")
    (root / "svc/orders/requirements.txt").chmod(0o755)
    (root / ".github/ci.yml").unlink()
    (root / ".github/ci.yml").mkdir()
    (root / ".github/ci.yml/inner.yml").write_text("on: pull_request\n")
    (root / "new.txt").write_text("new\n")
    os.symlink("svc/orders/app.py", root / "alias.py")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two")
    head = git(root, "rev-parse", "HEAD").strip()
    with RevisionTree(root, head) as head_tree, RevisionTree(root, base) as base_tree:
        head_blobs, base_blobs = head_tree.blobs(), base_tree.blobs()
        expected = {path for path in head_blobs.keys() | base_blobs.keys()
                    if head_blobs.get(path) != base_blobs.get(path)}
        assert expected == {"svc/orders/app.py", "svc/orders/requirements.txt", ".github/ci.yml",
                            ".github/ci.yml/inner.yml", "new.txt", "alias.py"}
        head_tree.total_size((".py", ".txt"))                      # sizes learnt change nothing
        assert head_tree.changed_since(base_tree) == expected == base_tree.changed_since(head_tree)
