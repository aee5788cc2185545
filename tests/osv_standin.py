"""A loopback OSV API that serves real advisory records, for pip-audit to query in tests.

It answers `POST /v1/query` the way api.osv.dev does (`{"vulns": [full records]}`, or `{}` when
the release is not affected) and `POST /v1/querybatch` in OSV's id-only batch shape. A release
is affected when a record's `affected[]` entry for the PyPI package lists the version or an
ECOSYSTEM range covers it. Every query is recorded, so tests can count what pip-audit asked.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

RECORDS_DIR = Path(__file__).parent / "fixtures" / "engines" / "osv"


def load_records(directory: Path = RECORDS_DIR) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))]


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    affected = False
    for event in events:
        if "introduced" in event:
            introduced = event["introduced"]
            if introduced == "0" or version >= Version(introduced):
                affected = True
        elif "fixed" in event and version >= Version(event["fixed"]):
            affected = False
        elif "last_affected" in event and version > Version(event["last_affected"]):
            affected = False
    return affected


def affects(record: dict[str, Any], name: str, version: str) -> bool:
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) != canonicalize_name(name):
            continue
        if version in affected.get("versions", []):
            return True
        try:
            parsed = Version(version)
        except InvalidVersion:
            continue
        for ranges in affected.get("ranges", []):
            if ranges.get("type") == "ECOSYSTEM" and _in_range(parsed, ranges.get("events", [])):
                return True
    return False


@dataclass
class OsvStandin:
    records: list[dict[str, Any]] = field(default_factory=load_records)
    queries: list[tuple[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    clients: list[tuple[str, int]] = field(default_factory=list)
    fail_with: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def matching(self, name: str, version: str) -> list[dict[str, Any]]:
        return [record for record in self.records if affects(record, name, version)]

    @property
    def query_counts(self) -> Counter[tuple[str, str]]:
        return Counter(self.queries)

    @property
    def connections(self) -> int:
        """Distinct client connections (keep-alive: one per pip-audit session, so per querying thread)."""
        return len(set(self.clients))

    def record(self, path: str, name: str, version: str, client: tuple[str, int] = ("", 0)) -> None:
        with self._lock:
            self.clients.append(client)
            self.paths.append(path)
            self.queries.append((canonicalize_name(name), version))


def _handler(standin: OsvStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"   # keep-alive, as api.osv.dev

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the test output
            return

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._reply(400, {"code": 3, "message": "Invalid query."})
                return
            if standin.fail_with is not None:
                self._reply(standin.fail_with, {"code": 13, "message": "internal error"})
                return
            if self.path == "/v1/query":
                name, version = payload["package"]["name"], payload["version"]
                standin.record(self.path, name, version, self.client_address[:2])
                vulns = standin.matching(name, version)
                self._reply(200, {"vulns": vulns} if vulns else {})
            elif self.path == "/v1/querybatch":
                results = []
                for query in payload.get("queries", []):
                    name, version = query["package"]["name"], query["version"]
                    standin.record(self.path, name, version, self.client_address[:2])
                    vulns = standin.matching(name, version)
                    results.append({"vulns": [{"id": v["id"], "modified": v["modified"]} for v in vulns]}
                                   if vulns else {})
                self._reply(200, {"results": results})
            else:
                self._reply(404, {"code": 5, "message": "Not Found"})

    return Handler


class RunningOsv:
    """The stand-in listening on 127.0.0.1 on a free port; `query_url` is what `--osv-url` takes."""

    def __init__(self, standin: OsvStandin) -> None:
        self.standin = standin
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def query_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1/query"

    def __enter__(self) -> "RunningOsv":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(standin: OsvStandin | None = None) -> Iterator[RunningOsv]:
    """For a pytest fixture: `yield from serve()`."""
    with RunningOsv(standin or OsvStandin()) as running:
        yield running
