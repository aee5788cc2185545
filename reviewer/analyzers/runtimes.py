"""Runtime declarations judged against AWS's runtime lifecycle on the reference date (LR100–LR106).

Functions that share one declaration (a SAM `Globals` runtime, a template parameter) get one
finding on that line that names them all, rather than one identical comment per function.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from typing import Iterable, Iterator

from markupsafe import Markup

from reviewer.analyzers.function_lists import FunctionList, function_list
from reviewer.analyzers.interface import AnalysisContext
from reviewer.data.lifecycle import (
    LifecycleTable, RuntimeLifecycle, RuntimeStatus, RuntimeVerdict, SuccessorKind, accepted_identifiers,
    load_lifecycle,
)
from reviewer.inventory.build_output import is_build_output
from reviewer.inventory.release_runtimes import DEFAULT_OF, FOLLOWS, RELEASE, RELEASE_LOCATION, later_step
from reviewer.inventory.spelling import ENVIRONMENT_RUNTIME, runtime_replaced
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location
from reviewer.rules import LR100, LR101, LR102, LR103, LR104, LR105, LR106, Rule
from reviewer.wording import finding_message
from reviewer.workspace import UnreadableFile, Workspace

# The messages' words: templates/findings/runtimes.md.j2.
MESSAGES = "runtimes"


class RuntimeLifecycleAnalyzer:
    name = "runtimes"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        table = load_lifecycle()
        day = context.settings.reference_date
        for (location, runtime), functions in _group_by_declaration(context.inventory.functions).items():
            judge = _Judgement(runtime, location, functions, table, day, context.workspace)
            yield from judge.findings(context.settings.runtime_warning_days)
        for (location, runtime, environment), functions in _group_by_environment(context.inventory.functions).items():
            judge = _Judgement(runtime, location, functions, table, day, context.workspace, environment)
            yield from judge.findings(context.settings.runtime_warning_days)
        yield from _manual_updates(context.inventory.functions)
        yield from _container_base_images(context.inventory.functions, table, day,
                                          context.settings.runtime_warning_days, context.workspace)


def _is_image(function: Function) -> bool:
    return function.package_type.lower() == "image"


def _group_by_declaration(functions: list[Function], images: bool = False
                          ) -> dict[tuple[Location, str], list[Function]]:
    """Functions by the line that declares their runtime; .zip functions, or image ones (LR106)."""
    groups: dict[tuple[Location, str], list[Function]] = defaultdict(list)
    for function in functions:
        if function.runtime is None or _is_image(function) != images:
            continue
        groups[(runtime_declaration(function), function.runtime)].append(function)
    return groups


def _group_by_environment(functions: list[Function]) -> dict[tuple[Location, str, str], list[Function]]:
    """.zip functions by the line that passes another deployment environment's runtime (a SAM CLI
    configuration's `[prod.deploy.parameters]`), that runtime and the environment: `sam deploy
    --config-env prod` deploys it, so it is judged as the default's is."""
    groups: dict[tuple[Location, str, str], list[Function]] = defaultdict(list)
    for function in functions:
        if _is_image(function):
            continue
        for environment, runtime in sorted(function.runtime_by_environment.items()):
            location = function.locations.get(ENVIRONMENT_RUNTIME + environment)
            if location is not None:
                groups[(location, runtime, environment)].append(function)
    return groups


def runtime_declaration(function: Function) -> Location:
    """The line a function's runtime findings are placed on: where its runtime is written (a
    constant's module for a runtime imported from one; the lock file or pin of the aws-cdk-lib
    release that names a `Runtime.NODEJS_LATEST`, which decides it for every function of the app),
    else the function's own line. The review
    reads it too, to know a runtime finding that only moved file (reviewer.review.runtime_moves)."""
    return function.locations.get(RELEASE_LOCATION) or function.locations.get("Runtime.Default") \
        or function.where("Runtime")


# Verdicts after which AWS no longer patches the runtime, its operating system included.
_UNPATCHED = frozenset({RuntimeVerdict.DEPRECATED, RuntimeVerdict.CREATE_BLOCKED, RuntimeVerdict.UPDATE_BLOCKED})

# `PYTHON3_VERSION`, `{{runtime}}`, `<runtime>`, `__RUNTIME__`, `%RUNTIME%`: text a setup script replaces.
_PLACEHOLDER = re.compile(r"^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|\{\{.*\}\}|<[^<>]+>|__\w+__|%\w+%|@\w+@|#\{.*\})$")


def _is_placeholder(runtime: str) -> bool:
    return bool(_PLACEHOLDER.match(runtime.strip()))


def _used_by(message: str, functions: list[Function], environment: str | None = None) -> str:
    """The message, followed by the names of the functions when a declaration is shared: with the
    runtimes other environments deploy, or, for one of them (`environment`), the default's."""
    listed = function_list(functions) if len(functions) > 1 else FunctionList(())
    if environment is not None:
        defaults = sorted({fn.runtime for fn in functions if fn.runtime is not None})
        return finding_message(MESSAGES, "used_by", message=Markup(message), names=listed.named, more=listed.more,
                               environment=environment, defaults=defaults)
    elsewhere = sorted({pair for fn in functions for pair in fn.runtime_by_environment.items()})
    return finding_message(MESSAGES, "used_by", message=Markup(message), names=listed.named, more=listed.more,
                           elsewhere=elsewhere)


class _Judgement:
    """The verdict for one runtime declaration, shared by the functions that use it."""

    def __init__(self, runtime: str, location: Location, functions: list[Function],
                 table: LifecycleTable, day: dt.date, workspace: Workspace, environment: str | None = None) -> None:
        self.runtime = runtime
        self.environment = environment   # another deployment environment's runtime, passed at `location`
        self.location = location
        self.functions = functions
        self.table = table
        self.day = day
        self.workspace = workspace
        self.entry = table.get(runtime)
        # A function a library adds itself (CDK's S3 notifications handler): its runtime is the
        # library's, so the way out is an upgrade of the library, not a line of this file.
        added = {function.added_by for function in functions}
        self.added_by = added.pop() if len(added) == 1 else None
        # A runtime an aws-cdk-lib release names (`Runtime.NODEJS_LATEST`): (constant, release).
        named = {(function.properties.get(FOLLOWS), function.properties.get(RELEASE)) for function in functions}
        follows, release = named.pop() if len(named) == 1 else (None, None)
        self.release = (follows, release) if isinstance(follows, str) and isinstance(release, str) else None
        # A construct's fixed default (`GoFunction` without `runtime`): the call line names no runtime.
        defaults = {function.properties.get(DEFAULT_OF) for function in functions}
        default_of = defaults.pop() if len(defaults) == 1 else None
        self.default_of = default_of if isinstance(default_of, str) else None

    def successor(self, entry: RuntimeLifecycle) -> dict[str, object]:
        """The successor's lifecycle and what moving to it takes, for the message's last sentence
        (the library to upgrade, for a function a library adds)."""
        successor = self.table.get(entry.successor) if entry.successor else None
        kind = entry.successor_kind(successor) if successor is not None else None
        return {"successor": successor, "kind": kind.value if kind is not None else None, "added_by": self.added_by,
                "several": len(self.functions) > 1}

    def finding(self, rule: Rule, message: str, suggestion: str | None = None,
                severity: Severity | None = None) -> Finding:
        if self.release is not None:
            constant, version = self.release
            message = finding_message(MESSAGES, "from_release", constant=constant, version=version,
                                      runtime=self.runtime, message=Markup(message),
                                      upgrade=later_step(constant, version, self.runtime))
        if self.default_of is not None:
            message = finding_message(MESSAGES, "construct_default", construct=self.default_of,
                                      runtime=self.runtime, message=Markup(message), several=len(self.functions) > 1)
        return rule.finding(
            _used_by(message, self.functions, self.environment), self.location.path, self.location.line,
            severity=severity,
            function=self.functions[0].name if len(self.functions) == 1 else None,
            functions=tuple(function.name for function in self.functions) if len(self.functions) > 1 else (),
            evidence=f"runtime={self.runtime}", suggestion=suggestion,
        )

    def findings(self, warning_days: int) -> Iterator[Finding]:
        entry = self.entry
        # Every .zip runtime of the table is in botocore's enum (tests/test_lifecycle_data.py), so
        # botocore's service model, a quarter of a second to load, is read only for the others.
        listed = entry is not None and entry.zip_supported
        if not listed and self.runtime not in accepted_identifiers():
            yield self.unknown()
            return
        if entry is None or not entry.managed:
            return
        if not entry.zip_supported:
            yield self.unknown()
            return
        verdict = entry.verdict(self.day, warning_days)
        if verdict in (RuntimeVerdict.UPDATE_BLOCKED, RuntimeVerdict.CREATE_BLOCKED):
            yield self.blocked(entry, entry.status_on(self.day))
        elif verdict is RuntimeVerdict.DEPRECATED:
            yield self.deprecated(entry)
        elif verdict is RuntimeVerdict.DEPRECATING_SOON:
            yield self.deprecating_soon(entry)
        # LR104 says Lambda still patches the operating system, which stops at deprecation: on a
        # deprecated OS-only runtime (`provided`, `provided.al2` after 2026-07-31) it would contradict
        # the LR100/LR101 beside it, whose advice (move to the successor) already covers the function.
        if entry.os_only and verdict not in _UNPATCHED:
            yield self.os_only(entry)

    def unknown(self) -> Finding:
        if _is_placeholder(self.runtime):
            return self.finding(LR103, finding_message(MESSAGES, "placeholder", runtime=self.runtime),
                                severity=Severity.NOTICE)
        plugins = sorted({plugin for function in self.functions for plugin in function.properties.get("plugins", ())})
        if plugins:
            return self.finding(LR103, finding_message(MESSAGES, "plugins", runtime=self.runtime, plugins=plugins,
                                                       several=len(self.functions) > 1),
                                severity=Severity.NOTICE)
        close = difflib.get_close_matches(self.runtime, self.table.supported_zip_identifiers(self.day), n=3,
                                          cutoff=0.6)
        image_only = self.entry is not None and not self.entry.zip_supported
        return self.finding(LR103, finding_message(MESSAGES, "unknown", runtime=self.runtime, image_only=image_only,
                                                   close=close))

    def blocked(self, entry: RuntimeLifecycle, status: RuntimeStatus) -> Finding:
        return self.finding(LR101, finding_message(MESSAGES, "blocked", runtime=self.runtime, entry=entry,
                                                   update_blocked=status is RuntimeStatus.UPDATE_BLOCKED,
                                                   **self.successor(entry)),
                            self.suggestion(entry))

    def deprecated(self, entry: RuntimeLifecycle) -> Finding:
        return self.finding(LR100, finding_message(MESSAGES, "deprecated", runtime=self.runtime, entry=entry,
                                                   **self.successor(entry)),
                            self.suggestion(entry))

    def deprecating_soon(self, entry: RuntimeLifecycle) -> Finding:
        days = (entry.deprecated - self.day).days if entry.deprecated else 0
        return self.finding(LR102, finding_message(MESSAGES, "deprecating_soon", runtime=self.runtime, entry=entry,
                                                   days=days, **self.successor(entry)),
                            self.suggestion(entry))

    def os_only(self, entry: RuntimeLifecycle) -> Finding:
        return self.finding(LR104, finding_message(MESSAGES, "os_only", runtime=self.runtime, os=entry.os,
                                                   several=len(self.functions) > 1))

    def suggestion(self, entry: RuntimeLifecycle) -> str | None:
        """The declaration line with the successor in place, when that is a one-token change.

        None for an OS-only successor of a language runtime (go1.x): the package must first be
        rebuilt around a `bootstrap` executable, and the runtime line alone would break the function.
        """
        successor = self.table.get(entry.successor) if entry.successor else None
        if successor is None or is_build_output(self.location.path) or self.added_by is not None \
                or self.release is not None or self.default_of is not None:   # no line writes the runtime
            return None  # a generated file (a synthesized template) is regenerated from its source, not edited
        if entry.successor_kind(successor) is SuccessorKind.OS_ONLY:
            return None
        try:
            text = self.workspace.read_text(self.location.path)
        except UnreadableFile:
            return None
        lines = text.splitlines()
        if not 0 < self.location.line <= len(lines):
            return None
        return runtime_replaced(lines[self.location.line - 1], self.runtime, successor.identifier, text)


def _manual_updates(functions: list[Function]) -> Iterator[Finding]:
    for function in functions:
        if (function.update_runtime_on or "").lower() != "manual":
            continue
        location = function.where("RuntimeManagementConfig")
        yield LR105.finding(
            finding_message(MESSAGES, "manual_updates", function=function.name),
            location.path, location.line, function=function.name, evidence="UpdateRuntimeOn=Manual",
        )


def _container_base_images(functions: list[Function], table: LifecycleTable, day: dt.date,
                           warning_days: int, workspace: Workspace) -> Iterator[Finding]:
    """LR106: an image function's runtime is its AWS base image, judged by the runtime lifecycle.

    Block dates govern the `Runtime` of .zip functions, so an image is never an error here: it
    still deploys, but after deprecation AWS no longer patches the base image it is built from.
    """
    rule = LR106
    for (location, runtime), group in _group_by_declaration(functions, images=True).items():
        entry = table.get(runtime)
        if entry is None or not entry.managed or entry.deprecated is None:
            continue
        days_left = (entry.deprecated - day).days
        if days_left > warning_days:
            continue
        image = group[0].properties.get("BaseImage") or entry.base_image or runtime
        severity = rule.severity if days_left <= 0 else Severity.NOTICE
        successor = table.get(entry.successor) if entry.successor else None
        what = finding_message(MESSAGES, "base_image", image=image, runtime=runtime, entry=entry, days_left=days_left,
                               successor=successor if successor is not None and successor.base_image else None,
                               several=len(group) > 1)
        yield rule.finding(
            _used_by(what, group), location.path, location.line, severity=severity, end_line=location.end_line,
            function=group[0].name if len(group) == 1 else None, evidence=f"base-image runtime={runtime}",
            functions=tuple(function.name for function in group) if len(group) > 1 else (),
            suggestion=_base_image_suggestion(workspace, location, entry, successor),
        )


def _base_image_suggestion(workspace: Workspace, location: Location, entry: RuntimeLifecycle,
                           successor: RuntimeLifecycle | None) -> str | None:
    """The FROM (or ARG) line with the successor's tag, when the tag is one plain token there.

    Digest-pinned and dated tags get no suggestion: replacing the tag alone would leave a digest
    or patch date that belongs to the old image. Nor does an OS-only successor of a language image
    (go:1 → provided:al2023): it starts a `bootstrap` the old build does not make.
    """
    if successor is not None and entry.successor_kind(successor) is SuccessorKind.OS_ONLY:
        return None
    old, new = _image_tag(entry.base_image), _image_tag(successor.base_image if successor else None)
    if old is None or new is None or location.end_line not in (None, location.line):
        return None
    try:
        lines = workspace.read_text(location.path).splitlines()
    except UnreadableFile:
        return None
    if not 0 < location.line <= len(lines) or "@sha256:" in lines[location.line - 1]:
        return None
    line = lines[location.line - 1]
    if old[0] == new[0]:
        token = re.compile(r"(?<![\w.-])" + re.escape(old[1]) + r"(?=$|[\s\"'}@]|-(?:x86_64|arm64)\b)")
        replacement = new[1]
    else:  # a repository that changes with the tag
        token = re.compile(r"(?<=[/-])" + re.escape(f"{old[0]}:{old[1]}") + r"(?=$|[\s\"'@]|-(?:x86_64|arm64)\b)")
        replacement = f"{new[0]}:{new[1]}"
    if len(token.findall(line)) != 1:
        return None
    return token.sub(replacement, line)


def _image_tag(base_image: str | None) -> tuple[str, str] | None:
    """public.ecr.aws/lambda/python:3.14 → ("python", "3.14")."""
    match = re.fullmatch(r"[^\s]*/lambda/(\w+):([\w.-]+)", base_image or "")
    return (match[1], match[2]) if match else None
