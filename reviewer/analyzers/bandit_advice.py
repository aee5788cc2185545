"""What to do instead of what bandit flags, and `lambda-review explain bandit/BXXX`.

bandit says what it found in one line; a reviewer also wants the usual fix. The advice below
covers the tests that fire most in Lambda handlers; `explain` works for every test bandit has,
from bandit's own plugin metadata (its docstrings and blacklist messages are its documentation).
"""

from __future__ import annotations

import re

from reviewer.analyzers.bandit_plugins import doc_url, load_bandit
from reviewer.wording import finding_message

# The advice's words: templates/findings/bandit.md.j2 (macro `instead`).
MESSAGES = "bandit"

_TEST_ID = re.compile(r"^B\d{3}$")


def instead(test_id: str) -> str | None:
    """The short "what to do instead" of a bandit test (Markdown, our own text), when the review has one."""
    return finding_message(MESSAGES, "instead", test=test_id) or None


def _first_paragraph(docstring: str) -> str:
    """bandit's plugin docstrings start with a bold title line, then prose; keep the prose's first paragraph."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", docstring or "") if part.strip()]
    prose = [text for text in paragraphs if not text.startswith("**") and not text.startswith((".. ", ":"))]
    return prose[0] if prose else ""


def explain_bandit(rule: str) -> str | None:
    """`explain bandit/B602`: bandit's name and description of the test, what to do instead, the link."""
    test_id = rule.split("/", 1)[-1].upper()
    if not _TEST_ID.match(test_id):
        return None
    load_bandit()
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    plugin = manager.plugins_by_id.get(test_id)
    listed = manager.blacklist_by_id.get(test_id)
    if plugin is None and listed is None:
        return None
    if plugin is not None:
        name, about = plugin.name, _first_paragraph(plugin.plugin.__doc__ or "")
    else:
        name, about = str(listed.get("name", "")), str(listed.get("message", ""))
    text = f"bandit/{test_id}: {name}\nSeverity: by bandit's severity and confidence (bandit-thresholds)\n\n"
    if about:
        text += f"What bandit checks\n  {about}\n\n"
    advice = instead(test_id)
    if advice:
        text += f"What to do instead\n  {advice.replace('`', '')}\n\n"
    text += f"To accept one finding\n  # nosec {test_id} <reason>   (on the flagged line)\n\n"
    doc = doc_url(test_id)
    if doc:
        text += f"Reference: {doc}\n"
    return text
