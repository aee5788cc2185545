"""A change that renames a function where it is declared keeps its findings pre-existing.

Seen on real history: a SAM TypeScript sample grown from `sam init` renamed `HelloWorldFunction`
to `ListBucketsFunction`, its code folder `hello-world/` to `list-buckets/` and its handler's
exported name with it. The runtime line the diff shows unchanged was commented inline as a new
deprecated runtime, and the function's code signing and version notices were listed as new.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.model import Function, Location
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import DiffMap, diff_map_from_unified
from reviewer.review.renames import identity_renames

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Sample that lists the account's buckets
Globals:
  Function:
    Timeout: 3
Resources:
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {folder}/
      Handler: app.{export}
      Runtime: {runtime}
      Events:
        Listing:
          Type: Api
          Properties:
            Path: {path}
            Method: get
"""

HANDLER = """\
import {{ S3Client, ListBucketsCommand }} from '@aws-sdk/client-s3';

const s3 = new S3Client({{}});

export const {export} = async () => {{
  const answer = await s3.send(new ListBucketsCommand({{}}));
  return {{ statusCode: 200, body: JSON.stringify(answer.Buckets ?? []) }};
}};
"""


def _write(root: Path, name: str, folder: str, export: str, runtime: str = "nodejs16.x",
           path: str = "/buckets") -> None:
    (root / "template.yaml").write_text(
        TEMPLATE.format(name=name, folder=folder, export=export, runtime=runtime, path=path), encoding="utf-8")
    (root / folder).mkdir(exist_ok=True)
    (root / folder / "app.ts").write_text(HANDLER.format(export=export), encoding="utf-8")


def _rename(root: Path, runtime: str = "nodejs16.x", path: str = "/buckets", module: str = "app") -> str:
    git(root, "mv", "hello-world", "list-buckets")
    _write(root, "ListBucketsFunction", "list-buckets", "listBucketsHandler", runtime, path)
    if module != "app":
        git(root, "mv", "list-buckets/app.ts", f"list-buckets/{module}.ts")
        text = (root / "template.yaml").read_text(encoding="utf-8")
        (root / "template.yaml").write_text(text.replace("app.listBucketsHandler", f"{module}.listBucketsHandler"),
                                            encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "rename hello-world to list-buckets")
    return git(root, "rev-parse", "HEAD").strip()


def _new(root: Path, base: str, head: str) -> list[tuple[str, str | None]]:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-12-07", audit="off")
    outcome = review_change(root, settings, diff, base_rev=base, head_rev=head)
    assert any(finding.rule_id == "LR100" for finding in outcome.plan.findings)
    return sorted((finding.rule_id, finding.function) for finding in outcome.plan.new)


def _sample(root: Path) -> str:
    _write(root, "HelloWorldFunction", "hello-world", "lambdaHandler")
    return first_commit(root)


def test_a_function_renamed_with_its_code_folder_keeps_its_findings_pre_existing(tmp_path: Path) -> None:
    base = _sample(tmp_path)
    head = _rename(tmp_path)

    assert _new(tmp_path, base, head) == []


def test_what_the_renaming_change_alters_is_still_new(tmp_path: Path) -> None:
    base = _sample(tmp_path)
    head = _rename(tmp_path, runtime="nodejs18.x", path="/all-buckets")

    new = _new(tmp_path, base, head)
    assert ("LR100", "ListBucketsFunction") in new
    assert ("LR305", "ListBucketsFunction") in new
    assert ("LR400", "ListBucketsFunction") not in new


def test_a_function_running_another_module_is_another_function(tmp_path: Path) -> None:
    base = _sample(tmp_path)
    head = _rename(tmp_path, module="list")

    assert ("LR100", "ListBucketsFunction") in _new(tmp_path, base, head)


def _function(name: str, folder: str, handler: str = "app.handler", path: str = "template.yaml") -> Function:
    return Function(name=name, format="sam", location=Location(path, 8), runtime="nodejs16.x", handler=handler,
                    code_path=folder)


def test_two_renamed_functions_of_one_module_are_left_alone() -> None:
    base = [_function("GetOne", "api", "app.get"), _function("PutOne", "api", "app.put")]
    head = [_function("ReadItem", "api", "app.get"), _function("WriteItem", "api", "app.put")]

    assert identity_renames(base, head, DiffMap()) == {}


def test_a_renamed_declaring_file_and_code_folder_are_followed() -> None:
    renamed = {"hello-world/app.ts": "list-buckets/app.ts", "sam/template.yaml": "template.yaml"}
    base = [_function("HelloWorldFunction", "hello-world", "app.lambdaHandler", "sam/template.yaml")]
    head = [_function("ListBucketsFunction", "list-buckets", "app.listBucketsHandler")]

    diff = DiffMap(renamed=renamed, removed=set(renamed))

    assert identity_renames(base, head, diff) == {"HelloWorldFunction": "ListBucketsFunction"}


def test_a_removed_function_and_an_added_one_sharing_only_an_empty_package_file_are_two() -> None:
    """A Bedrock sample replaced three agents (`agents/story_writer/*`) by one new function
    (`agents/generic/merge_map_output`); git paired an empty `__init__.py` of a removed folder with
    the new folder's, and the handlers, `index.py` each, were removed and written anew."""
    renamed = {"agents/story_writer/characters_agent/__init__.py": "agents/generic/merge_map_output/__init__.py"}
    removed = {"agents/story_writer/characters_agent/index.py", *renamed}
    base = [_function("CharacterAgent", "agents/story_writer/characters_agent", "index.handler", "stacks/story.py")]
    head = [_function("MergeAgent", "agents/generic/merge_map_output", "index.handler", "stacks/story.py")]

    assert identity_renames(base, head, DiffMap(renamed=renamed, removed=removed)) == {}
