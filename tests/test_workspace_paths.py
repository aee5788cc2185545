"""The workspace's path questions, answered from cached directory listings, agree with the file system.

Every path is asked about in a tree holding files, directories, a FIFO, and links to files and
directories inside and outside the workspace: a path is there only when it is reached through no
link, and a link is only ever reported, never followed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from inventory_helpers import scan_report

from reviewer.workspace import Workspace


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "key.py").write_text("KEY = 1\n")
    root = tmp_path / "repo"
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "__init__.py").write_text("")
    (root / "src" / "app.py").write_text("import pkg\n")
    os.mkfifo(root / "src" / "pipe")
    os.symlink("app.py", root / "src" / "alias.py")
    os.symlink("pkg", root / "src" / "linked_pkg")
    os.symlink(str(outside / "secret"), root / "src" / "escape")
    return root


PATHS = [
    ".", "src", "src/app.py", "src/pkg", "src/pkg/__init__.py", "src/pipe", "src/alias.py", "src/linked_pkg",
    "src/linked_pkg/__init__.py", "src/escape", "src/escape/key.py", "src/missing.py", "missing/app.py",
    "src/app.py/inner", "src/pkg/../app.py", "src/./app.py",
]


def expected(root: Path, rel: str) -> tuple[bool, bool, bool]:
    """(exists, is_dir, is_symlink) by the rule: nothing reached through a link is there."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    current = root
    for index, part in enumerate(parts):
        current = current / part
        if current.is_symlink():
            last = index == len(parts) - 1
            return False, False, last and ".." not in parts
    return current.exists(), current.is_dir(), False


@pytest.mark.parametrize("rel", PATHS)
def test_answers_match_the_file_system(tree, rel):
    workspace = Workspace(tree)
    exists, is_dir, is_link = expected(tree, rel)
    assert workspace.exists(rel) is exists
    assert workspace.is_dir(rel) is is_dir
    assert workspace.is_symlink(rel) is is_link


def test_each_directory_is_listed_once_and_none_outside(tree):
    workspace = Workspace(tree)
    for rel in [*PATHS, "../repo/src/app.py", "src/../../outside"] * 3:
        workspace.exists(rel)
        workspace.is_symlink(rel)
    assert set(workspace._entries) <= {"", "src", "src/pkg", "src/app.py", "missing"}


def test_the_listing_is_the_file_systems_regular_files_in_walk_order(tree):
    (tree / "src" / "pkg" / "deep").mkdir()
    (tree / "src" / "pkg" / "deep" / "z.py").write_text("")
    (tree / "src" / "b.txt").write_text("")
    (tree / "node_modules" / "left").mkdir(parents=True)
    (tree / "node_modules" / "left" / "index.js").write_text("")
    (tree / "README.md").write_text("")
    expected_files = []
    for directory, subdirs, files in os.walk(tree):
        subdirs[:] = sorted(d for d in subdirs if d != "node_modules" and not Path(directory, d).is_symlink())
        prefix = Path(directory).relative_to(tree).as_posix()
        expected_files += [f"{prefix}/{name}".removeprefix("./") for name in sorted(files)
                           if not Path(directory, name).is_symlink()]
    workspace = Workspace(tree)
    assert list(workspace.iter_files()) == expected_files
    assert expected_files[:2] == ["README.md", "src/app.py"] and "src/pipe" in expected_files
    # The link leading out is reported once it is met; the links inside are only skipped.
    assert [notice.path for notice in workspace.notices] == ["src/escape"]


class _AskedTree:
    """The checkout, recording which files `lacking` and `prefetch` ask about by name."""

    def __init__(self, root: Path) -> None:
        from reviewer.workspace import DirectoryTree

        self._disk = DirectoryTree(root)
        self.asked: list[list[str]] = []

    def __getattr__(self, name: str):
        return getattr(self._disk, name)

    def lacking(self, rels, needles, limit):
        self.asked.append(list(rels))
        return frozenset()

    def prefetch(self, rels, limit):
        self.asked.append(list(rels))


def test_the_listings_files_are_asked_about_without_a_path_walk_each(tree, monkeypatch):
    """A file the listing holds is a regular file reached through directories only: `lacking` and
    `prefetch` ask the tree about it without walking its path again; any other path still is."""
    asked = _AskedTree(tree)
    workspace = Workspace(tree, tree=asked)
    listed = list(workspace.iter_files())
    assert listed == ["src/app.py", "src/pipe", "src/pkg/__init__.py"]
    walks: list[str] = []
    real = workspace._has_link_on_path
    monkeypatch.setattr(workspace, "_has_link_on_path", lambda rel: walks.append(rel) or real(rel))
    extra = ["src/alias.py", "src/linked_pkg/__init__.py", "src/escape/key.py", "src/./app.py", "src/missing.py"]
    workspace.lacking(listed + extra, ("import",))
    workspace.prefetch(listed + extra)
    assert asked.asked == [["src/app.py", "src/pkg/__init__.py"]] * 2       # no FIFO, link or odd name
    assert "src/app.py" not in walks and "src/pkg/__init__.py" not in walks
    assert {"src/alias.py", "src/linked_pkg/__init__.py"} <= set(walks)


def test_a_format_asking_for_its_suffixes_twice_gets_the_same_files(tree):
    workspace = Workspace(tree)
    first = list(workspace.iter_files((".py",)))
    assert first == ["src/app.py", "src/pkg/__init__.py"]
    assert list(workspace.iter_files((".py",))) == first
    assert list(workspace.iter_files((".PY", ".txt"))) == []


def test_yarns_own_folder_is_tool_state_not_source(tmp_path):
    """A Yarn Berry project commits Yarn itself (`.yarn/releases/yarn-4.x.cjs`, megabytes) beside
    each function's code: neither listed nor read, so no file-size notice for each function."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'resource "aws_lambda_function" "notify" {\n  function_name = "notify"\n  role = "r"\n'
        '  package_type = "Image"\n  image_uri = "${var.notify_image_uri}:latest"\n}\n'
        'variable "notify_image_uri" {\n  type = string\n}\n')
    code = tmp_path / "functions" / "notify"
    (code / ".yarn" / "releases").mkdir(parents=True)
    (code / "src").mkdir()
    (code / "Dockerfile").write_text('FROM public.ecr.aws/lambda/nodejs:22\nCOPY build ./\nCMD ["main.handler"]\n')
    (code / "src" / "main.ts").write_text("export const handler = async () => ({});\n")
    (code / ".yarn" / "releases" / "yarn-4.0.0.cjs").write_text("//" + "x" * 3000 + "\n")
    (tmp_path / ".lambda-review.yml").write_text("max-file-size: 1000\n")
    assert not [rel for rel in Workspace(tmp_path).iter_files() if "/.yarn/" in rel]
    report = scan_report(tmp_path, "2026-11-22")
    assert [f["rule_id"] for f in report["findings"] if f["rule_id"] == "LR902"] == []


def test_hidden_paths_leave_the_listing_but_not_the_repositorys_contents(tree):
    """A review's base hides what it carries over from the head: the formats do not list it, a
    question about what the repository holds (`hidden_too`) still finds it, in its place, and a
    link under it is not reported (the head reports it)."""
    (tree / "src" / "pkg" / "mod.py").write_text("")
    workspace = Workspace(tree, hidden=frozenset({"src/pkg", "src/escape"}))
    assert list(workspace.iter_files((".py",))) == ["src/app.py"]
    assert list(workspace.iter_files((".py",), hidden_too=True)) == ["src/app.py", "src/pkg/__init__.py",
                                                                      "src/pkg/mod.py"]
    assert list(workspace.iter_files((".py",))) == ["src/app.py"]
    assert workspace.notices == []
