"""Bounded retries of GitHub writes that never duplicate a write.

PyGithub retries a POST after a 5xx on its own, which can post a review twice when the first
one landed and only the answer was lost; it does not retry PATCH at all. Writes therefore go
through this class: 403/429 rate limits wait for `Retry-After` or the rate-limit reset, 5xx
answers back off exponentially, and after a 5xx a `landed` check looks for the write (by our
marker) before trying again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, TypeVar, overload

from github import GithubException

T = TypeVar("T")

_RATE_LIMIT_WORDS = ("rate limit", "abuse detection", "secondary rate")


def _header(exc: GithubException, name: str) -> str | None:
    headers = exc.headers or {}
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def is_rate_limited(exc: GithubException) -> bool:
    if exc.status == 429:
        return True
    if exc.status != 403:
        return False
    if _header(exc, "retry-after") is not None or _header(exc, "x-ratelimit-remaining") == "0":
        return True
    message = str((exc.data or {}).get("message", "") if isinstance(exc.data, dict) else exc.data).lower()
    return any(word in message for word in _RATE_LIMIT_WORDS)


@dataclass
class WriteRetry:
    """How GitHub writes are retried: attempts, delays, and the waits rate limits ask for."""

    attempts: int = 4
    base_delay: float = 1.0
    max_wait: float = 300.0
    secondary_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time

    def wait_for(self, exc: GithubException, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when the error is final."""
        if is_rate_limited(exc):
            retry_after = _header(exc, "retry-after")
            if retry_after is not None and retry_after.strip().isdigit():
                wait = float(retry_after)
            elif _header(exc, "x-ratelimit-remaining") == "0" and (_header(exc, "x-ratelimit-reset") or "").isdigit():
                wait = max(0.0, float(_header(exc, "x-ratelimit-reset") or 0) - self.clock()) + 1
            else:
                wait = self.secondary_wait * (2 ** attempt)
        elif exc.status >= 500:
            wait = self.base_delay * (2 ** attempt)
        else:
            return None
        return wait if wait <= self.max_wait else None

    @overload
    def run(self, action: Callable[[], T], landed: None = None) -> T: ...

    @overload
    def run(self, action: Callable[[], T], landed: Callable[[], bool]) -> T | None: ...

    def run(self, action: Callable[[], T], landed: Callable[[], bool] | None = None) -> T | None:
        """Run a write; returns None when a lost answer is found to have landed after all."""
        for attempt in range(self.attempts):
            try:
                return action()
            except GithubException as exc:
                wait = self.wait_for(exc, attempt)
                if wait is None or attempt == self.attempts - 1:
                    raise
                if exc.status >= 500 and landed is not None and _safely(landed):
                    return None
                self.sleep(wait)
        raise AssertionError("unreachable")


def _safely(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except GithubException:
        return False
