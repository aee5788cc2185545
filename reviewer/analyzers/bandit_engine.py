"""bandit over the Lambda source, in-process, with the files spread over the CPU cores.

The files are each function's code (reviewer.code.ownership), read through the Workspace (size
limit, no links) and handed to bandit as bytes: bandit never opens a path of the repository
itself, and nothing of the repository is imported. The repository's bandit configuration is read
as data (`bandit_profile.py`). `# nosec` works as in bandit.

Rule ids keep bandit's test id (`bandit/B602`). Severity comes from bandit's severity and
confidence through `bandit-thresholds`: by default HIGH with confidence MEDIUM or HIGH is an
error, other HIGH and MEDIUM a warning, LOW a notice.
"""

from __future__ import annotations

import atexit
import functools
import gc
import io
import os
import re
import threading
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from reviewer.analyzers.bandit_plugins import blacklist_name, doc_url, load_bandit
from reviewer.analyzers.bandit_findings import bandit_finding, severity_of
from reviewer.analyzers.bandit_profile import BanditProfile, is_excluded_by_bandit, read_bandit_profile
from reviewer.analyzers.bandit_tempfile import tempfile_arguments
from reviewer.analyzers.bandit_words import TEST_ID, FindingWords
from reviewer.analyzers.interface import BANDIT_ENGINE, ENGINE_RAN, AnalysisContext, EngineStatus
from reviewer.code.ownership import SourceMap, following_shared_code, function_code, python_sources
from reviewer.analyzers.bandit_unparsed import older_grammar, why_unparsed
from reviewer.code.python_grammar import RUNNING, version_label
from reviewer.content_cache import ContentCache
from reviewer.model import Finding, Function
from reviewer.workspace import UnreadableFile, Workspace, newer_grammar_notice, unparsed_notice

__all__ = ["BanditAnalyzer", "BanditIssue", "BanditProfile", "FileReport", "is_excluded_by_bandit",
           "read_bandit_profile", "scan_chunk", "scan_files", "start_scan"]

# Below these a process pool costs more than it saves. Measured with bench/bandit_parallel.py on
# 2 cores (best of 3): 16 files/140 KiB serial 0.23 s vs pool 0.27 s; 32 files/346 KiB 0.58 s vs
# 0.34 s; 300 files/3.2 MiB 5.3 s vs 3.6 s.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 256 * 1024
FILES_PER_CHUNK = 16
# Each chunk handed to a worker needs the review's process to take the interpreter lock from its
# own analyzers (to queue the next chunk and receive the reports): hundreds of small chunks kept
# the workers waiting on it, the more so when other work on the machine delays this process.
# A few chunks per worker still even out a slow one.
CHUNKS_PER_WORKER = 4
# A worker collects the garbage of this many files at a time (see `_prepare_worker`).
COLLECT_EVERY_FILES = 8


@dataclass(frozen=True)
class BanditIssue:
    """One issue bandit reported, reduced to what the review keeps (plain values, so workers can send it back)."""

    test_id: str
    test_name: str
    severity: str
    confidence: str
    text: str
    line: int
    end_line: int
    cwe: int
    # The text of line `line` (the finding's evidence): taken where the file is scanned, so the
    # review's process need not keep every file's text until the reports are in.
    code_line: str = ""
    # bandit's documentation of the test, looked up where bandit is loaded: a review whose few
    # files are scanned by a worker process never loads bandit in its own.
    help_url: str | None = None
    # B108 on the `dir` or `prefix` of a `tempfile` call that makes a private, unpredictable name:
    # the function (`tempfile.mkdtemp`), whose words replace the advice to use one.
    tempfile_call: str = ""


@dataclass
class FileReport:
    """bandit's answer for one file: its issues, or why it was not scanned."""

    path: str
    issues: list[BanditIssue] = field(default_factory=list)
    error: str | None = None
    error_line: int = 1
    # Set when the file parses only with a newer Python grammar than this interpreter's ("3.14").
    needs_python: str | None = None


# bandit quotes the value it suspects in these tests ("Possible hardcoded password: 'hunter2'");
# a secret must never reach a comment, a log or SARIF, so the quote is replaced.
SECRET_QUOTING_TESTS = frozenset({"B105", "B106", "B107"})
_QUOTED_VALUE = re.compile(r"'.*'", re.S)


def _without_secret(test_id: str, text: str) -> str:
    if test_id not in SECRET_QUOTING_TESTS:
        return text
    return _QUOTED_VALUE.sub("(value hidden by lambda-review)", text)


# --- running bandit ---------------------------------------------------------------------------

def _bandit_manager(profile: BanditProfile) -> Any:
    """A BanditManager configured from data only (no config file is opened)."""
    load_bandit()
    from bandit.core import config as b_config
    from bandit.core import extension_loader, manager

    extensions = extension_loader.MANAGER

    def ids(values: tuple[str, ...]) -> set[str]:
        known = set()
        for value in values:
            test_id = value if extensions.check_id(value) else extensions.get_test_id(value)
            if test_id or value == "B001":
                known.add(test_id or value)
        return known

    config = b_config.BanditConfig()
    for key, value in profile.options:
        config._config[key] = value
    bandit_profile = {"include": ids(profile.tests), "exclude": ids(profile.skips)}
    try:
        return manager.BanditManager(config, "file", profile=bandit_profile)
    except Exception:  # noqa: BLE001 - hostile plugin options: fall back to bandit's defaults
        return manager.BanditManager(b_config.BanditConfig(), "file",
                                     profile={"include": bandit_profile["include"],
                                              "exclude": bandit_profile["exclude"]})


def scan_chunk(profile: BanditProfile, files: list[tuple[str, str | bytes]]) -> list[FileReport]:
    """Run bandit over files given as (repo-relative path, content); the unit of work of one core.

    The review hands each file's text (a `str`, encoded here): the bytes of every file, made in
    the review's process and kept there until each worker's reports were in, doubled its copy of
    the Python source at the scan's peak of memory."""
    load_bandit()
    from bandit.core import meta_ast

    bandit = _bandit_manager(profile)
    reports = []
    for rel, content in files:
        data = content.encode("utf-8") if isinstance(content, str) else content
        bandit.results, bandit.skipped = [], []
        bandit.b_ma = meta_ast.BanditMetaAst()
        # bandit tokenizes every file to find `# nosec` comments (a fifth of its time on the
        # bench's trees); a file without the word has none, and bandit's answer is the same.
        bandit.ignore_nosec = b"nosec" not in data
        bandit._parse_file(rel, io.BytesIO(data), [rel])
        if bandit.skipped and (older := older_grammar(data)) is not None:
            # Python 3.12 syntax on an older interpreter: bandit reads the same lines in 3.11 grammar
            bandit.results, bandit.skipped = [], []
            bandit.b_ma = meta_ast.BanditMetaAst()
            bandit._parse_file(rel, io.BytesIO(older), [rel])
        report = FileReport(rel)
        if bandit.skipped:
            report.error, report.error_line, report.needs_python = why_unparsed(data, bandit.skipped[0][1])
        text_lines: list[str] | None = None
        folders: dict[tuple[int, int], str] | None = None
        for issue in bandit.results:
            if text_lines is None:
                text_lines = (content if isinstance(content, str) else data.decode("utf-8", "replace")).splitlines()
            if folders is None and issue.test_id == "B108":
                folders = tempfile_arguments("\n".join(text_lines))
            number = int(issue.lineno)
            lines = [line for line in (issue.linerange or [issue.lineno]) if isinstance(line, int)]
            name = str(issue.test or "")
            if name == "blacklist":                  # B3xx/B4xx: the entry's own name
                name = blacklist_name(str(issue.test_id), name)
            report.issues.append(BanditIssue(
                test_id=str(issue.test_id), test_name=name, severity=str(issue.severity),
                confidence=str(issue.confidence), text=_without_secret(str(issue.test_id), str(issue.text)),
                line=number, end_line=max(lines + [number]), cwe=int(getattr(issue.cwe, "id", 0) or 0),
                code_line=text_lines[number - 1] if 0 < number <= len(text_lines) else "",
                help_url=doc_url(issue.test_id) if TEST_ID.match(str(issue.test_id)) else None,
                tempfile_call=(folders or {}).get((number, int(issue.col_offset)), "") if issue.test_id == "B108" else "",
            ))
        reports.append(report)
        if _in_worker and len(reports) % COLLECT_EVERY_FILES == 0:
            gc.collect()
    return reports


# Set in bandit's worker processes (`_prepare_worker`): `scan_chunk` collects its files' garbage.
_in_worker = False


def _prepare_worker() -> None:
    """In bandit's worker processes: Ctrl-C reaches the whole process group, and the main process
    alone says "interrupted"; a worker would print a traceback of its own. What the worker
    inherited from the review's process is hidden from the garbage collector (`gc.freeze`): its
    walks would touch, and so copy, every inherited page, and none of it is the worker's garbage.
    The worker loads bandit itself first: loaded before the fork, bandit (and rich, which it
    imports) cost the scan's own process about 0.1 s of CPU on its critical path, while the
    workers sat idle until the inventory named the files; its help links now come from the
    workers too, so the scan's process never needs bandit. Loaded after the freeze, its modules
    were walked by every collection (a 3,000-function scan's workers took 9% more CPU).

    bandit links every node of a file's syntax tree to its parent, so each file leaves a cycle
    that only the collector frees; left to its thresholds, it let many files' trees pile up
    between collections, and each worker grew from 30 to 59 MB over a 3,000-function scan. With
    the inherited objects frozen, a collection every COLLECT_EVERY_FILES files walks little more
    than their leftovers: the workers stay within a few MB of their size at the fork, for about
    the CPU the collector's own rhythm cost (after every file: 15 % more)."""
    import signal

    global _in_worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_bandit()      # before the freeze: bandit's and rich's modules are no garbage either
    gc.freeze()
    _in_worker = True


def _worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_prestarted: list[ProcessPoolExecutor] = []
_prestart_lock = threading.Lock()


def prestart_workers(workers: int | None = None) -> None:
    """Fork bandit's worker processes now, for the next `start_scan` of this process to use.

    A full scan calls this before its inventory, while the process holds little more than its
    imports: a worker forked later, from a process that holds every parsed module of a large
    monorepo, starts as large as it (each page counted again in the machine's memory), and the
    pages either process then writes are copied. The workers load bandit, then wait for their
    files, while the scan reads its inventory.
    """
    workers = workers or _worker_count()
    with _prestart_lock:
        if workers <= 1 or _prestarted:
            return
        try:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_prepare_worker)
            pool.submit(int)       # the first submission forks every worker (the "fork" start method)
        except (OSError, RuntimeError, ImportError):
            return                 # start_scan forks its own pool, or scans on this core
        _prestarted.append(pool)


def _take_prestarted() -> ProcessPoolExecutor | None:
    with _prestart_lock:
        return _prestarted.pop() if _prestarted else None


def discard_prestarted() -> None:
    """Stop workers that `prestart_workers` forked and no scan used (few files, or no bandit)."""
    pool = _take_prestarted()
    if pool is not None:
        manager = _manager_thread(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        _wait_for(manager)


# The one worker a pull request review forks at its start (`start_review_worker`).
_review_worker: list[ProcessPoolExecutor] = []


def start_review_worker() -> None:
    """Fork one worker process for a pull request review's bandit scans; once per process.

    A review's focused files are few, and scanning them took the review's own process about
    0.2 s: importing bandit and its plugins (rich's console among them), then the files, on the
    interpreter lock the review's inventory and analyzers need. Forked first thing (before the
    review starts a thread), the worker imports bandit while the review lists and reads its
    trees (`_prepare_worker`), and scans the few files the review hands it (`start_scan`).
    Stopped by `stop_review_worker`, or when the process exits.
    """
    with _prestart_lock:
        if _review_worker or _worker_count() <= 1:
            return
        try:
            pool = ProcessPoolExecutor(max_workers=1, initializer=_prepare_worker)
            pool.submit(int)       # forks the worker now
        except (OSError, RuntimeError, ImportError):
            return                 # the review scans its few files on its own core, as before
        _review_worker.append(pool)
    atexit.register(stop_review_worker)


def stop_review_worker() -> None:
    """Stop the review's worker (its scans are done, or the process is ending).

    The worker is ended, not asked to finish: when the run's deadline stopped the review while
    bandit was still on a file, a graceful shutdown would keep the process from exiting until
    that file was done (the interpreter joins its pools at exit)."""
    with _prestart_lock:
        pool = _review_worker.pop() if _review_worker else None
    if pool is not None:
        # The pool keeps its processes in `_processes` (every version since 3.2) until shutdown
        # lets go of them; SIGTERM is what Python 3.14's `terminate_workers` sends.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = _manager_thread(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        _wait_for(manager)


# How long a stopped pool's manager thread is given to finish (it only joins ended processes).
MANAGER_JOIN_SECONDS = 2.0


def _manager_thread(pool: ProcessPoolExecutor) -> threading.Thread | None:
    """The pool's manager thread (every version since 3.9 keeps it here; `shutdown` forgets it)."""
    manager = getattr(pool, "_executor_manager_thread", None)
    return manager if isinstance(manager, threading.Thread) else None


def _wait_for(manager: threading.Thread | None) -> None:
    """Let a pool shut down without waiting finish closing its pipes now, not at the interpreter's
    exit: there, Python 3.11's `concurrent.futures` wakes every pool's manager thread while such a
    thread may be closing its own pipe, and the race printed an `OSError: [Errno 9] Bad file
    descriptor` traceback after a successful run (later releases lock the pipe instead)."""
    if manager is not None and manager is not threading.current_thread():
        manager.join(MANAGER_JOIN_SECONDS)


def _on_review_worker(profile: BanditProfile, files: list[tuple[str, str | bytes]]
                      ) -> Callable[[], list[FileReport]] | None:
    """Hand a few files to the review's worker; None when there is none (or it cannot take them)."""
    with _prestart_lock:
        pool = _review_worker[0] if _review_worker else None
    if pool is None:
        return None
    try:
        future = pool.submit(scan_chunk, profile, files)
    except (OSError, RuntimeError):
        return None

    def reports() -> list[FileReport]:
        try:
            return future.result()
        except (OSError, RuntimeError, ImportError):
            return scan_chunk(profile, files)      # the worker failed: the files, here
    return reports


def scan_files(profile: BanditProfile, files: list[tuple[str, str | bytes]], workers: int | None = None
               ) -> list[FileReport]:
    """bandit over `files`: serially when few, else in chunks over a process pool (one per core)."""
    return start_scan(profile, files, workers)()


def _size(content: str | bytes) -> int:
    """A file's size in bytes (its UTF-8 encoding for a text)."""
    return len(content) if isinstance(content, bytes) or content.isascii() else len(content.encode("utf-8"))


def start_scan(profile: BanditProfile, files: list[tuple[str, str | bytes]], workers: int | None = None,
               before_fork: Callable[[], None] | None = None) -> Callable[[], list[FileReport]]:
    """Start bandit over `files`; the callable returned waits for the reports (sorted by path).

    Many files go to a process pool started here, on the calling thread, before the review's
    other analyzers keep this interpreter busy; a few are scanned when the reports are asked for.
    `before_fork` runs just before the pool's processes are forked (and only then). A chunk's
    files are let go once its reports are in (a chunk whose worker failed is scanned again here).
    """
    workers = workers or _worker_count()
    sizes = {rel: _size(content) for rel, content in files}
    size = sum(sizes.values())
    if workers <= 1 or len(files) < max(PARALLEL_MIN_FILES, 2 * workers) or size < PARALLEL_MIN_BYTES:
        discard_prestarted()
        return _on_review_worker(profile, files) or (lambda: scan_chunk(profile, files))
    # Largest first, dealt round-robin, so chunks finish at about the same time.
    ordered = sorted(files, key=lambda item: -sizes[item[0]])
    count = min(workers * CHUNKS_PER_WORKER, max(workers, -(-len(files) // FILES_PER_CHUNK)))
    chunks = [ordered[index::count] for index in range(count)]
    pool: ProcessPoolExecutor | None = _take_prestarted()
    try:
        if pool is None:
            if before_fork is not None:
                before_fork()
            pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=_prepare_worker)
        futures = [pool.submit(scan_chunk, profile, chunk) for chunk in chunks]
    except (OSError, RuntimeError, ImportError):
        # No processes to be had (sandbox, broken pool): the same work, on this core.
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return lambda: scan_chunk(profile, files)
    running = pool
    for index, future in enumerate(futures):
        future.add_done_callback(functools.partial(_let_go, chunks, index))

    def reports() -> list[FileReport]:
        results = []
        try:
            for index, future in enumerate(futures):
                try:
                    results.append(future.result())
                except (OSError, RuntimeError, ImportError):
                    results.append(scan_chunk(profile, chunks[index]))  # a worker failed: its files, here
        finally:
            running.shutdown(wait=True, cancel_futures=True)
        return sorted((report for chunk in results for report in chunk), key=lambda report: report.path)

    return reports


def _let_go(chunks: list[Any], index: int, future: Future[list[FileReport]]) -> None:
    """A chunk whose reports are in needs its files no more (only a failed one is scanned again)."""
    if not future.cancelled() and future.exception() is None:
        chunks[index] = []


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
