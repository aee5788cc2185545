"""The contract of an analyzer: inventory and workspace in, findings out."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Protocol, runtime_checkable

from reviewer.code.source_changes import changes_read_code, shared_code_changes
from reviewer.config import Settings
from reviewer.inventory.interface import InventoryResult
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.workspace import Workspace

if TYPE_CHECKING:
    from reviewer.progress import Progress


@dataclass(frozen=True)
class ChangeFocus:
    """The paths a pull request changes: the expensive engines analyse only the functions they touch.

    A function is touched when the file that declares it, any file a property of it is read from
    (`Function.locations`) or any file declaring one of its triggers changed, or when a changed
    path lies under its code path or under a folder its layers put on the import path
    (`Function.layer_paths`, whose modules its code imports) or under a folder or file its image
    copies onto the task root (`Function.task_root_copies`), or a dependency file its image
    installs changed (`Function.image_dependency_files`), or its image's Dockerfile, or a file its
    declaration reads changed (`Function.declaration_inputs`: a Serverless `${file(...)}`, a CDK
    settings or helper module, the files of a Terraform module declaring it). A file of
    an image's build context that its Dockerfile does not copy (`PackageContents.image`) is no
    code of the function. The same paths decide on the head and on the base, so an untouched
    function gives no engine findings on either side and nothing looks new that is not.
    """

    changed_paths: frozenset[str]
    # The answer per function (by identity, the function kept alive beside it): every analyzer
    # asks about every function, some several times, and the answer never changes within a run.
    _answers: dict[int, tuple[Function, bool]] = field(default_factory=dict, init=False, compare=False,
                                                       repr=False)
    # How many answers were worked out (not remembered): what the tests count.
    computed: list[int] = field(default_factory=lambda: [0], init=False, compare=False, repr=False)

    def touches(self, function: Function) -> bool:
        known = self._answers.get(id(function))
        if known is not None and known[0] is function:
            return known[1]
        self.computed[0] += 1
        answer = self._touches(function)
        self._answers[id(function)] = (function, answer)
        return answer

    def _touches(self, function: Function) -> bool:
        if function.location.path in self.changed_paths:
            return True
        if any(location.path in self.changed_paths for location in function.locations.values()):
            return True
        if any(trigger.location.path in self.changed_paths for trigger in function.triggers):
            return True
        if any(path in self.changed_paths for path in (*function.image_dependency_files,
                                                        *function.declaration_inputs)):
            return True
        dockerfile = function.properties.get("Dockerfile")
        if isinstance(dockerfile, str) and dockerfile in self.changed_paths:
            return True
        image = function.package_contents if function.package_contents and function.package_contents.image else None
        for folder in (function.code_path, *function.layer_paths, *(path for path, _ in function.task_root_copies)):
            if not folder:
                continue
            code_path = posixpath.normpath(folder.replace("\\", "/")).lstrip("/")
            prefix = "" if code_path == "." else code_path + "/"
            if any((path == code_path or path.startswith(prefix)) and (image is None or image.holds(path))
                   for path in self.changed_paths):
                return True
        return False

    def touches_path(self, path: str) -> bool:
        return path in self.changed_paths


# The engines that work outside the interpreter, by the name their status is kept under.
BANDIT_ENGINE = "bandit"
AUDIT_ENGINE = "pip-audit"


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine (bandit, pip-audit) ran on a scan, and why not when it did not.

    `ran`: it analysed what the scan gave it. `skipped`: it had nothing to do, or a setting
    switched it off (`setting` names its key: `audit`, `severity`). `failed`: it could not run; `notice` is the LR900 finding
    that says so, which stays among the findings (the fail-closed signal) while the summary
    learns from here that the engine did not run. `reason` is plain text, for people and logs.
    """

    state: Literal["ran", "skipped", "failed"]
    reason: str = ""
    setting: str | None = None
    notice: Finding | None = None


ENGINE_RAN = EngineStatus("ran")


@dataclass
class AnalysisContext:
    """Everything an analyzer reads: the workspace, the inventory, the settings and, on a pull request, its focus."""

    workspace: Workspace
    inventory: InventoryResult
    settings: Settings
    # None: everything is analysed (push, schedule, `scan`); set on a pull request review.
    focus: ChangeFocus | None = None
    # Where a person at a terminal sees the scan move; None when nobody watches.
    progress: "Progress | None" = None
    # The handler code each (code directory, handler) loads, and what was read of it: the
    # recursion and /tmp checks read the same modules, one after the other on the scan's thread.
    code_cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    # Python files under a code path that no function ships (tests, scripts), with the reason:
    # not analysed, and counted in the report so a reader knows what was left out.
    left_out: dict[str, str] = field(default_factory=dict)
    # Engine name (BANDIT_ENGINE, AUDIT_ENGINE) → whether it ran, filled by the analyzers that run them.
    engine_status: dict[str, EngineStatus] = field(default_factory=dict)
    # Work waiting for the function pass (reviewer.analyzers.function_pass); None: no pass is
    # coming (an analyzer run on its own), and such work runs at once.
    after_pass: list[Callable[[], None]] | None = field(default=None, repr=False)
    # `in_focus`'s answers for the functions the focus does not touch itself (by identity, as `ChangeFocus`).
    _source_changes: dict[int, tuple[Function, bool]] = field(default_factory=dict, init=False, repr=False)

    def after_function_pass(self, work: Callable[[], None]) -> None:
        """Run `work` on this thread once every function's code has been read, or now."""
        if self.after_pass is None:
            work()
        else:
            self.after_pass.append(work)

    def report(self, analyzer: str, detail: str) -> None:
        """What an analyzer works on, for the progress line (`480 files`)."""
        if self.progress is not None:
            self.progress.detail(analyzer, detail)

    def in_focus(self, function: Function) -> bool:
        """Whether the expensive checks (bandit, dependency audit, /tmp, recursion) start from this function:
        the focus touches it, or the change edits code the review reads for it outside the folders
        its declaration names (`changes_read_code`: the source its package is built from elsewhere,
        the source folder its TypeScript build mirrors, a module its handler imports), which only
        the code's reading finds."""
        if self.focus is None or self.focus.touches(function):
            return True
        known = self._source_changes.get(id(function))
        if known is not None and known[0] is function:
            return known[1]
        answer = changes_read_code(self.workspace, function, self.focus.changed_paths, self._changed_folders,
                                   self._shared_changes, self.code_cache)
        self._source_changes[id(function)] = (function, answer)
        return answer

    @cached_property
    def _changed_folders(self) -> set[str]:
        """The folders of the focus's changed paths (with "."), for `in_focus`."""
        paths = self.focus.changed_paths if self.focus is not None else frozenset()
        return {posixpath.dirname(path) or "." for path in paths} | {
            parent for path in paths for parent in _ancestors(posixpath.dirname(path))}

    @cached_property
    def _shared_changes(self) -> frozenset[str]:
        """The changed JavaScript/TypeScript files no function's folder holds, for `in_focus`."""
        paths = self.focus.changed_paths if self.focus is not None else frozenset()
        return shared_code_changes(self.workspace, self.inventory.functions, paths)

    @property
    def focused_functions(self) -> list[Function]:
        return [function for function in self.inventory.functions if self.in_focus(function)]

    @cached_property
    def _touched_names(self) -> frozenset[str]:
        return frozenset(function.name for function in self.focused_functions)

    def in_focus_file(self, rel: str, owners: Iterable[str]) -> bool:
        """Whether an engine reads a file: a touched function ships it, or the change edits it."""
        if self.focus is None or self.focus.touches_path(rel):
            return True
        return any(name in self._touched_names for name in owners)


class Analyzer(Protocol):
    """One concern (runtimes, recursion, guardrails, engines); knows nothing of GitHub or rendering."""

    name: str

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]: ...


@runtime_checkable
class PreparedAnalyzer(Analyzer, Protocol):
    """An analyzer that reads each function's code: `prepare` does one function's reading and
    keeps its small result (in `context.code_cache`), which `analyze` then finds ready.

    The orchestrator calls every such analyzer's `prepare` for one function before the next
    function's (reviewer.analyzers.function_pass), so a function's syntax trees are used by all
    of them while the run's parse cache still holds them, and need not be kept for the run.
    """

    def prepare(self, context: AnalysisContext, function: Function) -> None: ...


@runtime_checkable
class StartedAnalyzer(Analyzer, Protocol):
    """An analyzer whose work runs outside the review's interpreter (worker processes).

    `start` reads what it needs and launches the work on the calling thread; the callable it
    returns waits for the work and gives the findings (run on a thread of its own).
    """

    def start(self, context: AnalysisContext) -> Callable[[], list[Finding]]: ...


def _ancestors(folder: str) -> list[str]:
    """`a/b/c`'s folders above it, `a/b`, `a` and `.` (none for `.` itself)."""
    found = []
    while folder not in ("", "."):
        folder = posixpath.dirname(folder)
        found.append(folder or ".")
    return found
