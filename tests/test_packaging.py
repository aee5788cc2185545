"""The action's packaging: action.yml, Dockerfile, README commands and .ci/run agree with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_is_a_docker_action_with_kebab_case_inputs_that_all_have_defaults():
    action = _action()
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert action["branding"]["icon"] and action["branding"]["color"]
    for name, spec in action["inputs"].items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name
        assert "default" in spec and spec["description"], name
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"


def test_every_input_is_read_by_the_action_and_every_output_is_written():
    source = (ROOT / "reviewer" / "action.py").read_text()
    for name in _action()["inputs"]:
        assert f'"{name}"' in source, f"input {name} is declared but never read"
    # The face writes the account source's outputs; the outputs publisher those of every review.
    written = source + (ROOT / "reviewer" / "publish" / "actions.py").read_text()
    for name in _action()["outputs"]:
        assert f'"{name}":' in written, f"output {name} is declared but never written"


def test_the_docs_document_every_input_and_output():
    reference = (ROOT / "docs" / "inputs-and-outputs.md").read_text()
    for name in [*_action()["inputs"], *_action()["outputs"]]:
        assert f"| `{name}` |" in reference, name
    assert "docs/inputs-and-outputs.md" in (ROOT / "README.md").read_text()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n# [^\n]*\n([^\n]+)\n```", readme)
    assert len(commands) >= 2
    demo, tests = commands[0], commands[1]
    assert "examples/" in demo and "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines()


def test_dockerfile_installs_the_pinned_requirements_and_lints_clean():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "ENTRYPOINT [" in dockerfile
    assert not re.search(r"^(USER|WORKDIR)\b", dockerfile, re.M)
    assert "safe.directory" in dockerfile
    hadolint = shutil.which("hadolint") or str(Path(__import__("sys").executable).parent / "hadolint")
    completed = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_dependencies_are_chosen_once_and_locked_with_hashes():
    chosen = {}
    for line in (ROOT / "requirements.in").read_text().splitlines():
        if line and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", line)
            assert match, line
            chosen[_normalise(match.group(1))] = match.group(2)
    lock = (ROOT / "requirements.txt").read_text()
    locked = {_normalise(name): version for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock, re.M)}
    assert all(locked.get(name) == version for name, version in chosen.items()), "requirements.txt is stale"
    entries = re.split(r"\n(?=[A-Za-z])", lock)
    for entry in entries:
        if re.match(r"^[A-Za-z0-9_.\-]+==", entry):
            assert "--hash=sha256:" in entry, entry.splitlines()[0]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements.txt" in dockerfile
    assert "--require-hashes -r requirements.txt" in (ROOT / ".ci" / "run").read_text()


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
