"""The CDK, Serverless and Terraform readers are imported only for a workspace with their files.

A deferred format first asks a light module whether the workspace holds anything its reader
reads (reviewer.inventory.deferred). Its answer may only err towards reading: over every fixture
of the three formats, and over a git revision where most source files lack the CDK's markers, the
deferred format must report exactly what its reader reports when asked directly, and git's search
for the markers must still run once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from scenario import git

from reviewer.inventory import FORMATS
from reviewer.inventory.cdk.read import CdkFormat
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.review.revision_tree import RevisionTree
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
READERS = {"cdk": CdkFormat, "serverless": ServerlessFormat, "terraform": TerraformFormat}
DEFERRED = {fmt.name: fmt for fmt in FORMATS if fmt.name in READERS}
READER_MODULES = ("reviewer.inventory.cdk.read", "reviewer.inventory.serverless.read",
                  "reviewer.inventory.terraform.read")


def _report(fmt, workspace: Workspace) -> tuple[list[dict], list[tuple[str, str, str]]]:
    result = fmt.scan(workspace)
    notices = sorted((notice.rule_id, notice.path, notice.message) for notice in [*result.notices, *workspace.notices])
    return [function.to_json() for function in result.functions], notices


def _fixture_roots() -> list[Path]:
    return sorted(path for name in ("cdk", "serverless", "terraform", "sam", "container", "guardrails", "routes")
                  for path in (FIXTURES / name).iterdir() if path.is_dir())


@pytest.mark.parametrize("root", _fixture_roots(), ids=lambda path: f"{path.parent.name}/{path.name}")
@pytest.mark.parametrize("name", sorted(READERS))
def test_the_deferred_format_reports_what_its_reader_reports(root, name):
    assert _report(DEFERRED[name], Workspace(root)) == _report(READERS[name](), Workspace(root))


def test_each_fixture_format_is_found_by_its_deferred_format():
    """The comparison above is not between two empty answers."""
    for name in READERS:
        found = [root for root in _fixture_roots() if _report(DEFERRED[name], Workspace(root))[0]]
        assert len(found) >= 2, name


@pytest.fixture(scope="module")
def revision(tmp_path_factory) -> tuple[Path, str]:
    """A CDK app among plain function code, committed: git tells which sources lack the markers."""
    root = tmp_path_factory.mktemp("deferred") / "repo"
    shutil.copytree(FIXTURES / "cdk" / "typescript-app", root / "infra")
    for index in range(4):
        (root / f"services/svc{index}/app.py").parent.mkdir(parents=True)
        (root / f"services/svc{index}/app.py").write_text("def handler(event, context):\n    return event\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "app")
    return root, git(root, "rev-parse", "HEAD").strip()


def test_a_revision_is_searched_for_cdk_markers_once(revision, monkeypatch):
    root, commit = revision
    searches: list[str] = []
    original_lacking, original_start = RevisionTree.lacking, RevisionTree.start_lacking

    def lacking(self, rels, needles, limit):
        searches.append("asked")
        return original_lacking(self, rels, needles, limit)

    def start_lacking(self, rels, needles, limit):
        searches.append("started")
        return original_start(self, rels, needles, limit)

    monkeypatch.setattr(RevisionTree, "lacking", lacking)
    monkeypatch.setattr(RevisionTree, "start_lacking", start_lacking)
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, tree=tree)
        DEFERRED["cdk"].prepare(workspace)
        deferred = _report(DEFERRED["cdk"], workspace)
    assert searches == ["started"]                  # the probe collects it and hands it to the reader
    with RevisionTree(root, commit) as tree:
        assert deferred == _report(CdkFormat(), Workspace(root, tree=tree))
    assert deferred[0]                              # the app's functions


def _modules_after_scan(root: Path) -> list[str]:
    program = textwrap.dedent(f"""
        import io, json, sys
        from reviewer.cli import main
        try:
            main(["scan", {str(root)!r}, "--format", "json", "--audit", "off", "--reference-date", "2026-01-01"],
                 stdout=io.StringIO(), stderr=io.StringIO())
        except SystemExit:
            pass
        print(json.dumps(sorted(name for name in sys.modules if name in {list(READER_MODULES)!r})))
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.splitlines()[-1])


def test_a_template_repository_imports_no_other_reader(tmp_path):
    shutil.copytree(FIXTURES / "sam" / sorted(path.name for path in (FIXTURES / "sam").iterdir())[0], tmp_path / "sam")
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"test": "jest"}}))
    (tmp_path / "web" / "index.ts").parent.mkdir()
    (tmp_path / "web" / "index.ts").write_text("export const handler = async () => 1;\n")
    assert _modules_after_scan(tmp_path) == []


@pytest.mark.parametrize(("written", "module"), [
    ("main.tf", "reviewer.inventory.terraform.read"),
    ("serverless.yml", "reviewer.inventory.serverless.read"),
    ("app.py", "reviewer.inventory.cdk.read"),
])
def test_a_reader_is_imported_for_a_file_it_reads(tmp_path, written, module):
    texts = {"main.tf": 'resource "aws_lambda_function" "f" {\n  runtime = "python3.12"\n}\n',
             "serverless.yml": "service: s\nfunctions:\n  f:\n    handler: h.main\n",
             "app.py": "from aws_cdk import aws_lambda\n"}
    (tmp_path / written).write_text(texts[written])
    assert _modules_after_scan(tmp_path) == [module]
