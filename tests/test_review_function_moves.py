"""A change that moves functions to another template keeps their findings pre-existing.

Seen on real history: a SAM sample app whose one template declared three APIs and their
functions (`Globals` writing `Runtime: nodejs12.x`) was split into nested applications, each
function moving unchanged to its own template. Every finding of the moved functions (the
runtime's LR101 errors, the routes' LR305, LR400, LR401) changed file with them and was reported
as new: the three LR101 errors failed the check of a change that deployed nothing new.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified

HEADER = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Handler: {handler}
    Runtime: {runtime}
Resources:
"""

FUNCTION = """\
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/{folder}/
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /{folder}
            Method: GET
"""

PARENT = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  SalesApp:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./sales.yaml
  AdminApp:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./admin.yaml
"""


def _template(*functions: tuple[str, str], handler: str = "app.handler", runtime: str = "nodejs12.x") -> str:
    return HEADER.format(handler=handler, runtime=runtime) + "".join(
        FUNCTION.format(name=name, folder=folder) for name, folder in functions)


def _one_template(root: Path) -> str:
    for folder in ("regional", "global", "admin"):
        (root / "functions" / folder).mkdir(parents=True)
        (root / "functions" / folder / "app.js").write_text("exports.handler = async () => ({});\n",
                                                           encoding="utf-8")
    (root / "template.yaml").write_text(
        _template(("RegionalReport", "regional"), ("GlobalReport", "global"), ("AdminFunction", "admin")),
        encoding="utf-8")
    return first_commit(root)


def _split(root: Path, admin: str) -> str:
    (root / "template.yaml").write_text(PARENT, encoding="utf-8")
    (root / "sales.yaml").write_text(_template(("RegionalReport", "regional"), ("GlobalReport", "global")),
                                     encoding="utf-8")
    (root / "admin.yaml").write_text(admin, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "split into nested applications")
    return git(root, "rev-parse", "HEAD").strip()


def _new(root: Path, base: str, head: str) -> list[tuple[str, str | None, str]]:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-12-07", audit="off")
    outcome = review_change(root, settings, diff, base_rev=base, head_rev=head)
    assert any(finding.rule_id == "LR101" for finding in outcome.plan.findings)
    return sorted((finding.rule_id, finding.function, finding.path) for finding in outcome.plan.new)


def test_functions_split_into_nested_templates_keep_their_findings_pre_existing(tmp_path: Path) -> None:
    base = _one_template(tmp_path)
    head = _split(tmp_path, _template(("AdminFunction", "admin")))

    assert _new(tmp_path, base, head) == []


def test_a_moved_function_whose_runtime_changed_is_new(tmp_path: Path) -> None:
    base = _one_template(tmp_path)
    head = _split(tmp_path, _template(("AdminFunction", "admin"), runtime="nodejs10.x"))

    assert _new(tmp_path, base, head) == [("LR101", "AdminFunction", "admin.yaml")]


def test_another_function_under_a_moved_name_is_new(tmp_path: Path) -> None:
    base = _one_template(tmp_path)
    head = _split(tmp_path, _template(("AdminFunction", "admin"), handler="admin.handler"))

    new = _new(tmp_path, base, head)
    assert ("LR101", "AdminFunction", "admin.yaml") in new
    assert ("LR305", "AdminFunction", "admin.yaml") in new
