"""The wheel declares ranges (it installs beside other pins); the hashed lock stays what runs here.

Tests have no network, so the wheel is not installed beside other pins here: its metadata is
checked instead. The ranges in pyproject.toml are what setuptools writes as Requires-Dist (the
installed metadata of this checkout says so), they hold the versions the lock installs, and they
accept other supported releases of boto3, botocore and requests that projects commonly pin.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "dependencies" not in project.get("dynamic", [])
    return {canonicalize_name(req.name): req for req in map(Requirement, project["dependencies"])}


def _pinned() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.in").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_every_chosen_dependency_is_declared_with_a_range_holding_the_locked_version():
    declared, pinned = _declared(), _pinned()
    assert set(declared) == set(pinned)
    for name, requirement in declared.items():
        operators = {spec.operator for spec in requirement.specifier}
        assert operators == {">=", "<"}, f"{name}: {requirement} is not a range"
        assert requirement.specifier.contains(pinned[name]), f"{name}: {requirement} excludes the lock's {pinned[name]}"


@pytest.mark.parametrize("name, version", [
    ("boto3", "1.34.162"), ("botocore", "1.34.162"), ("boto3", "1.35.36"), ("botocore", "1.35.36"),
    ("boto3", "1.40.0"), ("requests", "2.31.0"), ("requests", "2.32.3"), ("pyyaml", "6.0.1"),
    ("jinja2", "3.1.4"), ("packaging", "24.1"),
])
def test_other_supported_pins_of_common_dependencies_are_accepted(name, version):
    assert _declared()[name].specifier.contains(Version(version))


def test_the_installed_metadata_of_this_checkout_carries_the_ranges():
    """setuptools turns [project].dependencies into Requires-Dist unchanged (`pip install -e .`)."""
    installed = {canonicalize_name(req.name): req for req in map(Requirement, metadata.requires("lambda-review") or [])}
    assert {name: str(req.specifier) for name, req in installed.items()} == \
        {name: str(req.specifier) for name, req in _declared().items()}


def test_the_package_metadata_has_licence_classifiers_and_project_urls():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and (ROOT / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert "Programming Language :: Python :: 3.13" in project["classifiers"]
    assert {"Source", "Issues", "Changelog", "Documentation"} <= set(project["urls"])
    image_python = re.search(r"^FROM python:(\d+\.\d+)-", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert image_python and f"Programming Language :: Python :: {image_python.group(1)}" in project["classifiers"]
