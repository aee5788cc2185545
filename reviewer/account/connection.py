"""One boto3 session per account, clients with adaptive retries, and a count of every API call.

The count comes from botocore's own events: `before-parameter-build` once per API operation
(emitted before any handler can answer the call instead of the endpoint), `before-send` once per
HTTP request (so retries are counted too). It is what the JSON report prints, and what
tests hold against the read-only IAM policy in examples/.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

# Lambda's default ListFunctions page is 50; concurrency stays well under the client's pool.
MAX_WORKERS = 8
_RETRIES: dict[str, Any] = {"mode": "adaptive", "max_attempts": 10}


@dataclass
class ApiCalls:
    """Thread-safe tally of API operations (`calls`) and HTTP requests including retries (`requests`)."""

    calls: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def watch(self, client: Any) -> Any:
        client.meta.events.register("before-parameter-build", self._on_call)
        client.meta.events.register("before-send", self._on_send)
        return client

    def _on_call(self, event_name: str, **_: Any) -> None:
        # before-parameter-build.<service>.<Operation>
        _event, service, operation = event_name.split(".", 2)
        with self._lock:
            self.calls[f"{service}:{operation}"] += 1

    def _on_send(self, **_: Any) -> None:
        with self._lock:
            self.requests += 1

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def to_json(self, functions: int) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "calls": self.total_calls,
            "per_function": round(self.requests / functions, 2) if functions else None,
            "by_operation": dict(sorted(self.calls.items())),
        }


@dataclass
class Connection:
    """How to reach one account: a boto3 session, the endpoint (any Lambda-compatible one) and the tally."""

    session: boto3.session.Session
    calls: ApiCalls
    endpoint_url: str | None = None

    def client(self, service: str, region: str) -> Any:
        config = Config(retries=_RETRIES, max_pool_connections=MAX_WORKERS * 2, user_agent_extra="lambda-review")
        return self.calls.watch(self.session.client(service, region_name=region, endpoint_url=self.endpoint_url,
                                                    config=config))

    def with_credentials(self, credentials: dict[str, Any]) -> Connection:
        """The same endpoint and tally, as the role whose temporary credentials are given."""
        session = boto3.session.Session(
            aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials.get("SessionToken"), region_name=self.session.region_name,
        )
        return Connection(session, self.calls, self.endpoint_url)


def connect(profile: str | None = None, endpoint_url: str | None = None,
            session: boto3.session.Session | None = None) -> Connection:
    """The default credential chain (environment, profile, OIDC web identity, instance role)."""
    return Connection(session or boto3.session.Session(profile_name=profile), ApiCalls(), endpoint_url)
