"""bandit over the Lambda source: the files each function ships, each distinct text scanned once
per run, and bandit's issues as findings.

The files are each function's code (reviewer.code.ownership), read through the Workspace (size
limit, no links) and handed to bandit as text (`bandit_workers.py` runs it, in this process or
spread over the CPU cores): bandit never opens a path of the repository itself, and nothing of
the repository is imported. The repository's bandit configuration is read as data
(`bandit_profile.py`). `# nosec` works as in bandit.

Rule ids keep bandit's test id (`bandit/B602`). Severity comes from bandit's severity and
confidence through `bandit-thresholds`: by default HIGH with confidence MEDIUM or HIGH is an
error, other HIGH and MEDIUM a warning, LOW a notice.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Iterable

from reviewer.analyzers.bandit_findings import bandit_finding, severity_of
from reviewer.analyzers.bandit_profile import BanditProfile, is_excluded_by_bandit, read_bandit_profile
from reviewer.analyzers.bandit_words import FindingWords
from reviewer.analyzers.bandit_workers import FileReport, start_scan
from reviewer.analyzers.interface import BANDIT_ENGINE, ENGINE_RAN, AnalysisContext, EngineStatus
from reviewer.code.ownership import SourceMap, following_shared_code, function_code, python_sources
from reviewer.code.python_grammar import RUNNING, version_label
from reviewer.content_cache import ContentCache
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace, newer_grammar_notice, unparsed_notice

__all__ = ["BanditAnalyzer", "BanditProfile", "is_excluded_by_bandit", "read_bandit_profile"]


def _start_by_content(cache: ContentCache, profile: BanditProfile, texts: dict[str, str]
                      ) -> Callable[[], list[FileReport]]:
    """Start bandit on each distinct text not yet scanned in this run; the callable gives every file's report.

    bandit judges a file by its content alone (the one exception, `assert_used` skips, matches
    the file name: with that option the path is part of the key). Copies of a module across a
    monorepo's functions, and a review's base files that the change left alone, are not scanned
    again. A text another scan of the run is still scanning is waited for, not scanned twice:
    the cache holds a future for it until its report is in.
    """
    by_name = any(name == "assert_used" for name, _ in profile.options)
    setting = repr(profile)
    keys = {rel: (setting, cache.digest(text), rel if by_name else "") for rel, text in texts.items()}
    awaited: dict[tuple[str, str, str], Future[FileReport]] = {}
    owned: dict[tuple[str, str, str], Future[FileReport]] = {}
    missing: dict[tuple[str, str, str], str] = {}
    for rel, key in keys.items():
        if key in awaited:
            continue
        mine: Future[FileReport] = Future()
        claimed = cache.claim("bandit", key, mine)
        awaited[key] = claimed
        if claimed is mine:
            owned[key] = mine
            missing[key] = rel
    if owned:
        try:
            scanning = start_scan(profile, [(rel, texts[rel]) for rel in missing.values()],
                                  before_fork=lambda: _wait_for_others(cache, owned))
        except BaseException as exc:
            for future in owned.values():      # claimed but never to be settled: waiters get the error
                future.set_exception(exc)
            raise
        threading.Thread(target=_settle, args=(scanning, owned, keys), name="bandit-reports", daemon=True).start()

    def reports() -> list[FileReport]:
        known = {key: future.result() for key, future in awaited.items()}
        return sorted((FileReport(rel, list(known[key].issues), known[key].error, known[key].error_line,
                                  known[key].needs_python)
                       for rel, key in keys.items()), key=lambda report: report.path)

    return reports


def _wait_for_others(cache: ContentCache, owned: dict[Any, Future[FileReport]]) -> None:
    """Let bandit work another scan of the run has under way finish before this one forks its pool.

    A review starts the base's scan while the head's may still be running bandit on a thread of
    its own, and a process forked while another thread holds a lock (logging's, a stream's, the
    head's own pool's queues) inherits it held. Once those reports are in, what other threads
    remain only wait (on a future, or on the audit's pipe).
    """
    mine = {id(future) for future in owned.values()}
    for future in cache.in_flight("bandit"):
        if id(future) not in mine:
            future.exception()                  # waits; a failure is the other scan's to report


def _settle(scanning: Callable[[], list[FileReport]], owned: dict[Any, Future[FileReport]],
            keys: dict[str, Any]) -> None:
    """Give each claimed text its report, on a thread of its own: a scan waiting for one is
    answered whether or not the scan that claimed it asks for its reports. A failure is passed
    to everyone waiting, rather than leaving them hanging."""
    try:
        for report in scanning():
            owned[keys[report.path]].set_result(report)
        failure: BaseException = RuntimeError("bandit gave no report for this file")
    except BaseException as exc:  # noqa: BLE001 - handed on to the scans that wait for these reports
        failure = exc
    for future in owned.values():
        if not future.done():
            future.set_exception(failure)


def _focused_code(context: AnalysisContext) -> set[str]:
    """The files the focused functions ship as `prepare` read them: their own modules and those
    they import from a layer, which other functions' layers may share."""
    files: set[str] = set()
    for function in context.focused_functions:
        code = function_code(context.workspace, function, context.code_cache)
        if code is not None and code.files is not None:
            files.update(code.files)
    return files


def _follow_none(function: Function) -> bool:
    """No imports followed: every non-test file of a function's code path counts as its own."""
    return False


class BanditAnalyzer:
    name = "bandit"
    engine = BANDIT_ENGINE

    def prepare(self, context: AnalysisContext, function: Function) -> None:
        """The files the function ships (its handler's imports), kept for `start`'s choice."""
        if context.in_focus(function):
            function_code(context.workspace, function, context.code_cache)

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        return self.start(context)()

    def start(self, context: AnalysisContext) -> Callable[[], list[Finding]]:
        """Read the files and start bandit's worker processes; the callable builds the findings.

        Reading and forking happen here, on the caller's thread, before the other analyzers run:
        a thread that does them while those analyzers keep the interpreter busy waits for the
        interpreter lock at every file read and import (it took a second on the bench monorepo).
        """
        workspace = context.workspace
        functions, scan_all = context.inventory.functions, context.settings.scan_all_python
        # bandit's workers start on every non-test file of the code paths at once; which of them a
        # function ships (its handler's imports) is worked out on this thread while they run, and
        # only those are reported. Following the imports first kept the workers waiting.
        broad = python_sources(workspace, functions, scan_all, context.code_cache, follow_imports=_follow_none)
        trusted = context.settings.bandit_settings_root
        profile, findings = read_bandit_profile(Workspace(Path(trusted)) if trusted else workspace)
        # The texts go to bandit's workers and are not kept here (each issue comes back with its line).
        read_paths: set[str] = set()
        unread: dict[str, Finding] = {}

        def read(files: Iterable[str], owners: dict[str, tuple[str, ...]]) -> dict[str, str]:
            chosen: dict[str, str] = {}
            wanted = [rel for rel in files if rel not in read_paths and rel not in unread
                      and not is_excluded_by_bandit(rel, profile) and context.in_focus_file(rel, owners[rel])]
            workspace.prefetch(wanted)                  # a git revision hands them over together
            for rel in wanted:
                try:
                    chosen[rel] = workspace.read_text(rel)
                    read_paths.add(rel)
                except UnreadableFile as unreadable:
                    unread[rel] = unreadable.notice
            return chosen

        started = [_start_by_content(workspace.parsed, profile, read(broad.files, broad.owners))]
        sources = SourceMap()

        def choose() -> None:
            """Which files the functions ship, from the function pass's reading of their imports
            (`prepare`): only those files' reports are kept."""
            # an untouched function whose folder holds a file read here is followed too (its owners as a full scan's)
            follow = context.in_focus if context.focus is None else following_shared_code(
                workspace, functions, read_paths | _focused_code(context), context.in_focus, context.code_cache)
            chosen = python_sources(workspace, functions, scan_all, context.code_cache, follow_imports=follow)
            sources.owners, sources.left_out = chosen.owners, chosen.left_out
            context.left_out.update(sources.left_out)
            shipped_late = read(sources.files, sources.owners)      # shipped, but named like a test
            if shipped_late:
                started.append(_start_by_content(workspace.parsed, profile, shipped_late))
            findings.extend(notice for rel, notice in unread.items() if rel in sources.owners)
            context.report(self.name, f"{len(read_paths):,} files")
            if not sources.owners:
                context.engine_status[BANDIT_ENGINE] = EngineStatus("skipped", "no Python file to analyse")

        context.after_function_pass(choose)

        def reports() -> list[FileReport]:
            return sorted((report for start in started for report in start() if report.path in sources.owners),
                          key=lambda report: report.path)

        def finish() -> list[Finding]:
            if not sources.owners:
                return findings
            words = FindingWords()
            for report in reports():
                if report.needs_python is not None:
                    findings.append(newer_grammar_notice(report.path, report.needs_python,
                                                         version_label(RUNNING), report.error_line))
                elif report.error is not None:
                    findings.append(unparsed_notice(report.path, report.error, report.error_line))
                    continue
                seen: Counter[tuple[str, str]] = Counter()
                for issue in sorted(report.issues, key=lambda item: (item.line, item.test_id)):
                    severity = severity_of(issue, context.settings.bandit_thresholds)
                    if severity is None:
                        continue
                    key = (issue.test_id, " ".join(issue.code_line.split()))
                    findings.append(bandit_finding(report.path, issue, severity, sources.owners[report.path],
                                             issue.code_line, seen[key], words))
                    seen[key] += 1
            context.engine_status[BANDIT_ENGINE] = ENGINE_RAN
            return findings

        return finish
