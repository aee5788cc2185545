"""The words of bandit's findings (title, message), each made once per run.

bandit_engine turns every issue bandit reports into a finding; a monorepo's copies of a module
repeat the same issues, and each finding's message was a template rendering and a string of its
own (4,500 distinct messages among the 11,700 findings of a 1,200-function scan).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup

from reviewer.analyzers.bandit_advice import MESSAGES, instead
from reviewer.analyzers.function_lists import name_list
from reviewer.wording import finding_message

if TYPE_CHECKING:
    from reviewer.analyzers.bandit_workers import BanditIssue

# Test ids of bandit's form (`B602`): only these have their documentation URL looked up
# (bandit_workers.scan_chunk, where bandit is loaded).
TEST_ID = re.compile(r"^B\d{3}$")


def _title(issue: BanditIssue) -> str:
    words = issue.test_name.replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]}" if words else f"bandit {issue.test_id}"


class FindingWords:
    """The words of one scan's bandit findings, each made once and shared by the findings that say
    the same. The keys are exactly what the templates and `_title` read."""

    def __init__(self) -> None:
        self.messages: dict[tuple[str, str, str, str, str, int, tuple[str, ...], str, bool], str] = {}
        self.titles: dict[tuple[str, str], str] = {}
        self._advice: dict[str, str | None] = {}

    def advice(self, test_id: str) -> str | None:
        """Our advice on a test (what to do instead), when the review has one."""
        if test_id not in self._advice:
            self._advice[test_id] = instead(test_id)
        return self._advice[test_id]

    def title(self, issue: BanditIssue) -> str:
        key = (issue.test_name, issue.test_id)
        title = self.titles.get(key)
        if title is None:
            title = self.titles[key] = _title(issue)
        return title

    def message(self, issue: BanditIssue, owners: tuple[str, ...]) -> str:
        key = (issue.text, issue.test_id, issue.test_name, issue.severity, issue.confidence, issue.cwe, owners,
               issue.tempfile_call, issue.in_script_block)
        message = self.messages.get(key)
        if message is None:
            # A `tempfile` call given a `/tmp` folder already does what the advice would say.
            advice = None if issue.tempfile_call else self.advice(issue.test_id)
            listed = name_list(owners)
            message = self.messages[key] = finding_message(
                MESSAGES, "issue", text=issue.text, test_id=issue.test_id, test_name=issue.test_name,
                severity=issue.severity, confidence=issue.confidence, advice=Markup(advice) if advice else None,
                cwe=Markup(issue.cwe) if issue.cwe else None, owners=listed.named if len(owners) > 1 else (),
                more=listed.more, private_temp=issue.tempfile_call, script_block=issue.in_script_block)
        return message
