"""pip-audit, run once over the de-duplicated union of pinned releases.

The repository's own dependency files are never handed to pip-audit: the review writes a fresh
requirements file holding only `name==version` lines it validated itself, and runs
`pip-audit --disable-pip --no-deps` over it, so nothing is resolved, downloaded, built or
installed. pip-audit runs as a subprocess of the interpreter the review runs in (the same pinned
environment), in an empty temporary directory with its own HTTP cache.

Results are remembered for the life of the process per (service, URL, ignored ids), so a pull
request review that analyses the head and then the base commit asks the service about each
release once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

SOCKET_TIMEOUT_SECONDS = 15
# pip-audit asks about one release at a time: above this many, the pins are split into runs that
# wait on the service side by side, one per core and at most four (each run starts a Python
# process, about 0.8 s of CPU). Measured with bench/full_scan.py: 85 releases took 4.0 s in one
# run against a stand-in answering in about 40 ms, 2.6 s in two.
PINS_PER_RUN = 24
PARALLEL_RUNS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                         else os.cpu_count() or 1))
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
    invocations: int = 0


_CACHE: dict[tuple[str, str, tuple[str, ...]], dict[PinKey, list[Advisory]]] = {}


def forget_results() -> None:
    """Drop the advisories remembered by this process (a new run against a changed service)."""
    _CACHE.clear()


def audit(pins: Iterable[PinKey], service: str, osv_url: str, ignore_vulns: tuple[str, ...] = ()) -> AuditOutcome:
    """Audit every distinct pin with one pip-audit invocation (none when all are already known)."""
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
    rounds = _rounds(missing)
    outcome.invocations = len(rounds)
    try:
        reports = _run_rounds(rounds, service, osv_url, ignore_vulns)
    except AuditFailed as failure:
        outcome.error = str(failure)
        return outcome
    for dependency in (item for report in reports for item in report.get("dependencies") or []):
        if not isinstance(dependency, dict):
            continue
        pin = (canonicalize_name(str(dependency.get("name", ""))), _normalise(str(dependency.get("version", ""))))
        if "skip_reason" in dependency:
            outcome.skipped[pin] = f"pip-audit skipped it ({dependency['skip_reason']})"
            continue
        advisories = _merge_aliases([_advisory(item) for item in dependency.get("vulns") or []
                                     if isinstance(item, dict)])
        known[pin] = advisories
        outcome.advisories[pin] = advisories
    for pin in missing:
        if pin not in outcome.advisories and pin not in outcome.skipped:
            outcome.skipped[pin] = "pip-audit did not report on it"
    return outcome


def _rounds(pins: list[PinKey]) -> list[list[PinKey]]:
    """The pins split into pip-audit runs; each release is still asked about exactly once.

    pip-audit refuses two releases of one package in one run (a monorepo pins several), so the
    releases of one package go to different runs. pip-audit also asks the service one release
    after the other, so a long list is split into runs of about PINS_PER_RUN that wait side by
    side (at most PARALLEL_RUNS at a time).
    """
    by_name: dict[str, list[PinKey]] = {}
    for pin in pins:
        by_name.setdefault(pin[0], []).append(pin)
    count = max(max((len(versions) for versions in by_name.values()), default=1),
                min(PARALLEL_RUNS, -(-len(pins) // PINS_PER_RUN)))
    rounds: list[list[PinKey]] = [[] for _ in range(count)]
    turn = 0
    for versions in by_name.values():       # consecutive runs: never two releases of a name in one
        for offset, pin in enumerate(versions):
            rounds[(turn + offset) % count].append(pin)
        turn = (turn + len(versions)) % count
    return [sorted(batch) for batch in rounds if batch]


def _run_rounds(rounds: list[list[PinKey]], service: str, osv_url: str, ignore_vulns: tuple[str, ...]) -> list[dict]:
    """The runs side by side (each mostly waits on the service); the first failure is the reason."""
    if len(rounds) == 1:
        return [_run_pip_audit(rounds[0], service, osv_url, ignore_vulns)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(PARALLEL_RUNS, len(rounds))) as pool:
        futures = [pool.submit(_run_pip_audit, pins, service, osv_url, ignore_vulns) for pins in rounds]
        return [future.result() for future in futures]


def _is_version(text: str) -> bool:
    try:
        return str(Version(text)) == text
    except InvalidVersion:
        return False


def _normalise(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


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


def _advisory(item: dict[str, object]) -> Advisory:
    aliases = item.get("aliases") or []
    fixes = item.get("fix_versions") or []
    return Advisory(
        id=str(item.get("id", "")),
        aliases=tuple(sorted(str(alias) for alias in aliases)) if isinstance(aliases, list) else (),
        summary=str(item.get("description") or ""),
        fix_versions=tuple(str(fix) for fix in fixes) if isinstance(fixes, list) else (),
    )


class AuditFailed(Exception):
    """pip-audit could not produce a report; the message is the reason a reader sees."""


def pip_audit_command(requirements: Path, output: Path, cache: Path, service: str, osv_url: str,
                      ignore_vulns: tuple[str, ...]) -> list[str]:
    command = [
        sys.executable, "-m", "pip_audit", "-r", str(requirements), "--disable-pip", "--no-deps",
        "--format", "json", "--progress-spinner", "off", "--vulnerability-service", service,
        "--output", str(output), "--cache-dir", str(cache), "--timeout", str(SOCKET_TIMEOUT_SECONDS),
    ]
    if service == "osv":
        command += ["--osv-url", osv_url]
    for vuln in ignore_vulns:
        command += ["--ignore-vuln", vuln]
    return command


def _run_pip_audit(pins: list[PinKey], service: str, osv_url: str, ignore_vulns: tuple[str, ...]) -> dict:
    with tempfile.TemporaryDirectory(prefix="lambda-review-audit-") as directory:
        workdir = Path(directory)
        requirements = workdir / "pins.txt"
        requirements.write_text("".join(f"{name}=={version}\n" for name, version in pins), encoding="utf-8")
        output = workdir / "report.json"
        command = pip_audit_command(requirements, output, workdir / "cache", service, osv_url, ignore_vulns)
        env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        deadline = min(1800, 120 + 5 * len(pins))
        try:
            completed = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True,
                                       timeout=deadline, check=False)
        except subprocess.TimeoutExpired:
            raise AuditFailed(f"pip-audit did not finish within {deadline} seconds") from None
        except OSError as exc:
            raise AuditFailed(f"pip-audit could not be started ({exc.strerror or exc})") from None
        try:
            report = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise AuditFailed(_failure_reason(completed.stderr, completed.returncode, service, osv_url)) from None
    if not isinstance(report, dict):
        raise AuditFailed("pip-audit wrote a report in an unexpected shape")
    return report


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout))\b:?\s*(.*)$")


def _failure_reason(stderr: str, returncode: int, service: str, osv_url: str) -> str:
    """One readable line out of pip-audit's error output (which can be a whole traceback)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    where = osv_url if service == "osv" else "PyPI"
    if any(marker in stderr for marker in ("ConnectionError", "NameResolutionError", "ConnectTimeout",
                                           "Max retries exceeded", "Could not connect")):
        detail = next((m.group(1) for line in reversed(lines)
                       if (m := re.search(r"\[Errno -?\d+\] ([^'\")]+)", line))), "connection failed")
        return f"the vulnerability service at {where} could not be reached ({detail.strip()})"
    if "ReadTimeout" in stderr or "timed out" in stderr:
        return f"the vulnerability service at {where} did not answer in time"
    if m := re.search(r"HTTPError: (\d{3}[^\n]*)", stderr):
        return f"the vulnerability service at {where} answered {m.group(1).split(' for url')[0]}"
    errors = [line.split(":", 2)[-1].strip() for line in lines if line.startswith("ERROR:")]
    if errors:
        return f"pip-audit failed: {errors[0]}"[:300]
    exceptions = [m for line in lines if (m := _EXCEPTION_LINE.match(line))]
    if exceptions:
        last = next((m for m in reversed(exceptions) if m.group(2)), exceptions[-1])
        return f"pip-audit failed: {last.group(1).rsplit('.', 1)[-1]} {last.group(2)}".strip()[:300]
    return f"pip-audit exited with status {returncode} and no report"
