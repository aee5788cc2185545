"""The base's findings under the names the change gives their files.

A finding's fingerprint hashes its path (reviewer.model.Finding.fingerprint), so a file the change
only renames or moves (`admin-tweet.py` → `admin_tweet.py`, `service/` → `src/handlers/`) would
make every finding in it look new, and a pure rename would post inline comments about code it did
not touch. The review therefore also counts, for each base finding in a renamed file, the
fingerprint that finding has at the file's new path: a finding the head still has there is
pre-existing; one the rename's edits introduce still differs in its evidence and stays new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from reviewer.model import Finding


def moved(finding: Finding, renamed: dict[str, str]) -> Finding | None:
    """`finding` as the head would report it after the renames, or None when none concerns it.

    The evidence is rewritten too: some engines name the file there (a loop's write, the module a
    tainted value is read in), which a rename changes as well.
    """
    new_path = renamed.get(finding.path)
    evidence = finding.evidence
    for old, new in renamed.items():
        if old in evidence:
            evidence = evidence.replace(old, new)
    if new_path is None and evidence == finding.evidence:
        return None
    return dataclasses.replace(finding, path=new_path or finding.path, evidence=evidence, known_fingerprint=None)


def renamed_fingerprints(findings: Iterable[Finding], renamed: dict[str, str]) -> set[str]:
    """The fingerprints the base's `findings` have under the change's renames (old → new path)."""
    if not renamed:
        return set()
    fingerprints = set()
    for finding in findings:
        if (after := moved(finding, renamed)) is not None:
            fingerprints.add(after.fingerprint)
    return fingerprints
