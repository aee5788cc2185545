"""One scan of one checkout: workspace → inventory → analyzers → findings, suppressions applied."""

from __future__ import annotations

import sys
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.run import start_analyzers
from reviewer.analyzers.engine_overlap import TAINT_RULE, merge_engine_overlaps
from reviewer.analyzers.interface import ChangeFocus, EngineStatus
from reviewer.config import Settings
from reviewer.content_cache import ContentCache
from reviewer.inventory import InventoryResult, build_inventory
from reviewer.findings import Finding, Severity
from reviewer.model import Function, ImportedGrant
from reviewer import parse_lock
from reviewer.progress import Progress
from reviewer.readahead import start_readahead
from reviewer.run_limits import run_limits
from reviewer.suppress import Suppressed, config_reason, inline_suppression
from reviewer.workspace import FileTree, Workspace


# The notices that say a file was not read (unparsable, skipped, too new a grammar): a file read by
# several checks (bandit, the recursion reader) gets one of them, not one per check.
FILE_NOTICES = frozenset({"LR901", "LR902", "LR903"})
# Python files in the listing from which a full scan forks bandit's workers before its inventory
# (bandit_workers.PARALLEL_MIN_FILES and twice that in functions' code are usual well above it).
PRESTART_MIN_PYTHON_FILES = 32


@dataclass
class ScanResult:
    """One tree analysed: its functions, its findings and what was suppressed or left out."""

    functions: list[Function]
    findings: list[Finding]
    suppressed: list[Suppressed] = field(default_factory=list)
    # Functions the expensive engines analysed: all of them unless the scan had a focus.
    focused: list[Function] | None = None
    # Python files in code directories that no function ships, with the reason (not analysed).
    left_out: dict[str, str] = field(default_factory=dict)
    # The files the scan read (its suppression markers already tokenized).
    workspace: Workspace | None = field(default=None, repr=False)
    # Whether each engine (bandit, pip-audit) ran, was skipped or failed, and why: the summary
    # reads it here; the LR900 of an engine that failed is among `findings` as well.
    engine_status: dict[str, EngineStatus] = field(default_factory=dict)
    # Permissions and event sources given to a function of another stack through an import no
    # function read is exported under: what a change to one edits, the review's note says.
    imported_grants: list[ImportedGrant] = field(default_factory=list)


def scan_checkout(root: Path, settings: Settings, scope: str = ".", focus: ChangeFocus | None = None,
                  cache: ContentCache | None = None, progress: Progress | None = None,
                  tree: FileTree | None = None) -> ScanResult:
    """Analyse the checkout at `root` (or `tree`, another revision of it); only files under
    `scope` (repo-relative) are read.

    `focus` (a pull request's changed paths) limits bandit and the dependency audit to the
    functions the change touches; `cache` shares parsed files with the other scan of the run.
    """
    return start_scan(root, settings, scope, focus, cache, progress, tree).finish()


@dataclass
class PendingScan:
    """A scan whose inventory and in-process analyzers are done; `finish` waits for its engines.

    A review starts the base commit's scan between the two, so the base is analysed while the
    head's dependency audit waits on the network (bench/pr_review.py).
    """

    workspace: Workspace
    inventory: InventoryResult
    settings: Settings
    engines: Callable[[], list[Finding]]
    focused: list[Function] | None
    on_finish: Callable[[], None] | None = None
    left_out: dict[str, str] = field(default_factory=dict)
    engine_status: dict[str, EngineStatus] = field(default_factory=dict)

    def finish(self) -> ScanResult:
        """The findings, suppressions applied; `on_finish` runs after the last file is read."""
        try:
            raw = self.engines()
            if self.settings.severity_for(TAINT_RULE, Severity.ERROR) is not None:
                raw = merge_engine_overlaps(raw)      # LR306 switched off: bandit keeps its own findings
            raw.extend(self.inventory.notices)
            raw.extend(self.workspace.notices)
            findings, suppressed = _apply_settings(raw, self.workspace, self.settings)
        finally:
            if self.on_finish is not None:
                self.on_finish()
        return ScanResult(functions=self.inventory.functions, findings=findings, suppressed=suppressed,
                          focused=self.focused, left_out=dict(sorted(self.left_out.items())),
                          workspace=self.workspace, engine_status=dict(sorted(self.engine_status.items())),
                          imported_grants=list(self.inventory.imported_grants))


def start_scan(root: Path, settings: Settings, scope: str = ".", focus: ChangeFocus | None = None,
               cache: ContentCache | None = None, progress: Progress | None = None,
               tree: FileTree | None = None, hidden: frozenset[str] = frozenset()) -> PendingScan:
    """`scan_checkout` up to its engines' answers (see PendingScan); `hidden` paths are left out of
    the listing (a review's base, reviewer.review.carry_over)."""
    parse_lock.install()   # the analyzers and an in-process bandit parse on several threads
    workspace = Workspace(root, max_file_size=settings.max_file_size, exclude=settings.exclude, scope=scope,
                          parsed=cache if cache is not None else ContentCache(), tree=tree, hidden=hidden)
    # A large repository's deadline grows with its listing, before the inventory reads it.
    listed = sum(1 for _ in workspace.iter_files())
    run_limits().allow_for_files(listed)
    full_scan_of_checkout = focus is None and tree is None
    if full_scan_of_checkout:
        _prepare_full_scan(workspace)
    elif focus is not None and settings.audit:
        from reviewer.analyzers.dependencies import start_include_search

        with suppress(Exception):               # only a head start: the audit asks again if it failed
            start_include_search(workspace)
    try:
        inventory = build_inventory(workspace)
        context = AnalysisContext(workspace, inventory, settings, focus=focus, progress=progress)
        if progress is not None:
            progress.inventory(len(inventory.functions), listed)
        engines = start_analyzers(context, progress=progress)
    finally:
        workspace.settle_started()                # a search started for a question never asked
        if full_scan_of_checkout and "reviewer.analyzers.bandit_workers" in sys.modules:
            from reviewer.analyzers.bandit_workers import discard_prestarted

            discard_prestarted()              # bandit did not need the workers forked early
    return PendingScan(workspace, inventory, settings, engines,
                       focused=context.focused_functions if focus is not None else None, left_out=context.left_out,
                       engine_status=context.engine_status)


def _prepare_full_scan(workspace: Workspace) -> None:
    """What a full scan of the checkout on disk starts before its inventory: the kernel's reads
    of the files it will read (reviewer.readahead: a cold disk cache kept the scan waiting), and
    bandit's worker processes when there is enough Python for them, forked while this process
    is still small (bandit_workers.prestart_workers). A review's scans fork their own."""
    listing = list(workspace.iter_files())
    if sum(1 for rel in listing if rel.endswith(".py")) >= PRESTART_MIN_PYTHON_FILES:
        from reviewer.analyzers.bandit_workers import prestart_workers

        prestart_workers()                    # first: no thread of the scan runs while it forks
    start_readahead(workspace.root, listing, workspace.max_file_size)


def _apply_settings(raw: list[Finding], workspace: Workspace, settings: Settings
                    ) -> tuple[list[Finding], list[Suppressed]]:
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    # One finding per fingerprint and line: the fingerprint leaves the line out on purpose (a finding
    # keeps its identity when lines move), so two places that say the same thing (one Terraform
    # module's runtime, declared for several functions at several lines) are two findings.
    seen: set[tuple[str, int]] = set()
    unread: set[str] = set()
    for finding in sorted(raw, key=Finding.sort_key):
        if (finding.fingerprint, finding.line) in seen:
            continue
        seen.add((finding.fingerprint, finding.line))
        if finding.rule_id in FILE_NOTICES:       # two readers of one file: one sentence about it
            if finding.path in unread:
                continue
            unread.add(finding.path)
        severity = settings.severity_for(finding.rule_id, finding.severity)
        if severity is None:
            continue
        finding = replace(finding, severity=severity) if severity != finding.severity else finding
        inline = inline_suppression(workspace, finding)
        reason = config_reason(settings.ignore, finding, settings.reference_date) if inline is None else None
        if inline is not None:
            suppressed.append(inline)
        elif reason is not None:
            suppressed.append(Suppressed(finding, reason))
        else:
            findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings, suppressed
