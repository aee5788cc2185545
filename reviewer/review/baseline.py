"""Baseline files: findings a team has accepted as they stand, by fingerprint.

`lambda-review baseline` writes one; the `baseline:` setting reads it, and the findings it lists
count as pre-existing, so they never gate a merge. Only fingerprints are trusted from the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reviewer.config import ConfigError
from reviewer.model import Finding

_FINGERPRINT = re.compile(r"^[0-9a-f]{20}$")
BASELINE_VERSION = 1


def baseline_document(findings: list[Finding]) -> str:
    entries = [{"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path, "line": f.line,
                "function": f.function} for f in findings]
    return json.dumps({"version": BASELINE_VERSION, "findings": entries}, indent=2) + "\n"


def load_baseline(root: Path, name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    path = Path(name) if Path(name).is_absolute() else root / name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["findings"]
        fingerprints = {str(entry["fingerprint"]) for entry in entries}
    except FileNotFoundError:
        raise ConfigError(f"baseline: {name!r} does not exist (write one with `lambda-review baseline`)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"baseline: {name!r} is not a baseline file ({type(exc).__name__})") from None
    bad = sorted(fp for fp in fingerprints if not _FINGERPRINT.match(fp))
    if bad:
        raise ConfigError(f"baseline: {name!r} holds an invalid fingerprint {bad[0][:40]!r}")
    return frozenset(fingerprints)
