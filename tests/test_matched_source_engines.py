"""A function whose package CI builds and uploads (`Code: {S3Bucket, S3Key}`) is tied to its source
in the repository (beside its template, or the one module of its handler's name): bandit and the
dependency audit review that folder as its code, as the loop check reads it. The folder is shared
(one zip, three handlers), so each function owns only the modules its handler imports. On a pull
request only the touched functions' sources are looked for, and those that may share a file the
review reads."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest
from scenario import git

from reviewer.analyzers import dependencies
from reviewer.analyzers.interface import AnalysisContext, ChangeFocus
from reviewer.cli import main
from reviewer.code import code_location
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_bandit_engine import bandit_findings, scan

_FUNCTION = """\
      {name}:
        Type: AWS::Lambda::Function
        Properties:
          Handler: {handler}
          Runtime: python3.12
          Role: arn:aws:iam::123456789012:role/parser
          Code:
            S3Bucket: !Join ['-', [!Ref SourceBucket, !Ref AWS::Region]]
            S3Key: !Join ['/', [!FindInMap [SourceCode, General, KeyPrefix], '{package}']]
"""


def _template(*functions: tuple[str, str, str]) -> str:
    head = ("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  SourceBucket:\n    Type: String\n"
            "Mappings:\n  SourceCode:\n    General:\n      KeyPrefix: waf/v1\nResources:\n")
    return head + "".join(textwrap.indent(_FUNCTION.format(name=name, handler=handler, package=package), "  ")[2:]
                          for name, handler, package in functions)


FILES = {
    # two templates, as a solution that deploys its web ACL from a stack of its own
    "deployment/protections.template": _template(
        ("LogParser", "log_parser.lambda_handler", "log_parser.zip"),
        ("MovePartitions", "partition_logs.lambda_handler", "log_parser.zip")),
    "deployment/setup.template": _template(("Helper", "helper.lambda_handler", "helper.zip")),
    # source/log_parser: one zip for two handlers, a module only one of them imports
    "source/log_parser/__init__.py": "",
    "source/log_parser/log_parser.py": """\
        from query_builder import partition_query


        def lambda_handler(event, context):
            return partition_query(event["table"])
        """,
    "source/log_parser/query_builder.py": """\
        SCRATCH = "/tmp/queries"


        def partition_query(table):
            return SCRATCH + "/" + table
        """,
    "source/log_parser/partition_logs.py": """\
        import hashlib


        def lambda_handler(event, context):
            return hashlib.md5(event["key"].encode()).hexdigest()
        """,
    "source/log_parser/requirements.txt": "requests==2.19.0\n",
    "source/log_parser/test/test_log_parser.py": """\
        import subprocess


        def test_parse():
            subprocess.call("ls", shell=True)
        """,
    "source/helper/__init__.py": "",
    "source/helper/helper.py": """\
        from stack_checks import pick_suffix


        def lambda_handler(event, context):
            return pick_suffix()
        """,
    "source/helper/stack_checks.py": """\
        import random


        def pick_suffix():
            return str(random.randint(0, 9999))
        """,
    "source/helper/requirements.txt": "urllib3==1.24.1\n",
}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _owners(report: dict) -> dict[tuple[str, str], str | None]:
    return {(finding["rule_id"], finding["path"]): finding["function"] for finding in bandit_findings(report)}


def test_bandit_scans_the_matched_source_as_each_functions_code(repository: Path) -> None:
    owners = _owners(scan(repository, "--audit", "off"))
    assert owners == {
        ("bandit/B108", "source/log_parser/query_builder.py"): "LogParser",
        ("bandit/B324", "source/log_parser/partition_logs.py"): "MovePartitions",
        ("bandit/B311", "source/helper/stack_checks.py"): "Helper",
    }


def test_the_audit_reads_the_dependency_files_of_the_matched_source(repository: Path) -> None:
    workspace = Workspace(repository)
    context = AnalysisContext(workspace, build_inventory(workspace), Settings())
    pins = {(site.item.location.path, site.item.name): sorted(site.functions)
            for site in dependencies.collect_dependencies(context).pins.values()}
    assert pins == {("source/log_parser/requirements.txt", "requests"): ["LogParser", "MovePartitions"],
                    ("source/helper/requirements.txt", "urllib3"): ["Helper"]}


def _committed(root: Path, changes: dict[str, str]) -> tuple[str, str]:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    for rel, text in changes.items():
        (root / rel).write_text(textwrap.dedent(text))
    git(root, "commit", "-q", "-am", "head")
    return base, git(root, "rev-parse", "HEAD").strip()


def _searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The handler modules looked for by name (each reads the files of that name)."""
    searched: list[str] = []
    real = code_location.unique_handler_module

    def searching(workspace, module_files, function_name, cache):  # type: ignore[no-untyped-def]
        searched.extend(module_files)
        return real(workspace, module_files, function_name, cache)

    monkeypatch.setattr(code_location, "unique_handler_module", searching)
    return searched


def _review(root: Path, base: str, head: str) -> dict:
    out = io.StringIO()
    code = main(["review", str(root), "--base", base, "--head", head, "--audit", "off", "--format", "json",
                 "--reference-date", "2026-01-01", "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    assert code == 0
    return json.loads(out.getvalue())


def test_a_review_looks_for_the_sources_of_the_touched_functions_only(repository: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    setup = FILES["deployment/setup.template"].replace("python3.12", "python3.13")
    base, head = _committed(repository, {"deployment/setup.template": setup})
    searched = _searched(monkeypatch)
    report = _review(repository, base, head)
    assert "partition_logs.py" not in searched          # MovePartitions is untouched: its handler is not looked for
    assert {finding["function"] for finding in bandit_findings(report)} <= {"Helper"}


def test_a_review_of_a_matched_module_names_its_functions_as_a_full_scan(repository: Path) -> None:
    changed = textwrap.dedent(FILES["source/log_parser/query_builder.py"]) + "\n\nLIMIT = 10\n"
    base, head = _committed(repository, {"source/log_parser/query_builder.py": changed})
    reviewed = _owners(_review(repository, base, head))
    assert reviewed[("bandit/B108", "source/log_parser/query_builder.py")] == "LogParser"
    assert reviewed.items() <= _owners(scan(repository, "--audit", "off")).items()


def test_a_review_of_a_matched_requirements_file_names_every_function_that_ships_it(repository: Path) -> None:
    workspace = Workspace(repository)
    focus = ChangeFocus(frozenset({"source/log_parser/requirements.txt"}))
    context = AnalysisContext(workspace, build_inventory(workspace), Settings(), focus=focus)
    inventory = dependencies.keep_focus(dependencies.collect_dependencies(context), context)
    assert {site.item.name: sorted(site.functions) for site in inventory.pins.values()} == {
        "requests": ["LogParser", "MovePartitions"]}
