"""CI's self-test job, run here as far as it goes without Docker.

The job runs the action from the checkout (`uses: ./`) on this repository's examples and checks
its outputs with shell steps. Here each `uses: ./` step becomes what the runner does inside the
container: entrypoint.py with `INPUT_*` variables (action.yml's defaults, then the step's `with:`)
and the workspace as working directory; each `run:` step is run by bash with its `env:` resolved
from the previous steps' outputs and outcomes. GitHub is the loopback stand-in.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, git, run_action

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghs_selfTestToken0123456789abcdef0123456"
_EXPRESSION = re.compile(r"\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.(outcome|outputs\.([A-Za-z0-9_-]+))\s*\}\}")


def _job() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())["jobs"]["self-test"]


def _inputs(step: dict) -> dict[str, str]:
    """What the runner passes: every default of action.yml, then the step's `with:`, as strings."""
    declared = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    values = {name: str(spec.get("default", "")).replace("${{ github.token }}", TOKEN)
              for name, spec in declared.items()}
    for name, value in (step.get("with") or {}).items():
        assert name in declared, f"the self-test passes an input action.yml does not declare: {name}"
        values[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return {name.upper(): value for name, value in values.items()}


def _workspace(tmp_path: Path) -> tuple[Path, str, str]:
    """A checkout holding the repository's examples: a base commit, and a head that edits a README."""
    workspace = tmp_path / "checkout"
    shutil.copytree(ROOT / "examples", workspace / "examples")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    readme = workspace / "examples" / "sam-app" / "README.md"
    readme.write_text(readme.read_text() + "\nOne more line.\n")
    git(workspace, "commit", "-q", "-am", "head")
    return workspace, base, git(workspace, "rev-parse", "HEAD").strip()


def _run_steps(tmp_path: Path, workspace: Path, event_name: str, event: Path | None, api_url: str) -> list[str]:
    results: dict[str, dict] = {}
    ran = []
    for index, step in enumerate(_job()["steps"]):
        uses = str(step.get("uses", ""))
        if uses.startswith("actions/checkout@"):
            continue                                      # _workspace is the checkout
        if uses == "./":
            root = tmp_path / f"step{index}"
            root.mkdir()
            run = run_action(root, workspace, event_name=event_name, event_path=event, api_url=api_url,
                             token=TOKEN, inputs=_inputs(step))
            assert run.exit_code in (0, 1), run.stdout + run.stderr
            outcome = "success" if run.exit_code == 0 else "failure"
            assert outcome == "success" or step.get("continue-on-error"), run.stdout + run.stderr
            results[step["id"]] = {"outcome": outcome, "outputs": run.outputs}
            ran.append(f"{step['id']}:{outcome}")
            continue
        assert "run" in step and not uses, step

        def resolve(match: re.Match[str]) -> str:
            result = results[match.group(1)]
            return result["outcome"] if match.group(2) == "outcome" else result["outputs"].get(match.group(3), "")

        env = {"PATH": "/usr/bin:/bin"}
        env.update({name: _EXPRESSION.sub(resolve, str(value)) for name, value in (step.get("env") or {}).items()})
        assert not any("${{" in value for value in env.values()), env
        completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                   cwd=workspace, env=env, capture_output=True, text=True)
        assert completed.returncode == 0, f"{step['name']}: {completed.stdout}{completed.stderr}\nenv: {env}"
        ran.append(step["name"])
    return ran


def test_the_self_test_checks_outputs_and_the_gate():
    steps = _job()["steps"]
    assert [s.get("uses") for s in steps if str(s.get("uses", "")).startswith("./")] == ["./", "./"]
    assert all(s["with"]["path"] == "examples" and s["with"]["post"] == "none" for s in steps if s.get("uses") == "./")
    assert sum("run" in s for s in steps) == 2


def test_self_test_steps_pass_on_a_push(tmp_path):
    workspace, _, _ = _workspace(tmp_path)
    with GitHubStandIn() as github:
        ran = _run_steps(tmp_path, workspace, "push", None, github.api_url)
        assert github.requests == []
    assert ran[0] == "review:success" and ran[2] == "gate:failure" and len(ran) == 4


def test_self_test_steps_pass_on_a_pull_request_and_post_nothing(tmp_path):
    workspace, base, head = _workspace(tmp_path)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": PR_NUMBER, "repository": {"full_name": REPOSITORY}, "pull_request": {
        "number": PR_NUMBER, "head": {"sha": head, "ref": "feature"}, "base": {"sha": base, "ref": "main"}}}))
    diff = git(workspace, "diff", base, head, "--", "examples/sam-app/README.md")
    with GitHubStandIn() as github:
        github.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=head, base_sha=base, files=[
            {"filename": "examples/sam-app/README.md", "status": "modified", "patch": diff[diff.index("@@"):].rstrip("\n")}])
        ran = _run_steps(tmp_path, workspace, "pull_request", event, github.api_url)
        assert [r.method for r in github.requests if r.method != "GET"] == []
    assert ran[0] == "review:success" and ran[2] == "gate:failure"
