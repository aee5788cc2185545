"""A change that adds or moves a Terraform root module does not make another root's findings new.

With several root modules a Terraform function's name starts with its root's folder
(`deploy:aws_lambda_function.api`). Seen on real history: an environment folder moved
(`deploy/` → `infra/`), or a second root added beside the first, renamed every function of the
untouched root, and every finding of theirs (LR100, LR300, LR400) was reported as new.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.model import Function, Location
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
from reviewer.review.renames import function_renames, moved_folder

ROOT = """\
resource "aws_lambda_function" "{name}" {{
  function_name = "{name}"
  runtime       = "python3.8"
  handler       = "app.handler"
  s3_bucket     = "artifacts"
  s3_key        = "{name}.zip"
  role          = aws_iam_role.exec.arn
}}

resource "aws_iam_role" "exec" {{
  name               = "{name}-exec"
  assume_role_policy = "{{}}"
}}

resource "aws_iam_role_policy" "all" {{
  role   = aws_iam_role.exec.id
  policy = jsonencode({{ Statement = [{{ Effect = "Allow", Action = "*", Resource = "*" }}] }})
}}
"""


def _commit(root: Path) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")
    return git(root, "rev-parse", "HEAD").strip()


def _new(root: Path, base: str, head: str) -> list[tuple[str, str | None]]:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-01-01", audit="off")
    outcome = review_change(root, settings, diff, base_rev=base, head_rev=head)
    return sorted((finding.rule_id, finding.function) for finding in outcome.plan.new)


def _root(root: Path, folder: str, name: str) -> None:
    (root / folder).mkdir(parents=True)
    (root / folder / "main.tf").write_text(ROOT.format(name=name), encoding="utf-8")


def test_adding_a_second_root_leaves_the_first_roots_findings_pre_existing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _root(root, "deploy", "api")
    base = first_commit(root)
    _root(root, "jobs", "worker")
    head = _commit(root)

    new = _new(root, base, head)

    assert new and {function for _, function in new} == {"jobs:aws_lambda_function.worker"}


def test_moving_a_root_folder_leaves_its_findings_pre_existing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _root(root, "deploy", "api")
    _root(root, "jobs", "worker")
    base = first_commit(root)
    git(root, "mv", "deploy", "infra")
    head = _commit(root)

    assert _new(root, base, head) == []


def _function(name: str, scope: str | None, path: str) -> Function:
    function = Function(name=name, format="terraform", location=Location(path, 1))
    function.name_scope = scope
    return function


def test_two_roots_of_one_module_are_told_apart_by_their_scope() -> None:
    base = [_function("module.fn.aws_lambda_function.this", "envs/dev", "modules/fn/main.tf")]
    head = [_function("envs/dev:module.fn.aws_lambda_function.this", "envs/dev", "modules/fn/main.tf"),
            _function("envs/prod:module.fn.aws_lambda_function.this", "envs/prod", "modules/fn/main.tf")]

    assert function_renames(base, head, {}) == {
        "module.fn.aws_lambda_function.this": "envs/dev:module.fn.aws_lambda_function.this"}


def test_a_folder_moves_with_the_files_renamed_under_it() -> None:
    renamed = {"deploy/main.tf": "infra/live/main.tf", "other/x.tf": "y/x.tf"}

    assert moved_folder("deploy", renamed) == "infra/live"
    assert moved_folder("jobs", renamed) == "jobs"
    assert moved_folder("", renamed) == ""
