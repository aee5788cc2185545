"""A finding with evidence in two files is commented where the change touched it."""

from __future__ import annotations

from reviewer.config import Settings
from reviewer.findings import Finding, Severity
from reviewer.model import Location
from reviewer.review.diff import DiffMap, FileDiff
from reviewer.review.plan import plan_review


def _finding(related: list[Location]) -> Finding:
    return Finding(rule_id="LR201", severity=Severity.ERROR, title="t", message="m", path="src/app.py", line=10,
                   function="Fn", evidence="e", related=related)


def test_the_comment_goes_to_the_related_line_the_change_added():
    diff = DiffMap({"template.yaml": FileDiff("template.yaml", hunks=[(20, 30)], added={27})})
    plan = plan_review([_finding([Location("template.yaml", 29), Location("template.yaml", 27)])], Settings(),
                       diff, base_fingerprints=set())
    assert [(c.path, c.line) for c in plan.inline] == [("template.yaml", 27)]


def test_the_primary_line_wins_when_the_change_added_it():
    diff = DiffMap({"template.yaml": FileDiff("template.yaml", hunks=[(20, 30)], added={27}),
                    "src/app.py": FileDiff("src/app.py", hunks=[(5, 15)], added={10})})
    plan = plan_review([_finding([Location("template.yaml", 27)])], Settings(), diff, base_fingerprints=set())
    assert [(c.path, c.line) for c in plan.inline] == [("src/app.py", 10)]


def test_a_related_added_line_beats_a_primary_context_line():
    diff = DiffMap({"template.yaml": FileDiff("template.yaml", hunks=[(20, 30)], added={27}),
                    "src/app.py": FileDiff("src/app.py", hunks=[(5, 15)], added={6})})
    plan = plan_review([_finding([Location("template.yaml", 27)])], Settings(), diff, base_fingerprints=set())
    assert [(c.path, c.line) for c in plan.inline] == [("template.yaml", 27)]


def test_without_a_base_a_changed_related_line_makes_the_finding_new():
    diff = DiffMap({"template.yaml": FileDiff("template.yaml", hunks=[(20, 30)], added={27})})
    plan = plan_review([_finding([Location("template.yaml", 27)])], Settings(), diff, base_fingerprints=None)
    assert len(plan.new) == 1 and plan.inline[0].path == "template.yaml"
    untouched = plan_review([_finding([Location("template.yaml", 3)])], Settings(), diff, base_fingerprints=None)
    assert untouched.new == [] and untouched.inline == []
