"""Suppressions a team writes down: inline `# lambda-review: ignore[RULE] reason` and config entries.

A suppression always carries a reason, and suppressed findings are kept (and counted in the
summary) rather than dropped, so that nothing disappears silently.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass

from reviewer.config import IgnoreEntry
from reviewer.model import Finding
from reviewer.workspace import UnreadableFile, Workspace

_INLINE = re.compile(r"lambda-review:\s*ignore\[([A-Za-z0-9/_, ]+)\]\s*(.*)")


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    reason: str


def inline_reason(workspace: Workspace, finding: Finding) -> str | None:
    """The reason of an inline ignore comment on the finding's line or the line above, or on one
    of its related locations (a recursion loop may be commented on its trigger or its write)."""
    places = [(finding.path, finding.line)] + [(place.path, place.line) for place in finding.related]
    for path, line in places:
        reason = _reason_at(workspace, path, line, finding.rule_id)
        if reason is not None:
            return reason
    return None


def _reason_at(workspace: Workspace, path: str, line: int, rule_id: str) -> str | None:
    try:
        text = workspace.read_text(path)
    except UnreadableFile:
        return None
    if "lambda-review:" not in text:
        return None                              # most files, and splitting them per finding adds up
    lines = text.splitlines()
    for number in (line, line - 1):
        if not 0 < number <= len(lines):
            continue
        match = _INLINE.search(lines[number - 1])
        if match and rule_id.lower() in {rule.strip().lower() for rule in match.group(1).split(",")}:
            return match.group(2).strip() or "suppressed inline"
    return None


def config_reason(entries: tuple[IgnoreEntry, ...], finding: Finding, today: dt.date) -> str | None:
    for entry in entries:
        if entry.advisory is not None:
            continue                  # accepted inside the audit, one advisory at a time (Settings.audit_ignores)
        if entry.expires is not None and entry.expires < today:
            continue
        if entry.rule == finding.rule_id and fnmatch.fnmatch(finding.path, entry.path):
            return entry.reason
    return None
