"""A revision read from git objects answers every workspace question as its checkout would.

Reviews read the base (and, from the CLI, the head) through `RevisionTree` instead of writing
them to disk. The same Workspace over a `git worktree` checkout of the same commit is the
reference: listing, path questions, texts, refusals and notices must agree, for a tree holding
edits, deletions, a file turned into a directory and back, links inside and out, a file above
the size limit, binary and non-UTF-8 content, and an excluded path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scenario import git

from reviewer.review import git as review_git
from reviewer.review.revision_tree import RevisionTree
from reviewer.workspace import UnreadableFile, Workspace

LIMIT = 64


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> tuple[Path, str, str]:
    """(repository, base, head): the head edits, adds, deletes, swaps a file and a directory, links."""
    root = tmp_path_factory.mktemp("revisions") / "repo"
    (root / "src/orders").mkdir(parents=True)
    (root / "src/orders/app.py").write_text("def handler(event, context):\n    return 1\n")
    (root / "src/gone/old.py").parent.mkdir(parents=True)
    (root / "src/gone/old.py").write_text("OLD = True\n")
    (root / "becomes_dir").write_text("a file on the base\n")
    (root / "becomes_file").mkdir()
    (root / "becomes_file/inner.txt").write_text("a directory on the base\n")
    (root / "big.py").write_text("X = 1\n" * 40)                      # 240 bytes: over LIMIT
    (root / "binary.dat").write_bytes(b"\x00\x01")
    (root / "latin1.txt").write_bytes(b"caf\xe9\n")
    (root / "node_modules/pkg").mkdir(parents=True)
    (root / "node_modules/pkg/index.js").write_text("module.exports = 1\n")
    git(root, "init", "-q", "-b", "main")
    base = commit_all(root, "base")
    (root / "src/orders/app.py").write_text("def handler(event, context):\n    return 2\n")
    (root / "src/new.py").write_text("NEW = True\n")
    (root / "src/gone/old.py").unlink()
    (root / "becomes_dir").unlink()
    (root / "becomes_dir").mkdir()
    (root / "becomes_dir/inside.txt").write_text("a directory on the head\n")
    (root / "becomes_file/inner.txt").unlink()
    (root / "becomes_file").rmdir()
    (root / "becomes_file").write_text("a file on the head\n")
    os.symlink("../../etc/passwd", root / "src/escape")
    os.symlink("/etc", root / "etc-dir")
    os.symlink("orders/app.py", root / "src/alias.py")
    os.symlink("orders", root / "src/linked")
    head = commit_all(root, "head")
    return root, base, head


def checkout(root: Path, rev: str, into: Path) -> Path:
    git(root, "clone", "-q", "--no-checkout", str(root), str(into))
    git(into, "checkout", "-q", "--detach", rev)
    return into


QUESTIONS = [
    ".", "src", "src/orders", "src/orders/app.py", "src/new.py", "src/gone", "src/gone/old.py", "becomes_dir",
    "becomes_dir/inside.txt", "becomes_file", "becomes_file/inner.txt", "src/escape", "etc-dir", "etc-dir/passwd",
    "src/alias.py", "src/linked", "src/linked/app.py", "src/orders/../new.py", "src/missing/../new.py",
    "src/./orders/app.py", "missing", "big.py", "binary.dat", "latin1.txt", "node_modules/pkg/index.js",
]


def answers(workspace: Workspace) -> dict[str, object]:
    """Everything a scan asks of a workspace, as comparable values (but git's own `.git`)."""
    found: dict[str, object] = {"files": list(workspace.iter_files())}
    for rel in QUESTIONS:
        try:
            text: object = workspace.read_text(rel)
        except UnreadableFile as unreadable:
            text = (unreadable.notice.rule_id, unreadable.notice.message)
        found[rel] = (workspace.exists(rel), workspace.is_dir(rel), workspace.is_symlink(rel),
                      workspace.crosses_link(rel),
                      sorted(item for item in workspace.entries(rel).items() if item[0] != ".git"), text)
    found["notices"] = sorted((notice.path, notice.message) for notice in workspace.notices)
    return found


@pytest.mark.parametrize("side", ["base", "head"])
@pytest.mark.parametrize("scope", [".", "src"])
@pytest.mark.parametrize("prefetch", [False, True])
def test_a_revision_answers_as_its_checkout(repository, tmp_path, side, scope, prefetch):
    root, base, head = repository
    rev = base if side == "base" else head
    reference = Workspace(checkout(root, rev, tmp_path / side), max_file_size=LIMIT, exclude=("src/new.py",),
                          scope=scope)
    with RevisionTree(root, rev) as tree:
        revision = Workspace(root, max_file_size=LIMIT, exclude=("src/new.py",), scope=scope, tree=tree)
        if prefetch:                                     # as an inventory format does before reading
            revision.prefetch([*revision.iter_files(), *QUESTIONS])
            assert tree._fetched
        assert answers(revision) == answers(reference)
    if side == "head" and scope == ".":               # the cases above are all there
        assert {"src/escape", "etc-dir"} <= {path for path, _ in answers(reference)["notices"]}
        rule, message = answers(reference)["big.py"][-1]
        assert rule == "LR902" and "240 bytes, larger than max-file-size" in message


def test_a_file_over_the_limit_is_refused_from_the_listing_without_reading_it(repository, monkeypatch):
    root, _, head = repository
    with RevisionTree(root, head) as tree:
        monkeypatch.setattr(tree._reader, "read", lambda *args: pytest.fail("the blob was read"))
        monkeypatch.setattr(tree._reader, "read_many", lambda *args: pytest.fail("the blob was fetched"))
        workspace = Workspace(root, max_file_size=LIMIT, tree=tree)
        workspace.prefetch(["big.py"])
        with pytest.raises(UnreadableFile, match="240 bytes, larger than max-file-size"):
            workspace.read_text("big.py")


def test_nothing_is_read_after_the_revision_is_closed(repository):
    root, _, head = repository
    tree = RevisionTree(root, head)
    workspace = Workspace(root, tree=tree)
    assert workspace.read_text("src/new.py") == "NEW = True\n"
    tree.close()
    with pytest.raises(UnreadableFile, match="no longer open"):
        workspace.read_text("src/orders/app.py")
    assert tree._reader._process is None                 # no git process was started again


def test_a_blob_larger_than_the_limit_and_an_object_that_is_no_blob_are_read_past(repository):
    root, _, head = repository
    reader = review_git.BlobReader(root)
    big = review_git.list_revision(root, head)[b"big.py"][0]
    small = review_git.list_revision(root, head)[b"src/new.py"][0]
    try:
        assert reader.read(big, 10) == (240, None)
        assert reader.read(small, 11) == (11, b"NEW = True\n")   # the stream is still in step
        with pytest.raises(review_git.GitError):
            reader.read(b"0" * 40, 10)
        assert reader.read(small, 100) == (11, b"NEW = True\n")
        tree = git(root, "rev-parse", f"{head}^{{tree}}").strip().encode()
        with pytest.raises(review_git.GitError):
            reader.read(tree, 10_000)                            # not a blob: its body is read past
        assert reader.read(small, 100) == (11, b"NEW = True\n")
    finally:
        reader.close()


def test_many_blobs_are_read_in_one_exchange_and_stay_in_step(repository):
    root, _, head = repository
    listing = review_git.list_revision(root, head)
    big, small = listing[b"big.py"][0], listing[b"src/new.py"][0]
    reader = review_git.BlobReader(root)
    try:
        answers = reader.read_many([small, b"0" * 40, big, small] * 200, 100)
        assert answers[:4] == [(11, b"NEW = True\n"), None, (240, None), (11, b"NEW = True\n")]
        assert answers == answers[:4] * 200
        assert reader.read(small, 100) == (11, b"NEW = True\n")
    finally:
        reader.close()


def test_an_unknown_revision_is_a_git_error(repository):
    root, _, _ = repository
    with pytest.raises(review_git.GitError):
        RevisionTree(root, "no-such-branch")


def test_prefetch_holds_no_more_than_its_budget(repository, monkeypatch):
    from reviewer.review import revision_tree

    root, _, head = repository
    monkeypatch.setattr(revision_tree, "PREFETCH_BYTES", 30)
    monkeypatch.setattr(revision_tree, "PREFETCH_BATCH", 1)
    with RevisionTree(root, head) as tree:
        # 11 bytes fit; the 42-byte handler would not, so it and what follows are read when asked for.
        tree.prefetch(["src/new.py", "src/orders/app.py", "becomes_file"], LIMIT)
        assert list(tree._fetched) == ["src/new.py"]
        workspace = Workspace(root, max_file_size=LIMIT, tree=tree)
        assert workspace.read_text("src/orders/app.py").startswith("def handler")


def test_a_scan_of_a_revision_fetches_templates_sources_and_dependency_files_in_batches(tmp_path, monkeypatch):
    """One request to git per file would cost about as much as parsing it: the inventory formats and
    the dependency audit announce what they read, and only what they cannot foresee is read alone."""
    from scenario import committed_copy

    from reviewer.config import Settings
    from reviewer.review.change import scan_revision

    fixture = Path(__file__).parent / "fixtures" / "engines" / "sam-monorepo"
    root, commit = committed_copy(fixture, tmp_path / "repo")
    read_alone: list[str] = []
    real_read = RevisionTree.read
    monkeypatch.setattr(RevisionTree, "read", lambda tree, rel, limit: (
        read_alone.append(rel) if rel not in tree._fetched else None, real_read(tree, rel, limit))[1])

    result = scan_revision(root, commit, Settings(osv_url="http://127.0.0.1:9/v1/query"))

    assert len(result.functions) == 4
    # What no format foresees: the repository's bandit settings, and a file a requirements file includes.
    assert sorted(read_alone) == ["pyproject.toml", "services/common/requirements-common.txt"]


@pytest.mark.parametrize("rel", ["big.py", "src/orders/app.py"])
def test_the_start_of_a_file_of_any_size_reads_as_from_its_checkout(repository, tmp_path, rel):
    root, _, head = repository
    reference = Workspace(checkout(root, head, tmp_path / "head"), max_file_size=LIMIT)
    with RevisionTree(root, head) as tree:
        revision = Workspace(root, max_file_size=LIMIT, tree=tree)
        assert revision.read_start(rel, 10) == reference.read_start(rel, 10) == (reference.root / rel).read_text()[:10]
        assert revision.read_text("src/orders/app.py") == reference.read_text("src/orders/app.py")  # reads go on in step
