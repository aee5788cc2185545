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
