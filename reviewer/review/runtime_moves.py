"""Runtime findings that only moved to another file, counted as pre-existing.

A runtime finding (LR100-LR104, LR106) sits on the line that writes the runtime, and its
fingerprint hashes that line's file (reviewer.findings.Finding.fingerprint). A change that moves the
runtime's declaration without changing it (a constant inlined into the stack, a runtime written in
the CDK app instead of being read from its committed synthesized template, a Terraform variable's
default written as a literal) gives the finding a new file, so it looked new: it was commented
inline and could fail the check though every function kept the runtime it had. Seen on real
history (a CDK app whose runtime came from its synthesized `template.yml`, then was written in
the stack).

Such a finding is pre-existing when every function it concerns existed in the base (same format,
same name after the change's renames, declared in the same file, the file it was renamed from, or
the file the change moved its declaration from: reviewer.review.function_moves) and the base
reported the same rule, for the same runtime, on that function's runtime line. A function the
change adds, or a runtime it changes, keeps the finding new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from reviewer.analyzers.runtimes import runtime_declaration
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.review.function_moves import Moves

# The rules whose finding is placed on the runtime's declaration (reviewer.analyzers.runtimes).
RUNTIME_RULES = frozenset({"LR100", "LR101", "LR102", "LR103", "LR104", "LR106"})

_Spot = tuple[str, str, str, int]       # rule, evidence, path, line


def moved_runtime_fingerprints(head_findings: Iterable[Finding], known: set[str], head_functions: list[Function],
                               base_findings: Iterable[Finding], base_functions: list[Function],
                               renamed: dict[str, str], names: dict[str, str], moves: Moves | None = None
                               ) -> set[str]:
    """The fingerprints of the head's runtime findings, not `known` already, whose runtime only
    moved (see the module's docstring). `renamed` maps base paths to head paths, `names` base
    function names to head names (reviewer.review.renames), `moves` the functions whose
    declaration moved file (reviewer.review.function_moves)."""
    candidates = [finding for finding in head_findings
                  if finding.rule_id in RUNTIME_RULES and finding.fingerprint not in known]
    if not candidates:
        return set()
    said_in_base = {(finding.rule_id, finding.evidence, finding.path, finding.line)
                    for finding in base_findings if finding.rule_id in RUNTIME_RULES}
    counterparts = _counterparts(base_functions, renamed, names, moves or {})
    users: dict[tuple[str, int], list[Function]] = defaultdict(list)
    for function in head_functions:
        if function.runtime is not None:
            place = runtime_declaration(function)
            users[(place.path, place.line)].append(function)
    moved = set()
    for finding in candidates:
        concerned = users.get((finding.path, finding.line), [])
        if concerned and all(_said_in_base(finding, function, counterparts, said_in_base) for function in concerned):
            moved.add(finding.fingerprint)
    return moved


def _counterparts(base_functions: list[Function], renamed: dict[str, str], names: dict[str, str],
                  moves: Moves) -> dict[tuple[str, str, str], list[Function]]:
    """Base functions by the (format, name, declaring file) they have in the head."""
    keyed: dict[tuple[str, str, str], list[Function]] = defaultdict(list)
    for function in base_functions:
        name = names.get(function.name, function.name)
        path = renamed.get(function.location.path, function.location.path)
        moved = moves.get((function.format, name))
        keyed[(function.format, name, moved[1] if moved is not None and moved[0] == path else path)].append(function)
    return keyed


def _said_in_base(finding: Finding, function: Function, counterparts: dict[tuple[str, str, str], list[Function]],
                  said_in_base: set[_Spot]) -> bool:
    """Whether the one base function that is `function` had this finding on its runtime's line."""
    before = counterparts.get((function.format, function.name, function.location.path), [])
    if len(before) != 1 or before[0].runtime != function.runtime:
        return False
    place = runtime_declaration(before[0])
    return (finding.rule_id, finding.evidence, place.path, place.line) in said_in_base
