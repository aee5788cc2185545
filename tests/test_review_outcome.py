"""Review decides: what changed since the previous run, and the fork relay's plan, are worked out in
`reviewer/review/` from plain values, before any publisher is involved (issue 16).

The end-to-end side (the same decisions carried out against the GitHub stand-in) is in
test_review_quality.py and test_fork_relay.py.
"""

from __future__ import annotations

import ast
import base64
import datetime as dt
import json
from pathlib import Path

from reviewer.config import Settings
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location
from reviewer.review.diff import DiffMap, file_diff_from_github_patch
from reviewer.review.outcome import ReviewOutcome, relayed_outcome
from reviewer.review.plan import plan_review
from reviewer.review.since_previous import (MAX_STATE_ENTRIES, STATE_MARKER_PREFIX, decode_state, encode_state,
                                            since_previous)
from reviewer.review.summary import summarize

DAY = dt.date(2026, 11, 22)
PUBLISH = Path(__file__).resolve().parent.parent / "reviewer" / "publish"


def _finding(rule_id: str, path: str, line: int, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(rule_id=rule_id, severity=severity, title=f"title of {rule_id}", message="message", path=path,
                   line=line, function="Api", evidence=f"{rule_id} {path} {line}")


def _plan(findings: list[Finding]):
    return plan_review(findings, Settings(reference_date=DAY), DiffMap(), set())


def _summary_body(findings: list[Finding], resolved: set[str]) -> str:
    return f"<!-- lambda-review:summary -->\n{encode_state(findings, resolved)}\n## Lambda Review\n"


KEPT = _finding("LR100", "template.yaml", 15)
FIXED = _finding("LR101", "template.yaml", 25)
NEW = _finding("LR105", "template.yaml", 30, Severity.WARNING)


def test_the_first_run_has_nothing_to_compare_and_skips_no_comment_it_did_not_find():
    decided = since_previous(_plan([KEPT, NEW]), previous_summary=None, our_inline=set())

    assert decided.changes is None
    assert decided.already_posted == frozenset() and decided.fixed == frozenset()
    state = decode_state(decided.state_after([KEPT, NEW], resolved_now=set()))
    assert state is not None and set(state.findings) == {KEPT.fingerprint, NEW.fingerprint}
    assert state.findings[NEW.fingerprint] == "LR105 template.yaml:30" and state.resolved == set()


def test_a_later_run_names_what_was_fixed_and_what_is_new_and_resolves_the_fixed_comment():
    previous = _summary_body([KEPT, FIXED], resolved=set())
    plan = _plan([KEPT, NEW])

    decided = since_previous(plan, previous, our_inline={FIXED.fingerprint, KEPT.fingerprint})

    assert decided.changes is not None
    assert decided.changes.fixed == ["LR101 template.yaml:25"] and decided.changes.new == ["LR105 template.yaml:30"]
    # Our comment on the kept finding is not posted again; the one on the fixed finding is resolved.
    assert decided.already_posted == {FIXED.fingerprint, KEPT.fingerprint}
    assert decided.fixed == {FIXED.fingerprint}
    state = decode_state(decided.state_after(plan.findings, resolved_now={FIXED.fingerprint}))
    assert state is not None and state.resolved == {FIXED.fingerprint}


def test_a_comment_resolved_before_is_neither_resolved_again_nor_counted_as_posted():
    previous = _summary_body([KEPT], resolved={FIXED.fingerprint})

    decided = since_previous(_plan([KEPT]), previous, our_inline={FIXED.fingerprint, KEPT.fingerprint})

    assert decided.fixed == frozenset() and decided.already_posted == {KEPT.fingerprint}
    state = decode_state(decided.state_after([KEPT], resolved_now=set()))
    assert state is not None and state.resolved == {FIXED.fingerprint}


def test_a_finding_that_comes_back_is_posted_again_and_leaves_the_resolved_list():
    previous = _summary_body([KEPT], resolved={FIXED.fingerprint})

    decided = since_previous(_plan([KEPT, FIXED]), previous, our_inline={FIXED.fingerprint, KEPT.fingerprint})

    assert FIXED.fingerprint not in decided.already_posted
    state = decode_state(decided.state_after([KEPT, FIXED], resolved_now=set()))
    assert state is not None and state.resolved == set()


def test_a_summary_without_state_or_with_a_forged_one_counts_as_no_previous_run():
    forged = base64.b64encode(json.dumps({"findings": {"../../etc": "x", "0" * 20: "LR100 a:1"},
                                          "resolved": ["<script>"]}).encode()).decode()
    assert since_previous(_plan([KEPT]), "<!-- lambda-review:summary -->\n", {KEPT.fingerprint}).changes is None
    assert decode_state(f"{STATE_MARKER_PREFIX}not base64! -->") is None
    state = decode_state(f"{STATE_MARKER_PREFIX}{forged} -->")
    assert state is not None and state.findings == {"0" * 20: "LR100 a:1"} and state.resolved == set()


def test_the_state_keeps_at_most_its_entries():
    many = [_finding("LR100", "template.yaml", line) for line in range(1, MAX_STATE_ENTRIES + 50)]
    state = decode_state(encode_state(many, {finding.fingerprint for finding in many}))
    assert state is not None
    assert len(state.findings) == MAX_STATE_ENTRIES and len(state.resolved) == MAX_STATE_ENTRIES


def test_the_outcome_records_the_changes_in_the_summary_facts():
    plan = _plan([KEPT, NEW])
    outcome = ReviewOutcome(None, plan, summarize(plan, [], [], Settings(reference_date=DAY)))

    outcome.since_previous(_summary_body([KEPT, FIXED], set()), our_inline=set())

    assert outcome.facts.since_previous is not None and outcome.facts.since_previous.fixed == ["LR101 template.yaml:25"]


def _relay_diff() -> DiffMap:
    diff = DiffMap()
    diff.files["template.yaml"] = file_diff_from_github_patch(
        "template.yaml", "@@ -20,3 +20,8 @@\n   a:\n   b:\n   c:\n+  d:\n+  e:\n+  f:\n+  g:\n+  h:")
    return diff


def test_the_relay_plans_the_read_only_runs_findings_in_review():
    old = _finding("LR100", "template.yaml", 21)
    new_inline = _finding("LR101", "template.yaml", 24)
    new_notice = _finding("LR400", "template.yaml", 25, Severity.NOTICE)
    new_elsewhere = _finding("LR101", "stacks/big.yaml", 6)
    functions = [Function("Api", "sam", Location("template.yaml", 20), runtime="nodejs14.x")]
    findings = [old, new_inline, new_notice, new_elsewhere]
    new = {new_inline.fingerprint, new_notice.fingerprint, new_elsewhere.fingerprint}

    outcome = relayed_outcome(findings, new, functions, fail_on="error", reference_date=DAY, diff=_relay_diff(),
                              max_inline=25)

    assert outcome.plan.existing == [old] and len(outcome.plan.new) == 3
    # Inline: only the new error on a line of the diff; the notice goes to the summary.
    assert [(c.path, c.line) for c in outcome.plan.inline] == [("template.yaml", 24)]
    assert {finding.fingerprint for finding in outcome.plan.failing} == {new_inline.fingerprint,
                                                                        new_elsewhere.fingerprint}
    assert outcome.conclusion == "failure" and outcome.exit_code == 1
    assert outcome.functions == functions and outcome.facts.reference_date == DAY
    assert outcome.diff is not None and outcome.head is None


def test_the_relay_uses_the_read_only_runs_fail_on_and_inline_limit():
    new = _finding("LR101", "template.yaml", 24)
    outcome = relayed_outcome([new], {new.fingerprint}, [], fail_on="never", reference_date=DAY,
                              diff=_relay_diff(), max_inline=0)

    assert outcome.plan.inline == [] and outcome.plan.failing == []
    assert outcome.conclusion == "neutral" and outcome.exit_code == 0 and outcome.facts.fail_on == "never"


DECISIONS = {"plan_review", "summarize", "since_previous", "encode_state", "decode_state", "fail_closed"}


def test_no_publisher_makes_a_decision_of_its_own():
    """publish/ may read review's types and its outcome, never call what decides."""
    for path in sorted(PUBLISH.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and (node.module or "").startswith("reviewer.review") for alias in node.names}
        assert not imported & DECISIONS, f"{path.name} imports {sorted(imported & DECISIONS)} from review/"
