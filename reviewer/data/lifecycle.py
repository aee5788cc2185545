"""The Lambda runtime lifecycle table and the identifiers Lambda accepts.

Dates live in `lambda_runtimes.json` (with sources and an as-of date), not in code: they move
often, and a reviewer must be able to see where each one came from. The list of valid
identifiers comes from botocore's Lambda service model, so a runtime AWS released after our table
was written is still recognised.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from reviewer.data import load_table


class RuntimeStatus(str, enum.Enum):
    SUPPORTED = "supported"
    DEPRECATED = "deprecated"
    CREATE_BLOCKED = "create_blocked"
    UPDATE_BLOCKED = "update_blocked"


class RuntimeVerdict(str, enum.Enum):
    """What a runtime's dates mean on a day: the one judgement the LR1xx rules and the summary's
    runtime table both read, so the two can never disagree."""

    SUPPORTED = "supported"
    DEPRECATING_SOON = "deprecating soon"
    DEPRECATED = "deprecated"
    CREATE_BLOCKED = "create blocked"
    UPDATE_BLOCKED = "update blocked"


class SuccessorKind(str, enum.Enum):
    """What moving a function to its runtime's successor takes: the advice differs for each."""

    UPGRADE = "upgrade"  # a newer version of the same language (python3.9 -> python3.14)
    NEW_OS = "new_os"  # the same language version on a newer Amazon Linux (java8 -> java8.al2023)
    # A language Lambda no longer runs itself (go1.x -> provided.al2023): the successor is an OS-only
    # runtime, which starts an executable named `bootstrap`, so changing the runtime alone breaks the function.
    OS_ONLY = "os_only"


# `java8.al2023`, `provided.al2`: the Amazon Linux release an identifier names after the language version.
_OS_SUFFIX = re.compile(r"\.al\d+$")


@dataclass(frozen=True)
class RuntimeLifecycle:
    """One runtime identifier's dates; a missing date never triggers a status."""

    identifier: str
    name: str
    family: str
    os: str
    deprecated: dt.date | None
    block_create: dt.date | None
    block_update: dt.date | None
    successor: str | None
    preview: bool
    managed: bool
    package_types: tuple[str, ...]
    source: str
    # The AWS base image for container-image functions (public.ecr.aws/lambda/<lang>:<tag>), or None.
    base_image: str | None = None

    def status_on(self, day: dt.date) -> RuntimeStatus:
        if self.block_update and self.block_update <= day:
            return RuntimeStatus.UPDATE_BLOCKED
        if self.block_create and self.block_create <= day:
            return RuntimeStatus.CREATE_BLOCKED
        if self.deprecated and self.deprecated <= day:
            return RuntimeStatus.DEPRECATED
        return RuntimeStatus.SUPPORTED

    def verdict(self, day: dt.date, warning_days: int) -> RuntimeVerdict:
        """The status on `day`, with "deprecating soon" once deprecation is `warning_days` away."""
        status = self.status_on(day)
        if status is not RuntimeStatus.SUPPORTED:
            return RuntimeVerdict(status.value.replace("_", " "))
        if self.deprecated and (self.deprecated - day).days <= warning_days:
            return RuntimeVerdict.DEPRECATING_SOON
        return RuntimeVerdict.SUPPORTED

    @property
    def os_only(self) -> bool:
        return self.family == "provided"

    @property
    def zip_supported(self) -> bool:
        return "Zip" in self.package_types

    def successor_kind(self, successor: RuntimeLifecycle) -> SuccessorKind:
        """How `successor` differs from this runtime: another language version, another OS, or OS-only."""
        if successor.os_only and not self.os_only:
            return SuccessorKind.OS_ONLY
        if _OS_SUFFIX.sub("", self.identifier) == _OS_SUFFIX.sub("", successor.identifier):
            return SuccessorKind.NEW_OS
        return SuccessorKind.UPGRADE


@dataclass(frozen=True)
class LifecycleTable:
    """AWS's runtime lifecycle as of a date, with the pages it was taken from."""

    as_of: dt.date
    sources: tuple[str, ...]
    runtimes: dict[str, RuntimeLifecycle]

    def supported_zip_identifiers(self, day: dt.date) -> list[str]:
        """Identifiers a .zip function may use on `day`: managed, GA and not yet deprecated."""
        return sorted(entry.identifier for entry in self.runtimes.values()
                      if entry.managed and not entry.preview and entry.zip_supported
                      and entry.status_on(day) is RuntimeStatus.SUPPORTED)

    def get(self, identifier: str) -> RuntimeLifecycle | None:
        return self.runtimes.get(identifier)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def load_lifecycle() -> LifecycleTable:
    raw = load_table("lambda_runtimes.json")
    runtimes = {
        row["identifier"]: RuntimeLifecycle(
            identifier=row["identifier"], name=row.get("name") or row["identifier"],
            family=row["family"], os=row.get("os") or "",
            deprecated=_date(row.get("deprecated")), block_create=_date(row.get("block_create")),
            block_update=_date(row.get("block_update")), successor=row.get("successor"),
            preview=bool(row.get("preview")), managed=bool(row.get("managed", True)),
            package_types=tuple(row.get("package_types") or ("Zip",)), source=row.get("source") or "",
            base_image=row.get("base_image"),
        )
        for row in raw["runtimes"]
    }
    return LifecycleTable(as_of=dt.date.fromisoformat(raw["as_of"]), sources=tuple(raw.get("sources", ())),
                          runtimes=runtimes)


@lru_cache(maxsize=1)
def accepted_identifiers() -> frozenset[str]:
    """Every value of the `Runtime` enum in botocore's Lambda service model."""
    from botocore.loaders import create_loader

    model = create_loader().load_service_model("lambda", "service-2")
    return frozenset(model["shapes"]["Runtime"]["enum"])
