"""A git revision's source files that cannot be the CDK's are not read to find CDK apps.

The CDK reader looks for Lambda constructs in every source file, and a file that names no CDK
module (`aws_cdk`, `aws-cdk-lib`, ...) declares none. Read from git objects (a review's revisions),
one `git grep` tells which files hold a marker; the others are never handed over. What the reader
reports must be what reading every file reports: the checkout of the same commit is the reference,
over every CDK fixture app plus a monorepo's plain function code, a file above the size limit, a
file with an upper-case suffix, and a marker inside a file that is not UTF-8.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scenario import git

from reviewer.inventory.cdk.read import CdkFormat
from reviewer.review import git as review_git
from reviewer.review import revision_tree
from reviewer.review.revision_tree import RevisionTree
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "cdk"
LIMIT = 4096


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("cdk-skipping") / "repo"
    shutil.copytree(FIXTURES, root / "apps")
    for index in range(6):                               # the functions' own code: no CDK in it
        (root / f"services/svc{index}/src/app.py").parent.mkdir(parents=True)
        (root / f"services/svc{index}/src/app.py").write_text("import json\n\ndef handler(event, context):\n"
                                                              "    return json.dumps(event)\n")
        (root / f"services/svc{index}/web/index.ts").parent.mkdir(parents=True)
        (root / f"services/svc{index}/web/index.ts").write_text("export const handler = async () => 1;\n")
    (root / "services/big.py").write_text("X = 1\n" * 1000)                  # over LIMIT, no marker
    (root / "services/big_cdk.py").write_text("import aws_cdk\n" + "X = 1\n" * 1000)
    (root / "services/LOUD.PY").write_text("from aws_cdk import aws_lambda as lambda_\n")
    (root / "services/latin1.py").write_bytes(b"import aws_cdk  # caf\xe9\n")
    (root / "services/binary.ts").write_bytes(b"\x00aws-cdk-lib\x00")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "apps")
    return root, git(root, "rev-parse", "HEAD").strip()


def report(workspace: Workspace) -> tuple[list[dict], list[tuple[str, str, str]]]:
    result = CdkFormat().scan(workspace)
    notices = [(notice.rule_id, notice.path, notice.message) for notice in [*result.notices, *workspace.notices]]
    return [function.to_json() for function in result.functions], sorted(notices)


@pytest.mark.parametrize("named_paths", [revision_tree.MAX_NAMED_PATHS, 0], ids=["each-named", "by-suffix"])
def test_files_without_a_marker_are_not_read_and_the_answers_stay(repository, monkeypatch, named_paths):
    root, commit = repository
    monkeypatch.setattr(revision_tree, "MAX_NAMED_PATHS", named_paths)
    asked: list[str] = []
    original_read, original_fetch = RevisionTree.read, RevisionTree._fetch

    def read(self: RevisionTree, rel: str, limit: int) -> bytes:
        asked.append(rel)
        return original_read(self, rel, limit)

    def fetch(self: RevisionTree, batch: list[str], limit: int) -> None:
        asked.extend(batch)
        original_fetch(self, batch, limit)

    monkeypatch.setattr(RevisionTree, "read", read)
    monkeypatch.setattr(RevisionTree, "_fetch", fetch)
    with RevisionTree(root, commit) as tree:
        from_git = report(Workspace(root, max_file_size=LIMIT, tree=tree))
    from_checkout = report(Workspace(root, max_file_size=LIMIT))

    assert from_git == from_checkout
    functions, notices = from_git
    assert len(functions) >= 8                               # every fixture app still declares its functions
    assert ("LR902", "services/big.py") in {(rule, path) for rule, path, _ in notices}
    assert ("LR902", "services/big_cdk.py") in {(rule, path) for rule, path, _ in notices}
    plain = {f"services/svc{index}/{name}" for index in range(6) for name in ("src/app.py", "web/index.ts")}
    assert not plain & set(asked)
    assert {"services/LOUD.PY", "services/latin1.py", "services/binary.ts"} <= set(asked)
    assert any(path.startswith("apps/python-app/") for path in asked)


def test_what_git_cannot_search_is_read(repository, monkeypatch):
    """When `git grep` fails, nothing is taken as lacking a marker: every file is read as before."""
    root, commit = repository

    def failing(*args: object, **kwargs: object) -> set[str]:
        raise review_git.GitError("git grep failed: exit 128")

    monkeypatch.setattr(review_git, "files_containing", failing)
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, max_file_size=LIMIT, tree=tree)
        assert workspace.lacking(["services/svc0/src/app.py"], ("aws_cdk",)) == frozenset()
        assert report(workspace) == report(Workspace(root, max_file_size=LIMIT))


def test_literal_pathspecs_in_the_environment_do_not_hide_a_marker(repository, monkeypatch):
    """With GIT_LITERAL_PATHSPECS=1 a wildcard would match no file, and every file would look unmarked."""
    root, commit = repository
    monkeypatch.setenv("GIT_LITERAL_PATHSPECS", "1")
    found = review_git.files_containing(root, commit, [b"aws_cdk"], [":(top,icase)*.py"])()
    assert "services/LOUD.PY" in found and "services/svc0/src/app.py" not in found
    monkeypatch.setattr(revision_tree, "MAX_NAMED_PATHS", 0)
    with RevisionTree(root, commit) as tree:
        lacking = Workspace(root, max_file_size=LIMIT, tree=tree).lacking(
            ["services/svc0/src/app.py", "services/LOUD.PY", "services/big.py"], ("aws_cdk",))
    assert lacking == {"services/svc0/src/app.py"}


def test_the_checkout_as_head_reads_only_what_git_cannot_vouch_for(repository, tmp_path, monkeypatch):
    """The action's head is the checkout: git searches its tracked files as they are on disk.
    Untracked files, and tracked ones edited since (a marker added), are judged by their bytes."""
    from reviewer.review.checkout_tree import CheckoutTree
    from reviewer.workspace import DirectoryTree

    source, _ = repository
    root = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(source), str(root))
    (root / "services/svc1/src/app.py").write_text("from aws_cdk import aws_lambda as lambda_\n")   # edited
    (root / "services/untracked.py").write_text("X = 1\n")
    (root / "services/untracked_cdk.py").write_text("import aws_cdk\n")
    asked: list[str] = []
    original = DirectoryTree.read

    def read(self: DirectoryTree, rel: str, limit: int) -> bytes:
        asked.append(rel)
        return original(self, rel, limit)

    monkeypatch.setattr(DirectoryTree, "read", read)
    from_checkout_tree = report(Workspace(root, max_file_size=LIMIT, tree=CheckoutTree(root)))
    read_by_git = set(asked)
    asked.clear()
    assert from_checkout_tree == report(Workspace(root, max_file_size=LIMIT))

    assert {"services/svc1/src/app.py", "services/untracked.py", "services/untracked_cdk.py"} <= read_by_git
    assert not {"services/svc0/src/app.py", "services/svc2/web/index.ts"} & read_by_git
    assert "services/svc0/src/app.py" in asked                   # the plain DirectoryTree reads it


def test_a_checkout_below_the_top_of_its_repository_is_read_in_full(repository, tmp_path):
    from reviewer.review.checkout_tree import CheckoutTree

    source, _ = repository
    root = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(source), str(root))
    below = root / "services"
    workspace = Workspace(below, max_file_size=LIMIT, tree=CheckoutTree(below))
    assert workspace.lacking(["svc0/src/app.py", "svc1/src/app.py"], ("aws_cdk",)) == frozenset()
    whole = Workspace(root, max_file_size=LIMIT, tree=CheckoutTree(root))
    assert whole.lacking(["services/svc0/src/app.py", "services/LOUD.PY"], ("aws_cdk",)) == {"services/svc0/src/app.py"}


def test_git_does_not_search_the_folders_the_workspace_never_lists(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    for rel in ("app.py", "node_modules/pkg/cdk.js", "web/node_modules/lib/cdk.js", "src/.venv/lib/site.py",
                "src/stack.js"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("const cdk = require('aws-cdk-lib');\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "vendored")
    commit = git(root, "rev-parse", "HEAD").strip()
    monkeypatch.setattr(revision_tree, "MAX_NAMED_PATHS", 0)
    searched, pathspecs = revision_tree.grep_pathspecs(["app.py", "src/stack.js", "node_modules/pkg/cdk.js"])
    assert searched == ["app.py", "src/stack.js"]               # one inside a skipped folder is read instead
    assert review_git.files_containing(root, commit, [b"aws-cdk-lib"], pathspecs)() == {"app.py", "src/stack.js"}
