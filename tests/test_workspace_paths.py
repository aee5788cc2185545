"""The workspace's path questions, answered from cached directory listings, agree with the file system.

Every path is asked about in a tree holding files, directories, a FIFO, and links to files and
directories inside and outside the workspace: a path is there only when it is reached through no
link, and a link is only ever reported, never followed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
