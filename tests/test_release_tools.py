"""The release workflow's edit of action.yml, on a fixture digest, and the workflow that runs it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "release_tools.py"
DIGEST = "sha256:" + "0123456789abcdef" * 4
IMAGE = "ghcr.io/Lambda-Review/Lambda-Review"


def _tools():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("release_tools", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd)


def test_main_builds_from_the_dockerfile_so_uses_dot_runs_the_checkout():
    assert yaml.safe_load((ROOT / "action.yml").read_text())["runs"] == {"using": "docker", "image": "Dockerfile"}


def test_the_release_commit_names_the_pushed_image_by_digest_and_changes_nothing_else(tmp_path):
    action = tmp_path / "action.yml"
    original = (ROOT / "action.yml").read_text()
    action.write_text(original)

    completed = _run("pin-image", "--image", IMAGE, "--digest", DIGEST, str(action))

    assert completed.returncode == 0, completed.stderr
    pinned = action.read_text()
    parsed = yaml.safe_load(pinned)
    assert parsed["runs"] == {"using": "docker", "image": f"docker://ghcr.io/lambda-review/lambda-review@{DIGEST}"}
    assert parsed["inputs"] == yaml.safe_load(original)["inputs"]          # defaults kept, github-token included
    changed = [(a, b) for a, b in zip(original.splitlines(), pinned.splitlines(), strict=False) if a != b]
    assert len(changed) == 1 and len(original.splitlines()) == len(pinned.splitlines())


@pytest.mark.parametrize("image, digest, message", [
    (IMAGE, "sha256:1234", "not a sha256 digest"),
    (IMAGE, "latest", "not a sha256 digest"),
    ("ghcr.io/owner/name:v1", DIGEST, "not an image name"),
    ("ghcr.io/owner/name\nimage: evil", DIGEST, "not an image name"),
])
def test_a_malformed_digest_or_image_name_is_refused_and_the_file_left_alone(tmp_path, image, digest, message):
    action = tmp_path / "action.yml"
    action.write_text((ROOT / "action.yml").read_text())
    completed = _run("pin-image", "--image", image, "--digest", digest, str(action))
    assert completed.returncode == 2 and message in completed.stderr
    assert action.read_text() == (ROOT / "action.yml").read_text()


def test_an_already_pinned_action_is_not_pinned_twice():
    tools = _tools()
    once = tools.pin_image((ROOT / "action.yml").read_text(), IMAGE, DIGEST)
    with pytest.raises(tools.ReleaseError, match="already a release commit"):
        tools.pin_image(once, IMAGE, DIGEST)


def test_a_second_image_line_elsewhere_is_refused():
    tools = _tools()
    text = (ROOT / "action.yml").read_text().replace('  image: "Dockerfile"', '  image: "Dockerfile"\n  x:\n    image: Dockerfile')
    with pytest.raises(tools.ReleaseError, match="exactly one"):
        tools.pin_image(text, IMAGE, DIGEST)


def test_the_version_must_be_the_packages_and_have_changelog_notes(tmp_path):
    tools = _tools()
    (tmp_path / "reviewer").mkdir()
    (tmp_path / "reviewer" / "__init__.py").write_text('__version__ = "1.2.3"\n')
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2027-01-05\n\n"
                                           "### Fixed\n- A thing.\n\n## [1.2.2] - 2026-12-01\n- Older.\n")
    tools.check_version("1.2.3", tmp_path)
    assert tools.notes("1.2.3", tmp_path) == "### Fixed\n- A thing.\n"
    assert tools.major_tag("1.2.3") == "v1"
    for version, message in (("v1.2.3", "MAJOR.MINOR.PATCH"), ("1.2.4", "says 1.2.3"), ("1.2", "MAJOR.MINOR.PATCH")):
        with pytest.raises(tools.ReleaseError, match=message):
            tools.check_version(version, tmp_path)
    (tmp_path / "reviewer" / "__init__.py").write_text('__version__ = "1.2.4"\n')
    with pytest.raises(tools.ReleaseError, match="no `## \\[1.2.4\\]` section"):
        tools.check_version("1.2.4", tmp_path)


def test_this_checkouts_version_has_release_notes():
    from reviewer import __version__

    assert _tools().notes(__version__).strip()


def _release_workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())


def _steps(job: dict) -> list[dict]:
    return list(job["steps"])


def test_the_release_workflow_pushes_one_multi_platform_image_with_provenance_and_sbom_and_pins_its_digest():
    workflow = _release_workflow()
    assert set(workflow[True]) == {"workflow_dispatch"}                   # by hand, with a version
    assert "version" in workflow[True]["workflow_dispatch"]["inputs"]
    image_job, release_job = workflow["jobs"]["image"], workflow["jobs"]["release"]
    [build] = [step for step in _steps(image_job) if str(step.get("uses", "")).startswith("docker/build-push-action@")]
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert build["with"]["push"] is True and build["with"]["provenance"] == "mode=max" and build["with"]["sbom"] is True
    assert image_job["outputs"]["digest"] == "${{ steps.%s.outputs.digest }}" % build["id"]
    assert "${GITHUB_REPOSITORY,,}" in "".join(step.get("run", "") for step in _steps(image_job))  # lower-cased
    assert release_job["needs"] == "image"
    script = "\n".join(step.get("run", "") for step in _steps(release_job))
    assert "scripts/release_tools.py pin-image" in script and "needs.image.outputs.digest" in str(release_job)
    assert 'git tag' in script and "git push" in script and "gh release create" in script
    assert "major-tag" in script                                          # v0 follows the newest release


def test_release_and_publish_jobs_only_get_the_permissions_they_use():
    workflow = _release_workflow()
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["image"]["permissions"]["packages"] == "write"
    assert "packages" not in workflow["jobs"]["release"]["permissions"]
    publish = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    [upload] = [job for job in publish["jobs"].values() if any(
        str(step.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for step in job["steps"])]
    assert upload["permissions"] == {"id-token": "write"} and upload["environment"]["name"] == "pypi"
    assert not any("password" in (step.get("with") or {}) for step in upload["steps"])   # trusted publishing
