"""A pull request review analyses the code and dependencies of the functions it touches; a push scans all.

The fixture is one SAM template with three teams' functions, each with code bandit has something
to say about and pinned requirements. The pull requests are real git commits, reviewed by the
real pipeline (`review_change`, or the CLI), with pip-audit asking the loopback OSV stand-in.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from scenario import committed_copy, git

from reviewer.cli import main
from reviewer.config import Settings, resolve_settings
from reviewer.content_cache import ContentCache
from reviewer.review import git as review_git
from reviewer.model import Function, Location
from reviewer.review.change import change_focus, focus_note, full_scan, review_change, scan_revision
from reviewer.scan import ScanResult
from reviewer.review.diff import diff_map_from_unified

FIXTURE = Path(__file__).parent / "fixtures" / "performance" / "sam-three-teams"
ENGINES = ("bandit", "pip-audit")

# The focus note names the functions whose files a change edits (not the functions it changes).
FOCUS = "functions whose declaring, code or dependency files this change edits"


def repository(tmp_path: Path) -> tuple[Path, str]:
    """The three-team fixture as a git repository with one commit; returns (root, base sha)."""
    return committed_copy(FIXTURE, tmp_path / "shop")


def commit(root: Path, changes: dict[str, str | None], message: str = "head") -> str:
    for rel, text in changes.items():
        if text is None:
            git(root, "rm", "-q", rel)
        else:
            (root / rel).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def with_line(root: Path, rel: str, line: str) -> str:
    return (root / rel).read_text(encoding="utf-8") + line


def settings_for(root: Path, osv_url: str) -> Settings:
    return resolve_settings(root, None, osv_url=osv_url, reference_date="2026-01-01")


def review(root: Path, base: str, head: str, osv_url: str, cache: ContentCache | None = None):  # type: ignore[no-untyped-def]
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    return review_change(root, settings_for(root, osv_url), diff, base_rev=base, head_rev=head, cache=cache)


def engine_functions(findings) -> set[str | None]:  # type: ignore[no-untyped-def]
    return {finding.function for finding in findings if finding.engine in ENGINES}


ORDERS_EVAL = "\n\ndef replay(expression):\n    return eval(expression)\n"


def test_pull_request_touching_one_handler_reports_engine_findings_only_for_that_function(tmp_path, osv):
    root, base = repository(tmp_path)
    head = commit(root, {"src/orders/app.py": with_line(root, "src/orders/app.py", ORDERS_EVAL)})

    outcome = review(root, base, head, osv.query_url)

    assert engine_functions(outcome.plan.findings) == {"OrdersFunction"}
    rules = {finding.rule_id for finding in outcome.plan.findings if finding.function == "OrdersFunction"}
    assert {"bandit/B602", "bandit/B307", "LR500"} <= rules          # shell=True, eval, jinja2 2.10
    # The base was analysed the same way: only the line this change adds is new.
    assert [finding.rule_id for finding in outcome.plan.new if finding.engine in ENGINES] == ["bandit/B307"]
    # The template-level checks still cover every function (ReportsFunction's python3.8).
    assert any(finding.function == "ReportsFunction" and finding.rule_id.startswith("LR1")
               for finding in outcome.plan.findings)
    # Only the touched function's pins were asked about, once, for head and base together.
    assert osv.standin.query_counts == {("jinja2", "2.10"): 1}


def test_summary_says_only_the_touched_functions_were_analysed(tmp_path, osv):
    root, base = repository(tmp_path)
    head = commit(root, {"src/orders/app.py": with_line(root, "src/orders/app.py", ORDERS_EVAL)})
    out = io.StringIO()

    code = main(["review", str(root), "--base", base, "--head", head, "--format", "json",
                 "--osv-url", osv.query_url, "--reference-date", "2026-01-01"], stdout=out, stderr=io.StringIO())

    report = json.loads(out.getvalue())
    [note] = [note for note in report["summary"]["notes"] if FOCUS in note]
    assert note.startswith(f"Only the code and dependencies of the 1 of 3 {FOCUS} (OrdersFunction) were analysed")
    assert "A push or scheduled run analyses everything" in note
    assert "OrdersFunction" in report["summary_comment"] and "1 of 3 functions" in report["summary_comment"]
    assert report["summary"]["new"] == 1 and code == 0          # eval() is a warning; fail-on is error


def test_base_scan_of_a_pull_request_analyses_the_same_functions(tmp_path, osv):
    root, base = repository(tmp_path)
    head = commit(root, {"src/orders/app.py": with_line(root, "src/orders/app.py", ORDERS_EVAL)})
    focus = change_focus(diff_map_from_unified(review_git.unified_diff(root, base, head)))

    base_scan = scan_revision(root, base, settings_for(root, osv.query_url), focus=focus)

    assert engine_functions(base_scan.findings) == {"OrdersFunction"}
    assert [function.name for function in base_scan.focused or []] == ["OrdersFunction"]


def test_push_scan_analyses_every_function(tmp_path, osv):
    root, _ = repository(tmp_path)

    outcome = full_scan(root, settings_for(root, osv.query_url))

    assert engine_functions(outcome.plan.findings) == {"OrdersFunction", "BillingFunction", "ReportsFunction"}
    assert not any(FOCUS in note for note in outcome.facts.notes)


def test_changing_a_template_touches_every_function_it_declares(tmp_path, osv):
    root, base = repository(tmp_path)
    template = (root / "template.yaml").read_text(encoding="utf-8").replace("Timeout: 30", "Timeout: 60")
    head = commit(root, {"template.yaml": template})

    outcome = review(root, base, head, osv.query_url)

    assert engine_functions(outcome.plan.findings) == {"OrdersFunction", "BillingFunction", "ReportsFunction"}
    assert not any(finding.engine in ENGINES for finding in outcome.plan.new)
    assert not any(FOCUS in note for note in outcome.facts.notes)


def test_changing_the_bandit_settings_reviews_every_function(tmp_path, osv):
    root, base = repository(tmp_path)
    head = commit(root, {".bandit": "[bandit]\nskips = B101\n"})

    outcome = review(root, base, head, osv.query_url)

    assert engine_functions(outcome.plan.findings) == {"OrdersFunction", "BillingFunction", "ReportsFunction"}


def test_changing_a_shared_requirements_file_audits_the_pins_it_holds(tmp_path, osv):
    root, base = repository(tmp_path)
    head = commit(root, {"src/common/requirements-common.txt": "urllib3==2.2.2\nPyYAML==5.3.1\n"})

    outcome = review(root, base, head, osv.query_url)

    audited = {finding.rule_id: finding for finding in outcome.plan.findings if finding.engine == "pip-audit"}
    assert audited["LR500"].path == "src/common/requirements-common.txt"
    assert audited["LR500"].function == "ReportsFunction"
    assert not any(finding.engine == "bandit" for finding in outcome.plan.findings)   # no code changed
    assert set(osv.standin.query_counts) == {("urllib3", "2.2.2"), ("pyyaml", "5.3.1")}


def test_deleting_a_module_touches_the_function_that_shipped_it(tmp_path, osv):
    root, base = repository(tmp_path)
    (root / "src/billing/legacy.py").write_text("import pickle\n\n\ndef load(b):\n    return pickle.loads(b)\n")
    middle = commit(root, {}, "add legacy")
    head = commit(root, {"src/billing/legacy.py": None}, "remove legacy")

    outcome = review(root, middle, head, osv.query_url)

    assert engine_functions(outcome.plan.findings) == {"BillingFunction"}
    assert base != middle


# -- recursion on a focused review ------------------------------------------------------------------

CYCLE_FIXTURE = Path(__file__).parent / "fixtures" / "recursion" / "sam-cycle"
VALIDATOR = "src/validator/validator.py"
# The validator before the change: it validates but publishes nothing, so no loop is closed.
QUIET_VALIDATOR = '''import json


def handler(event, context):
    return [json.loads(record["body"]) for record in event["Records"]]
'''
# The archiver sends every record back to the queue that triggers it (LR201), on both commits.
LOOPING_ARCHIVER = '''import os

import boto3

sqs = boto3.client("sqs")


def handler(event, context):
    for record in event["Records"]:
        sqs.send_message(QueueUrl=os.environ["ARCHIVE_QUEUE_URL"], MessageBody=record["body"])
'''


def cycle_repository(tmp_path: Path) -> tuple[Path, str, str]:
    """sam-cycle with a quiet validator and a self-looping archiver (base), and a head whose only
    change makes the validator publish to the topic the resubmitter reads: (root, base, head)."""
    root = tmp_path / "cycle"
    shutil.copytree(CYCLE_FIXTURE, root)
    loud_validator = (root / VALIDATOR).read_text(encoding="utf-8")
    template = (root / "template.yaml").read_text(encoding="utf-8")
    (root / "template.yaml").write_text(template.replace(
        "      CodeUri: src/archiver\n",
        "      CodeUri: src/archiver\n      Environment:\n        Variables:\n"
        "          ARCHIVE_QUEUE_URL: !Ref ArchiveQueue\n"), encoding="utf-8")
    (root / "src/archiver/archive.py").write_text(LOOPING_ARCHIVER, encoding="utf-8")
    (root / VALIDATOR).write_text(QUIET_VALIDATOR, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    return root, base, commit(root, {VALIDATOR: loud_validator})


def recursion(findings) -> set[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return {(finding.rule_id, finding.function) for finding in findings if finding.rule_id.startswith("LR20")}


def test_a_loop_the_change_closes_through_an_untouched_function_is_new(tmp_path, osv):
    root, base, head = cycle_repository(tmp_path)

    outcome = review(root, base, head, osv.query_url)

    # The resubmitter's code is unchanged, but it is reachable from the validator, so it is read;
    # the cycle is named after the first function of it by name.
    assert recursion(outcome.plan.new) == {("LR205", "ResubmitterFunction")}


def test_an_untouched_functions_own_loop_is_left_to_the_push_scan(tmp_path, osv, monkeypatch):
    from reviewer.analyzers import recursion as recursion_module

    root, base, head = cycle_repository(tmp_path)
    read: list[str] = []
    real_reader = recursion_module.read_function_code

    def reading(workspace, function, cache):  # type: ignore[no-untyped-def]
        read.append(function.name)
        return real_reader(workspace, function, cache)

    monkeypatch.setattr(recursion_module, "read_function_code", reading)

    outcome = review(root, base, head, osv.query_url)

    assert ("LR201", "ArchiverFunction") not in recursion(outcome.plan.findings)
    # Touched, and reached from it; the enricher and archiver are neither, on head or base.
    assert set(read) == {"ValidatorFunction", "ResubmitterFunction"}
    note = next(note for note in outcome.facts.notes if FOCUS in note)
    assert "recursion was checked for loops through them" in note
    assert ("LR201", "ArchiverFunction") in recursion(full_scan(root, settings_for(root, osv.query_url)).plan.findings)


def test_the_focus_note_counts_touched_functions_that_share_a_name():
    # Three CDK constructs each declare a function whose construct id is `lambda`; a runtime bump
    # edits all three files, so all three functions were analysed, not "1 of 3".
    functions = [Function("lambda", "cdk", Location(f"deployment/constructs/{name}.ts", 50)) for name in "abc"]
    functions.append(Function("Other", "cdk", Location("deployment/stacks/other.ts", 9)))
    note = focus_note(ScanResult(functions, [], focused=functions[:3])) or ""
    assert note.startswith("Only the code and dependencies of the 3 of 4 functions")
    assert ("(lambda (deployment/constructs/a.ts), lambda (deployment/constructs/b.ts), "
            "lambda (deployment/constructs/c.ts))") in note
    assert focus_note(ScanResult(functions[:3], [], focused=functions[:3])) is None
