"""Each file is parsed once per run: by every analyzer that reads it, and by the base scan of a review.

The counts come from the run's ContentCache (how many parses actually ran), on real scans of the
three-team fixture and real pull requests made with git.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from scenario import committed_copy, git

from reviewer.config import Settings
from reviewer.content_cache import ContentCache
from reviewer.located import DocumentError
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
from reviewer.scan import scan_checkout
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "performance" / "sam-three-teams"
CLOSED_OSV = "http://127.0.0.1:9/v1/query"
SETTINGS = Settings(reference_date=dt.date(2026, 1, 1), osv_url=CLOSED_OSV)


def repository(tmp_path: Path) -> tuple[Path, str]:
    """The three-team fixture as a git repository with one commit; returns (root, base sha)."""
    return committed_copy(FIXTURE, tmp_path / "shop")


def commit(root: Path, rel: str, text: str) -> str:
    (root / rel).write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", f"change {rel}")
    return git(root, "rev-parse", "HEAD").strip()


def review(root: Path, base: str, head: str, cache: ContentCache):  # type: ignore[no-untyped-def]
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    return review_change(root, SETTINGS, diff, base_rev=base, head_rev=head, cache=cache)


def test_every_analyzer_that_reads_a_handler_gets_the_same_parse():
    cache = ContentCache()

    result = scan_checkout(FIXTURE, SETTINGS, cache=cache)

    # Three handler modules, loaded once for both the recursion and the /tmp storage checks:
    # three parses. The /tmp check walks only the module whose text names a callee it acts on
    # (reports/app.py: "saved" holds `save`; a substring is enough to be walked).
    assert cache.parses["python"] == 3
    assert cache.parses["module-index"] == 3 and cache.parses["tmp-usage"] == 1
    assert cache.parses["yaml"] == 1
    assert {finding.rule_id for finding in result.findings} & {"bandit/B602", "bandit/B324", "bandit/B301"}


def test_a_review_parses_the_template_once_when_head_and_base_share_it(tmp_path):
    root, base = repository(tmp_path)
    head = commit(root, "src/orders/app.py", (root / "src/orders/app.py").read_text() + "\nTIMEOUT = 3\n")
    cache = ContentCache()

    review(root, base, head, cache)

    assert cache.parses["yaml"] == 1                  # template.yaml is the same blob in both commits
    # Only the touched handler is read (it triggers no other function), once on each side.
    assert cache.parses["python"] == 2
    assert cache.parses["code-reading"] == 2


def test_a_changed_template_is_parsed_on_each_side(tmp_path):
    root, base = repository(tmp_path)
    template = (root / "template.yaml").read_text().replace("Timeout: 30", "Timeout: 60")
    head = commit(root, "template.yaml", template)
    cache = ContentCache()

    outcome = review(root, base, head, cache)

    assert cache.parses["yaml"] == 2
    assert {function.name for function in outcome.head.functions} == {
        "OrdersFunction", "BillingFunction", "ReportsFunction"}
    # Every function is touched; its unchanged code is read once, and the base reuses the reading
    # and bandit's reports.
    assert cache.parses["python"] == 3
    assert cache.parses["code-reading"] == 3
    assert cache.parses["bandit"] == 3 and cache.hits["bandit"] == 3


def test_a_malformed_template_is_reported_by_both_scans_and_parsed_once(tmp_path):
    root, base = repository(tmp_path)
    (root / "broken-template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: [unclosed\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "broken")
    middle = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, "src/orders/app.py", (root / "src/orders/app.py").read_text() + "\nTIMEOUT = 3\n")
    cache = ContentCache()

    outcome = review(root, middle, head, cache)

    [notice] = [finding for finding in outcome.plan.findings
                if finding.rule_id == "LR901" and finding.path == "broken-template.yaml"]
    assert notice not in outcome.plan.new             # the base reported it too, from the same failed parse
    assert cache.parses["yaml"] == 2                  # template.yaml and the broken one, once each
    assert base != middle


def test_the_cache_raises_a_remembered_failure_again():
    cache = ContentCache()
    for _ in range(2):
        try:
            cache.yaml("key: [unclosed\n")
        except DocumentError:
            pass
        else:
            raise AssertionError("a malformed document must raise")
    assert cache.parses["yaml"] == 1 and cache.hits["yaml"] == 1


def test_the_workspace_walks_the_tree_once_per_scan(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    workspace = Workspace(tmp_path)
    assert list(workspace.iter_files((".py",))) == ["a.py"]
    (tmp_path / "b.py").write_text("y = 2\n")                # the checkout does not change during a scan
    assert list(workspace.iter_files()) == ["a.py"]
    assert list(Workspace(tmp_path).iter_files()) == ["a.py", "b.py"]


def test_a_module_copied_into_two_functions_is_indexed_once_and_read_at_its_own_path(tmp_path):
    from reviewer.code.reader import read_function_code
    from reviewer.inventory import build_inventory

    root = tmp_path / "shop"
    shutil.copytree(FIXTURE, root)
    handler = ("import boto3\n\nsqs = boto3.client('sqs')\n\n\n"
               "def handler(event, context):\n    sqs.send_message(QueueUrl='https://q', MessageBody='x')\n")
    for team in ("orders", "billing"):
        (root / f"src/{team}/app.py").write_text(handler)
    workspace = Workspace(root, parsed=ContentCache())
    functions = {function.name: function for function in build_inventory(workspace).functions}

    writes = {name: read_function_code(workspace, functions[name], {}).writes
              for name in ("OrdersFunction", "BillingFunction")}

    assert workspace.parsed.parses["module-index"] == 1 and workspace.parsed.hits["module-index"] == 1
    assert [write.location.path for write in writes["OrdersFunction"]] == ["src/orders/app.py"]
    assert [write.location.path for write in writes["BillingFunction"]] == ["src/billing/app.py"]


def test_a_review_parses_each_unchanged_terraform_file_once(tmp_path):
    # lark's HCL parser is the largest cost of reading Terraform: the base reuses the head's parse.
    root, base = committed_copy(Path(__file__).parent / "fixtures" / "terraform" / "image-pipeline",
                                tmp_path / "pipeline")
    handler = next(path for path in sorted((root / "src").rglob("*.py")))
    head = commit(root, str(handler.relative_to(root)), handler.read_text() + "\nTIMEOUT = 3\n")
    cache = ContentCache()

    review(root, base, head, cache)

    terraform = {kind: count for kind, count in cache.parses.items() if kind.startswith("terraform:")}
    assert terraform and set(terraform.values()) == {1}
    assert all(cache.hits[kind] >= 1 for kind in terraform)
