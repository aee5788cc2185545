"""On a pull request the dependency audit reads only the dependency files whose pins it may keep.

`keep_focus` keeps what the touched functions ship (by name) and the files the change edits; the
files of other functions were read only to be dropped. A directory is still read when one of its
requirements files includes another (a shared file then names every function that ships it),
when a read directory includes one of its files, or when a file of it changed. The pins, the
functions they name and the notices must be those of reading everything.
"""

from __future__ import annotations

import pytest
from scenario import git

from reviewer.analyzers import dependencies
from reviewer.analyzers.interface import AnalysisContext, ChangeFocus
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.review.revision_tree import RevisionTree
from reviewer.workspace import Workspace

TEMPLATE_HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
Resources:
"""
FUNCTIONS = {
    "Touched": ("src/touched", "requests==2.31.0\n-r ../shared/requirements-shared.txt\n"),
    "Sharer": ("src/sharer", "-r ../shared/requirements-shared.txt\nboto3==1.34.0\n"),
    "Plain": ("src/plain", "urllib3==1.26.5\n"),
    "Other": ("src/other", "jinja2==2.10\n"),
    "Big": ("src/big", "pyyaml==5.3\n" + "# padding\n" * 400),
}


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    root = tmp_path_factory.mktemp("dependency-focus") / "repo"
    template = TEMPLATE_HEAD
    for name, (code, requirements) in FUNCTIONS.items():
        template += f"  {name}Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: {code}\n"
        (root / code).mkdir(parents=True)
        (root / code / "app.py").write_text("def handler(event, context):\n    return 1\n")
        (root / code / "requirements.txt").write_text(requirements)
    (root / "src/shared").mkdir()
    (root / "src/shared/requirements-shared.txt").write_text("idna==2.5\n")
    (root / "template.yaml").write_text(template)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root, git(root, "rev-parse", "HEAD").strip()


def collected(root, commit, changed, monkeypatch, read_all):
    if read_all:
        monkeypatch.setattr(dependencies, "_needed_directories", lambda context, by_directory, listed: set(by_directory))
    directories: list[str] = []
    real = dependencies.read_dependency_files

    def reading(workspace, directory, names=None):
        directories.append(directory)
        return real(workspace, directory, names)

    monkeypatch.setattr(dependencies, "read_dependency_files", reading)
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, max_file_size=1024, tree=tree)
        context = AnalysisContext(workspace, build_inventory(workspace), Settings(), focus=ChangeFocus(frozenset(changed)))
        inventory = dependencies.keep_focus(dependencies.collect_dependencies(context), context)
    monkeypatch.undo()
    sites = sorted((key, sorted(site.functions)) for key, site in inventory.pins.items())
    notices = sorted((notice.rule_id, notice.path, notice.message) for notice in inventory.notices)
    return (sites, sorted(inventory.unauditable), notices), directories


@pytest.mark.parametrize("changed, unread", [
    ({"src/touched/app.py"}, {"src/plain", "src/other", "src/big"}),
    ({"src/plain/requirements.txt"}, {"src/other", "src/big"}),
    ({"src/shared/requirements-shared.txt"}, {"src/plain", "src/other", "src/big"}),
    ({"src/big/app.py"}, {"src/plain", "src/other"}),
])
def test_the_same_pins_from_fewer_files(repository, monkeypatch, changed, unread):
    root, commit = repository
    everything, _ = collected(root, commit, changed, monkeypatch, read_all=True)
    focused, directories = collected(root, commit, changed, monkeypatch, read_all=False)
    assert focused == everything
    assert not unread & set(directories)
    assert {"src/sharer", "src/touched"} <= set(directories)     # they include a file: always read
    assert everything[0] or everything[2]              # the case says something


def test_a_full_scan_reads_every_directory(repository, monkeypatch):
    root, commit = repository
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, tree=tree)
        context = AnalysisContext(workspace, build_inventory(workspace), Settings())
        listed = {"src/a": [], "src/b": []}
        assert dependencies._needed_directories(context, {"src/a": [], "src/b": []}, listed) == {"src/a", "src/b"}
