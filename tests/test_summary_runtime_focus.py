"""A review's summary comment lists the runtimes of the functions the change touches, not of the
whole monorepo: a one-function change among many put every function's row at the top. It says
how many others there are and where their runtimes are listed (the job summary, the JSON report,
which keep every function). A change that touches a runtime lists the functions of the apps it
touches (its `Globals` change here reaches every function), and counts a monorepo's other apps.

The fixture is a `rain merge` app: a parent template whose `Globals` give the runtime, and one
fragment per function; the monorepo's is two SAM apps of a samples collection, one template each.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from scenario import first_commit, git

from reviewer.cli import main

PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: java17
    MemorySize: 1024
Resources:
  Placeholder:
    Type: AWS::SNS::Topic
"""

FRAGMENT = """\
Resources:
  {name}Function:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./api/build/distributions/api.zip
      Handler: uk.example.api.lambda.{name}Handler::handleRequest
"""

NAMES = ("AccountDelete", "PasskeysCreate", "PasskeysDelete", "PasskeysRetrieve")


def _repository(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "auth"
    (root / "ci" / "account-data" / "function").mkdir(parents=True)
    (root / "ci" / "account-data" / "parent.yaml").write_text(PARENT)
    for name in NAMES:
        (root / "ci" / "account-data" / "function" / f"{name.lower()}.yaml").write_text(FRAGMENT.format(name=name))
    return root, first_commit(root)


def _change(root: Path, rel: str, old: str, new: str) -> str:
    path = root / rel
    path.write_text(path.read_text().replace(old, new, 1))
    git(root, "commit", "-q", "-am", "head")
    return git(root, "rev-parse", "HEAD").strip()


def _review(root: Path, base: str, head: str) -> dict:  # type: ignore[type-arg]
    out = io.StringIO()
    main(["review", str(root), "--base", base, "--head", head, "--audit", "off", "--format", "json",
          "--fail-on", "never", "--reference-date", "2026-12-07"], stdout=out)
    return json.loads(out.getvalue())


def _runtimes_section(comment: str) -> str:
    return comment.split("### Runtimes", 1)[1].split("\n### ", 1)[0].split("<details>", 1)[0]


def test_a_one_function_change_lists_the_runtime_of_that_function_and_counts_the_others(tmp_path):
    root, base = _repository(tmp_path)
    head = _change(root, "ci/account-data/function/passkeysdelete.yaml", "      CodeUri:",
                   "      Timeout: 30\n      CodeUri:")
    report = _review(root, base, head)
    section = _runtimes_section(report["summary_comment"])
    assert "PasskeysDeleteFunction" in section
    assert not [name for name in NAMES if name != "PasskeysDelete" and name in section]
    assert ("This is the function this change touches; it leaves the runtimes of the 3 other functions"
            " as they are.") in section
    assert "The job summary and the JSON report list every function's runtime." in section
    # the JSON report keeps every function and its runtime
    assert sorted((f["name"], f["runtime"]) for f in report["functions"]) == [
        (f"{name}Function", "java17") for name in sorted(NAMES)]


def test_a_change_to_a_runtime_keeps_every_function_in_the_table(tmp_path):
    root, base = _repository(tmp_path)
    head = _change(root, "ci/account-data/parent.yaml", "Runtime: java17", "Runtime: java21")
    section = _runtimes_section(_review(root, base, head)["summary_comment"])
    assert all(f"{name}Function" in section for name in NAMES)
    assert "other function" not in section


def test_a_change_that_touches_no_function_says_so_and_counts_them(tmp_path):
    root, base = _repository(tmp_path)
    (root / "README.md").write_text("# auth\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "docs")
    head = git(root, "rev-parse", "HEAD").strip()
    section = _runtimes_section(_review(root, base, head)["summary_comment"])
    assert not [name for name in NAMES if name in section]
    assert "This change touches none of the 4 functions and leaves their runtimes as they are." in section


def test_touched_functions_sharing_a_runtime_are_named_as_such(tmp_path):
    root, base = _repository(tmp_path)
    for name in ("passkeyscreate", "passkeysdelete"):
        path = root / "ci" / "account-data" / "function" / f"{name}.yaml"
        path.write_text(path.read_text().replace("      CodeUri:", "      Timeout: 30\n      CodeUri:", 1))
    git(root, "commit", "-q", "-am", "head")
    head = git(root, "rev-parse", "HEAD").strip()
    section = _runtimes_section(_review(root, base, head)["summary_comment"])
    assert "All 2 functions this change touches: runtime `java17`" in section


def test_the_one_other_function_s_runtime_is_left_as_it_is(tmp_path):
    root, base = _repository(tmp_path)
    for name in ("accountdelete", "passkeyscreate", "passkeysdelete"):
        path = root / "ci" / "account-data" / "function" / f"{name}.yaml"
        path.write_text(path.read_text().replace("      CodeUri:", "      Timeout: 30\n      CodeUri:", 1))
    git(root, "commit", "-q", "-am", "head")
    head = git(root, "rev-parse", "HEAD").strip()
    section = _runtimes_section(_review(root, base, head)["summary_comment"])
    assert "it leaves the runtime of the 1 other function as it is." in section


APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: {app} workflow of the samples collection
Resources:
  {app}StartFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/start/
      Handler: app.handler
      Runtime: python3.12
  {app}CallbackFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/callback/
      Handler: app.handler
      Runtime: nodejs20.x
"""

APPS = ("Approval", "Billing", "Catalog")


def test_a_change_to_one_app_s_runtime_lists_that_app_and_counts_the_other_apps(tmp_path):
    # A monorepo of workflows, each its own template: a runtime bump in one app listed every
    # app's functions; the reviewer weighs the runtimes beside the one changed, not the others'.
    root = tmp_path / "workflows"
    for app in APPS:
        (root / app.lower()).mkdir(parents=True)
        (root / app.lower() / "template.yaml").write_text(APP.format(app=app))
    base = first_commit(root)
    head = _change(root, "approval/template.yaml", "Runtime: python3.12", "Runtime: python3.13")
    section = _runtimes_section(_review(root, base, head)["summary_comment"])
    assert "ApprovalStartFunction" in section and "ApprovalCallbackFunction" in section
    assert "Billing" not in section and "Catalog" not in section
    assert ("This change touches a runtime: these are the functions it touches and the others declared with them"
            " (in the same file, taking their runtime from the same file, or in the same Terraform root); it"
            " leaves the runtimes of the 4 other functions as they are.") in section


def test_a_runtime_change_lists_the_other_functions_of_its_terraform_root_and_of_its_runtime_file():
    # Unit level: the touched function's root module holds a second function in another file, and
    # a third function elsewhere takes its runtime from a shared variables file it also reads.
    from reviewer.model import Function, Location
    from reviewer.review.diff import diff_map_from_unified
    from reviewer.review.runtime_focus import runtime_focus

    def function(name: str, path: str, scope: str, runtime_path: str) -> Function:
        made = Function(name, "terraform", Location(path, 3), runtime="python3.13")
        made.name_scope = scope
        made.locations["Runtime"] = Location(runtime_path, 7)
        return made

    changed = function("ingest", "stacks/ingest/main.tf", "stacks/ingest", "stacks/ingest/main.tf")
    sibling = function("compact", "stacks/ingest/compact.tf", "stacks/ingest", "stacks/ingest/compact.tf")
    sharing = function("report", "stacks/report/main.tf", "stacks/report", "stacks/ingest/main.tf")
    other = function("audit", "stacks/audit/main.tf", "stacks/audit", "stacks/audit/main.tf")
    functions = [changed, sibling, sharing, other]
    diff = diff_map_from_unified("diff --git a/stacks/ingest/main.tf b/stacks/ingest/main.tf\n"
                                 "--- a/stacks/ingest/main.tf\n+++ b/stacks/ingest/main.tf\n"
                                 "@@ -7,1 +7,1 @@\n-  runtime = \"python3.12\"\n+  runtime = \"python3.13\"\n")
    base = [function(made.name, made.location.path, made.name_scope or "", made.location.path) for made in functions]
    for made in base:
        made.runtime = "python3.12" if made.name == "ingest" else made.runtime

    focus = runtime_focus(functions, [changed], diff, base)

    assert focus is not None and focus.runtime_touched
    assert [made.name for made in focus.functions] == ["ingest", "compact", "report"]
    untouched = runtime_focus(functions, [other], diff_map_from_unified(""), functions)
    assert untouched is not None and not untouched.runtime_touched and untouched.functions == [other]
