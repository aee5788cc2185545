"""A finding's function is the same whether a pull request review or a full scan made it.

The shape (seen on a real repository): one function packs the whole repository (its code path is
`.` and its imports cannot be followed), another's code path is a scripts folder whose handler
imports one of the folder's modules. A change anywhere touches the first function only, so the
review reads the scripts folder for it; the second function, untouched, used to be taken to ship
every file of its folder, and a finding in a script it never imports named both functions (and
so had another fingerprint than the full scan's, which names only the first).
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import full_scan, review_change
from reviewer.review.diff import diff_map_from_unified

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ToolsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      CodeUri: .
  SeedFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: seed.handler
      CodeUri: scripts/
"""

SEED = "def handler(event, context):\n    return {'seeded': True}\n"
DEPLOY = "import os\n\n\ndef deploy(stage):\n    os.system('make deploy STAGE=' + stage)\n"


def test_a_script_the_untouched_function_does_not_import_names_only_the_function_that_ships_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    (root / "scripts" / "seed.py").write_text(SEED, encoding="utf-8")
    (root / "scripts" / "deploy.py").write_text(DEPLOY, encoding="utf-8")
    (root / "README.md").write_text("tools\n", encoding="utf-8")
    base = first_commit(root)
    (root / "README.md").write_text("tools and seed\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "docs")
    head = git(root, "rev-parse", "HEAD").strip()
    settings = resolve_settings(root, None, reference_date="2026-01-01", audit="off")

    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    reviewed = review_change(root, settings, diff, base_rev=base, head_rev=head)
    scanned = full_scan(root, settings)

    def deploy_findings(findings):  # type: ignore[no-untyped-def]
        return sorted((f.rule_id, f.line, f.function, f.fingerprint) for f in findings
                      if f.engine == "bandit" and f.path == "scripts/deploy.py")

    in_scan = deploy_findings(scanned.plan.findings)
    assert in_scan and {function for _, _, function, _ in in_scan} == {"ToolsFunction"}
    assert deploy_findings(reviewed.plan.findings) == in_scan
