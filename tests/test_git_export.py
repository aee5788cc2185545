"""Exporting revisions from git objects: a second export into the same directory rewrites only what differs.

A pull request review exports the head, then turns the same directory into the base. The result
must be exactly what a fresh export of the base gives, whatever the change did to the tree.
"""

from __future__ import annotations

import os
from pathlib import Path

from scenario import git

from reviewer.review import git as review_git


def tree(directory: Path) -> dict[str, bytes | str]:
    """Every file (its bytes) and every directory ("dir") under `directory`."""
    found: dict[str, bytes | str] = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        found[rel] = "dir" if path.is_dir() else path.read_bytes()
    return found


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def two_commits(tmp_path: Path) -> tuple[Path, str, str]:
    """A base, and a head that edits, adds, deletes, turns a file into a directory and back, and links."""
    root = tmp_path / "repo"
    (root / "src/orders").mkdir(parents=True)
    (root / "src/orders/app.py").write_text("def handler(event, context):\n    return 1\n")
    (root / "src/unchanged.py").write_text("VALUE = 1\n")
    (root / "src/gone/old.py").parent.mkdir(parents=True)
    (root / "src/gone/old.py").write_text("OLD = True\n")
    (root / "becomes_dir").write_text("a file on the base\n")
    (root / "becomes_file").mkdir()
    (root / "becomes_file/inner.txt").write_text("a directory on the base\n")
    (root / "script.sh").write_text("echo base\n")
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
    os.chmod(root / "script.sh", 0o755)
    os.symlink("../../etc/passwd", root / "src/escape")
    head = commit_all(root, "head")
    return root, base, head


def test_turning_the_head_export_into_the_base_gives_a_fresh_export_of_the_base(tmp_path):
    root, base, head = two_commits(tmp_path)
    fresh, reused = tmp_path / "fresh", tmp_path / "reused"
    fresh.mkdir()
    reused.mkdir()
    escaping_fresh, _ = review_git.export_revision(root, base, fresh)

    head_escaping, head_listing = review_git.export_revision(root, head, reused)
    unchanged = os.stat(reused / "src/unchanged.py")
    escaping, _ = review_git.export_revision(root, base, reused, previous=head_listing)

    assert head_escaping == ["src/escape"]
    assert escaping == escaping_fresh == []
    assert tree(reused) == tree(fresh)
    assert "src/gone/old.py" in tree(reused) and "src/new.py" not in tree(reused)
    # The file both commits share was left alone, not written again.
    again = os.stat(reused / "src/unchanged.py")
    assert (again.st_ino, again.st_mtime_ns) == (unchanged.st_ino, unchanged.st_mtime_ns)


def test_turning_the_base_export_into_the_head_gives_a_fresh_export_of_the_head(tmp_path):
    root, base, head = two_commits(tmp_path)
    fresh, reused = tmp_path / "fresh", tmp_path / "reused"
    fresh.mkdir()
    reused.mkdir()
    review_git.export_revision(root, head, fresh)

    _, base_listing = review_git.export_revision(root, base, reused)
    escaping, _ = review_git.export_revision(root, head, reused, previous=base_listing)

    assert escaping == ["src/escape"]
    assert tree(reused) == tree(fresh)
