"""A change that renames a function's files does not make the findings in them new.

Shaped on a Serverless app that renamed its handler modules from kebab-case to snake_case
(`admin-get-orders.py` → `admin_get_orders.py`) and pointed the handlers at the new names: every
bandit and /tmp finding in those files was reported as new, with inline comments on lines the
change did not touch.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  GetOrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/orders/
      Handler: {module}.handler
      Runtime: python3.12
"""

HANDLER = """\
def handler(event, context):
    rows = eval(event["filter"])
    with open("/tmp/orders.csv", "w") as out:
        out.write(str(rows))
    return rows
"""


def _commit(root: Path) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")
    return git(root, "rev-parse", "HEAD").strip()


def _review(root: Path, base: str, head: str):  # type: ignore[no-untyped-def]
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-01-01", audit="off")
    return review_change(root, settings, diff, base_rev=base, head_rev=head)


def _repository(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "shop"
    (root / "src" / "orders").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE.format(module="get-orders"), encoding="utf-8")
    (root / "src" / "orders" / "get-orders.py").write_text(HANDLER, encoding="utf-8")
    return root, first_commit(root)


def test_renaming_a_handler_module_keeps_its_findings_pre_existing(tmp_path):
    root, base = _repository(tmp_path)
    git(root, "mv", "src/orders/get-orders.py", "src/orders/get_orders.py")
    (root / "template.yaml").write_text(TEMPLATE.format(module="get_orders"), encoding="utf-8")
    head = _commit(root)

    outcome = _review(root, base, head)

    moved = [finding for finding in outcome.plan.findings if finding.path == "src/orders/get_orders.py"]
    assert {finding.engine for finding in moved} >= {"bandit"}        # the eval() is still reported
    assert outcome.plan.new == [] and outcome.plan.inline == []


def test_a_finding_the_renaming_change_adds_is_still_new(tmp_path):
    root, base = _repository(tmp_path)
    git(root, "mv", "src/orders/get-orders.py", "src/orders/get_orders.py")
    (root / "src" / "orders" / "get_orders.py").write_text(
        HANDLER + "\n\ndef replay(expression):\n    return exec(expression)\n", encoding="utf-8")
    (root / "template.yaml").write_text(TEMPLATE.format(module="get_orders"), encoding="utf-8")
    head = _commit(root)

    outcome = _review(root, base, head)

    assert [(finding.rule_id, finding.line) for finding in outcome.plan.new] == [("bandit/B102", 9)]


def test_the_pull_requests_file_list_records_its_renames():
    from github_standin import GitHubStandIn

    from reviewer.publish.github import PullRequestPublisher, connect

    with GitHubStandIn() as server:
        server.add_token("ghs_actions")
        renamed = {"filename": "src/orders/get_orders.py", "status": "renamed",
                   "previous_filename": "src/orders/get-orders.py", "patch": "@@ -1 +1 @@\n-a\n+b"}
        server.add_pull_request("acme/shop", 3, head_sha="a" * 40, base_sha="b" * 40, files=[renamed])
        diff = PullRequestPublisher(connect(server.api_url, "ghs_actions"), "acme/shop", 3).changed_files()
    assert diff.renamed == {"src/orders/get-orders.py": "src/orders/get_orders.py"}
    assert "src/orders/get-orders.py" in diff.removed


PLACES_DIFF = """\
diff --git a/lib/cdn.kt b/lib/cdn.kt
--- a/lib/cdn.kt
+++ b/lib/cdn.kt
@@ -3,0 +4,2 @@
+// added
+// twice
@@ -10,3 +12,2 @@
 keep
-gone
-replaced
+replacement
"""


def test_an_old_line_is_followed_through_insertions_deletions_and_replacements():
    moved = diff_map_from_unified(PLACES_DIFF).get("lib/cdn.kt")
    assert moved is not None
    assert [moved.new_line(line) for line in (3, 4, 9, 10, 11, 12, 13)] == [3, 6, 11, 12, None, None, 14]


def test_a_function_named_by_its_place_keeps_its_identity_when_lines_move_above_it():
    from reviewer.model import Function, Location
    from reviewer.review.renames import line_renames

    def function(line: int, name: str | None = None) -> Function:
        return Function(name=name or f"EdgeFunction at lib/cdn.kt:{line}", format="cdk",
                        location=Location("lib/cdn.kt", line))

    diff = diff_map_from_unified(PLACES_DIFF)
    base = [function(9), function(11), function(2, "Rewrite")]
    head = [function(11), function(2, "Rewrite")]
    assert line_renames(base, head, diff) == {"EdgeFunction at lib/cdn.kt:9": "EdgeFunction at lib/cdn.kt:11"}
