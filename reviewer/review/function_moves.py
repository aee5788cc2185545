"""Functions a change moves to another declaring file, their findings counted as pre-existing.

A finding's fingerprint hashes its file (reviewer.findings.Finding.fingerprint). When a change moves
a function's declaration to another file that is not a rename of the first (a SAM template split
into nested applications, `template.yaml` keeping the parent and `admin.yaml` taking the
`AdminFunction` it declared; a construct moved from one stack's file to another's), every finding
placed on the declaration (its routes, code signing, versions, policies, runtime) changed file
with it and looked new: a deprecated runtime the function always had was a new error that failed
the check. Seen on real history (a SAM sample app split into three nested templates).

A function moved when its format and name (after the change's renames) belong to exactly one
function on each side, declared in different files, and it kept its handler, package type and
code folder: a function the change only deletes in one place and writes anew in another. A base
finding of that function in its old file is then also counted under the new file; what the move
changed (a route, a policy, the runtime) still differs in its evidence and stays new. Runtime
findings that name no one function (written once in `Globals` for several) are matched by
reviewer.review.runtime_moves, which these moves feed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from reviewer.findings import Finding
from reviewer.model import Function

Moves = dict[tuple[str, str], tuple[str, str]]   # (format, head name) → (base file, head file)


def function_moves(base: Iterable[Function], head: Iterable[Function], renamed: dict[str, str],
                   names: dict[str, str]) -> Moves:
    """The functions whose declaration the change moved to another file (see the module's
    docstring); base files are given under the change's renames, names under the head's."""
    before: dict[tuple[str, str], list[Function]] = defaultdict(list)
    for function in base:
        before[(function.format, names.get(function.name, function.name))].append(function)
    after: dict[tuple[str, str], list[Function]] = defaultdict(list)
    for function in head:
        after[(function.format, function.name)].append(function)
    moves: Moves = {}
    for key, old in before.items():
        new = after.get(key, [])
        if len(old) != 1 or len(new) != 1:
            continue
        old_path = renamed.get(old[0].location.path, old[0].location.path)
        if old_path != new[0].location.path and _same_function(old[0], new[0], renamed):
            moves[key] = (old_path, new[0].location.path)
    return moves


def _same_function(before: Function, after: Function, renamed: dict[str, str]) -> bool:
    """Whether the two declarations run the same code: handler, package type and code folder (a
    runtime the move changes is told by its findings' evidence)."""
    code = before.code_path
    if code is not None:
        code = renamed.get(code, code)
    return (before.handler, before.package_type, code) == (after.handler, after.package_type, after.code_path)


def moved_function_fingerprints(findings: Iterable[Finding], moves: Moves, renamed: dict[str, str],
                                names: dict[str, str]) -> set[str]:
    """The fingerprints the base's `findings` of moved functions have in their new files."""
    if not moves:
        return set()
    by_name: dict[str, tuple[str, str] | None] = {}
    for (_, name), places in moves.items():   # a name two formats moved is ambiguous: neither counts
        by_name[name] = places if name not in by_name else None
    fingerprints = set()
    for finding in findings:
        function = names.get(finding.function or "", finding.function)
        paths = by_name.get(function or "")
        if paths is None or renamed.get(finding.path, finding.path) != paths[0]:
            continue
        fingerprints.add(dataclasses.replace(finding, path=paths[1], function=function,
                                             known_fingerprint=None).fingerprint)
    return fingerprints


__all__ = ["Moves", "function_moves", "moved_function_fingerprints"]
