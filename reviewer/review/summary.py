"""The facts the summary shows, computed once so templates hold no logic."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from reviewer.analyzers.interface import AUDIT_ENGINE, EngineStatus
from reviewer.code.ownership import UNCOPIED, UNPACKAGED, VENDORED
from reviewer.config import Settings
from reviewer.data.lifecycle import RuntimeVerdict, load_lifecycle
from reviewer.findings import Finding, Severity
from reviewer.model import Function
from reviewer.review.loops import LoopDiagram, loop_diagrams
from reviewer.review.plan import ReviewPlan
from reviewer.review.removed_functions import RemovedFunction
from reviewer.review.runtime_focus import RuntimeFocus
from reviewer.review.runtime_table import RuntimeTable, runtime_table
from reviewer.review.summary_rows import (ROWS, DependencyRow, FindingRow, NoticeGroup, dependency_rows,
                                          finding_rows, notice_groups)
from reviewer.suppress import Suppressed
from reviewer.wording import sentence

STALE_AFTER_DAYS = 120
# Removed functions the summary names one by one; past that, it says how many more.
MAX_REMOVED_LISTED = 20
# How many vendored backports bandit left out the summary names before it only counts them.
MAX_NAMED_VENDORED = 3
# The summary's notes (templates/notes.txt.j2): the words are there, the values come from here.
NOTES = "notes.txt.j2"

# The runtime table's words (templates/rows.txt.j2, macro runtime_word) for each verdict.
_VERDICT_WORDS = {
    RuntimeVerdict.SUPPORTED: "supported",
    RuntimeVerdict.DEPRECATING_SOON: "deprecating_soon",
    RuntimeVerdict.DEPRECATED: "deprecated",
    RuntimeVerdict.CREATE_BLOCKED: "create_blocked",
    RuntimeVerdict.UPDATE_BLOCKED: "update_blocked",
}


@dataclass(frozen=True)
class RuntimeRow:
    """One function's runtime in the summary's table, with its status and the next date that matters."""

    function: str
    location: str
    runtime: str
    status: str
    key_date: str
    successor: str


@dataclass(frozen=True)
class RunChanges:
    """What changed since the run that wrote the previous summary (labels: "RULE path:line")."""

    fixed: list[str]
    new: list[str]


@dataclass(frozen=True)
class AddedComment:
    """A comment line the pull request adds (a `# nosec`), quoted in the summary."""

    path: str
    line: int
    text: str


@dataclass
class LoopCoverageRow:
    """Whether the loop check read a function's code, and if not, why."""

    function: str
    location: str
    read: bool
    detail: str


def _loop_coverage(functions: list[Function]) -> list[LoopCoverageRow]:
    rows = [LoopCoverageRow(fn.name, str(fn.location), fn.loop_coverage[0] == "read", fn.loop_coverage[1])
            for fn in functions if fn.loop_coverage is not None]
    return sorted(rows, key=lambda row: (row.read, row.function))


@dataclass
class SummaryFacts:
    """Everything the summary says, worked out once for every output that renders it."""

    plan: ReviewPlan
    functions: list[Function]
    runtime_rows: list[RuntimeRow]
    counts: dict[str, int]
    new_counts: dict[str, int]
    suppressed: list[Suppressed]
    reference_date: dt.date
    data_as_of: dt.date
    data_stale: bool
    fail_on: str
    notes: list[str] = field(default_factory=list)
    since_previous: RunChanges | None = None
    # Recursion loops found (LR200/LR201/LR205), drawn as Mermaid flowcharts.
    loops: list[LoopDiagram] = field(default_factory=list)
    # The lifecycle data counts as stale past this many days (the templates say the number).
    stale_after_days: int = STALE_AFTER_DAYS
    # The LR900 message (Markdown) when the dependency audit did not run; None when it ran or had nothing to do.
    dependencies_not_audited: str | None = None
    # Fingerprint → URL of the inline comment that shows the finding (set by the GitHub publisher).
    inline_links: dict[str, str] = field(default_factory=dict)
    # Fingerprints said elsewhere in the summary (the callout of an audit that did not run).
    said_elsewhere: set[str] = field(default_factory=set)
    # Inline suppressions whose marker this pull request adds, and `# nosec` comments it adds:
    # shown openly, never in a collapsed block, since the change accepts its own findings with them.
    accepted_in_change: list[Suppressed] = field(default_factory=list)
    nosec_in_change: list[AddedComment] = field(default_factory=list)
    # Which functions' code the recursion check read, and why the others' was not.
    loop_coverage: list[LoopCoverageRow] = field(default_factory=list)
    # The base's functions the change removes, with how many base findings went with each.
    removed_functions: list[RemovedFunction] = field(default_factory=list)
    removed_listed_at_most: int = MAX_REMOVED_LISTED
    # The functions a review's summary comment lists in its runtime table (reviewer.review.runtime_focus),
    # or None for every function (a full scan).
    runtime_focus: RuntimeFocus | None = None

    @property
    def loop_code_read(self) -> int:
        return sum(1 for row in self.loop_coverage if row.read)

    @property
    def total(self) -> int:
        return len(self.plan.findings)

    @cached_property
    def new_rows(self) -> list[FindingRow]:
        return finding_rows(self.plan.new)

    @cached_property
    def existing_rows(self) -> list[FindingRow]:
        return finding_rows(self.plan.existing)

    @cached_property
    def all_rows(self) -> list[FindingRow]:
        return finding_rows(self.plan.findings)

    @cached_property
    def new_notices(self) -> list[NoticeGroup]:
        return notice_groups(self.plan.new, self.said_elsewhere)

    @cached_property
    def existing_notices(self) -> list[NoticeGroup]:
        return notice_groups(self.plan.existing, self.said_elsewhere)

    @cached_property
    def all_notices(self) -> list[NoticeGroup]:
        return notice_groups(self.plan.findings, self.said_elsewhere)

    @property
    def new_notice_count(self) -> int:
        return sum(group.count for group in self.new_notices)

    @property
    def all_notice_count(self) -> int:
        return sum(group.count for group in self.all_notices)

    @cached_property
    def runtime_table(self) -> RuntimeTable:
        """The runtime rows with what many share said once (`review/runtime_table.py`)."""
        return runtime_table(self.runtime_rows, self.functions, _word("unresolved"))

    @cached_property
    def focused_runtime_table(self) -> RuntimeTable:
        """The runtime table of the `runtime_focus` functions only (every function without one)."""
        if self.runtime_focus is None:
            return self.runtime_table
        shown = {id(function) for function in self.runtime_focus.functions}
        rows = [row for function, row in zip(self.functions, self.runtime_rows, strict=True) if id(function) in shown]
        return runtime_table(rows, self.runtime_focus.functions, _word("unresolved"))

    @property
    def runtime_others(self) -> int:
        """How many functions the focused runtime table leaves out."""
        return len(self.functions) - len(self.focused_runtime_table.rows)

    @cached_property
    def dependency_rows(self) -> list[DependencyRow]:
        return dependency_rows(self.plan.findings, {finding.fingerprint for finding in self.plan.new})


def _word(key: str) -> str:
    return sentence(ROWS, "runtime_word", key=key)


def _runtime_row(function: Function, day: dt.date, warning_days: int) -> RuntimeRow:
    table = load_lifecycle()
    location = str(function.location)
    if function.runtime is None:
        if function.package_type.lower() == "image":
            return RuntimeRow(function.name, location, _word("container_image"), _word("see_base_image"), "", "")
        reason = function.unresolved.get("Runtime")
        return RuntimeRow(function.name, location, _word("unresolved"),
                          _word("not_declared") if reason is None else reason, "", "")
    entry = table.get(function.runtime)
    if entry is None:
        return RuntimeRow(function.name, location, function.runtime, _word("unknown"), "", "")
    if function.package_type.lower() == "image":
        # The runtime of its base image (LR106): an image is never blocked, its base image goes unpatched.
        days_left = (entry.deprecated - day).days if entry.deprecated else None
        key = ("base_image_deprecated" if days_left is not None and days_left <= 0 else
               "deprecating_soon" if days_left is not None and days_left <= warning_days else "supported")
        return RuntimeRow(function.name, location, sentence(ROWS, "image_runtime", runtime=function.runtime),
                          _word(key), _key_date("deprecated", entry.deprecated) if entry.deprecated else "",
                          entry.successor or "")
    # The same judgement the LR1xx findings use (RuntimeLifecycle.verdict), in the table's words.
    verdict = entry.verdict(day, warning_days)
    key = _VERDICT_WORDS[verdict]
    if entry.preview:
        key = "preview"
    elif not entry.managed:
        key = "customer_managed"
    if verdict is RuntimeVerdict.UPDATE_BLOCKED:
        key_date = _key_date("update_blocked", entry.block_update)
    elif verdict is RuntimeVerdict.CREATE_BLOCKED:
        key_date = _key_date("update_blocked_from", entry.block_update)
    elif verdict is RuntimeVerdict.DEPRECATED:
        key_date = _key_date("create_blocked_from", entry.block_create)
    elif entry.deprecated:
        key_date = _key_date("deprecated", entry.deprecated)
    else:
        key_date = ""
    return RuntimeRow(function.name, location, function.runtime, _word(key), key_date, entry.successor or "")


def _key_date(event: str, date: dt.date | None) -> str:
    """The runtime table's date column: the next `event` of the runtime's lifecycle, on `date`."""
    return sentence(ROWS, "runtime_key_date", event=event, date=date)


def _count(findings: list[Finding]) -> dict[str, int]:
    counter = Counter(finding.severity.value for finding in findings)
    return {severity.value: counter.get(severity.value, 0) for severity in reversed(Severity)}


def summarize(plan: ReviewPlan, functions: list[Function], suppressed: list[Suppressed],
              settings: Settings, left_out: dict[str, str] | None = None,
              engine_status: dict[str, EngineStatus] | None = None) -> SummaryFacts:
    """The summary's facts; `engine_status` is the head scan's (ScanResult.engine_status), from
    which the summary says that the dependency audit was switched off or did not run."""
    table = load_lifecycle()
    stale = (settings.reference_date - table.as_of).days > STALE_AFTER_DAYS
    notes = []
    if plan.baseline == "changed-lines":
        notes.append(sentence(NOTES, "base_not_analysed"))
    if left_out:
        notes.extend(left_out_notes(left_out))
    audit = (engine_status or {}).get(AUDIT_ENGINE)
    if audit is not None and audit.state == "skipped" and audit.setting == "audit":
        notes.append(sentence(NOTES, "audit_off"))
    not_run = _audit_not_run(engine_status)
    return SummaryFacts(
        plan=plan, functions=functions,
        runtime_rows=[_runtime_row(fn, settings.reference_date, settings.runtime_warning_days) for fn in functions],
        counts=_count(plan.findings), new_counts=_count(plan.new), suppressed=suppressed,
        reference_date=settings.reference_date, data_as_of=table.as_of, data_stale=stale,
        fail_on=settings.fail_on, notes=notes, loops=loop_diagrams(plan.findings, plan.new),
        dependencies_not_audited=not_run.message if not_run is not None else None,
        said_elsewhere={not_run.fingerprint} if not_run is not None else set(),
        loop_coverage=_loop_coverage(functions),
    )


def left_out_notes(left_out: dict[str, str]) -> list[str]:
    """The left-out note for the files no function ships, and one naming the vendored backports
    some do ship, which bandit left out as a library's code (the first note would call them unshipped)."""
    vendored = sorted(path for path, reason in left_out.items() if reason == VENDORED)
    unshipped = {path: reason for path, reason in left_out.items() if reason != VENDORED}
    notes = [left_out_note(unshipped)] if unshipped else []
    if vendored:
        notes.append(sentence(NOTES, "vendored_left_out", named=tuple(vendored[:MAX_NAMED_VENDORED]),
                              more=max(0, len(vendored) - MAX_NAMED_VENDORED)))
    return notes


def left_out_note(left_out: dict[str, str]) -> str:
    """One sentence: how many Python files no function ships, why, and the setting that reads them."""
    tests = sum(1 for reason in left_out.values() if reason == "a test")
    unpackaged = sum(1 for reason in left_out.values() if reason == UNPACKAGED)
    uncopied = sum(1 for reason in left_out.values() if reason == UNCOPIED)
    return sentence(NOTES, "left_out", total=len(left_out), tests=tests,
                    others=len(left_out) - tests - unpackaged - uncopied, unpackaged=unpackaged, uncopied=uncopied)


def _audit_not_run(engine_status: dict[str, EngineStatus] | None) -> Finding | None:
    """The LR900 that says the dependency audit did not run (the scan's engine status), else None."""
    audit = (engine_status or {}).get(AUDIT_ENGINE)
    return audit.notice if audit is not None and audit.state == "failed" else None
