"""The dependency audit's own process: pip-audit's auditor asking about many releases at once.

    python -P -m reviewer.audit_worker < REQUEST.json   (run by reviewer.analyzers.pip_audit_engine)

The request, one line of JSON read from standard input once pip-audit is imported (so the
process can be started before the pins are known), names validated `(name, version)` pins, the
service and its URL; the answer, on standard output, is JSON: for each pin its advisories or why
pip-audit skipped it, or one error. The request ends at its line, not at the end of the input:
a process the review forks after starting this one (bandit's workers) holds a copy of the pipe's
writing end, and the end of the input would only come when that process ends.

Why a process of its own: the audit is mostly waiting on the network, eight releases at a time,
and a waiting thread in the review's process gets the interpreter lock back only between the
CPU-bound analyzers' time slices, which stretched a monorepo's audit from about 1 s to 2-3 s.
Here it waits on its own, beside them, and imports pip-audit (0.4 s) off the review's core.
This module imports nothing of the review beyond the standard library, packaging and pip-audit.
"""

from __future__ import annotations

import functools
import json
import os
import re
import select
import sys
import tempfile
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import Any, Iterator

SOCKET_TIMEOUT_SECONDS = 15
# How often a process still waiting for its request checks that the review that started it runs.
PARENT_CHECK_SECONDS = 1.0
# The environment variable in which the review names its process (pip_audit_engine._spawn).
PARENT_VARIABLE = "LAMBDA_REVIEW_AUDIT_PARENT"
# Releases asked about at the same time: each is a round trip that mostly waits on the service.
CONCURRENT_QUERIES = 8

Answer = dict[str, Any]      # {"advisories": [...]} or {"skipped": reason}


class AuditFailed(Exception):
    """The service gave no answer; the message is the reason a reader sees."""


def ask(pins: list[tuple[str, str]], service: str, osv_url: str) -> dict[tuple[str, str], Answer]:
    """Every release's answer, CONCURRENT_QUERIES at a time; the first failure stops the audit."""
    from packaging.version import Version
    from pip_audit._audit import Auditor
    from pip_audit._service import ResolvedDependency

    pins_source = _pins_source_class()
    local = threading.local()
    with tempfile.TemporaryDirectory(prefix="lambda-review-audit-") as cache:

        def one(pin: tuple[str, str]) -> Answer:
            if not hasattr(local, "auditor"):
                local.auditor = Auditor(_service(service, osv_url, Path(cache) / threading.current_thread().name))
            source = pins_source([ResolvedDependency(name=pin[0], version=Version(pin[1]))])
            try:
                for dependency, results in local.auditor.audit(source):
                    if dependency.is_skipped():
                        return {"skipped": str(dependency.skip_reason)}
                    return {"advisories": [_advisory(result) for result in results]}
            except Exception as exc:  # noqa: BLE001 - pip-audit and requests raise many kinds; all stop the audit
                raise AuditFailed(_failure_reason(exc, service, osv_url)) from None
            return {"advisories": []}

        with ThreadPoolExecutor(max_workers=max(1, min(CONCURRENT_QUERIES, len(pins))),
                                thread_name_prefix="pip-audit") as pool:
            futures = {pin: pool.submit(one, pin) for pin in pins}
            try:
                return {pin: future.result() for pin, future in futures.items()}
            except AuditFailed:
                pool.shutdown(wait=True, cancel_futures=True)
                raise


def _service(name: str, osv_url: str, cache: Path) -> Any:  # a pip-audit VulnerabilityService (untyped)
    from pip_audit._service import OsvService, PyPIService

    if name == "osv":
        return OsvService(cache_dir=cache, timeout=SOCKET_TIMEOUT_SECONDS, osv_url=osv_url)
    return PyPIService(cache_dir=cache, timeout=SOCKET_TIMEOUT_SECONDS)


@functools.cache
def _pins_source_class() -> type:
    from pip_audit._dependency_source import DependencySource

    class Pins(DependencySource):
        """Releases the review validated itself, handed to pip-audit as already resolved."""

        def __init__(self, dependencies: list[Any]) -> None:
            self._dependencies = dependencies

        def collect(self) -> Iterator[Any]:
            yield from self._dependencies

        def fix(self, fix_version: Any) -> None:
            raise NotImplementedError("the review never changes dependency files")

    return Pins


def _advisory(result: Any) -> dict[str, Any]:
    return {"id": str(result.id), "aliases": sorted(str(alias) for alias in result.aliases),
            "summary": str(result.description or ""), "fix_versions": [str(fix) for fix in result.fix_versions]}


def _failure_reason(error: BaseException, service: str, osv_url: str) -> str:
    """One readable line for why the service gave no answer (the URL is the configured one)."""
    import requests

    where = osv_url if service == "osv" else "PyPI"
    cause = error.__cause__ if error.__cause__ is not None else error
    if isinstance(cause, requests.HTTPError) and cause.response is not None:
        response = cause.response
        return f"the vulnerability service at {where} answered {response.status_code} {response.reason or ''}".strip()
    if isinstance(cause, requests.Timeout) and not isinstance(cause, requests.ConnectTimeout):
        return f"the vulnerability service at {where} did not answer in time"
    if isinstance(cause, (requests.ConnectionError, ConnectionError)) or type(cause).__name__ == "ConnectionError":
        detail = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(cause))
        return (f"the vulnerability service at {where} could not be reached "
                f"({detail.group(1).strip() if detail else 'connection failed'})")
    return f"pip-audit failed: {type(cause).__name__} {cause}".strip()[:300]


def main() -> int:
    parent = _parent()
    _import_pip_audit()
    try:
        request = json.loads(_request_line(parent))
    except ValueError:
        return 2                               # no request: the review did not need this process
    pins = [(str(name), str(version)) for name, version in request["pins"]]
    try:
        answers = ask(pins, str(request["service"]), str(request["osv_url"]))
    except AuditFailed as failure:
        json.dump({"error": str(failure)}, sys.stdout)
        return 0
    json.dump({"answers": [[name, version, answer] for (name, version), answer in answers.items()]}, sys.stdout)
    return 0


def _parent() -> int:
    """The review's process, as it named itself when it started this one (PARENT_VARIABLE): it
    may have ended before this process could ask who its parent is."""
    named = os.environ.get(PARENT_VARIABLE, "")
    return int(named) if named.isdigit() else os.getppid()


def _request_line(parent: int) -> str:
    """The request's line, or "" once the process that started this one has ended without asking.

    The review starts this process first thing and may ask only after its inventory, and the
    bandit worker it forks next holds a copy of the pipe's writing end: a review killed before it
    asked leaves an input whose end never comes. So the wait also watches the parent, every
    PARENT_CHECK_SECONDS, and ends when this process has been handed to another one."""
    try:
        while not select.select([sys.stdin], [], [], PARENT_CHECK_SECONDS)[0]:
            if os.getppid() != parent:
                return ""
    except (OSError, ValueError):
        pass                                   # an input select cannot watch: read it as it comes
    return sys.stdin.readline()


def _import_pip_audit() -> None:
    """Everything `ask` needs, imported while the review is still reading the repository."""
    _answer_pip_version()
    import packaging.version  # noqa: F401
    import pip_audit._audit  # noqa: F401
    import pip_audit._service  # noqa: F401
    import requests  # noqa: F401

    _pins_source_class()


def _answer_pip_version() -> None:
    """pip-audit imports pip_api, which asks `python -m pip --version` of a second interpreter as
    it is imported (about 0.3 s of CPU, a third of the audit process's): the version of the pip
    distribution installed beside this interpreter, the one `python -m pip` runs, is the same
    answer. When pip_api is pointed at another interpreter (PIPAPI_PYTHON_LOCATION), it asks."""
    if "PIPAPI_PYTHON_LOCATION" in os.environ or "pip_api" in sys.modules:
        return
    try:
        installed = distribution_version("pip")
    except PackageNotFoundError:
        return                                 # pip_api's own question fails the same way it always did
    answer = types.ModuleType("pip_api._version")
    answer.version = lambda: installed         # type: ignore[attr-defined]
    sys.modules["pip_api._version"] = answer


def exit_now(code: int) -> None:
    """End the process once its answer is written, without the interpreter's teardown.

    The review reads the answer until the end of the output, which comes when the process ends:
    tearing down the ~460 modules pip-audit and requests load took 75-100 ms after the last byte
    was written, all of it waited for at the end of a pull request review. Nothing is left to do
    by then (the audit's threads are joined, its cache directories removed), so the output is
    flushed and the process leaves at once."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
