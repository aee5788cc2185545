"""A small SAM repository with a base and a head commit, as a pull request would have them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = REPO_ROOT / "entrypoint.py"
REPOSITORY = "acme/orders"
PR_NUMBER = 7

BASE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Orders service

Globals:
  Function:
    Timeout: 10
    MemorySize: 256
    Tracing: Active

Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.9
      Handler: app.handler
      CodeUri: src/api

  OrdersQueue:
    Type: AWS::SQS::Queue
"""

HEAD_TEMPLATE = BASE_TEMPLATE + """
  LegacyExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs14.x
      Handler: index.handler
      CodeUri: src/export
"""

# GitHub sends no `patch` for very large diffs: this template's findings cannot be inline.
BIG_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ArchiveFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.7
      Handler: archive.handler
      Code:
        ZipFile: "def handler(event, context): return None"
"""


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "dev", "GIT_COMMITTER_EMAIL": "dev@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def first_commit(root: Path, message: str = "base") -> str:
    """The files already written under `root`, committed as a new repository's first commit: its sha."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def committed_copy(fixture: Path, root: Path) -> tuple[Path, str]:
    """`fixture` copied to `root` as a git repository with one commit (the base): (root, its sha)."""
    shutil.copytree(fixture, root)
    return root, first_commit(root)


def git_calls(monkeypatch: Any) -> list[tuple[str, ...]]:
    """The arguments of every git command `reviewer.review.git` runs from now on, in order (for
    tests that count what the review asks of git)."""
    from reviewer.review import git as review_git

    asked: list[tuple[str, ...]] = []
    real = review_git._git

    def counting(where: Any, *args: str, **kwargs: Any) -> Any:
        asked.append(args)
        return real(where, *args, **kwargs)

    monkeypatch.setattr(review_git, "_git", counting)
    return asked


@dataclass
class Scenario:
    workspace: Path
    base_sha: str
    head_sha: str
    files: list[dict]


def build_scenario(root: Path, padding_files: int = 34) -> Scenario:
    """Base: one deprecated runtime. Head: a blocked runtime added, a patch-less big template,
    and enough unrelated files that the template lands on the second page of the files API."""
    workspace = root / "workspace"
    workspace.mkdir()
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "template.yaml").write_text(BASE_TEMPLATE)
    # The scenario is about runtime findings; code signing notices would only add noise to counts.
    (workspace / ".lambda-review.yml").write_text("severity:\n  LR400: off\n")
    (workspace / "src" / "api").mkdir(parents=True)
    (workspace / "src" / "api" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base_sha = git(workspace, "rev-parse", "HEAD").strip()

    (workspace / "template.yaml").write_text(HEAD_TEMPLATE)
    (workspace / "stacks").mkdir()
    (workspace / "stacks" / "big.yaml").write_text(BIG_TEMPLATE)
    (workspace / "docs").mkdir()
    for index in range(padding_files):
        (workspace / "docs" / f"note{index:02d}.md").write_text(f"note {index}\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "head")
    head_sha = git(workspace, "rev-parse", "HEAD").strip()

    files = []
    changed = git(workspace, "diff", "--name-status", base_sha, head_sha).splitlines()
    for row in sorted(changed, key=lambda r: (r.split("\t")[1] == "template.yaml", r)):
        status, name = row.split("\t")
        patch: str | None = None
        if name != "stacks/big.yaml":
            full = git(workspace, "diff", base_sha, head_sha, "--", name)
            patch = full[full.index("@@"):].rstrip("\n")
        files.append({"filename": name, "status": "added" if status == "A" else "modified", "patch": patch})
    return Scenario(workspace, base_sha, head_sha, files)


def write_event(root: Path, scenario: Scenario) -> Path:
    event = {
        "action": "synchronize",
        "number": PR_NUMBER,
        "pull_request": {
            "number": PR_NUMBER,
            "head": {"sha": scenario.head_sha, "ref": "feature"},
            "base": {"sha": scenario.base_sha, "ref": "main"},
        },
        "repository": {"full_name": REPOSITORY},
    }
    path = root / "event.json"
    path.write_text(json.dumps(event))
    return path


@dataclass
class ActionRun:
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    job_summary: str


def run_action(root: Path, workspace: Path, *, event_name: str, event_path: Path | None, api_url: str,
               token: str, inputs: dict[str, str] | None = None, env: dict[str, str] | None = None) -> ActionRun:
    """Run entrypoint.py exactly as the container does: INPUT_* and GITHUB_* variables, workspace as cwd.

    `env` adds variables of the test's own (a marker directory for code that must never run)."""
    output_file = root / "github_output"
    summary_file = root / "step_summary"
    output_file.write_text("")
    summary_file.write_text("")
    variables = {
        "PATH": os.environ["PATH"], "HOME": str(root),
        "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path or ""), "GITHUB_API_URL": api_url,
        "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary_file),
        "INPUT_GITHUB-TOKEN": token, "INPUT_PATH": ".", "INPUT_FAIL-ON": "error", "INPUT_CONFIG": "",
        "INPUT_SARIF-FILE": "lambda-review.sarif", "INPUT_REFERENCE-DATE": "2026-11-22",
    }
    for name, value in (inputs or {}).items():
        variables[f"INPUT_{name.upper()}"] = value
    variables.update(env or {})
    completed = subprocess.run([sys.executable, str(ENTRYPOINT)], cwd=workspace, env=variables,
                               capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
    return ActionRun(completed.returncode, completed.stdout, completed.stderr, outputs, summary_file.read_text())
