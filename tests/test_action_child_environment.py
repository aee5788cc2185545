"""No process the action starts sees the token: the engines it starts first thing included.

The action starts the audit's process and bandit's worker before it reads its settings
(reviewer.review.early_engines), so that they are ready when the review needs them; they must
start after the tokens left the action's environment (`action._keep_tokens_from_child_processes`).
Every Python process of the run records its command line and which credential variables it
sees (a `sitecustomize` on PYTHONPATH), and only the entrypoint itself may see one.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import textwrap
from pathlib import Path

from github_standin import GitHubStandIn
from scenario import PR_NUMBER, REPOSITORY, build_scenario, run_action, write_event

TOKEN = "ghs_childEnvironmentTokenThatMustNeverLeak01"
CREDENTIALS = ("INPUT_GITHUB-TOKEN", "GITHUB_TOKEN", "GH_TOKEN")

RECORDER = """
import json, os, sys
_seen = {"argv": list(getattr(sys, "orig_argv", sys.argv)),
         "credentials": sorted(name for name in %r if name in os.environ)}

def _record():
    with open(os.path.join(%r, "process-%%d.json" %% os.getpid()), "w") as out:
        json.dump(_seen, out)

_record()
"""


def test_the_engines_started_first_never_see_the_token(tmp_path: Path) -> None:
    built = build_scenario(tmp_path)
    workspace = built.workspace
    (workspace / "src" / "api" / "requirements.txt").write_text("requests==2.31.0\n")
    subprocess.run(["git", "-C", str(workspace), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(workspace), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit",
                    "-q", "--amend", "--no-edit"], check=True)
    head = subprocess.run(["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    built = dataclasses.replace(built, head_sha=head)
    records = tmp_path / "records"
    records.mkdir()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(textwrap.dedent(RECORDER % (CREDENTIALS, str(records))))
    with GitHubStandIn() as github:
        github.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=built.head_sha, base_sha=built.base_sha,
                                files=built.files)
        run = run_action(tmp_path, workspace, event_name="pull_request", event_path=write_event(tmp_path, built),
                         api_url=github.api_url, token=TOKEN,
                         inputs={"osv-url": "http://127.0.0.1:9/v1/query"},
                         env={"PYTHONPATH": str(hooks), "GITHUB_TOKEN": TOKEN})
    assert run.exit_code in (0, 1), run.stdout + run.stderr
    seen = [json.loads(path.read_text()) for path in sorted(records.glob("process-*.json"))]
    audits = [entry for entry in seen if "reviewer.audit_worker" in entry["argv"]]
    assert audits, "the audit's process did not start: the test would prove nothing"
    entrypoint = [entry for entry in seen if any(part.endswith("entrypoint.py") for part in entry["argv"])]
    assert len(entrypoint) == 1 and entrypoint[0]["credentials"]        # the recorder sees what it should
    leaked = [entry["argv"] for entry in seen if entry not in entrypoint and entry["credentials"]]
    assert not leaked, f"processes that saw a token: {leaked}"
