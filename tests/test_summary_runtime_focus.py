"""A review's summary comment lists the runtimes of the functions the change touches, not of the
whole monorepo: a one-function change among many put every function's row at the top. It says
how many others there are and where their runtimes are listed (the job summary, the JSON report,
which keep every function). A change that touches a runtime keeps the whole table.

The fixture is a `rain merge` app: a parent template whose `Globals` give the runtime, and one
fragment per function.
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
