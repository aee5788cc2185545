"""Runtimes that aws-cdk-lib names differently from one release to the next, named from the release
the app builds with.

`Runtime.NODEJS_LATEST` is not a runtime of its own: each aws-cdk-lib release fixes it to one, and
so does `Runtime.determineLatestPythonRuntime(scope)` (`inventory/release_runtimes.py` holds the
steps). Which one a function gets is therefore known from the release the app's lock file or
exact pin names (`cdk/library_version.py`). A range or no pin at all leaves the runtime
unresolved, with one reason that says what it depends on (the same reason for every function of
the app, which the summary then says once).

The readers mark such a function with `FOLLOWS` (`Function.properties`); this module runs once
over the CDK format's functions, after every reader is done, and reads each app's files once.
"""

from __future__ import annotations

from typing import Callable

from reviewer.inventory.cdk.library_version import LibraryVersion, library_version
from reviewer.inventory.release_runtimes import (
    FOLLOWS, NOTES, RELEASE, RELEASE_LOCATION, load_variable_runtimes, release_key, runtime_in_release,
)
from reviewer.model import Function, Location
from reviewer.wording import sentence
from reviewer.workspace import Workspace


def resolve_variable_runtimes(workspace: Workspace, functions: list[Function],
                              app_root_of: Callable[[str], str | None]) -> None:
    """Name the runtime of each marked function from its app's aws-cdk-lib release, or say why not."""
    releases: dict[str, LibraryVersion] = {}
    for function in functions:
        name = function.properties.get(FOLLOWS)
        if not isinstance(name, str) or function.runtime is not None:
            continue
        root = app_root_of(function.location.path) or "."
        if root not in releases:
            releases[root] = library_version(workspace, root)
        release = releases[root]
        identifier = runtime_in_release(name, release.version) if release.version else None
        if identifier is not None and release.path is not None:
            function.runtime = identifier
            function.unresolved.pop("Runtime", None)
            function.properties[RELEASE] = release.version
            function.locations[RELEASE_LOCATION] = Location(release.path, release.line or 1)
        else:
            function.unresolved["Runtime"] = unresolved_reason(name, release)


def unresolved_reason(name: str, release: LibraryVersion) -> str:
    """Why the release does not name the runtime: a range, no pin, or a release outside the data."""
    data = load_variable_runtimes()
    steps = [(step.identifier, step.first) for step in data.steps.get(name, ())]
    first = steps[0][1] if steps else None
    before = release.version is not None and first is not None and \
        (release_key(release.version) or (0,)) < (release_key(first) or (0,))
    return sentence(NOTES, "variable_runtime_unknown", constant=name, version=release.version,
                    written=release.written, path=release.path, steps=steps, newest=data.newest_checked, before=before)
