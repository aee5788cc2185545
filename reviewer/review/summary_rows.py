"""The summary's compact views of findings, so one comment can show everything a change brings.

An error or a warning is one table row (severity, rule, where, one line of text); the notices of
one rule are one line (the rule, the functions, one explanation), because rules such as LR400
fire on every function and a paragraph each would bury the rest; a vulnerable release is one row
of the dependency table, whatever number of files pin it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer import markdown
from reviewer.analyzers.function_lists import MAX_FUNCTIONS_NAMED, name_list
from reviewer.findings import Finding, Severity
from reviewer.rules import RULES
from reviewer.wording import sentence

# Characters of a row's one line of text; the summary shortens it further when it must fit.
HEADLINE_LIMIT = 160
_EMPHASIS = re.compile(r"\*\*|`")
# The words of a row that code assembles (a vulnerable release's advisories).
ROWS = "rows.txt.j2"
# How many functions (or places) a notice line names before it only counts them.
MAX_NOTICE_SUBJECTS = 8
# The evidence the runtime rules key a finding by (reviewer/analyzers/runtimes.py): the runtime a
# declaration sets, or the one its container image's base image runs.
_RUNTIME_EVIDENCE = re.compile(r"^(base-image )?runtime=(\S+)$")
# How many functions each shared notice of a line names when the line has several (a monorepo's
# services each with one runtime for its functions); a line with one names up to
# `function_lists.MAX_FUNCTIONS_NAMED`.
MAX_SHARED_NAMED = 3
# How many functions the findings table names in a row of a finding several share ("`a`, `b` and 3 more").
MAX_ROW_FUNCTIONS = 2


@dataclass(frozen=True)
class FindingRow:
    """One error or warning as a table row; `text` is plain text, escaped by the template."""

    finding: Finding
    where: str
    text: str

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint

    @property
    def functions_named(self) -> tuple[tuple[str, ...], int]:
        """The functions the Function column names, and how many more it counts: the one function,
        or the first of those a shared finding concerns."""
        if self.finding.function:
            return (self.finding.function,), 0
        names = self.finding.functions
        shown = names if len(names) <= MAX_ROW_FUNCTIONS + 1 else names[:MAX_ROW_FUNCTIONS]
        return tuple(shown), len(names) - len(shown)

    def short_text(self, limit: int) -> str:
        """The text within `limit` characters; 0 leaves it out (the rule and the place remain)."""
        return _shorten(self.text, limit) if limit > 0 else ""


@dataclass(frozen=True)
class SharedNotice:
    """A notice that several functions share through one declaration (a SAM template's `Globals`
    runtime, a Terraform module called for each of several keys): the place, the functions it
    stands for (`function_lists.FunctionList` pairs, capped) and the runtime it declares, when it
    is one (`runtime`, `kind` "runtime" or "base_image"), so its line says what it is and whose."""

    place: str
    named: tuple[tuple[str, str], ...]
    more: int = 0
    runtime: str = ""
    kind: str = ""


@dataclass
class NoticeGroup:
    """Every notice of one rule: the rule once, the functions it concerns, one explanation.

    A notice that names one function is known by the function (`functions`). One that several
    functions share (`shared`) is known by its place, `path:line`, and names those functions, so a
    SAM template's functions listed beside a Terraform module's shared notice do not read as
    declared at the module's line. One that names no function (a file the review could not read)
    is known by its place only (`places`). Places are in file order (`main.tf:8` before
    `main.tf:39`). `count` counts the notices, not the functions (a shared one concerns several)."""

    rule_id: str
    title: str
    explanation: str
    functions: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    shared: list[SharedNotice] = field(default_factory=list)
    count: int = 0

    @property
    def subjects(self) -> list[str]:
        """The functions, then the shared declarations' places, then the other places."""
        return self.functions + [notice.place for notice in self.shared] + self.places

    @property
    def named(self) -> list[str]:
        return self.subjects[:MAX_NOTICE_SUBJECTS]

    @property
    def named_functions(self) -> list[str]:
        return self.functions[:MAX_NOTICE_SUBJECTS]

    @property
    def named_shared(self) -> list[SharedNotice]:
        return self.shared[:max(0, MAX_NOTICE_SUBJECTS - len(self.functions))]

    @property
    def named_places(self) -> list[str]:
        return self.places[:max(0, MAX_NOTICE_SUBJECTS - len(self.functions) - len(self.shared))]

    @property
    def unnamed(self) -> int:
        return len(self.subjects) - len(self.named)


@dataclass
class DependencyRow:
    """A vulnerable release: its advisories, the release that fixes them, the files that pin it."""

    package: str
    version: str
    advisories: tuple[str, ...]
    fixed_in: str
    files: list[str] = field(default_factory=list)
    new: bool = False


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def headline(finding: Finding, limit: int = HEADLINE_LIMIT) -> str:
    """The finding in one line of plain text: what a vulnerable pin's advisories are, else the
    first sentence of its message (without our Markdown). The sentence ends at the message's
    first paragraph at the latest: bandit's text may end without a stop ("Call to requests
    without timeout (bandit B113 ...)"), and the advice that follows is a paragraph of its own."""
    pin = finding.vulnerable_pin
    if pin is not None:
        return _shorten(sentence(ROWS, "vulnerable_pin", package=pin.package, version=pin.version,
                                 advisories=pin.advisories, fixed_in=pin.fixed_in), limit)
    first_paragraph = finding.message.strip().split("\n\n", 1)[0]
    plain = " ".join(_EMPHASIS.sub("", markdown.plain(first_paragraph)).split())
    return _shorten(first_sentence(plain) or finding.title, limit)


def first_sentence(text: str) -> str:
    """Up to the first `.`, `!`, `?` or `:` that ends a sentence outside parentheses and quotes
    (`Resource: "*"` inside parentheses, or `python3.9`, does not end one)."""
    depth = 0
    quoted = False
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == '"':
            quoted = not quoted
        elif (char in ".!?:" and depth == 0 and not quoted
              and (index + 1 == len(text) or text[index + 1].isspace())):
            return text[: index + (0 if char == ":" else 1)]
    return text


def finding_rows(findings: list[Finding]) -> list[FindingRow]:
    """Rows for the errors and warnings among `findings`, most severe first."""
    return [FindingRow(finding, f"{finding.path}:{finding.line}", headline(finding))
            for finding in sorted(findings, key=Finding.sort_key) if finding.severity is not Severity.NOTICE]


def _explanation(finding: Finding) -> str:
    """The rule's rationale, first sentence: it follows the group's list of subjects as a sentence
    of its own, so one cut at a colon (LR904's "... cannot be known): properties passed in ...")
    still ends with a stop."""
    rule = RULES.get(finding.rule_id)
    if rule is None:
        return headline(finding)
    said = first_sentence(" ".join(markdown.plain(rule.rationale).replace("`", "").split()))
    return said if said.endswith((".", "!", "?")) else said + "."


def notice_groups(findings: list[Finding], leave_out: set[str] | None = None) -> list[NoticeGroup]:
    """The notices among `findings`, one group per rule in rule order; fingerprints in
    `leave_out` are said elsewhere (the dependency audit that did not run has its own callout)."""
    groups: dict[str, NoticeGroup] = {}
    # Each group's functions by name, with the files their notices are in: two functions of one
    # name in two apps of a monorepo are two subjects, told apart by their file.
    names: dict[str, dict[str, list[str]]] = {}
    # Each group's notices that name no one function, by file and line, with the functions a
    # shared one stands for (the first finding's, when two share a place).
    places: dict[str, dict[tuple[str, int], Finding]] = {}
    for finding in findings:
        if finding.severity is not Severity.NOTICE or (leave_out and finding.fingerprint in leave_out):
            continue
        group = groups.get(finding.rule_id)
        if group is None:
            group = groups[finding.rule_id] = NoticeGroup(finding.rule_id, finding.title, _explanation(finding))
            names[finding.rule_id], places[finding.rule_id] = {}, {}
        group.count += 1
        if not finding.function:
            places[finding.rule_id].setdefault((finding.path, finding.line), finding)
            continue
        paths = names[finding.rule_id].setdefault(finding.function, [])
        if finding.path not in paths:
            paths.append(finding.path)
    for rule_id, group in groups.items():
        group.functions = sorted(name if len(paths) == 1 else f"{name} ({path})"
                                 for name, paths in names[rule_id].items() for path in paths)
        shared = sum(1 for finding in places[rule_id].values() if finding.functions)
        for (path, line), finding in sorted(places[rule_id].items()):
            if finding.functions:
                group.shared.append(_shared_notice(finding, MAX_FUNCTIONS_NAMED if shared == 1 else MAX_SHARED_NAMED))
            else:
                group.places.append(f"{path}:{line}")
    return [groups[rule_id] for rule_id in sorted(groups)]


def _shared_notice(finding: Finding, cap: int) -> SharedNotice:
    """A notice several functions share: its place, their first `cap` names and the runtime it declares."""
    listed = name_list(list(finding.functions))
    named = listed.named if len(listed.named) <= cap + 1 else listed.named[:cap]   # never "and 1 more"
    runtime = _RUNTIME_EVIDENCE.search(finding.evidence)
    kind = "" if runtime is None else "base_image" if runtime.group(1) else "runtime"
    return SharedNotice(f"{finding.path}:{finding.line}", named, len(finding.functions) - len(named),
                        runtime.group(2) if runtime is not None else "", kind)


def dependency_rows(findings: list[Finding], new: set[str]) -> list[DependencyRow]:
    """One row per vulnerable release (LR500), the files that pin it listed once each."""
    rows: dict[tuple[str, str], DependencyRow] = {}
    for finding in findings:
        pin = finding.vulnerable_pin
        if pin is None:
            continue
        key = (pin.package.lower(), pin.version)
        row = rows.get(key)
        if row is None:
            row = rows[key] = DependencyRow(pin.package, pin.version, pin.advisories, pin.fixed_in or "")
        if finding.path not in row.files:
            row.files.append(finding.path)
        row.new = row.new or finding.fingerprint in new
    return [rows[key] for key in sorted(rows)]
