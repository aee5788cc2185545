"""A runtime a library release names rather than the app: the facts the readers leave on a
`Function` and what the analyzers and the summary read of them, whatever the format.

aws-cdk-lib fixes `Runtime.NODEJS_LATEST` to one runtime per release (`nodejs18.x` from 2.93.0,
`nodejs22.x` from 2.211.0, ...), and `Runtime.determineLatestPythonRuntime(scope)` likewise. The
steps live in `reviewer/data/cdk_variable_runtimes.json` (sourced, with the releases it was
checked against); a reader that knows the release (the CDK reader: `cdk/variable_runtimes.py`)
names the runtime with them and marks the function, so that the runtime findings land once on the
line that fixes the release, and the summary says once which release names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from reviewer.data import load_table
from reviewer.model import Location
from reviewer.wording import sentence

# Function.properties key: the aws-cdk-lib constant or method the function's runtime follows
# (a key of the data file's `runtimes`, such as "NODEJS_LATEST").
FOLLOWS = "RuntimeFollowsCdk"
# Function.properties key: the aws-cdk-lib release that named the runtime, once it is named.
RELEASE = "CdkLibRelease"
# Function.locations key: the lock file or manifest line the release was read from.
RELEASE_LOCATION = "Runtime.Release"
# Function.properties key: the construct whose fixed default runtime the function takes, the app
# setting none (`GoFunction`: provided.al2); its runtime findings then say that setting one is the fix.
DEFAULT_OF = "RuntimeDefaultOf"
NOTES = "notes.txt.j2"
# Lock files: a release read from one is installed, from a manifest only pinned.
LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")


@dataclass(frozen=True)
class ReleaseStep:
    """From `first` on (until the next step), aws-cdk-lib names the runtime `identifier`."""

    first: str
    identifier: str


@dataclass(frozen=True)
class VariableRuntimes:
    """The data file: per constant or method, its steps in release order; the newest release checked."""

    steps: dict[str, tuple[ReleaseStep, ...]]
    newest_checked: str


@lru_cache(maxsize=1)
def load_variable_runtimes() -> VariableRuntimes:
    raw = load_table("cdk_variable_runtimes.json")
    steps = {name: tuple(ReleaseStep(step["from"], step["identifier"]) for step in listed)
             for name, listed in raw["runtimes"].items()}
    return VariableRuntimes(steps, raw["newest_checked"])


def release_key(version: str) -> tuple[int, ...] | None:
    """`2.187.0` → (2, 187, 0); None for anything that is not three numbers (a pre-release)."""
    parts = version.strip().split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def runtime_in_release(name: str, version: str) -> str | None:
    """The runtime `name` stands for in aws-cdk-lib `version`; None before the constant existed,
    past the newest release checked, or for a version that is not a plain release."""
    data = load_variable_runtimes()
    key, newest = release_key(version), release_key(data.newest_checked)
    if key is None or newest is None or key > newest:
        return None
    found = None
    for step in data.steps.get(name, ()):
        first = release_key(step.first)
        if first is not None and key >= first:
            found = step.identifier
    return found


def later_step(name: str, version: str, identifier: str) -> ReleaseStep | None:
    """The first release after `version` in which `name` stands for another runtime than `identifier`."""
    key = release_key(version)
    for step in load_variable_runtimes().steps.get(name, ()):
        first = release_key(step.first)
        if key is not None and first is not None and first > key and step.identifier != identifier:
            return step
    return None


def resolved_note(name: str, identifier: str, version: str, location: Location, locked: bool, count: int) -> str:
    """The one sentence that says which runtime the release gives, for every function it names."""
    return sentence(NOTES, "variable_runtime_named", constant=name, identifier=identifier, version=version,
                    path=location.path, line=location.line, locked=locked, count=count)


def is_lock_file(rel: str) -> bool:
    """Whether the release was read from a lock file (installed) rather than a manifest's pin."""
    return PurePosixPath(rel).name in LOCK_FILES
