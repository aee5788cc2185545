"""The functions a change removes, for the summary.

A function the pull request deletes leaves no finding behind: its pre-existing findings are
neither fixed nor new, and the summary said nothing of it, so a reviewer could not tell a function
removed on purpose from one the review no longer found. The summary names each one, with the
number of findings the base had for it, which went with it.

A base function counts as removed when no head function bears its name (under the change's
renames: `review/renames.py`) and the head read the file that declared it: a file the head could
not parse or skipped (an LR90x notice on it) loses its functions from the listing, not from the
repository. A name two base declarations share is said once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from reviewer.findings import Finding
from reviewer.model import Function

# The notices that say the head did not read a file: its functions are unknown, not removed.
_UNREAD_FILE_RULES = frozenset({"LR901", "LR902", "LR903", "LR904"})


@dataclass(frozen=True)
class RemovedFunction:
    """A function of the base that the head no longer declares, where the base declared it, and
    how many of the base's findings were its own."""

    name: str
    location: str
    findings: int


def removed_functions(base_functions: Iterable[Function], base_findings: Iterable[Finding],
                      head_functions: Iterable[Function], head_findings: Iterable[Finding],
                      renamed_files: dict[str, str], names: dict[str, str]) -> list[RemovedFunction]:
    """The base's functions the change removes, by name (see the module's docstring)."""
    kept = {function.name for function in head_functions}
    unread = {finding.path for finding in head_findings if finding.rule_id in _UNREAD_FILE_RULES}
    owned = Counter(finding.function for finding in base_findings if finding.function)
    removed: dict[str, RemovedFunction] = {}
    for function in base_functions:
        name = function.name
        declared = renamed_files.get(function.location.path, function.location.path)
        if names.get(name, name) in kept or declared in unread or name in removed:
            continue
        removed[name] = RemovedFunction(name, str(function.location), owned.get(name, 0))
    return sorted(removed.values(), key=lambda item: item.name)
