"""Suppressions a team writes down: inline `# lambda-review: ignore[RULE] reason` and config entries.

A suppression always carries a reason, and suppressed findings are kept (and counted in the
summary) rather than dropped, so that nothing disappears silently.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass

from reviewer.comments import comments_of
from reviewer.config import IgnoreEntry
from reviewer.findings import Finding
from reviewer.workspace import UnreadableFile, Workspace

# One rule per marker, or a short list: `ignore[LR101]`, `ignore[LR101, LR102]`.
_INLINE = re.compile(r"lambda-review:\s*ignore\[\s*([A-Za-z][A-Za-z0-9/_-]{0,30}(?:\s*,\s*[A-Za-z][A-Za-z0-9/_-]{0,30}){0,4})\s*\]\s*(.*)")
MAX_REASON_CHARS = 300


@dataclass(frozen=True)
class Suppressed:
    """A finding kept out of the results, with the reason given and where the marker is."""

    finding: Finding
    reason: str
    # Where the inline marker is (None for a settings-file entry): a marker the pull request adds
    # is listed openly in the summary, as accepted in this pull request.
    marker_path: str | None = None
    marker_line: int | None = None


@dataclass(frozen=True)
class _Marker:
    """An inline suppression marker: the rules it names and the reason it gives."""

    rules: frozenset[str]
    reason: str


def inline_suppression(workspace: Workspace, finding: Finding) -> Suppressed | None:
    """The finding suppressed by an inline marker in a real comment on its line or the line
    above, or on one of its related locations (a recursion loop may be commented on its trigger
    or its write); None when no marker applies."""
    places = [(finding.path, finding.line)] + [(place.path, place.line) for place in finding.related]
    for path, line in places:
        markers = _markers_of(workspace, path)
        for number in (line, line - 1):
            marker = markers.get(number)
            if marker is not None and finding.rule_id.lower() in marker.rules:
                return Suppressed(finding, marker.reason, path, number)
    return None


def inline_reason(workspace: Workspace, finding: Finding) -> str | None:
    """The reason of the inline marker that suppresses `finding`, or None."""
    suppressed = inline_suppression(workspace, finding)
    return suppressed.reason if suppressed is not None else None


def _markers_of(workspace: Workspace, path: str) -> dict[int, _Marker]:
    """The markers of one file, by line: the file is read and tokenized once per scan."""
    cache = workspace.suppression_markers
    if path not in cache:
        cache[path] = _read_markers(workspace, path)
    return cache[path]


def _read_markers(workspace: Workspace, path: str) -> dict[int, _Marker]:
    try:
        text = workspace.read_text(path)
    except UnreadableFile:
        return {}
    if "lambda-review:" not in text:
        return {}                                  # most files: no tokenizing at all
    markers: dict[int, _Marker] = {}
    try:
        comments = comments_of(path, text)
    except Exception:  # noqa: BLE001 - a file whose comments cannot be read accepts nothing (fail closed)
        return {}
    for number, comment in comments.items():
        match = _INLINE.search(comment)
        if match:
            rules = frozenset(rule.strip().lower() for rule in match.group(1).split(","))
            reason = " ".join(match.group(2).split())[:MAX_REASON_CHARS] or "suppressed inline"
            markers[number] = _Marker(rules, reason)
    return markers


def config_reason(entries: tuple[IgnoreEntry, ...], finding: Finding, today: dt.date) -> str | None:
    for entry in entries:
        if entry.advisory is not None:
            continue                  # accepted inside the audit, one advisory at a time (Settings.audit_ignores)
        if entry.expires is not None and entry.expires < today:
            continue
        if entry.rule == finding.rule_id and fnmatch.fnmatch(finding.path, entry.path):
            return entry.reason
    return None
