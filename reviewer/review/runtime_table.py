"""The summary's runtime table, saying once what many functions share.

A fact the same for many functions is said once rather than in every row: a reason for an
unresolved runtime that several rows give becomes one numbered note below the table, the row
pointing at it; the aws-cdk-lib release that names `Runtime.NODEJS_LATEST` is one note for all the
functions it names; and when every row has the same runtime, status, date and successor, the
table says them once above a list of the functions and where each is declared.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reviewer.inventory.release_runtimes import FOLLOWS, RELEASE, RELEASE_LOCATION, is_lock_file, resolved_note
from reviewer.model import Function, Location
from reviewer.wording import sentence

if TYPE_CHECKING:
    from reviewer.review.summary import RuntimeRow

ROWS = "rows.txt.j2"


@dataclass(frozen=True)
class RuntimeTable:
    """The rows as shown; `shared`: the runtime, status, date and successor every row has (its
    function and location empty), None when they differ; `notes`: (label, plain text) below the
    table, a label ("1") for a note rows point at."""

    rows: list["RuntimeRow"]
    shared: "RuntimeRow | None"
    notes: list[tuple[str, str]]


def runtime_table(rows: list["RuntimeRow"], functions: list[Function], unresolved_word: str) -> RuntimeTable:
    """`unresolved_word`: the Runtime cell of a row whose runtime is unresolved."""
    released = [("", note) for note in _release_notes(functions)]
    if len(rows) > 1 and len({(row.runtime, row.status, row.key_date, row.successor) for row in rows}) == 1:
        return RuntimeTable(rows, replace(rows[0], function="", location=""), released)
    reasons = Counter(row.status for row in rows if row.runtime == unresolved_word)
    numbered = {reason: str(number) for number, reason in
                enumerate((reason for reason, count in reasons.items() if count > 1), start=1)}
    shown = [replace(row, status=sentence(ROWS, "see_note", label=numbered[row.status]))
             if row.runtime == unresolved_word and row.status in numbered else row for row in rows]
    return RuntimeTable(shown, None, [(label, reason) for reason, label in numbered.items()] + released)


def _release_notes(functions: list[Function]) -> list[str]:
    """One note per aws-cdk-lib release that names a runtime, for every function it names."""
    named: Counter[tuple[str, str, str, Location]] = Counter()
    for function in functions:
        constant, release = function.properties.get(FOLLOWS), function.properties.get(RELEASE)
        where = function.locations.get(RELEASE_LOCATION)
        if isinstance(constant, str) and isinstance(release, str) and where is not None and function.runtime:
            named[(constant, function.runtime, release, where)] += 1
    return [resolved_note(constant, identifier, release, where, is_lock_file(where.path), count)
            for (constant, identifier, release, where), count in named.items()]
