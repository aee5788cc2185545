"""Types and lint as part of the test command CI runs (`.ci/run` runs exactly the README's command).

The settings live in pyproject.toml (`[tool.mypy]`, `[tool.ruff]`): mypy over `reviewer/`, strict for
the contracts (model, rules) and the review and publishing layers; ruff over the whole repository
except the fixtures, which are repositories under review, not our code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A cold mypy run over the package takes tens of seconds on a busy machine; the limit only stops a hang.
TIMEOUT_SECONDS = 900


def _run(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS, check=False)


def test_mypy_finds_no_type_errors(tmp_path: Path) -> None:
    # A cache of its own: nothing is written into the checkout, and no stale cache hides an error.
    result = _run(["mypy", "--config-file", "pyproject.toml", "--cache-dir", str(tmp_path / "mypy-cache")])
    assert result.returncode == 0, f"mypy reported errors:\n{result.stdout}{result.stderr}"


def test_ruff_finds_no_lint_errors() -> None:
    result = _run(["ruff", "check", "--no-cache", "--config", "pyproject.toml", "."])
    assert result.returncode == 0, f"ruff reported errors:\n{result.stdout}{result.stderr}"


def test_every_dataclass_says_what_it_holds() -> None:
    """A docstring for every dataclass: it says what the class holds, and without one Python 3.11's
    decorator builds one from `inspect.signature` at import, about 0.3 ms a class on every run."""
    import ast

    missing = []
    for path in sorted((ROOT / "reviewer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None and any(
                    (decorator.func if isinstance(decorator, ast.Call) else decorator).__dict__.get("id") == "dataclass"
                    for decorator in node.decorator_list):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not missing, "dataclasses without a docstring:\n" + "\n".join(missing)
