"""What a review's base takes over from the head instead of reading it again.

A pull request review analyses the base commit only to tell which of the head's findings were
already there. Most of a monorepo is the same on both sides: a template whose bytes did not change,
whose functions' code paths and layer folders hold no changed file, declares the same functions
with the same template-level findings in the base as in the head. Such templates and code paths
are left out of the base's listing (`Workspace.hidden`; they can still be read), and the head's
findings about them count as the base's. What the base still reads in full: every changed
template, every function the change touches, every format whose declarations span files
(Terraform, CDK, Serverless: reviewer.inventory.carry_over) and everything that is not a
function's code.

Exactness is checked, not assumed: carrying over is undone (the base is read again in full) when a
head finding that is not template-level (recursion, engines, a crash) points into what was left
out, or when the base's own functions or findings do. `LAMBDA_REVIEW_CARRY_OVER=0` switches it off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reviewer.analyzers.interface import ChangeFocus
from reviewer.inventory.carry_over import (BUDGETED_SUFFIXES, YAML_ALLOWANCE, code_folders, deployment_inputs,
                                           recorded_paths, standalone_templates)
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.review import git
from reviewer.review.revision_tree import RevisionTree
from reviewer.rules import RULES
from reviewer.scan import PendingScan, ScanResult
from reviewer.workspace import Workspace

SWITCH = "LAMBDA_REVIEW_CARRY_OVER"
# Findings that depend only on a function's declaration (its template) or on one file's bytes.
_DECLARATION_ANALYZERS = frozenset({"runtimes", "iam", "exposure", "secrets", "routes", "deployment"})
_FILE_NOTICES = frozenset({"LR901", "LR902", "LR904"})
CARRIED_RULES = frozenset(rule_id for rule_id, rule in RULES.items()
                          if rule.analyzer in _DECLARATION_ANALYZERS or rule_id in _FILE_NOTICES)


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def _ancestors(path: str) -> list[str]:
    """`a/b/c` → [`a/b/c`, `a/b`, `a`]."""
    found = []
    path = path.rstrip("/")
    while path:
        found.append(path)
        path = path.rpartition("/")[0]
    return found


@dataclass
class CarryOver:
    """Templates and code paths the base leaves out, and the head's functions declared there."""

    hidden: frozenset[str]
    functions: tuple[Function, ...]
    # Names the head's other functions also bear (SAM stacks often reuse `HelloWorldFunction`):
    # a finding naming one of them is placed by its paths only.
    shared_names: frozenset[str] = frozenset()

    def covers(self, path: str) -> bool:
        return any(part in self.hidden for part in _ancestors(path))

    def mentions(self, finding: Finding, also_shared: frozenset[str] = frozenset()) -> bool:
        """Whether the finding points into what was left out: by its paths, or by the name of a
        carried function that no other function bears (`also_shared`: names the side the finding
        comes from declares outside it)."""
        if finding.function is not None and finding.function in self._names - self.shared_names - also_shared:
            return True
        return any(self.covers(path) for path in _finding_paths(finding))

    def carries(self, finding: Finding) -> bool:
        """A template-level finding wholly inside what the base left out: the base has it too."""
        return (finding.engine == "lambda-review" and finding.rule_id in CARRIED_RULES
                and (finding.function is None or finding.function in self._names)
                and all(self.covers(path) for path in _finding_paths(finding)))

    @cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(function.name for function in self.functions)

    def carried_fingerprints(self, head: ScanResult) -> set[str] | None:
        """The fingerprints the base has for what it left out; None when a head finding that
        cannot be carried over points into it (the base must then be read in full)."""
        carried: set[str] = set()
        for finding in [*head.findings, *(item.finding for item in head.suppressed)]:
            if self.carries(finding):
                carried.add(finding.fingerprint)
            elif self.mentions(finding):
                return None
        return carried

    def base_agrees(self, base: ScanResult) -> bool:
        """Whether the base read nothing of what it left out (a nested template, a file include)."""
        if any(self.covers(path) for function in base.functions for path in recorded_paths(function)):
            return False
        # a function the change removes may bear a carried function's name (`HelloWorldFunction`)
        own_names = frozenset(function.name for function in base.functions)
        return not any(self.mentions(finding, own_names)
                       for finding in [*base.findings, *(item.finding for item in base.suppressed)])


def _finding_paths(finding: Finding) -> list[str]:
    paths = [finding.path, *(place.path for place in finding.related)]
    if finding.loop is not None:
        paths.extend(edge.location.path for edge in finding.loop.edges)
    return [path for path in paths if path]


def changed_paths(root: Path, head: PendingScan, base_tree: RevisionTree) -> set[str]:
    """Every path whose bytes or mode differ between the base commit and the head (a renamed file
    under both names); an untracked directory of the checkout ends with `/`."""
    head_tree = head.workspace.tree
    if isinstance(head_tree, RevisionTree):
        return head_tree.changed_since(base_tree)
    return git.changed_in_checkout(root, base_tree.commit)


def plan_carry_over(head: PendingScan, base_tree: RevisionTree, changed: set[str],
                    focus: ChangeFocus | None) -> CarryOver | None:
    """What the base can leave out, or None when nothing can (a review of everything, a repository
    whose YAML reaches the per-scan allowance, whose parsing order then matters)."""
    workspace = head.workspace
    if focus is None or "yaml" in workspace.refused or base_tree.total_size(BUDGETED_SUFFIXES) > YAML_ALLOWANCE:
        return None
    changed = {path.rstrip("/") for path in changed}
    touched = ChangeFocus(frozenset(changed))
    changed_places = {part for path in changed for part in _ancestors(path)}    # changed paths and their folders
    reached = _reached_by_focus(head, focus)
    candidates: dict[str, tuple[list[Function], set[str]]] = {}
    for template, functions in standalone_templates(head.inventory).items():
        if any(id(function) in reached for function in functions):
            continue
        hidden = {template}
        for function in functions:
            for folder in code_folders(function):
                code = workspace.resolve(folder)
                if code is not None and workspace.exists(code):
                    hidden.add(code)
        # Nothing changed at or under what is left out, nor is one of its folders a changed path.
        if (any(entry in changed_places or any(part in changed for part in _ancestors(entry)) for entry in hidden)
                or any(path in changed for path in deployment_inputs(template))
                or "." in hidden
                or any(touched.touches(function) or focus.touches(function) for function in functions)
                or not all(any(part in hidden for part in _ancestors(path))
                           for function in functions for path in recorded_paths(function))):
            continue
        candidates[template] = (functions, hidden)
    _drop_shared(workspace, head, candidates)
    if not candidates:
        return None
    carried = [function for functions, _ in candidates.values() for function in functions]
    carried_ids = {id(function) for function in carried}
    visible_names = {function.name for function in head.inventory.functions if id(function) not in carried_ids}
    return CarryOver(frozenset(entry for _, hidden in candidates.values() for entry in hidden), tuple(carried),
                     frozenset(function.name for function in carried) & visible_names)


def _reached_by_focus(head: PendingScan, focus: ChangeFocus) -> set[int]:
    """The head's functions (by id) whose code the focused analyses may report on besides the
    touched ones, so that a template declaring one stays in the base (carrying it over would mean
    reading the base again in full when the head reports there):

    - those bearing a touched function's name: bandit's files and the audit's pins are chosen by
      the names of the functions that ship them (`AnalysisContext.in_focus_file`, `keep_focus`);
    - those the head's recursion walk read, the touched functions' writes reaching them (the walk
      records `loop_coverage` on each function it reads; a loop through one is reported there).
    """
    functions = head.inventory.functions
    focused = head.focused if head.focused is not None else [function for function in functions
                                                              if focus.touches(function)]
    names = {function.name for function in focused}
    return {id(function) for function in functions if function.name in names or function.loop_coverage is not None}


def _drop_shared(workspace: Workspace, head: PendingScan,
                 candidates: dict[str, tuple[list[Function], set[str]]]) -> None:
    """Leave in the base every template whose hidden paths another function also points into or
    owns code under (shared code keeps the full list of functions that ship it)."""
    while True:
        carried = {id(function) for functions, _ in candidates.values() for function in functions}
        foreign: set[str] = set()
        for function in head.inventory.functions:
            if id(function) in carried:
                continue
            foreign.update(recorded_paths(function))
            for path in (*code_folders(function), function.task_root):
                if isinstance(path, str) and (resolved := workspace.resolve(path)) is not None:
                    foreign.add(resolved)
        if "." in foreign:                           # a function that ships the whole repository
            candidates.clear()
            return
        foreign_places = {part for path in foreign for part in _ancestors(path)}
        dropped = [template for template, (_, hidden) in candidates.items()
                   if any(entry in foreign_places or any(part in foreign for part in _ancestors(entry))
                          for entry in hidden)]
        if not dropped:
            return
        for template in dropped:
            del candidates[template]
