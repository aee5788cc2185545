"""pip-audit's auditor, run once over the de-duplicated union of pinned releases.

The repository's own dependency files are never handed to pip-audit: the review collects only
`name==version` pins it validated itself and gives them to pip-audit's `Auditor` as resolved
dependencies, so nothing is resolved, downloaded, built or installed, and no file of the change
is read by pip-audit. pip-audit's own service clients (`OsvService` with the configured OSV URL,
or `PyPIService`) ask the service and merge aliases, as `pip-audit --disable-pip --no-deps` does.

The asking happens in a process of its own (reviewer.audit_worker), started as soon as the pins
are known and collected when the findings are built: several releases at a time, each a network
round trip, while the review's other analyzers use the cores (bench/full_scan.py: 85 releases
took 3.1 s in two pip-audit processes one release after another, about 1 s this way).

Results are remembered for the life of the process per (service, URL, ignored ids), from the
moment an audit claims a release: a pull request review analyses the base commit while the head's
audit is still asking, and the base's audit waits for those answers rather than asking again, so
the service hears about each release once.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Iterable

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")

PinKey = tuple[str, str]   # (canonical name, normalised version)


@dataclass(frozen=True)
class Advisory:
    """One known vulnerability of a release, as pip-audit reports it (aliases merged)."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    fix_versions: tuple[str, ...]

    def smallest_fix_above(self, version: str) -> str | None:
        """The lowest fixed release newer than `version`, or None when none is published."""
        try:
            current = Version(version)
            candidates = sorted(Version(item) for item in self.fix_versions if Version(item) > current)
        except InvalidVersion:
            return None
        return str(candidates[0]) if candidates else None


@dataclass
class AuditOutcome:
    """Advisories per audited release; `error` says why the audit did not run, when it did not."""

    advisories: dict[PinKey, list[Advisory]] = field(default_factory=dict)
    skipped: dict[PinKey, str] = field(default_factory=dict)
    error: str | None = None


# A release's answer: its advisories, or why pip-audit skipped it. Each is a future from the moment
# an audit claims the release, so a second scan of the run waits for that audit instead of asking again.
Answer = list[Advisory] | str
_CACHE: dict[tuple[str, str, tuple[str, ...]], dict[PinKey, "Future[Answer]"]] = {}
_CACHE_LOCK = threading.Lock()


class AuditFailed(Exception):
    """The audit that claimed a release gave no answer; the message says why."""


def forget_results() -> None:
    """Drop the advisories remembered by this process (a new run against a changed service)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def audit(pins: Iterable[PinKey], service: str, osv_url: str, ignore_vulns: tuple[str, ...] = ()) -> AuditOutcome:
    """Audit every distinct pin once (nothing is asked when all are already known in this process)."""
    return start_audit(pins, service, osv_url, ignore_vulns).result()


def start_audit(pins: Iterable[PinKey], service: str, osv_url: str,
                ignore_vulns: tuple[str, ...] = ()) -> "PendingAudit":
    """Start asking about the pins no audit of this process has asked about; `result()` waits
    for the answers (of this audit and of those that asked first)."""
    key = (service, osv_url if service == "osv" else "", tuple(sorted(ignore_vulns)))
    wanted = sorted({(canonicalize_name(name), version) for name, version in pins})
    outcome = AuditOutcome()
    answers: dict[PinKey, Future[Answer]] = {}
    claimed: dict[PinKey, Future[Answer]] = {}
    with _CACHE_LOCK:
        known = _CACHE.setdefault(key, {})
        for pin in wanted:
            if not (_NAME.match(pin[0]) and _is_version(pin[1])):
                outcome.skipped[pin] = "the name or version is not one pip-audit can query"
                continue
            if pin not in known:
                known[pin] = claimed[pin] = Future()
            answers[pin] = known[pin]
    return PendingAudit(outcome, answers, claimed, service, osv_url, set(ignore_vulns), known)


class PendingAudit:
    """An audit under way in its own process (reviewer.audit_worker), or already answered.

    A thread of its own reads the process's answer and settles the releases this audit claimed,
    so another audit waiting for them is answered whether or not this one's `result` is asked for.
    """

    def __init__(self, outcome: AuditOutcome, answers: dict[PinKey, "Future[Answer]"],
                 claimed: dict[PinKey, "Future[Answer]"], service: str, osv_url: str,
                 ignored: set[str], known: dict[PinKey, "Future[Answer]"]) -> None:
        self.outcome, self.answers, self.claimed = outcome, answers, claimed
        self.missing = sorted(claimed)
        self.service, self.osv_url, self.ignored, self.known = service, osv_url, ignored, known
        self.worker: _Worker | None = None
        if not self.missing:
            return
        try:
            error = self._start()
        except BaseException:
            self._fail("the dependency audit could not be started")
            raise
        if error is not None:
            self._fail(error)
        else:
            threading.Thread(target=self._settle, name="pip-audit-answer", daemon=True).start()

    def _start(self) -> str | None:
        """Hand the request to a worker process; why that failed, if it did."""
        worker = _take_worker()
        if isinstance(worker, str):
            return worker
        self.worker = worker
        # One line (json.dumps escapes every newline in a value): the worker reads up to its end.
        request = json.dumps({"pins": self.missing, "service": self.service, "osv_url": self.osv_url}) + "\n"
        stdin, worker.process.stdin = worker.process.stdin, None   # communicate() then only reads
        try:
            assert stdin is not None
            stdin.write(request)
            stdin.close()
        except OSError as exc:            # the process died before it read its request
            worker.process.kill()
            worker.process.communicate()
            worker.directory.cleanup()
            return f"the dependency audit could not be started ({exc.strerror or exc})"
        return None

    def result(self) -> AuditOutcome:
        """The answers to every pin: this audit's own, and those of audits that asked first."""
        outcome = self.outcome
        for pin, answer in self.answers.items():
            try:
                value = answer.result()
            except AuditFailed as failure:
                outcome.error = str(failure)
                continue
            if isinstance(value, str):
                outcome.skipped[pin] = value
            else:
                outcome.advisories[pin] = value
        return outcome

    def _settle(self) -> None:
        """Give each claimed release its answer. Whatever stops that fails the releases still
        unanswered (an audit waiting for them gets the reason, not a hang), and a later run asks again."""
        try:
            report = self._report()
            if isinstance(report, str):
                self._fail(report)
                return
            for name, version, answer in report:
                future = self.claimed.get((name, version))
                if future is None or future.done():
                    continue
                if "skipped" in answer:
                    future.set_result(f"pip-audit skipped it ({answer['skipped']})")
                    continue
                advisories = _merge_aliases([_advisory(item) for item in answer.get("advisories") or []])
                future.set_result([item for item in advisories if not (self.ignored & {item.id, *item.aliases})])
            for future in self.claimed.values():
                if not future.done():
                    future.set_result("pip-audit did not report on it")
        except Exception as exc:  # noqa: BLE001 - on this thread, an escaping error would only leave waiters hanging
            self._fail(f"the dependency audit's answer could not be read ({type(exc).__name__})")
        finally:
            if self.worker is not None:
                self.worker.directory.cleanup()

    def _fail(self, reason: str) -> None:
        with _CACHE_LOCK:
            for pin, future in self.claimed.items():
                if future.done():
                    continue
                if self.known.get(pin) is future:
                    del self.known[pin]
                future.set_exception(AuditFailed(reason))

    def _report(self) -> list[tuple[str, str, dict[str, Any]]] | str:
        """The worker's answers, or why there are none."""
        if self.worker is None:
            return "the dependency audit did not start"
        process = self.worker.process
        deadline = min(1800, 120 + 5 * len(self.missing))
        try:
            stdout, stderr = process.communicate(timeout=deadline)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return f"the dependency audit did not finish within {deadline} seconds"
        try:
            report = json.loads(stdout)
        except ValueError:
            lines = [line.strip() for line in stderr.splitlines() if line.strip()]
            return (f"the dependency audit failed (exit {process.returncode}"
                    + (f": {lines[-1][:200]})" if lines else ")"))
        if isinstance(report, dict) and isinstance(report.get("error"), str):
            return report["error"]
        answers = report.get("answers") if isinstance(report, dict) else None
        if not isinstance(answers, list):
            return "the dependency audit answered in an unexpected shape"
        return [(str(entry[0]), str(entry[1]), entry[2]) for entry in answers
                if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], dict)]


@dataclass
class _Worker:
    """A reviewer.audit_worker process, waiting for its request on standard input."""

    process: subprocess.Popen[str]
    directory: tempfile.TemporaryDirectory[str]


_warm: _Worker | None = None
_warmed = False


def warm_up() -> None:
    """Start the audit's process now, before the pins are known; once per run.

    It spends about 0.4 s importing pip-audit, which a pull request review otherwise waits for
    after its inventory; started when the review's scan sees dependency files, it is ready by
    the time the pins are. A process no audit takes is stopped when the review exits.
    """
    global _warm, _warmed
    if _warmed:
        return
    _warmed = True
    worker = _spawn()
    if isinstance(worker, _Worker):
        _warm = worker
        atexit.register(_discard_warm)


def _take_worker() -> "_Worker | str":
    """The warm process if there is one still running, else a new one (or why none started)."""
    global _warm
    worker, _warm = _warm, None
    if worker is not None and worker.process.poll() is None:
        return worker
    if worker is not None:
        worker.directory.cleanup()
    return _spawn()


def _spawn() -> "_Worker | str":
    directory = tempfile.TemporaryDirectory(prefix="lambda-review-audit-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["LAMBDA_REVIEW_AUDIT_PARENT"] = str(os.getpid())    # audit_worker.PARENT_VARIABLE
    # -P and an empty working directory: nothing of the repository under review is importable.
    command = [sys.executable, "-P", "-m", "reviewer.audit_worker"]
    try:
        process = subprocess.Popen(command, cwd=directory.name, env=env, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        directory.cleanup()
        return f"the dependency audit could not be started ({exc.strerror or exc})"
    return _Worker(process, directory)


def _discard_warm() -> None:
    global _warm
    worker, _warm = _warm, None
    if worker is not None:
        worker.process.kill()
        worker.process.communicate()
        worker.directory.cleanup()


def _is_version(text: str) -> bool:
    try:
        return str(Version(text)) == text
    except InvalidVersion:
        return False


def _merge_aliases(advisories: list[Advisory]) -> list[Advisory]:
    """One advisory per issue: records that share an id or alias (PYSEC, GHSA, CVE) are merged.

    pip-audit already merges most, but OSV serves alias groups, so two records can both claim the
    PYSEC id. The shortest summary is kept (OSV `summary` lines are shorter than `details`).
    """
    merged: list[Advisory] = []
    for advisory in advisories:
        names = {advisory.id, *advisory.aliases}
        index = next((i for i, seen in enumerate(merged) if names & {seen.id, *seen.aliases}), None)
        if index is None:
            merged.append(advisory)
            continue
        seen = merged[index]
        summaries = sorted((text for text in (seen.summary, advisory.summary) if text and text != "N/A"),
                           key=lambda text: (len(text), text))
        merged[index] = Advisory(
            id=seen.id,
            aliases=tuple(sorted((names | set(seen.aliases)) - {seen.id})),
            summary=summaries[0] if summaries else seen.summary,
            fix_versions=tuple(dict.fromkeys(seen.fix_versions + advisory.fix_versions)),
        )
    return merged


def _advisory(item: dict[str, Any]) -> Advisory:
    aliases = item.get("aliases") or []
    fixes = item.get("fix_versions") or []
    return Advisory(
        id=str(item.get("id", "")),
        aliases=tuple(sorted(str(alias) for alias in aliases)) if isinstance(aliases, list) else (),
        summary=str(item.get("summary") or ""),
        fix_versions=tuple(str(fix) for fix in fixes) if isinstance(fixes, list) else (),
    )
