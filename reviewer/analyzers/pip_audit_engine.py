"""pip-audit's auditor, run once over the de-duplicated union of pinned releases.

The repository's own dependency files are never handed to pip-audit: the review collects only
`name==version` pins it validated itself and gives them to pip-audit's `Auditor` as resolved
dependencies, so nothing is resolved, downloaded, built or installed, and no file of the change
is read by pip-audit. pip-audit's own service clients (`OsvService` with the configured OSV URL,
or `PyPIService`) ask the service and merge aliases, as `pip-audit --disable-pip --no-deps` does.

pip-audit asks the service about one release after the other, each a network round trip; the
review asks about several releases at once, on threads that each hold their own pip-audit
service (its own HTTP session and a throw-away cache), which is what made the audit the longest
part of a monorepo's scan (bench/full_scan.py: 85 releases took 3.1 s in two pip-audit
processes, 0.5 s on eight threads, and the two processes' start-up cost 1.4 s of CPU).

Results are remembered for the life of the process per (service, URL, ignored ids), so a pull
request review that analyses the head and then the base commit asks the service about each
release once.
"""

from __future__ import annotations

import functools
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from pip_audit._service import VulnerabilityResult

SOCKET_TIMEOUT_SECONDS = 15
# Releases asked about at the same time: each is a round trip that mostly waits on the service.
CONCURRENT_QUERIES = 8
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


_CACHE: dict[tuple[str, str, tuple[str, ...]], dict[PinKey, list[Advisory]]] = {}


def forget_results() -> None:
    """Drop the advisories remembered by this process (a new run against a changed service)."""
    _CACHE.clear()


def audit(pins: Iterable[PinKey], service: str, osv_url: str, ignore_vulns: tuple[str, ...] = ()) -> AuditOutcome:
    """Audit every distinct pin once (nothing is asked when all are already known in this process)."""
    key = (service, osv_url if service == "osv" else "", tuple(sorted(ignore_vulns)))
    known = _CACHE.setdefault(key, {})
    wanted = sorted({(canonicalize_name(name), version) for name, version in pins})
    outcome = AuditOutcome()
    missing = []
    for pin in wanted:
        if pin in known:
            outcome.advisories[pin] = known[pin]
        elif _NAME.match(pin[0]) and _is_version(pin[1]):
            missing.append(pin)
        else:
            outcome.skipped[pin] = "the name or version is not one pip-audit can query"
    if not missing:
        return outcome
    try:
        answers = _ask(missing, service, osv_url)
    except AuditFailed as failure:
        outcome.error = str(failure)
        return outcome
    ignored = set(ignore_vulns)
    for pin, answer in answers.items():
        if isinstance(answer, str):
            outcome.skipped[pin] = f"pip-audit skipped it ({answer})"
            continue
        advisories = _merge_aliases([_advisory(result) for result in answer
                                     if not (ignored and result.has_any_id(ignored))])
        known[pin] = advisories
        outcome.advisories[pin] = advisories
    return outcome


def _ask(pins: list[PinKey], service: str, osv_url: str) -> dict[PinKey, "list[VulnerabilityResult] | str"]:
    """Every release's answer, asked CONCURRENT_QUERIES at a time; the first failure stops the audit."""
    from concurrent.futures import ThreadPoolExecutor

    from pip_audit._audit import Auditor
    from pip_audit._service import ResolvedDependency

    pins_source = _pins_source_class()
    local = threading.local()
    with tempfile.TemporaryDirectory(prefix="lambda-review-audit-") as cache:

        def ask(pin: PinKey) -> "list[VulnerabilityResult] | str":
            if not hasattr(local, "auditor"):
                local.auditor = Auditor(_service(service, osv_url, Path(cache) / threading.current_thread().name))
            source = pins_source([ResolvedDependency(name=pin[0], version=Version(pin[1]))])
            try:
                for dependency, results in local.auditor.audit(source):
                    return dependency.skip_reason if dependency.is_skipped() else results  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - pip-audit and requests raise many kinds; all stop the audit
                raise AuditFailed(_failure_reason(exc, service, osv_url)) from None
            return []

        with ThreadPoolExecutor(max_workers=min(CONCURRENT_QUERIES, len(pins)),
                                thread_name_prefix="pip-audit") as pool:
            futures = {pin: pool.submit(ask, pin) for pin in pins}
            try:
                return {pin: future.result() for pin, future in futures.items()}
            except AuditFailed:
                pool.shutdown(wait=True, cancel_futures=True)
                raise


def _service(name: str, osv_url: str, cache: Path):  # type: ignore[no-untyped-def]
    from pip_audit._service import OsvService, PyPIService

    if name == "osv":
        return OsvService(cache_dir=cache, timeout=SOCKET_TIMEOUT_SECONDS, osv_url=osv_url)
    return PyPIService(cache_dir=cache, timeout=SOCKET_TIMEOUT_SECONDS)


@functools.cache
def _pins_source_class() -> type:
    from pip_audit._dependency_source import DependencySource

    class Pins(DependencySource):
        """Releases the review validated itself, handed to pip-audit as already resolved."""

        def __init__(self, dependencies: list) -> None:  # type: ignore[type-arg]
            self._dependencies = dependencies

        def collect(self) -> Iterator:  # type: ignore[type-arg]
            yield from self._dependencies

        def fix(self, fix_version) -> None:  # type: ignore[no-untyped-def]
            raise NotImplementedError("the review never changes dependency files")

    return Pins


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


def _advisory(result: "VulnerabilityResult") -> Advisory:
    return Advisory(
        id=str(result.id),
        aliases=tuple(sorted(str(alias) for alias in result.aliases)),
        summary=str(result.description or ""),
        fix_versions=tuple(str(fix) for fix in result.fix_versions),
    )


class AuditFailed(Exception):
    """pip-audit could not produce an answer; the message is the reason a reader sees."""


def _failure_reason(error: BaseException, service: str, osv_url: str) -> str:
    """One readable line for why the service gave no answer (the URL is the configured one)."""
    import requests

    where = osv_url if service == "osv" else "PyPI"
    cause = error.__cause__ if error.__cause__ is not None else error
    if isinstance(cause, requests.HTTPError) and cause.response is not None:
        response = cause.response
        return f"the vulnerability service at {where} answered {response.status_code} {response.reason or ''}".strip()
    if isinstance(cause, (requests.Timeout,)) and not isinstance(cause, requests.ConnectTimeout):
        return f"the vulnerability service at {where} did not answer in time"
    if isinstance(cause, (requests.ConnectionError, ConnectionError)) or type(cause).__name__ == "ConnectionError":
        detail = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(cause))
        return (f"the vulnerability service at {where} could not be reached "
                f"({detail.group(1).strip() if detail else 'connection failed'})")
    return f"pip-audit failed: {type(cause).__name__} {cause}".strip()[:300]
