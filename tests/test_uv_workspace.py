"""A uv workspace member's dependencies are pinned by the workspace root's `uv.lock`, not its own ranges."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.dependency_files import read_dependency_files
from reviewer.workspace import Workspace

ROOT = """[project]
name = "app"
version = "0.1.0"
dependencies = ["orders", "shared"]

[dependency-groups]
dev = ["pytest>=8"]

[tool.uv.workspace]
members = ["functions/*", "libs/shared"]
exclude = ["functions/legacy"]
"""

LOCK = """version = 1

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "orders" }, { name = "shared" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "orders"
version = "0.1.0"
source = { virtual = "functions/orders" }
dependencies = [{ name = "httpx" }, { name = "shared" }]

[[package]]
name = "shared"
version = "0.1.0"
source = { editable = "libs/shared" }
dependencies = [{ name = "pydantic" }]

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pydantic"
version = "2.11.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.4.1"
source = { registry = "https://pypi.org/simple" }
"""


def member(name: str, requirement: str) -> str:
    return f'[project]\nname = "{name}"\nversion = "0.1.0"\ndependencies = ["{requirement}"]\n'


def workspace(tmp_path: Path) -> Workspace:
    files = {"pyproject.toml": ROOT, "uv.lock": LOCK,
             "functions/orders/pyproject.toml": member("orders", "httpx>=0.27"),
             "functions/legacy/pyproject.toml": member("legacy", "requests>=2"),
             "libs/shared/pyproject.toml": member("shared", "pydantic>=2")}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return Workspace(tmp_path)


def test_a_member_ships_the_releases_the_root_lock_pins_for_it_and_no_range_is_unauditable(tmp_path):
    result = read_dependency_files(workspace(tmp_path), "functions/orders")
    assert sorted((pin.name, pin.version, pin.location.path) for pin in result.pins) == [
        ("httpx", "0.28.1", "uv.lock"), ("pydantic", "2.11.7", "uv.lock")]   # through the shared member
    assert result.unauditable == []
    assert "uv.lock" in result.files


def test_a_directory_the_workspace_excludes_keeps_its_own_ranges(tmp_path):
    result = read_dependency_files(workspace(tmp_path), "functions/legacy")
    assert result.pins == []
    assert [item.requirement for item in result.unauditable] == ["requests>=2"]
