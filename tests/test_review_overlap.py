"""What a pull-request review no longer repeats or waits for (issue 23).

- The CDK reader's `git grep` for markers starts before the first format reads a template, and
  the CDK scan collects that very answer: git searches while CloudFormation templates are composed.
- A function's focus answer (`ChangeFocus.touches`) is worked out once per run, however many
  analyzers ask.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scenario import git

from reviewer.analyzers.interface import ChangeFocus
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.inventory.cloudformation.read import CloudFormationFormat
from reviewer.review import git as review_git
from reviewer.review.revision_tree import RevisionTree
from reviewer.scan import scan_checkout
from reviewer.workspace import Workspace

EXAMPLES = Path(__file__).parent.parent / "examples"
CDK_FIXTURES = Path(__file__).parent / "fixtures" / "cdk"


def _repository(root: Path) -> str:
    shutil.copytree(EXAMPLES / "sam-app", root / "sam-app")
    shutil.copytree(CDK_FIXTURES, root / "apps")
    (root / "services/orders/app.py").parent.mkdir(parents=True)
    (root / "services/orders/app.py").write_text("def handler(event, context):\n    return event\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "apps")
    return git(root, "rev-parse", "HEAD").strip()


def _inventory_json(workspace: Workspace) -> list[dict]:
    return [function.to_json() for function in build_inventory(workspace).functions]


def test_the_marker_search_runs_while_templates_are_read(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    commit = _repository(root)
    events: list[str] = []
    original_search, original_scan = review_git.files_containing, CloudFormationFormat.scan

    def search(*args, **kwargs):
        events.append("git grep")
        return original_search(*args, **kwargs)

    def templates(self, workspace):
        events.append("templates")
        return original_scan(self, workspace)

    monkeypatch.setattr(review_git, "files_containing", search)
    monkeypatch.setattr(CloudFormationFormat, "scan", templates)
    with RevisionTree(root, commit) as tree:
        from_git = _inventory_json(Workspace(root, tree=tree))
    assert events == ["git grep", "templates"]            # one search, started first, collected later
    monkeypatch.undo()
    assert from_git == _inventory_json(Workspace(root))
    assert any(function["format"] == "cdk" for function in from_git)


def test_a_started_answer_is_only_given_to_the_same_request_or_one_about_fewer_files(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    commit = _repository(root)
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, tree=tree)
        files = ["services/orders/app.py", "apps/python-app/app.py"]
        searches: list[list[str]] = []
        original_search = review_git.files_containing
        monkeypatch.setattr(review_git, "files_containing",
                            lambda *args: searches.append(args[3]) or original_search(*args))
        workspace.start_lacking(files, ("aws_cdk",))
        assert workspace.lacking(files[:1], ("aws_cdk",)) == {"services/orders/app.py"}   # from the started one
        assert len(searches) == 1
        assert workspace.lacking(files[:1], ("other",)) == {"services/orders/app.py"}     # other needles: asked
        assert len(searches) == 2
        workspace.start_lacking(files[:1], ("aws_cdk",))
        assert workspace.lacking(files, ("aws_cdk",)) == {"services/orders/app.py"}       # more files: asked
        assert len(searches) == 4
        workspace.settle_started()
        workspace.start_lacking(files, ("aws_cdk",))
        assert workspace.lacking(files, ("aws_cdk",)) == {"services/orders/app.py"}       # the started one
        assert len(searches) == 5
        monkeypatch.undo()
        workspace.start_lacking(files, ("aws_cdk",))
        workspace.read_text("services/orders/app.py")          # read since: its text is held
        assert workspace.lacking(files, ("aws_cdk",)) == frozenset()
        workspace.start_lacking(files, ("aws_cdk",))
        workspace.settle_started()
        assert not workspace._started


def test_sizes_are_learnt_while_git_searches(tmp_path, monkeypatch):
    """The sizes a size-bounded search needs are asked of git when the search starts."""
    root = tmp_path / "repo"
    commit = _repository(root)
    events: list[str] = []
    original_sizes = review_git.start_blob_sizes
    monkeypatch.setattr(review_git, "start_blob_sizes",
                        lambda *args: events.append("sizes asked") or original_sizes(*args))
    with RevisionTree(root, commit) as tree:
        workspace = Workspace(root, max_file_size=40, tree=tree)
        workspace.start_lacking(["services/orders/app.py", "apps/python-app/app.py"], ("aws_cdk",))
        assert events == ["sizes asked"]
        events.append("collected")
        # app.py holds no marker but is above the limit: it is read (and refused) as before
        assert workspace.lacking(["services/orders/app.py", "apps/python-app/app.py"], ("aws_cdk",)) == frozenset()
        assert events == ["sizes asked", "collected"]
        assert tree._blobs["services/orders/app.py"][2] == (root / "services/orders/app.py").stat().st_size


def test_a_function_focus_is_worked_out_once(tmp_path):
    root = tmp_path / "repo"
    _repository(root)
    focus = ChangeFocus(frozenset({"services/orders/app.py"}))
    result = scan_checkout(root, Settings(), focus=focus)
    assert len(result.functions) >= 3
    assert focus.computed[0] == len({id(function) for function in result.functions})
    assert all(focus.touches(function) == focus._touches(function) for function in result.functions)
    assert focus.computed[0] == len(result.functions)
