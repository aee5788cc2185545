"""Baseline files: findings a team has accepted as they stand, by fingerprint.

`lambda-review baseline` writes one; the `baseline:` setting reads it, and the findings it lists
count as pre-existing, so they never gate a merge. Only fingerprints are trusted from the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reviewer.config import ConfigError
from reviewer.findings import Finding

_FINGERPRINT = re.compile(r"^[0-9a-f]{20}$")
BASELINE_VERSION = 1


def baseline_document(findings: list[Finding]) -> str:
    entries = [{"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path, "line": f.line,
                "function": f.function} for f in findings]
    return json.dumps({"version": BASELINE_VERSION, "findings": entries}, indent=2) + "\n"


MAX_BASELINE_BYTES = 50 * 1024 * 1024


def load_baseline(root: Path, name: str | None) -> frozenset[str]:
    """Fingerprints of a baseline file. A relative name is a file of the repository (it may come
    from `.lambda-review.yml`): it must be a regular file that stays inside the repository."""
    if not name:
        return frozenset()
    path = Path(name) if Path(name).is_absolute() else root / name
    if not Path(name).is_absolute() and not _inside(path, root):
        raise ConfigError(f"baseline: {name!r} leads outside the repository")
    try:
        if path.exists() and (not path.is_file() or path.stat().st_size > MAX_BASELINE_BYTES):
            raise ConfigError(f"baseline: {name!r} is not a regular file of at most {MAX_BASELINE_BYTES:,} bytes")
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["findings"]
        fingerprints = {str(entry["fingerprint"]) for entry in entries}
    except FileNotFoundError:
        raise ConfigError(f"baseline: {name!r} does not exist (write one with `lambda-review baseline`)") from None
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ConfigError(f"baseline: {name!r} is not a baseline file ({type(exc).__name__})") from None
    bad = sorted(fp for fp in fingerprints if not _FINGERPRINT.match(fp))
    if bad:
        raise ConfigError(f"baseline: {name!r} holds an invalid fingerprint {bad[0][:40]!r}")
    return frozenset(fingerprints)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):      # a link loop
        return False
