"""The repository's own workflows and the documented example workflows pass zizmor and actionlint."""

from __future__ import annotations

import re
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


def test_readme_and_docs_show_the_example_workflows_verbatim():
    for name, page in (("lambda-review.yml", "README.md"), ("lambda-review-post.yml", "docs/forks.md")):
        assert (ROOT / "examples" / "workflows" / name).read_text() in (ROOT / page).read_text(), name


def test_zizmor_pedantic_finds_nothing_unexplained():
    """Pedantic findings are fixed, or ignored inline with the reason next to them."""
    completed = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--persona", "pedantic",
                                "--config", str(ROOT / "zizmor.yml"), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert completed.returncode == 0 and "No findings to report" in completed.stdout, completed.stdout + completed.stderr
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "zizmor: ignore[" in line:
                assert len(line.split("]", 1)[1].strip()) > 10, f"{path.name}: an ignore without its reason: {line}"


def _workflow(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text())


def test_ci_tests_the_oldest_supported_python_and_the_images_and_builds_the_image():
    import re

    ci = _workflow(ROOT / ".github" / "workflows" / "ci.yml")
    image_python = re.search(r"^FROM python:(\d+\.\d+)-", (ROOT / "Dockerfile").read_text(), re.M)
    assert image_python is not None
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", image_python.group(1)]
    assert 'requires-python = ">=3.11"' in (ROOT / "pyproject.toml").read_text()
    build = [step for step in ci["jobs"]["image"]["steps"] if str(step.get("uses", "")).startswith("docker/build-push-action@")]
    assert build and build[0]["with"]["push"] is False
    assert {"pull_request", "merge_group"} <= set(ci[True])


def test_workflows_cancel_superseded_pull_request_runs_and_run_in_merge_queues():
    for name in ("ci.yml", "lambda-review.yml"):
        [path] = [path for path in WORKFLOWS if path.name == name]
        workflow = _workflow(path)
        assert "merge_group" in workflow[True], name
        assert "github.event.pull_request.number" in workflow["concurrency"]["group"], name
        assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}", name


def test_every_action_outside_this_repository_is_pinned_to_a_full_commit():
    import re

    for path in WORKFLOWS:
        for uses in re.findall(r"uses:\s*([^\s#]+)", path.read_text()):
            if uses.startswith("./") or uses.startswith("lambda-review/"):
                continue
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses}"


def test_example_workflows_use_the_same_action_commits_as_this_repositorys_workflows():
    """Dependabot updates .github/workflows only; this keeps the copy-paste examples in step."""
    import re

    def pins(paths):
        found: dict[str, set[str]] = {}
        for path in paths:
            for action, ref in re.findall(r"uses:\s*([\w.-]+/[\w.-]+)(?:/[\w./-]+)?@([0-9a-f]{40})", path.read_text()):
                found.setdefault(action, set()).add(ref)
        return found

    ours = pins(ROOT.glob(".github/workflows/*.yml"))
    examples = pins(ROOT.glob("examples/workflows/*.yml"))
    for action, refs in examples.items():
        assert len(refs) == 1, action
        assert action not in ours or ours[action] == refs, f"{action}: examples {refs}, workflows {ours[action]}"


def test_dependabot_updates_the_lock_the_actions_and_the_base_image():
    import yaml

    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"]: update["directory"] for update in config["updates"]}
    assert ecosystems == {"pip": "/", "github-actions": "/", "docker": "/"}
    assert "pip-compile" in (ROOT / "requirements.txt").read_text().split("\n\n", 1)[0]   # so it recompiles the lock
    assert re.search(r"^FROM python:[\w.-]+@sha256:[0-9a-f]{64}$", (ROOT / "Dockerfile").read_text(), re.M)


def test_the_pre_commit_hook_runs_the_installed_command_on_iac_and_handler_files():
    import tomllib

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "lambda-review" and hook["language"] == "python"
    command = hook["entry"].split()[0]
    assert command in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    pattern = re.compile(hook["files"])
    for path in ("examples/sam-app/template.yaml", "infra/main.tf", "src/orders/app.py", "lib/stack.ts",
                 "images/report/Dockerfile", "services/a/requirements-prod.txt", "serverless.yml"):
        assert pattern.search(path), path
    for path in ("README.md", "docs/rules.md", "assets/logo.png"):
        assert not pattern.search(path), path
