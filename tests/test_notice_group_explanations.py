"""The summary's notice groups end with the rule's first sentence, which must read as one."""

from __future__ import annotations

import pytest

from reviewer.findings import Finding, Severity
from reviewer.review.summary_rows import notice_groups
from reviewer.rules import RULES


@pytest.mark.parametrize("rule_id", sorted(rule_id for rule_id, rule in RULES.items()
                                           if rule.severity is Severity.NOTICE))
def test_every_notice_group_explanation_ends_with_a_stop(rule_id: str) -> None:
    """LR904's rationale breaks at a colon after its parenthesis; the group's sentence (seen on a
    Terraform module call whose count is unknown) ended "... a count that cannot be known)"."""
    finding = Finding(rule_id, Severity.NOTICE, RULES[rule_id].title, "m", "main.tf", 3)
    (group,) = notice_groups([finding])
    assert group.explanation.endswith((".", "!", "?")), group.explanation
