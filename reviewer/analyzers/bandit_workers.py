"""bandit run over files handed to it as text: a chunk of files in one process (`scan_chunk`), and
the worker processes that spread a scan's chunks over the CPU cores.

bandit is handed each file's content, never a path: it opens nothing of the repository itself,
and nothing of the repository is imported. An issue comes back as plain values (`BanditIssue`),
its line's text and documentation link taken where the file was scanned, so the process that
asked never loads bandit when a worker scanned its files.

The workers are forked early where that pays: a full scan's before its inventory
(`prestart_workers`), a pull request review's one worker first thing (`start_review_worker`).
Kept apart from the analyzer (bandit_engine.py: which files each function ships, each text
scanned once per run, the findings), which starts its scans here.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from reviewer import method_cache
from reviewer.analyzers.bandit_dispatch import ChunkDispatch
from reviewer.analyzers.bandit_metric_queries import is_metric_query
from reviewer.analyzers.bandit_plugins import blacklist_name, doc_url, load_bandit
from reviewer.analyzers.bandit_profile import BanditProfile
from reviewer.analyzers.bandit_script_blocks import in_script_block, script_block_lines
from reviewer.analyzers.bandit_tempfile import tempfile_arguments
from reviewer.analyzers.bandit_unparsed import older_grammar, why_unparsed
from reviewer.analyzers.bandit_words import TEST_ID

__all__ = ["BanditIssue", "FileReport", "discard_prestarted", "prestart_workers", "scan_chunk", "scan_files",
           "start_review_worker", "start_scan", "stop_review_worker"]

# Below these a process pool costs more than it saves. Measured with bench/bandit_parallel.py on
# 2 cores (best of 3): 16 files/140 KiB serial 0.23 s vs pool 0.27 s; 32 files/346 KiB 0.58 s vs
# 0.34 s; 300 files/3.2 MiB 5.3 s vs 3.6 s.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 256 * 1024
FILES_PER_CHUNK = 16
# Each chunk handed to a worker needs the review's process to take the interpreter lock from its
# own analyzers (to queue the next chunk and receive the reports): hundreds of small chunks kept
# the workers waiting on it, the more so when other work on the machine delays this process.
# Eight per worker still keep that to a few dozen, and are small enough that the last ones, which
# every worker shares once the scan's process only waits (bandit_dispatch.py), end close together.
CHUNKS_PER_WORKER = 8
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
    # In the body of the module's `if __name__ == "__main__":`, which Lambda never runs.
    in_script_block: bool = False
    # B608 on a CloudWatch Metrics Insights query (`bandit_metric_queries`), which no database runs.
    metric_query: bool = False


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
        blocks: list[tuple[int, int]] | None = None
        for issue in bandit.results:
            if text_lines is None:
                text_lines = (content if isinstance(content, str) else data.decode("utf-8", "replace")).splitlines()
            if folders is None and issue.test_id == "B108":
                folders = tempfile_arguments("\n".join(text_lines))
            if blocks is None:
                blocks = script_block_lines("\n".join(text_lines))
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
                in_script_block=in_script_block(blocks, number),
                metric_query=is_metric_query(str(issue.test_id), text_lines[max(number - 1, 0):max(lines + [number])]),
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
    method_cache.save()    # bandit's and rich's dataclasses, compiled once, not in every worker of every run
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
        # one core is the scan's own until it has no analyzer left to run (bandit_dispatch.py)
        dispatch = ChunkDispatch(pool, scan_chunk, (profile,), chunks, limit=workers - 1)
        dispatch.start()
    except (OSError, RuntimeError, ImportError):
        # No processes to be had (sandbox, broken pool): the same work, on this core.
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return lambda: scan_chunk(profile, files)
    running = pool

    def reports() -> list[FileReport]:
        results = []
        try:
            for index, future in enumerate(dispatch.futures):
                try:
                    results.append(future.result())
                except (OSError, RuntimeError, ImportError):
                    results.append(scan_chunk(profile, dispatch.chunk(index)))  # a worker failed: its files, here
        finally:
            running.shutdown(wait=True, cancel_futures=True)
        return sorted((report for chunk in results for report in chunk), key=lambda report: report.path)

    return reports
