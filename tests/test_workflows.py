"""The repository's own workflows and the documented example workflows pass zizmor and actionlint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/workflows/*.yml")])


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed (requirements-dev.txt)")
    return found


def test_there_are_workflows_to_check():
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "release.yml", "lambda-review.yml", "lambda-review-post.yml"} <= names


def test_zizmor_finds_nothing():
    completed = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--config", str(ROOT / "zizmor.yml"),
                                *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert completed.returncode == 0 and "No findings to report" in completed.stdout, completed.stdout + completed.stderr


def test_actionlint_finds_nothing():
    completed = subprocess.run([_tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_readme_shows_the_example_workflows_verbatim():
    readme = (ROOT / "README.md").read_text()
    for name in ("lambda-review.yml", "lambda-review-post.yml"):
        assert (ROOT / "examples" / "workflows" / name).read_text() in readme, name
