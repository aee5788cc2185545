"""Known vulnerabilities in the libraries each function ships (LR500), and what cannot be audited (LR501).

Every function's code directory is read for dependency files (reviewer.code.dependency_files).
Every distinct pinned release across all functions is audited once, by pip-audit over the
de-duplicated union (reviewer.analyzers.pip_audit_engine), and each vulnerable release is
reported at every file and line that pins it, naming the functions that ship it. When the audit
cannot run, one LR900 notice says why and the rest of the review goes on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from packaging.version import Version

from markupsafe import Markup

from reviewer.analyzers.function_lists import FunctionList, name_list
from reviewer.analyzers.interface import AUDIT_ENGINE, ENGINE_RAN, AnalysisContext, EngineStatus
from reviewer.analyzers.pip_audit_engine import Advisory, AuditOutcome, start_audit
from reviewer.code.dependency_files import (INCLUDE_MARKERS, DependencyFiles, Pin, Unauditable,
                                            dependency_file_names, read_dependency_files)
from reviewer.code.dependency_names import REQUIREMENTS_NAME
from reviewer.code.ownership import code_directory, is_under, matched_source, possible_matches
from reviewer.findings import Finding, Severity, VulnerablePin
from reviewer.model import Function
from reviewer.rules import LR500, LR501, LR900
from reviewer.wording import finding_message

if TYPE_CHECKING:
    from reviewer.workspace import Workspace

# The messages' words: templates/findings/dependencies.md.j2.
MESSAGES = "dependencies"
# The evidence (so the fingerprint) of the LR900 that says the audit did not run.
AUDIT_NOT_RUN_EVIDENCE = "dependency-audit"
# pip-audit asks the service once per release, one after the other: this bounds the run's time.
MAX_AUDITED_RELEASES = 2000
_ADVISORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_LOCK_COMMANDS = {
    "poetry.lock": "poetry update {name}",
    "uv.lock": "uv lock --upgrade-package {name}",
    "Pipfile.lock": "pipenv update {name}",
}


@dataclass
class _Site:
    """One place that pins (or names) a dependency, and the functions whose code includes it."""

    item: Pin | Unauditable
    functions: set[str] = field(default_factory=set)


@dataclass
class DependencyInventory:
    """Pins and unauditable requirements of all functions, each place once."""

    pins: dict[tuple[str, int, str, str], _Site] = field(default_factory=dict)
    unauditable: dict[tuple[str, int, str], _Site] = field(default_factory=dict)
    notices: list[Finding] = field(default_factory=list)

    @property
    def distinct_pins(self) -> set[tuple[str, str]]:
        return {(site.item.name, site.item.version) for site in self.pins.values() if isinstance(site.item, Pin)}


def collect_dependencies(context: AnalysisContext) -> DependencyInventory:
    inventory = DependencyInventory()
    by_directory: dict[str, list[Function]] = defaultdict(list)
    matching = _matching_sources(context)
    for function in context.inventory.functions:
        cache = context.code_cache if matching(function) else None
        for directory in dependency_directories(context.workspace, function, cache):
            by_directory[directory].append(function)
    # Listed first and fetched together: a revision read from git answers one request per batch.
    listed = {directory: _dependency_files(context.workspace, directory) for directory in sorted(by_directory)}
    wanted = _needed_directories(context, by_directory, listed)
    context.workspace.prefetch([rel for directory, names in listed.items() if directory in wanted for rel in names])
    read = {directory: read_dependency_files(context.workspace, directory, listed[directory])
            for directory in sorted(wanted)}
    reached = {path for files in read.values() for path in _paths_of(files)}
    for directory in sorted(set(by_directory) - set(read)):
        if reached.intersection(listed[directory]):      # a file a read directory includes: all its owners
            read[directory] = read_dependency_files(context.workspace, directory, listed[directory])
    for directory, functions in sorted(by_directory.items()):
        if directory not in read:
            continue
        files: DependencyFiles = read[directory]
        names = {function.name for function in functions}
        inventory.notices.extend(files.notices)
        for pin in files.pins:
            pin_key = (pin.location.path, pin.location.line, pin.name, pin.version)
            inventory.pins.setdefault(pin_key, _Site(pin)).functions.update(names)
        for item in files.unauditable:
            item_key = (item.location.path, item.location.line, item.requirement)
            inventory.unauditable.setdefault(item_key, _Site(item)).functions.update(names)
    return inventory


def dependency_directories(workspace: Workspace, function: Function,
                           matching: dict[Any, Any] | None = None) -> list[str]:
    """The folders whose dependency files say what a function ships: its code directory, and each
    local layer's (`Function.layer_paths`): a layer built by `sam build` (a Python `BuildMethod`)
    installs the requirements of its folder, and a layer zipped with a `python/` folder is
    usually filled from the requirements beside that folder. Then each dependency file its
    image's Dockerfile installs (`Function.image_dependency_files`), a place of its own: the
    rest of its folder may be another image's. An image whose Dockerfile was read ships what
    that installs, not the dependency files beside its handler (its code folder may be that of
    zip functions too, whose `requirements.txt` the image never installs).

    A package built elsewhere (an S3 object, a zip CI builds) is built from its handler's source,
    found beside the declaration or once by its module's name (`matched_source`): that folder's
    dependency files are what it ships. It is looked for when `matching` (the scan's code cache)
    is given: a pull request gives it only for the functions `_matching_sources` names."""
    directories = []
    code = None if _dockerfile_read(function) else code_directory(workspace, function)
    if code is None and matching is not None and not _dockerfile_read(function):
        code = matched_source(workspace, function, matching)
    if code is not None:
        directories.append(code)
    for layer in function.layer_paths:
        for folder in (layer, layer.rpartition("/")[0] if layer.endswith("/python") else None):
            if folder and folder not in directories and workspace.is_dir(folder):
                directories.append(folder)
    for rel in function.image_dependency_files:
        if rel not in directories and workspace.exists(rel) and not workspace.is_dir(rel):
            directories.append(rel)
    return directories


def _matching_sources(context: AnalysisContext) -> Callable[[Function], bool]:
    """The functions whose matched source (`matched_source`) the audit looks for: all on a full
    scan. On a pull request, the touched ones, and those whose source may sit in a folder (known
    without reading a file: `possible_matches`) holding a changed file or a touched function's
    dependency files, so a pin they share names them as on a full scan; no other handler is read."""
    focus = context.focus
    if focus is None:
        return lambda function: True
    workspace, cache = context.workspace, context.code_cache
    touched = {id(function) for function in context.focused_functions}
    folders = {str(parent) for rel in focus.changed_paths for parent in PurePosixPath(rel).parents}
    folders.update(directory for function in context.focused_functions
                   for directory in dependency_directories(workspace, function, cache))

    def matching(function: Function) -> bool:
        return id(function) in touched or bool(possible_matches(workspace, function, cache) & folders)

    return matching


def _dockerfile_read(function: Function) -> bool:
    """Whether the function is an image whose Dockerfile the inventory read (its build context known)."""
    return function.package_type.lower() == "image" and "BuildContext" in function.properties


def _dependency_files(workspace: Workspace, place: str) -> list[str]:
    """The dependency files of a place `dependency_directories` names: a folder's, or the file."""
    return dependency_file_names(workspace, place) if workspace.is_dir(place) else [place]


def start_include_search(workspace: Workspace) -> None:
    """Start, before a pull request's inventory, the search `_needed_directories` asks for after it:
    which requirements files hold no include option. Which code directories it asks about is known
    only from the inventory; every requirements file of the listing is searched now (one `git grep`
    by suffix either way past a few hundred), and the workspace answers the later question about
    some of them from this search (`Workspace.lacking`), so git works while the templates are read."""
    files = [rel for rel in workspace.iter_files((".txt",)) if REQUIREMENTS_NAME.match(rel.rpartition("/")[2])]
    workspace.start_lacking(files, INCLUDE_MARKERS, any_size=True)


def _needed_directories(context: AnalysisContext, by_directory: dict[str, list[Function]],
                        listed: dict[str, list[str]]) -> set[str]:
    """The code directories whose dependency files `keep_focus` may keep something of: all of them
    on a full scan. On a pull request, a directory is left unread when none of its functions bears
    a touched function's name, none of its files is changed or lies under a touched function's
    code directory, and its requirements files include no other file (git tells, without reading
    them, that they hold no include option: `Workspace.lacking`); one whose file a read directory
    includes is read after all (`collect_dependencies`), so a kept pin names every function."""
    focus = context.focus
    if focus is None:
        return set(by_directory)
    focused = context.focused_functions
    touched = {function.name for function in focused}
    focused_directories = {directory for function in focused
                           for directory in dependency_directories(context.workspace, function, context.code_cache)}
    requirements = [rel for names in listed.values() for rel in names if REQUIREMENTS_NAME.match(rel.rpartition("/")[2])]
    # A file too large to read includes nothing either, and its notice is one `keep_focus` drops.
    including = set(requirements) - context.workspace.lacking(requirements, INCLUDE_MARKERS, any_size=True)
    return {directory for directory, functions in by_directory.items()
            if any(function.name in touched for function in functions)
            or any(focus.touches_path(rel) or rel in including
                   or any(is_under(rel, place) for place in focused_directories) for rel in listed[directory])}


def _paths_of(files: DependencyFiles) -> set[str]:
    """Every file one directory's reading read or placed something at."""
    return ({*files.files} | {pin.location.path for pin in files.pins}
            | {item.location.path for item in files.unauditable} | {notice.path for notice in files.notices})


def keep_focus(inventory: DependencyInventory, context: AnalysisContext) -> DependencyInventory:
    """On a pull request, only what the touched functions ship, and the dependency files it changed.

    Every function's files are still read (that is cheap, and a shared file keeps the full list
    of functions that ship it, so its findings look the same as on a full scan); only the audit
    and the findings are limited.
    """
    focus = context.focus
    if focus is None:
        return inventory
    touched = {function.name for function in context.focused_functions}
    directories = {directory for function in context.focused_functions
                   for directory in dependency_directories(context.workspace, function, context.code_cache)}

    def kept(site: _Site) -> bool:
        return bool(site.functions & touched) or focus.touches_path(site.item.location.path)

    return DependencyInventory(
        pins={key: site for key, site in inventory.pins.items() if kept(site)},
        unauditable={key: site for key, site in inventory.unauditable.items() if kept(site)},
        notices=[notice for notice in inventory.notices if focus.touches_path(notice.path)
                 or any(is_under(notice.path, directory) for directory in directories)],
    )


class DependencyAuditAnalyzer:
    name = "dependencies"
    engine = AUDIT_ENGINE

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        return self.start(context)()

    def start(self, context: AnalysisContext) -> Callable[[], list[Finding]]:
        """Read the dependency files and start the audit's process; the callable builds the findings.

        `audit: off` skips all of it; with LR500 off nothing is asked of the vulnerability service.
        """
        if not context.settings.audit:
            context.engine_status[AUDIT_ENGINE] = EngineStatus("skipped", "audit: off", setting="audit")
            return lambda: []
        inventory = keep_focus(collect_dependencies(context), context)
        findings: list[Finding] = list(inventory.notices)
        for site in inventory.unauditable.values():
            assert isinstance(site.item, Unauditable)
            findings.append(_not_auditable(site.item, site.item.reason, site.functions))
        if not inventory.pins:
            context.engine_status[AUDIT_ENGINE] = EngineStatus("skipped", "no pinned release to audit")
            return lambda: findings
        if context.settings.severity_for("LR500", Severity.ERROR) is None:
            context.engine_status[AUDIT_ENGINE] = EngineStatus("skipped", "LR500: off", setting="severity")
            return lambda: findings
        settings = context.settings
        releases = sorted(inventory.distinct_pins)
        context.report(self.name, f"{min(len(releases), MAX_AUDITED_RELEASES):,} releases")
        pending = start_audit(releases[:MAX_AUDITED_RELEASES], settings.vulnerability_service, settings.osv_url,
                              settings.audit_ignores())

        def finish() -> list[Finding]:
            outcome = pending.result()
            for pin in releases[MAX_AUDITED_RELEASES:]:
                outcome.skipped[pin] = finding_message(MESSAGES, "too_many_releases", limit=MAX_AUDITED_RELEASES)
            if outcome.error is not None:
                notice = _audit_not_run(outcome.error, inventory)
                context.engine_status[AUDIT_ENGINE] = EngineStatus("failed", outcome.error, notice=notice)
                return [*findings, notice]
            context.engine_status[AUDIT_ENGINE] = ENGINE_RAN
            return findings + list(self._judged(inventory, outcome))

        return finish

    @staticmethod
    def _judged(inventory: DependencyInventory, outcome: AuditOutcome) -> Iterator[Finding]:
        for site in inventory.pins.values():
            pin = site.item
            assert isinstance(pin, Pin)
            key = (pin.name, pin.version)
            if key in outcome.skipped:
                yield _not_auditable(
                    Unauditable(f"{pin.display_name or pin.name}=={pin.written or pin.version}",
                                outcome.skipped[key], pin.location, pin.name),
                    None, site.functions)
            elif outcome.advisories.get(key):
                yield _vulnerable(pin, outcome.advisories[key], site.functions)


def _shared_by(functions: set[str]) -> tuple[str, ...]:
    """The functions of a finding several share, for the summary's table; none for one."""
    return tuple(sorted(functions)) if len(functions) > 1 else ()


def _used_by(message: str, functions: set[str]) -> tuple[str | None, str]:
    """The function that ships the pin (None when several do), and the message naming them when several do."""
    names = sorted(functions)
    listed = name_list(names) if len(names) > 1 else FunctionList(())
    shipped_by = finding_message(MESSAGES, "shipped_by", message=Markup(message), names=listed.named, more=listed.more)
    return (names[0] if len(names) == 1 else None), shipped_by


def _advisory(advisory: Advisory) -> dict[str, object]:
    """What the message says of one advisory: its summary cut to one line that ends a sentence."""
    summary = " ".join(advisory.summary.split())[:400].rstrip()
    return {"id": advisory.id, "linked": bool(_ADVISORY_ID.match(advisory.id)), "aliases": advisory.aliases,
            "fix_versions": advisory.fix_versions,
            "summary": summary if not summary or summary.endswith((".", "!", "?")) else summary + "."}


def _vulnerable(pin: Pin, advisories: list[Advisory], functions: set[str]) -> Finding:
    release = f"{pin.display_name or pin.name}=={pin.version}"
    fixes = [fix for fix in (advisory.smallest_fix_above(pin.version) for advisory in advisories) if fix]
    unfixed = [advisory.id for advisory in advisories if not advisory.smallest_fix_above(pin.version)]
    target = max(fixes, key=_version_key) if fixes else None
    suggestion = _suggestion(pin, target) if target else None
    command = _LOCK_COMMANDS.get(PurePosixPath(pin.location.path).name)
    how = ("suggestion" if suggestion is not None else "lock" if pin.kind == "lock"
           else "hashed" if pin.hashed else "pin")
    message = finding_message(MESSAGES, "vulnerable", release=release, advisories=[_advisory(a) for a in advisories],
                              target=target, how=how, command=command.format(name=pin.name) if command else None,
                              unfixed=unfixed)
    function, message = _used_by(message, functions)
    return LR500.finding(
        message, pin.location.path, pin.location.line, end_line=pin.location.end_line, function=function,
        functions=_shared_by(functions), engine="pip-audit", evidence=f"{pin.name}=={pin.version}", suggestion=suggestion,
        help_url=(f"https://osv.dev/vulnerability/{advisories[0].id}"
                  if advisories and _ADVISORY_ID.match(advisories[0].id) else LR500.help_url),
        vulnerable_pin=VulnerablePin(pin.display_name or pin.name, pin.version,
                                     tuple(advisory.id for advisory in advisories), target),
    )


def _version_key(text: str) -> Version:
    return Version(text)


def _suggestion(pin: Pin, target: str) -> str | None:
    """The pinning line with the fixed release in place, when it is one line a person edits."""
    if pin.kind not in ("requirements", "pyproject", "poetry") or pin.hashed or pin.location.end_line:
        return None
    line = pin.source_line
    if not line or not pin.written:
        return None
    if pin.kind == "poetry":
        pattern = re.compile(r"(?<=[\"'])((?:==?)?\s*)" + re.escape(pin.written) + r"(?=\s*[\"'])")
    else:
        pattern = re.compile(r"(===?\s*)" + re.escape(pin.written) + r"(?![\w.!+*-])")
    if len(pattern.findall(line)) != 1:
        return None
    return pattern.sub(lambda match: match.group(1) + target, line)


def _source(item: Unauditable) -> str:
    """Where the requirement comes from, as its reason says, which decides how to make it auditable."""
    if "local path" in item.reason or "editable" in item.reason:
        return "local"
    if "VCS" in item.reason or "URL" in item.reason:
        return "remote"
    if "outside the workspace" in item.reason or "does not exist" in item.reason or "nested" in item.reason:
        return "missing"
    return "unpinned"


def _not_auditable(item: Unauditable, reason: str | None, functions: set[str]) -> Finding:
    message = finding_message(MESSAGES, "not_auditable", requirement=item.requirement, reason=reason or item.reason,
                              source=_source(item), package=item.name or "package", several=len(functions) > 1)
    function, message = _used_by(message, functions)
    return LR501.finding(
        message, item.location.path, item.location.line, end_line=item.location.end_line,
        function=function, functions=_shared_by(functions), engine="pip-audit", evidence=item.requirement,
    )


def _audit_not_run(reason: str, inventory: DependencyInventory) -> Finding:
    sites = sorted(inventory.pins.values(), key=lambda site: (site.item.location.path, site.item.location.line))
    first = sites[0].item.location
    files = sorted({site.item.location.path for site in sites})
    # Releases are counted once however many files pin them, so there can be fewer releases than files.
    message = finding_message(MESSAGES, "audit_not_run", reason=reason, releases=len(inventory.distinct_pins),
                              files=len(files))
    return LR900.finding(message, first.path, first.line, engine="pip-audit", evidence=AUDIT_NOT_RUN_EVIDENCE)
